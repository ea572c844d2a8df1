package io.basalt.server.storage.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionPriority;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB instance of one replica: opening, column families, tuning, raw reads and batch
 * commits. Only the storage layer uses this class; commands never see it.
 */
public final class RocksEngine implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final EngineOptions options;
    private final LRUCache cache;
    private final WriteBufferManager writeBufferManager;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final Map<Cf, ColumnFamilyHandle> handles = new EnumMap<>(Cf.class);
    private final RocksDB db;
    private final WriteOptions writeNoSync;
    private final WriteOptions writeSync;
    private final ReadOptions readOptions;
    private volatile boolean closed;

    public RocksEngine(Path dir, EngineOptions options) {
        this.dir = dir;
        this.options = options;
        try {
            Files.createDirectories(dir);
            cache = new LRUCache(options.blockCacheBytes());
            // Memtables count against the block cache: one bound for all native memory we control.
            writeBufferManager = new WriteBufferManager(options.writeBufferBytes() * 4, cache);
            dbOptions = new DBOptions()
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setWriteBufferManager(writeBufferManager)
                    .setMaxBackgroundJobs(2)
                    .setBytesPerSync(1 << 20)
                    .setAtomicFlush(true)
                    .setKeepLogFileNum(4)
                    .setMaxTotalWalSize(options.writeBufferBytes() * 4);
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (Cf cf : Cf.values()) {
                ColumnFamilyOptions o = columnFamilyOptions(cf);
                cfOptions.add(o);
                descriptors.add(new ColumnFamilyDescriptor(cf.rocksName(), o));
            }
            List<ColumnFamilyHandle> hs = new ArrayList<>();
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, hs);
            for (Cf cf : Cf.values()) {
                handles.put(cf, hs.get(cf.ordinal()));
            }
            writeNoSync = new WriteOptions().setDisableWAL(!options.walEnabled()).setSync(false);
            writeSync = new WriteOptions().setDisableWAL(!options.walEnabled()).setSync(options.walEnabled());
            readOptions = new ReadOptions();
        } catch (RocksDBException | java.io.IOException e) {
            throw new StorageException("cannot open RocksDB at " + dir + ": " + e.getMessage(), e);
        }
    }

    private ColumnFamilyOptions columnFamilyOptions(Cf cf) {
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setBlockSize(16 * 1024)
                .setCacheIndexAndFilterBlocks(true)
                .setCacheIndexAndFilterBlocksWithHighPriority(true)
                .setPinL0FilterAndIndexBlocksInCache(true)
                .setFilterPolicy(new BloomFilter(10, false))
                .setWholeKeyFiltering(true);
        ColumnFamilyOptions o = new ColumnFamilyOptions()
                .setTableFormatConfig(table)
                .setWriteBufferSize(cf == Cf.META || cf == Cf.DATA ? options.writeBufferBytes() : options.writeBufferBytes() / 4)
                .setMaxWriteBufferNumber(3)
                // Most writes first look the key up (counts, expiry index, version GC); a whole-key
                // bloom filter in the memtable lets lookups of absent keys skip the skiplist walk.
                .setMemtablePrefixBloomSizeRatio(0.05)
                .setMemtableWholeKeyFiltering(true)
                .setLevelCompactionDynamicLevelBytes(true)
                .setCompactionPriority(CompactionPriority.MinOverlappingRatio)
                // Hot upper levels: cheap LZ4; the bottom level holds ~90% of the data: ZSTD.
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
        if (cf == Cf.META || cf == Cf.DATA) {
            // Key-value separation: large values live in blob files, so compaction moves only keys.
            o.setEnableBlobFiles(true)
                    .setMinBlobSize(options.minBlobBytes())
                    .setBlobCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setEnableBlobGarbageCollection(true)
                    .setBlobGarbageCollectionAgeCutoff(0.25);
        }
        return o;
    }

    public Path dir() {
        return dir;
    }

    ColumnFamilyHandle handle(Cf cf) {
        return handles.get(cf);
    }

    RocksDB db() {
        return db;
    }

    public byte[] get(Cf cf, byte[] key) {
        try {
            return db.get(handles.get(cf), readOptions, key);
        } catch (RocksDBException e) {
            throw new StorageException("get failed: " + e.getMessage(), e);
        }
    }

    public byte[] get(Cf cf, ReadOptions ro, byte[] key) {
        try {
            return db.get(handles.get(cf), ro, key);
        } catch (RocksDBException e) {
            throw new StorageException("get failed: " + e.getMessage(), e);
        }
    }

    /** A reader pinned to the current committed state; close it. */
    public SnapshotReader snapshotReader() {
        return new SnapshotReader(this);
    }

    /** A reader over the latest committed state. */
    public KvReader reader() {
        return new DbReader(this);
    }

    /** A write transaction: reads see committed state plus its own writes; nothing is visible until {@link #commit}. */
    public BatchTxn begin() {
        return new BatchTxn(this);
    }

    /** Atomically applies a transaction's writes. {@code sync}: fsync the WAL before returning. */
    public void commit(BatchTxn txn, boolean sync) {
        txn.commitTo(this, sync ? writeSync : writeNoSync);
    }

    void write(WriteBatch batch, WriteOptions wo) {
        try {
            db.write(wo, batch);
        } catch (RocksDBException e) {
            throw new StorageException("write failed: " + e.getMessage(), e);
        }
    }

    WriteOptions writeOptions(boolean sync) {
        return sync ? writeSync : writeNoSync;
    }

    RocksIterator iterator(Cf cf, ReadOptions ro) {
        return db.newIterator(handles.get(cf), ro);
    }

    /** fsync the WAL (the {@code appendfsync everysec} tick). */
    public void syncWal() {
        if (!options.walEnabled() || closed) {
            return;
        }
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            throw new StorageException("WAL sync failed: " + e.getMessage(), e);
        }
    }

    /** Flushes all memtables to SST files (atomic across column families). */
    public void flush() {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            List<ColumnFamilyHandle> all = new ArrayList<>(handles.values());
            db.flush(fo, all);
        } catch (RocksDBException e) {
            throw new StorageException("flush failed: " + e.getMessage(), e);
        }
    }

    /**
     * A RocksDB checkpoint of the current state at {@code target} (which must not exist): hard links
     * to the SST and blob files plus a fresh MANIFEST, after flushing the memtables — so it holds
     * everything written so far even with the WAL off.
     */
    public void checkpoint(Path target) {
        try (org.rocksdb.Checkpoint cp = org.rocksdb.Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new StorageException("checkpoint failed: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the whole content of every column family by that of the RocksDB at {@code source} (a
     * checkpoint): clears each family with one range delete, copies the source in batches, flushes.
     * {@code marker} (a SYSTEM key) is present, and durable, for as long as storage is not a
     * complete copy — from before the clear until the final flush — so a crash in between is seen
     * on restart and the load redone. Nothing else may write meanwhile.
     */
    public void replaceWith(Path source, byte[] marker) {
        try (WriteBatch b = new WriteBatch()) {
            b.put(handles.get(Cf.SYSTEM), marker, new byte[0]);
            db.write(writeNoSync, b);
        } catch (RocksDBException e) {
            throw new StorageException("load failed: " + e.getMessage(), e);
        }
        flush();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        List<ColumnFamilyOptions> opts = new ArrayList<>();
        for (Cf cf : Cf.values()) {
            ColumnFamilyOptions o = new ColumnFamilyOptions();
            opts.add(o);
            descriptors.add(new ColumnFamilyDescriptor(cf.rocksName(), o));
        }
        List<ColumnFamilyHandle> srcHandles = new ArrayList<>();
        try (DBOptions dbo = new DBOptions();
                RocksDB src = RocksDB.openReadOnly(dbo, source.toString(), descriptors, srcHandles);
                WriteBatch clear = new WriteBatch()) {
            try {
                for (Cf cf : Cf.values()) {
                    byte[][] range = firstAndLast(db, handles.get(cf));
                    if (range != null) {
                        clear.deleteRange(handles.get(cf), range[0], range[1]);
                        clear.delete(handles.get(cf), range[1]);
                    }
                }
                clear.put(handles.get(Cf.SYSTEM), marker, new byte[0]); // the clear removed it: same atomic write
                db.write(writeNoSync, clear);
                for (Cf cf : Cf.values()) {
                    try (ReadOptions ro = new ReadOptions().setFillCache(false);
                            RocksIterator it = src.newIterator(srcHandles.get(cf.ordinal()), ro)) {
                        WriteBatch b = new WriteBatch();
                        try {
                            for (it.seekToFirst(); it.isValid(); it.next()) {
                                b.put(handles.get(cf), it.key(), it.value());
                                if (b.getDataSize() > (4 << 20)) {
                                    db.write(writeNoSync, b);
                                    b.close();
                                    b = new WriteBatch();
                                }
                            }
                            it.status();
                            db.write(writeNoSync, b);
                        } finally {
                            b.close();
                        }
                    }
                }
                try (WriteBatch done = new WriteBatch()) {
                    done.delete(handles.get(Cf.SYSTEM), marker);
                    db.write(writeNoSync, done);
                }
            } finally {
                for (ColumnFamilyHandle h : srcHandles) {
                    h.close(); // before the source DB itself closes
                }
            }
        } catch (RocksDBException e) {
            throw new StorageException("load from " + source + " failed: " + e.getMessage(), e);
        } finally {
            for (ColumnFamilyOptions o : opts) {
                o.close();
            }
        }
        flush();
    }

    /** Deletes everything in every column family (a replica leaving its group); durable on return. */
    public void clearAll() {
        try (WriteBatch clear = new WriteBatch()) {
            for (Cf cf : Cf.values()) {
                byte[][] range = firstAndLast(db, handles.get(cf));
                if (range != null) {
                    clear.deleteRange(handles.get(cf), range[0], range[1]);
                    clear.delete(handles.get(cf), range[1]);
                }
            }
            db.write(writeNoSync, clear);
        } catch (RocksDBException e) {
            throw new StorageException("clear failed: " + e.getMessage(), e);
        }
        flush();
    }

    private static byte[][] firstAndLast(RocksDB db, ColumnFamilyHandle h) {
        try (RocksIterator it = db.newIterator(h)) {
            it.seekToFirst();
            if (!it.isValid()) {
                return null;
            }
            byte[] first = it.key();
            it.seekToLast();
            return new byte[][] {first, it.key()};
        }
    }

    /** Compacts [from, to) of a column family (null = unbounded): used after large range deletes. */
    public void compactRange(Cf cf, byte[] from, byte[] to) {
        try {
            db.compactRange(handles.get(cf), from, to);
        } catch (RocksDBException e) {
            throw new StorageException("compaction failed: " + e.getMessage(), e);
        }
    }

    /** A RocksDB property (e.g. {@code rocksdb.estimate-num-keys}) summed over column families, or -1. */
    public long longProperty(String name) {
        long sum = 0;
        try {
            for (ColumnFamilyHandle h : handles.values()) {
                sum += db.getLongProperty(h, name);
            }
        } catch (RocksDBException e) {
            return -1;
        }
        return sum;
    }

    public long longProperty(Cf cf, String name) {
        try {
            return db.getLongProperty(handles.get(cf), name);
        } catch (RocksDBException e) {
            return -1;
        }
    }

    public long blockCacheUsage() {
        return cache.getUsage();
    }

    public long blockCachePinnedUsage() {
        return cache.getPinnedUsage();
    }

    public long blockCacheCapacity() {
        return options.blockCacheBytes();
    }

    /** Total bytes of SST and blob files (live data on disk). */
    public long diskBytes() {
        long sst = longProperty("rocksdb.total-sst-files-size");
        long blob = longProperty("rocksdb.total-blob-file-size");
        return Math.max(0, sst) + Math.max(0, blob);
    }

    public String stringProperty(String name) {
        try {
            return db.getProperty(handles.get(Cf.META), name);
        } catch (RocksDBException e) {
            return "";
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (options.walEnabled()) {
                db.flushWal(true);
            }
        } catch (RocksDBException ignored) {
            // closing anyway
        }
        for (ColumnFamilyHandle h : handles.values()) {
            h.close();
        }
        db.close();
        writeNoSync.close();
        writeSync.close();
        readOptions.close();
        dbOptions.close();
        for (ColumnFamilyOptions o : cfOptions) {
            o.close();
        }
        writeBufferManager.close();
        cache.close();
    }
}
