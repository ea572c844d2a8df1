package io.basalt.server.storage.engine;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * The writes of one apply batch, indexed so that later commands in the batch read what earlier ones
 * wrote. Save points let one failed command be undone without touching the rest of the batch.
 *
 * <p>RocksDB's indexed batches cannot hold range deletes, so {@link #deleteRange} writes what is
 * buffered so far and then the range delete straight to the DB. Only whole-keyspace or whole-slot
 * commands use it (FLUSHALL, slot drop), and they do so as their last write.
 */
public final class BatchTxn implements KvWriter, AutoCloseable {
    private final RocksEngine engine;
    private WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
    private final ReadOptions readOptions = new ReadOptions();
    private int writes;
    private int savePoints;

    BatchTxn(RocksEngine engine) {
        this.engine = engine;
    }

    @Override
    public byte[] get(Cf cf, byte[] key) {
        try {
            return batch.getFromBatchAndDB(engine.db(), engine.handle(cf), readOptions, key);
        } catch (RocksDBException e) {
            throw new StorageException("get failed: " + e.getMessage(), e);
        }
    }

    @Override
    public KvCursor cursor(Cf cf, byte[] from, byte[] to) {
        ReadOptions ro = new ReadOptions();
        Slice lower = from == null ? null : new Slice(from);
        Slice upper = to == null ? null : new Slice(to);
        if (lower != null) {
            ro.setIterateLowerBound(lower);
        }
        if (upper != null) {
            ro.setIterateUpperBound(upper);
        }
        RocksIterator base = engine.iterator(cf, ro);
        RocksIterator merged = batch.newIteratorWithBase(engine.handle(cf), base, ro);
        return new RocksCursor(merged, ro, lower, upper, from, to);
    }

    @Override
    public void put(Cf cf, byte[] key, byte[] value) {
        try {
            batch.put(engine.handle(cf), key, value);
            writes++;
        } catch (RocksDBException e) {
            throw new StorageException("put failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Cf cf, byte[] key) {
        try {
            batch.delete(engine.handle(cf), key);
            writes++;
        } catch (RocksDBException e) {
            throw new StorageException("delete failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteRange(Cf cf, byte[] from, byte[] to) {
        WriteOptions wo = engine.writeOptions(false);
        if (batch.count() > 0) {
            engine.write(batch, wo);
        }
        batch.close();
        batch = new WriteBatchWithIndex(true);
        savePoints = 0; // what was buffered is written: there is nothing left to roll back to
        try (WriteBatch wb = new WriteBatch()) {
            wb.deleteRange(engine.handle(cf), from, to);
            engine.write(wb, wo);
        } catch (RocksDBException e) {
            throw new StorageException("deleteRange failed: " + e.getMessage(), e);
        }
        writes++;
    }

    /** Marks where a command starts, so {@link #rollbackToSavePoint} can undo just that command. */
    public void setSavePoint() {
        batch.setSavePoint();
        savePoints++;
    }

    public void rollbackToSavePoint() {
        if (savePoints == 0) {
            return;
        }
        savePoints--;
        try {
            batch.rollbackToSavePoint();
        } catch (RocksDBException e) {
            throw new StorageException("rollback failed: " + e.getMessage(), e);
        }
    }

    public void releaseSavePoint() {
        // WriteBatchWithIndex keeps a stack; popping keeps it from growing across a large batch.
        if (savePoints == 0) {
            return;
        }
        savePoints--;
        try {
            batch.popSavePoint();
        } catch (RocksDBException e) {
            throw new StorageException("popSavePoint failed: " + e.getMessage(), e);
        }
    }

    public int writeCount() {
        return writes;
    }

    void commitTo(RocksEngine engine, WriteOptions wo) {
        if (batch.count() > 0) {
            engine.write(batch, wo);
        } else if (wo.sync()) {
            engine.syncWal();
        }
    }

    @Override
    public void close() {
        batch.close();
        readOptions.close();
    }
}
