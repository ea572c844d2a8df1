package io.basalt.server.resp;

/** Redis's exact error texts, in one place so every command words them the same. */
public final class Errors {
    public static final String SYNTAX = "ERR syntax error";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String OUT_OF_RANGE = "ERR index out of range";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String INVALID_EXPIRE = "ERR invalid expire time in '%s' command";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    public static final String BIT_VALUE = "ERR bit is not an integer or out of range";

    private Errors() {}

    public static RedisException syntax() {
        return new RedisException(SYNTAX);
    }

    public static RedisException wrongType() {
        return new RedisException(WRONGTYPE);
    }

    public static RedisException notInteger() {
        return new RedisException(NOT_INTEGER);
    }

    public static RedisException notFloat() {
        return new RedisException(NOT_FLOAT);
    }

    public static RedisException wrongArgs(String command) {
        return new RedisException("ERR wrong number of arguments for '" + command + "' command");
    }

    public static RedisException invalidExpire(String command) {
        return new RedisException(String.format(INVALID_EXPIRE, command));
    }
}
