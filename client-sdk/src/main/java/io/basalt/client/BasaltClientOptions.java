package io.basalt.client;

import io.lettuce.core.ReadFrom;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BasaltClient} connects, routes and retries. Immutable; {@link #builder()} starts from
 * the defaults, {@link #defaults()} is them.
 */
public final class BasaltClientOptions {
    private final ReadFrom readFrom;
    private final Duration commandTimeout;
    private final Duration maxRetryTime;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final int maxPendingRetries;
    private final Duration inflightGrace;
    private final Duration zkConnectTimeout;
    private final Duration zkSessionTimeout;
    private final MeterRegistry meterRegistry;
    private final boolean latencyMetrics;
    private final boolean failInflightOnLeaderChange;
    private final String username;
    private final char[] password;

    private BasaltClientOptions(Builder b) {
        this.readFrom = b.readFrom;
        this.commandTimeout = b.commandTimeout;
        this.maxRetryTime = b.maxRetryTime;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxPendingRetries = b.maxPendingRetries;
        this.inflightGrace = b.inflightGrace;
        this.zkConnectTimeout = b.zkConnectTimeout;
        this.zkSessionTimeout = b.zkSessionTimeout;
        this.meterRegistry = b.meterRegistry;
        this.latencyMetrics = b.latencyMetrics;
        this.failInflightOnLeaderChange = b.failInflightOnLeaderChange;
        this.username = b.username;
        this.password = b.password;
    }

    public static BasaltClientOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where reads go: Lettuce's {@link ReadFrom} ({@code UPSTREAM}, the group leader, by default). */
    public ReadFrom readFrom() {
        return readFrom;
    }

    /** Timeout of one command as the synchronous API waits for it (default 10 s). */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * How long a command that was not executed (no leader known, {@code TRYAGAIN}, {@code
     * CLUSTERDOWN}, its node not reachable) is retried before it fails (default 5 s).
     */
    public Duration maxRetryTime() {
        return maxRetryTime;
    }

    public Duration minBackoff() {
        return minBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * At most this many commands wait for a retry at once (per client); more fail at once with a
     * {@link BasaltClientException} instead of piling up while no leader is known (default 10 000).
     */
    public int maxPendingRetries() {
        return maxPendingRetries;
    }

    /**
     * When a group's leader changes, commands still unanswered by the old leader get this long to
     * be answered; then they fail with {@link BasaltLeaderChangedException} (default 100 ms).
     */
    public Duration inflightGrace() {
        return inflightGrace;
    }

    public Duration zkConnectTimeout() {
        return zkConnectTimeout;
    }

    public Duration zkSessionTimeout() {
        return zkSessionTimeout;
    }

    /** Where metrics go; null: a private {@code SimpleMeterRegistry} ({@link BasaltClient#meterRegistry()}). */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /**
     * Whether commands left unanswered by a leader that lost its leadership fail after
     * {@link #inflightGrace()} (default true; off, they wait for the command timeout). Tracking
     * in-flight commands costs a little per command.
     */
    public boolean failInflightOnLeaderChange() {
        return failInflightOnLeaderChange;
    }

    /** Whether per-command latency is recorded ({@code basalt.client.command.latency}; default true). */
    public boolean latencyMetrics() {
        return latencyMetrics;
    }

    public String username() {
        return username;
    }

    public char[] password() {
        return password == null ? null : password.clone();
    }

    public static final class Builder {
        private ReadFrom readFrom = ReadFrom.UPSTREAM;
        private Duration commandTimeout = Duration.ofSeconds(10);
        private Duration maxRetryTime = Duration.ofSeconds(5);
        private Duration minBackoff = Duration.ofMillis(10);
        private Duration maxBackoff = Duration.ofMillis(100);
        private int maxPendingRetries = 10_000;
        private Duration inflightGrace = Duration.ofMillis(100);
        private Duration zkConnectTimeout = Duration.ofSeconds(15);
        private Duration zkSessionTimeout = Duration.ofSeconds(30);
        private MeterRegistry meterRegistry;
        private boolean latencyMetrics = true;
        private boolean failInflightOnLeaderChange = true;
        private String username;
        private char[] password;

        private Builder() {}

        public Builder readFrom(ReadFrom v) {
            this.readFrom = Objects.requireNonNull(v);
            return this;
        }

        public Builder commandTimeout(Duration v) {
            this.commandTimeout = positive(v);
            return this;
        }

        public Builder maxRetryTime(Duration v) {
            this.maxRetryTime = Objects.requireNonNull(v);
            return this;
        }

        public Builder backoff(Duration min, Duration max) {
            this.minBackoff = positive(min);
            this.maxBackoff = positive(max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max backoff below min backoff");
            }
            return this;
        }

        public Builder maxPendingRetries(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("maxPendingRetries < 0");
            }
            this.maxPendingRetries = v;
            return this;
        }

        public Builder inflightGrace(Duration v) {
            this.inflightGrace = Objects.requireNonNull(v);
            return this;
        }

        public Builder zkConnectTimeout(Duration v) {
            this.zkConnectTimeout = positive(v);
            return this;
        }

        public Builder zkSessionTimeout(Duration v) {
            this.zkSessionTimeout = positive(v);
            return this;
        }

        public Builder meterRegistry(MeterRegistry v) {
            this.meterRegistry = v;
            return this;
        }

        public Builder failInflightOnLeaderChange(boolean v) {
            this.failInflightOnLeaderChange = v;
            return this;
        }

        public Builder latencyMetrics(boolean v) {
            this.latencyMetrics = v;
            return this;
        }

        /** Credentials for servers with {@code requirepass} / ACL users (username may be null). */
        public Builder credentials(String username, char[] password) {
            this.username = username;
            this.password = password == null ? null : password.clone();
            return this;
        }

        public BasaltClientOptions build() {
            return new BasaltClientOptions(this);
        }

        private static Duration positive(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + d);
            }
            return d;
        }
    }
}
