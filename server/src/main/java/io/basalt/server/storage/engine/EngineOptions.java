package io.basalt.server.storage.engine;

/**
 * RocksDB tuning that the operator may set. Defaults keep native memory bounded: the block cache
 * holds data, index and filter blocks, and memtables are charged to it too.
 *
 * @param blockCacheBytes   shared LRU block cache (config {@code rocksdb.block-cache-size})
 * @param writeBufferBytes  one memtable (config {@code rocksdb.write-buffer-size})
 * @param minBlobBytes      values at least this large go to BlobDB files (config {@code rocksdb.min-blob-size})
 * @param walEnabled        the RocksDB WAL; on for standalone, off once the Raft log is the WAL
 */
public record EngineOptions(long blockCacheBytes, long writeBufferBytes, long minBlobBytes, boolean walEnabled) {
    public static EngineOptions defaults() {
        return new EngineOptions(256L << 20, 64L << 20, 4096, true);
    }
}
