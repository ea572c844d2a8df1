package io.basalt.server.storage.engine;

/**
 * Reads that see this writer's own uncommitted changes, plus buffered writes. Nothing is visible
 * to other readers until the write path commits the whole batch.
 */
public interface KvWriter extends KvReader {
    void put(Cf cf, byte[] key, byte[] value);

    void delete(Cf cf, byte[] key);

    /** Deletes every key in [from, to) of one column family, in O(1) on the request path. */
    void deleteRange(Cf cf, byte[] from, byte[] to);
}
