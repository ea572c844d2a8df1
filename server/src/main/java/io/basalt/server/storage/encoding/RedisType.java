package io.basalt.server.storage.encoding;

/** The Redis type of a key, as stored in the first byte of its metadata. Codes are on disk: never renumber. */
public enum RedisType {
    STRING(0, "string"),
    LIST(1, "list"),
    SET(2, "set"),
    ZSET(3, "zset"),
    HASH(4, "hash"),
    STREAM(5, "stream");

    private static final RedisType[] BY_CODE = values();

    private final int code;
    private final String typeName;

    RedisType(int code, String typeName) {
        this.code = code;
        this.typeName = typeName;
    }

    public int code() {
        return code;
    }

    /** What {@code TYPE} replies. */
    public String typeName() {
        return typeName;
    }

    public boolean composite() {
        return this != STRING;
    }

    public static RedisType ofCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown type code " + code);
        }
        return BY_CODE[code];
    }

    public static RedisType ofName(String name) {
        for (RedisType t : BY_CODE) {
            if (t.typeName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
