package io.basalt.server.storage.engine;

import java.nio.charset.StandardCharsets;

/** The column families of one replica's RocksDB. Every key in every family starts with its slot, except EXPIRE (time first). */
public enum Cf {
    /** (slot, user key) → metadata header (+ inline string value or packed composite). */
    META("default"),
    /** (slot, key length, user key, version, member) → member value, for composite types. */
    DATA("data"),
    /** (slot, key length, user key, version, score, member) → nothing: the sorted-set score index. */
    SCORE("score"),
    /** (expire-at ms, slot, user key) → nothing: the expiry index the active-expiry sweep walks. */
    EXPIRE("expire"),
    /** (slot, key length, user key, version) → nothing: retired composite versions awaiting collection. */
    GARBAGE("garbage"),
    /** Node bookkeeping: per-slot key counts, the applied index, the version counter. */
    SYSTEM("system");

    private final byte[] rocksName;

    Cf(String rocksName) {
        this.rocksName = rocksName.getBytes(StandardCharsets.US_ASCII);
    }

    public byte[] rocksName() {
        return rocksName;
    }
}
