package io.basalt.server.storage.engine;

import org.rocksdb.ReadOptions;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * Reads one consistent point in time: a command that reads a composite's metadata and then its
 * members sees them as one state even while the applier commits and the collector reclaims
 * retired versions. Close it to release the snapshot.
 */
public final class SnapshotReader implements KvReader, AutoCloseable {
    private final RocksEngine engine;
    private final Snapshot snapshot;
    private final ReadOptions point;

    SnapshotReader(RocksEngine engine) {
        this.engine = engine;
        this.snapshot = engine.db().getSnapshot();
        this.point = new ReadOptions().setSnapshot(snapshot);
    }

    @Override
    public byte[] get(Cf cf, byte[] key) {
        return engine.get(cf, point, key);
    }

    @Override
    public KvCursor cursor(Cf cf, byte[] from, byte[] to) {
        ReadOptions ro = new ReadOptions().setSnapshot(snapshot);
        Slice lower = from == null ? null : new Slice(from);
        Slice upper = to == null ? null : new Slice(to);
        if (lower != null) {
            ro.setIterateLowerBound(lower);
        }
        if (upper != null) {
            ro.setIterateUpperBound(upper);
        }
        return new RocksCursor(engine.iterator(cf, ro), ro, lower, upper, from, to);
    }

    @Override
    public void close() {
        point.close();
        engine.db().releaseSnapshot(snapshot);
        snapshot.close();
    }
}
