package io.basalt.server.commands;

import io.basalt.routing.slots.SlotHash;
import io.basalt.server.Node;
import io.basalt.server.storage.encoding.KeyCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SCAN cursors. Keys are iterated in storage order (slot, key). A cursor names where to resume:
 * its high bits hold the slot, its low 40 bits an id for the exact key kept here in a bounded table.
 * When the id is unknown (evicted, server restarted, another node of the group answers) the scan
 * resumes at the start of the cursor's slot: keys may be returned twice — which SCAN allows — but
 * none present for the whole iteration is ever skipped.
 */
public final class ScanCursors {
    private static final int MAX = 65_536;
    private static final long ID_BITS = 40;
    private static final long ID_MASK = (1L << ID_BITS) - 1;

    private final Map<Long, byte[]> resumeKeys = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > MAX;
        }
    };

    static ScanCursors of(Node node) {
        return node.scanCursors();
    }

    /** The META key to continue from for {@code cursor} (0 = the beginning). */
    synchronized byte[] resume(long cursor) {
        if (cursor == 0) {
            return KeyCodec.slotStart(0);
        }
        int slot = (int) Math.min(SlotHash.SLOT_COUNT - 1, cursor >>> ID_BITS);
        byte[] at = resumeKeys.get(cursor);
        if (at != null && KeyCodec.slotOf(at) == slot) {
            return at;
        }
        return KeyCodec.slotStart(slot);
    }

    /** Remembers {@code next} (a META key) and returns a cursor for it. Never 0. */
    synchronized long save(byte[] next) {
        long slot = KeyCodec.slotOf(next);
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong() & ID_MASK;
        } while (id == 0);
        long cursor = (slot << ID_BITS) | id;
        resumeKeys.put(cursor, next);
        return cursor;
    }
}
