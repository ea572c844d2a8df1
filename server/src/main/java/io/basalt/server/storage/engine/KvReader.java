package io.basalt.server.storage.engine;

/** Point and range reads over the engine; the type layer reads only through this. */
public interface KvReader {
    byte[] get(Cf cf, byte[] key);

    /** Iterates keys in [from, to) in order; {@code to} may be null for "to the end". Close it. */
    KvCursor cursor(Cf cf, byte[] from, byte[] to);
}
