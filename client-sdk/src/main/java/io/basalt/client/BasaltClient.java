package io.basalt.client;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.slots.SlotHash;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.AskRedirectionEvent;
import io.lettuce.core.cluster.event.MovedRedirectionEvent;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import reactor.core.Disposable;

/**
 * The Basalt Java SDK: Lettuce's cluster API, with the topology pushed from ZooKeeper and
 * Basalt's failover handling.
 *
 * <pre>{@code
 * try (BasaltClient client = BasaltClient.create("zk1:2181,zk2:2181", "prod")) {
 *     StatefulRedisClusterConnection<String, String> conn = client.connect();
 *     conn.sync().set("greeting", "hello");
 * }
 * }</pre>
 *
 * <p>{@link #connect()} returns Lettuce's {@link StatefulRedisClusterConnection}: {@code sync()},
 * {@code async()}, {@code reactive()}, {@code setReadFrom}, {@code setAutoFlushCommands} /
 * {@code flushCommands} work as with a stock {@code RedisClusterClient}, whose machinery this is
 * ({@link #lettuce()}): the partitions are the ZooKeeper map (group leaders as masters, the other
 * members as replicas), re-applied on every change of the map, never an older one. See
 * client-sdk/README.md.
 */
public final class BasaltClient implements AutoCloseable {
    private final String clusterName;
    private final BasaltClientOptions options;
    private final ZkTopology zk;
    private final BasaltMetrics metrics;
    private final ClientResources resources;
    private final BasaltClusterClient lettuce;
    private final Set<BasaltClusterConnection<?, ?>> connections = ConcurrentHashMap.newKeySet();
    private final Disposable events;
    private volatile RedisClient standalone;
    private volatile boolean closed;

