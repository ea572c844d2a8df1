package io.basalt.client;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster map as the SDK holds it: read from ZooKeeper and kept current by Curator watches
 * ({@link ClusterStore#watch}), never replaced by an older one — not by an older epoch, and within
 * an epoch a group's leader only by one elected in a higher Raft term. While ZooKeeper is
 * unreachable the last map stays in force ({@link #connected()} tells the client to fall back to
 * asking the servers).
 */
final class ZkTopology implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZkTopology.class);

    private final CuratorFramework curator;
    private final ClusterStore store;
    private final List<Consumer<ClusterMap>> listeners = new CopyOnWriteArrayList<>();
    private volatile ClusterMap current;
    private volatile boolean connected;
    private AutoCloseable watch;

    ZkTopology(String zkConnect, String cluster, BasaltClientOptions options) {
        this.curator = CuratorFrameworkFactory.builder()
                .connectString(zkConnect)
                .sessionTimeoutMs((int) options.zkSessionTimeout().toMillis())
                .connectionTimeoutMs((int) Math.min(options.zkConnectTimeout().toMillis(), 15_000))
                .retryPolicy(new ExponentialBackoffRetry(100, 3, 1_000))
                .build();
        this.store = new ClusterStore(curator, cluster);
    }

    /** Connects, reads the map and starts watching it; fails if ZooKeeper or the map is not there. */
    ClusterMap start(Duration timeout) throws Exception {
        curator.getConnectionStateListenable().addListener((c, state) -> {
            connected = state.isConnected();
            log.info("ZooKeeper connection {}", state);
        });
        curator.start();
        if (!curator.blockUntilConnected((int) timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new BasaltClientException("ZooKeeper not reachable within " + timeout.toMillis() + " ms");
        }
        connected = true;
        watch = store.watch(this::offer);
        if (current == null) {
            current = store.map(); // the watch's first read failed: once more, letting the error out
        }
        if (current.topology().ranges().isEmpty()) {
            log.warn("cluster {} has no slots assigned yet", store.root());
        }
        return current;
    }

    ClusterMap current() {
        return current;
    }

    boolean connected() {
        return connected && curator.getZookeeperClient().isConnected();
    }

    void addListener(Consumer<ClusterMap> l) {
        listeners.add(l);
    }

    /** Takes {@code next} unless it is older than the map held; tells the listeners. */
    boolean offer(ClusterMap next) {
        ClusterMap merged;
        synchronized (this) {
            merged = merge(current, next);
            if (merged == null) {
                return false;
            }
            current = merged;
        }
        for (Consumer<ClusterMap> l : listeners) {
            try {
                l.accept(merged);
            } catch (RuntimeException e) {
                log.warn("cluster map listener failed", e);
            }
        }
        return true;
    }

    /**
     * {@code next} as it may replace {@code prev}: null if it is older (lower epoch) or the same;
     * a group whose leader record went back in Raft term (a stale read) keeps the newer leader.
     */
    static ClusterMap merge(ClusterMap prev, ClusterMap next) {
        if (prev == null) {
            return next;
        }
        if (next.epoch() < prev.epoch()) {
            return null;
        }
        Map<String, Group> groups = new LinkedHashMap<>(next.groups());
        for (Map.Entry<String, Group> e : next.groups().entrySet()) {
            Group old = prev.groups().get(e.getKey());
            Group g = e.getValue();
            if (old != null && old.leader() != null && old.leaderTerm() > g.leaderTerm() && g.member(old.leader()) != null) {
                groups.put(e.getKey(), g.withLeader(old.leader(), old.leaderTerm()));
            }
        }
        ClusterMap m = new ClusterMap(next.topology(), groups);
        return m.equals(prev) ? null : m;
    }

    @Override
    public void close() {
        try {
            if (watch != null) {
                watch.close();
            }
        } catch (Exception e) {
            log.debug("closing the watch", e);
        } finally {
            curator.close();
        }
    }
}
