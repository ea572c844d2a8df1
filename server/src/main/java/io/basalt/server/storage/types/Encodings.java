package io.basalt.server.storage.types;

import io.basalt.server.config.ServerConfig;

/**
 * When a composite stays packed inside its metadata value (Redis's listpack/intset limits). Packed
 * composites convert to the member layout when they outgrow these and never convert back, as in Redis.
 * The limits are part of what the state machine computes, so every replica of a group must use the
 * same values (they are read from the node's config at the start of each batch).
 */
public record Encodings(int hashMaxEntries, int hashMaxValue, int zsetMaxEntries, int zsetMaxValue,
        int setMaxIntsetEntries, int setMaxEntries, int setMaxValue, int listMaxSize, long streamNodeMaxBytes,
        long streamNodeMaxEntries) {

    public static final Encodings DEFAULTS = new Encodings(128, 64, 128, 64, 512, 128, 64, -2, 4096, 100);

    public static Encodings of(ServerConfig c) {
        return new Encodings(c.getInt("hash-max-listpack-entries"), c.getInt("hash-max-listpack-value"),
                c.getInt("zset-max-listpack-entries"), c.getInt("zset-max-listpack-value"),
                c.getInt("set-max-intset-entries"), c.getInt("set-max-listpack-entries"),
                c.getInt("set-max-listpack-value"), c.getInt("list-max-listpack-size"),
                c.getLong("stream-node-max-bytes"), c.getLong("stream-node-max-entries"));
    }

    /** Whether a list of {@code count} elements totalling {@code bytes} stays packed. */
    public boolean listFits(long count, long bytes) {
        if (listMaxSize > 0) {
            return count <= listMaxSize;
        }
        long limit = 4096L << (Math.max(1, -listMaxSize) - 1);
        return bytes <= limit && count <= 1024;
    }
}
