package io.basalt.server.storage.engine;

import java.util.Arrays;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/** A bounded RocksDB iterator; owns its ReadOptions and bound slices. */
final class RocksCursor implements KvCursor {
    private final RocksIterator it;
    private final ReadOptions ro;
    private final Slice lower;
    private final Slice upper;
    private final byte[] from;
    private final byte[] to;

    RocksCursor(RocksIterator it, ReadOptions ro, Slice lower, Slice upper, byte[] from, byte[] to) {
        this.it = it;
        this.ro = ro;
        this.lower = lower;
        this.upper = upper;
        this.from = from;
        this.to = to;
    }

    @Override
    public boolean valid() {
        if (!it.isValid()) {
            return false;
        }
        if (to == null && from == null) {
            return true;
        }
        byte[] k = it.key();
        return (to == null || Arrays.compareUnsigned(k, to) < 0) && (from == null || Arrays.compareUnsigned(k, from) >= 0);
    }

    @Override
    public byte[] key() {
        return it.key();
    }

    @Override
    public byte[] value() {
        return it.value();
    }

    @Override
    public void next() {
        it.next();
    }

    @Override
    public void prev() {
        it.prev();
    }

    @Override
    public void seek(byte[] target) {
        it.seek(from != null && Arrays.compareUnsigned(target, from) < 0 ? from : target);
    }

    @Override
    public void seekForPrev(byte[] target) {
        it.seekForPrev(target);
    }

    @Override
    public void seekToFirst() {
        if (from != null) {
            it.seek(from);
        } else {
            it.seekToFirst();
        }
    }

    @Override
    public void seekToLast() {
        if (to != null) {
            it.seekForPrev(to);
            if (it.isValid() && Arrays.equals(it.key(), to)) {
                it.prev();
            }
        } else {
            it.seekToLast();
        }
    }

    @Override
    public void close() {
        it.close();
        ro.close();
        if (lower != null) {
            lower.close();
        }
        if (upper != null) {
            upper.close();
        }
    }
}
