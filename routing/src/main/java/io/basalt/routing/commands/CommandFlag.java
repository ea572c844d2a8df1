package io.basalt.routing.commands;

/** Command flags as Redis's {@code COMMAND} reports them (lower-case names on the wire). */
public enum CommandFlag {
    WRITE, READONLY, DENYOOM, MODULE, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE,
    SKIP_MONITOR, SKIP_SLOWLOG, ASKING, FAST, NO_AUTH, MAY_REPLICATE, NO_MANDATORY_KEYS,
    NO_MULTI, MOVABLEKEYS, ALLOW_BUSY;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
