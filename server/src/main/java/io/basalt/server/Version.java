package io.basalt.server;

/** Versions reported to clients. {@code REDIS_VERSION} is what INFO/HELLO claim for compatibility checks. */
public final class Version {
    public static final String VERSION = "0.1.0";
    public static final String REDIS_VERSION = "7.0.15";

    private Version() {}
}
