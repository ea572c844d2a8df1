package io.basalt.server.storage.engine;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Predicate;

/**
 * A cursor over a batch's overlay merged with the committed data: overlay entries win over stored
 * ones with the same key, overlay tombstones hide them, and stored keys inside the batch's range
 * deletes are skipped. Both directions are supported; changing direction re-seeks at the current key.
 */
final class MergedCursor implements KvCursor {
    private final NavigableMap<byte[], Object> overlay;
    private final KvCursor db;
    private final Predicate<byte[]> rangeDeleted;
    private boolean forward = true;
    private Map.Entry<byte[], Object> ov;
    private byte[] key;
    private byte[] value;

    MergedCursor(NavigableMap<byte[], Object> overlay, KvCursor db, Predicate<byte[]> rangeDeleted) {
        this.overlay = overlay;
        this.db = db;
        this.rangeDeleted = rangeDeleted;
    }

    @Override
    public boolean valid() {
        return key != null;
    }

    @Override
    public byte[] key() {
        return key;
    }

    @Override
    public byte[] value() {
        return value;
    }

    @Override
    public void seekToFirst() {
        forward = true;
        ov = overlay.firstEntry();
        db.seekToFirst();
        settle();
    }

    @Override
    public void seekToLast() {
        forward = false;
        ov = overlay.lastEntry();
        db.seekToLast();
        settle();
    }

    @Override
    public void seek(byte[] target) {
        forward = true;
        ov = overlay.ceilingEntry(target);
        db.seek(target);
        settle();
    }

    @Override
    public void seekForPrev(byte[] target) {
        forward = false;
        ov = overlay.floorEntry(target);
        db.seekForPrev(target);
        settle();
    }

    @Override
    public void next() {
        if (key == null) {
            return;
        }
        if (!forward) {
            byte[] at = key;
            seek(at);
            if (key != null && Arrays.equals(key, at)) {
                advanceForward();
            }
            return;
        }
        advanceForward();
    }

    @Override
    public void prev() {
        if (key == null) {
            return;
        }
        if (forward) {
            byte[] at = key;
            seekForPrev(at);
            if (key != null && Arrays.equals(key, at)) {
                advanceBackward();
            }
            return;
        }
        advanceBackward();
    }

    private void advanceForward() {
        byte[] cur = key;
        if (ov != null && Arrays.equals(ov.getKey(), cur)) {
            ov = overlay.higherEntry(cur);
        }
        if (db.valid() && Arrays.equals(db.key(), cur)) {
            db.next();
        }
        settle();
    }

    private void advanceBackward() {
        byte[] cur = key;
        if (ov != null && Arrays.equals(ov.getKey(), cur)) {
            ov = overlay.lowerEntry(cur);
        }
        if (db.valid() && Arrays.equals(db.key(), cur)) {
            db.prev();
        }
        settle();
    }

    /** Positions on the nearest visible entry in the current direction. */
    private void settle() {
        while (true) {
            while (db.valid() && rangeDeleted.test(db.key()) && !(ov != null && Arrays.equals(ov.getKey(), db.key()))) {
                if (forward) {
                    db.next();
                } else {
                    db.prev();
                }
            }
            byte[] dk = db.valid() ? db.key() : null;
            byte[] ok = ov == null ? null : ov.getKey();
            if (dk == null && ok == null) {
                key = null;
                value = null;
                return;
            }
            int c;
            if (dk == null) {
                c = 1; // only overlay
            } else if (ok == null) {
                c = -1; // only db
            } else {
                c = Arrays.compareUnsigned(dk, ok);
                if (!forward) {
                    c = -c;
                }
            }
            if (c < 0) {
                key = dk;
                value = db.value();
                return;
            }
            // overlay entry is next (alone, or shadowing the stored entry with the same key)
            if (ov.getValue() == BatchTxn.TOMBSTONE) {
                if (c == 0) {
                    if (forward) {
                        db.next();
                    } else {
                        db.prev();
                    }
                }
                ov = forward ? overlay.higherEntry(ok) : overlay.lowerEntry(ok);
                continue;
            }
            key = ok;
            value = (byte[]) ov.getValue();
            return;
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