    private BasaltClient(String zkConnect, String clusterName, BasaltClientOptions options) {
        this.clusterName = clusterName;
        this.options = options;
        MeterRegistry registry = options.meterRegistry() != null ? options.meterRegistry() : new SimpleMeterRegistry();
        this.metrics = new BasaltMetrics(registry, options.latencyMetrics());
        this.zk = new ZkTopology(zkConnect, clusterName, options);
        ClusterMap first;
        try {
            first = zk.start(options.zkConnectTimeout());
        } catch (Exception e) {
            zk.close();
            throw e instanceof BasaltClientException b ? b
                    : new BasaltClientException("cannot read the map of cluster " + clusterName + " from ZooKeeper " + zkConnect, e);
        }
        if (first.groups().isEmpty()) {
            zk.close();
            throw new BasaltClientException("cluster " + clusterName + " has no groups in ZooKeeper " + zkConnect);
        }
        metrics.epoch.set(first.epoch());
        // per-command latency is the SDK's own timer (end to end, retries included; cheaper than
        // Lettuce's per-node recorder, which stays off as in a default Lettuce client)
        this.resources = DefaultClientResources.builder()
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        this.lettuce = new BasaltClusterClient(resources, Topologies.seeds(first, options), this);
        lettuce.setOptions(ClusterClientOptions.builder()
                // no periodic polling: the map is pushed from ZooKeeper; the adaptive triggers
                // re-apply it (or, with ZooKeeper away, ask the servers) when Lettuce sees a hint
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAdaptiveRefreshTrigger(RefreshTrigger.MOVED_REDIRECT, RefreshTrigger.ASK_REDIRECT,
                                RefreshTrigger.PERSISTENT_RECONNECTS, RefreshTrigger.UNCOVERED_SLOT, RefreshTrigger.UNKNOWN_NODE)
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(100))
                        .refreshTriggersReconnectAttempts(3)
                        .build())
                // a command for a disconnected node fails at once (and is retried by the SDK,
                // bounded), instead of waiting in an unbounded buffer
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .maxRedirects(5)
                .validateClusterNodeMembership(false)
                .build());
        this.events = resources.eventBus().get().subscribe(e -> {
            if (e instanceof MovedRedirectionEvent) {
                metrics.redirect("moved");
            } else if (e instanceof AskRedirectionEvent) {
                metrics.redirect("ask");
            }
        });
        zk.addListener(this::onMap);
    }

    /** A client for cluster {@code clusterName} whose map is in ZooKeeper at {@code zkConnect}. */
    public static BasaltClient create(String zkConnect, String clusterName) {
        return create(zkConnect, clusterName, BasaltClientOptions.defaults());
    }

    public static BasaltClient create(String zkConnect, String clusterName, BasaltClientOptions options) {
        return new BasaltClient(zkConnect, clusterName, options);
    }

    /** A new connection with String keys and values (thread-safe; one is enough for most applications). */
    public StatefulRedisClusterConnection<String, String> connect() {
        return connect(StringCodec.UTF8);
    }

    public <K, V> StatefulRedisClusterConnection<K, V> connect(RedisCodec<K, V> codec) {
        StatefulRedisClusterConnection<K, V> c = lettuce.connect(codec);
        c.setReadFrom(options.readFrom());
        c.setTimeout(options.commandTimeout());
        if (c instanceof BasaltClusterConnection<K, V> b) {
            b.warmUp(zk.current());
        }
        return c;
    }

    /** Pub/sub over the cluster (Lettuce's cluster pub/sub connection; PUBLISH reaches every server). */
    public StatefulRedisClusterPubSubConnection<String, String> connectPubSub() {
        return lettuce.connectPubSub();
    }

    /**
     * A dedicated connection to the leader of the group owning {@code routingKey}, for MULTI/EXEC
     * and WATCH (Lettuce's cluster API has no transactions). Every key a transaction touches must
     * belong to that group (use a hash tag); the server refuses other keys (MOVED → EXECABORT).
     * The caller closes it.
     */
    public <K, V> StatefulRedisConnection<K, V> connectToLeader(String routingKey, RedisCodec<K, V> codec) {
        Member leader = leaderFor(routingKey);
        return standalone().connect(codec, Topologies.uri(leader.host(), leader.respPort(), options));
    }

    /**
     * Runs {@code body} inside MULTI … EXEC on the leader owning {@code routingKey}; returns EXEC's
     * result ({@link TransactionResult#wasDiscarded()} if a WATCH failed).
     */
    public TransactionResult transaction(String routingKey, Consumer<RedisCommands<String, String>> body) {
        try (StatefulRedisConnection<String, String> c = connectToLeader(routingKey, StringCodec.UTF8)) {
            RedisCommands<String, String> tx = c.sync();
            tx.multi();
            try {
                body.accept(tx);
            } catch (RuntimeException e) {
                tx.discard();
                throw e;
            }
            return tx.exec();
        }
    }

    private Member leaderFor(String key) {
        long deadline = System.nanoTime() + options.maxRetryTime().toNanos();
        int slot = SlotHash.slot(key.getBytes(StandardCharsets.UTF_8));
        while (true) {
            ClusterMap map = zk.current();
            Group g = map.ownerOf(slot);
            if (g == null) {
                throw new BasaltClientException("slot " + slot + " of key " + key + " is not assigned to any group");
            }
            Member leader = g.leaderMember();
            if (leader != null) {
                return leader;
            }
            if (System.nanoTime() > deadline) {
                throw new BasaltClientException("group " + g.id() + " has no leader");
            }
            try {
                Thread.sleep(options.minBackoff().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BasaltClientException("interrupted", e);
            }
        }
    }

    private RedisClient standalone() {
        RedisClient s = standalone;
        if (s == null) {
            synchronized (this) {
                s = standalone;
                if (s == null) {
                    s = RedisClient.create(resources);
                    standalone = s;
                }
            }
        }
        return s;
    }

    /** The cluster map in use. */
    public ClusterMap clusterMap() {
        return zk.current();
    }

    /** Whether the ZooKeeper session is connected (if not, the last map is in use). */
    public boolean zooKeeperConnected() {
        return zk.connected();
    }

    public String clusterName() {
        return clusterName;
    }

    /** The registry the SDK's meters are recorded in. */
    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /** The underlying Lettuce client (its partitions are the ZooKeeper map). */
    public io.lettuce.core.cluster.RedisClusterClient lettuce() {
        return lettuce;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            zk.close();
        } finally {
            events.dispose();
            RedisClient s = standalone;
            if (s != null) {
                s.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    // ---- for the package ------------------------------------------------------------------------

    private void onMap(ClusterMap map) {
        if (closed) {
            return;
        }
        lettuce.refreshPartitionsAsync().whenComplete((v, e) -> {
            for (BasaltClusterConnection<?, ?> c : connections) {
                c.mapChanged(map);
            }
        });
    }

    ZkTopology zk() {
        return zk;
    }

    BasaltMetrics metrics() {
        return metrics;
    }

    BasaltClientOptions options() {
        return options;
    }

    boolean closed() {
        return closed;
    }

    void register(BasaltClusterConnection<?, ?> c) {
        connections.add(c);
    }

    void unregister(BasaltClusterConnection<?, ?> c) {
        connections.remove(c);
    }
}
