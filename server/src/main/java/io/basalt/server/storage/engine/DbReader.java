package io.basalt.server.storage.engine;

import org.rocksdb.ReadOptions;
import org.rocksdb.Slice;

/** Reads the latest committed state directly from the DB. */
final class DbReader implements KvReader {
    private final RocksEngine engine;

    DbReader(RocksEngine engine) {
        this.engine = engine;
    }

    @Override
    public byte[] get(Cf cf, byte[] key) {
        return engine.get(cf, key);
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
        return new RocksCursor(engine.iterator(cf, ro), ro, lower, upper, from, to);
    }
}
