package io.basalt.server.storage.engine;

/** A forward/backward cursor over one key range. */
public interface KvCursor extends AutoCloseable {
    boolean valid();

    byte[] key();

    byte[] value();

    void next();

    void prev();

    /** Positions at the first key ≥ target (within range). */
    void seek(byte[] target);

    /** Positions at the last key ≤ target (within range). */
    void seekForPrev(byte[] target);

    void seekToFirst();

    void seekToLast();

    @Override
    void close();
}
