package io.basalt.server.cluster;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterStore;
import io.basalt.server.raft.RaftWritePath;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's link to the cluster map in ZooKeeper ({@code cluster-zk}, {@code cluster-name}):
 * announces the server (an ephemeral record, re-created after a session loss), follows the map into
 * {@link ClusterState} (the server keeps serving from the last map it saw while ZooKeeper is away),
 * joins the Raft group whose record names it (a spare server waits for the coordinator to put it in
 * a group: creating a group, or replacing a dead replica, is writing the group record), and, while
 * this server leads its Raft group, reports itself as the group's leader — a compare-and-set on the
 * group record that only a higher Raft term wins, so clients learn a new leader within a report
 * period of its election and a deposed leader cannot undo that.
 */
public final class ClusterAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterAgent.class);

    /** How a spare server becomes a replica of a group (implemented by the node). */
    public interface Placement {
        /** Starts this server's replica of {@code group} with the record's members as its configuration. */
        void place(ClusterMap.Group group) throws Exception;

        /** The group's Raft write path once placed, else {@code null}. */
        RaftWritePath raft();
    }

    private final CuratorFramework zk;
    private final ClusterStore store;
    private final ClusterState state;
    private final Placement placement;
    private final Supplier<ClusterStore.ServerInfo> self;
    private final ScheduledExecutorService timer;
    private final AutoCloseable watch;

    public ClusterAgent(String connect, String clusterName, ClusterState state, Placement placement,
            Supplier<ClusterStore.ServerInfo> self, long reportEveryMs, int sessionTimeoutMs) {
        this.state = state;
        this.placement = placement;
        this.self = self;
        this.zk = CuratorFrameworkFactory.builder().connectString(connect).sessionTimeoutMs(sessionTimeoutMs)
                .connectionTimeoutMs(Math.min(5_000, sessionTimeoutMs)).retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000)).build();
        this.store = new ClusterStore(zk, clusterName);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "basalt-cluster");
            t.setDaemon(true);
            return t;
        });
        zk.getConnectionStateListenable().addListener((client, s) -> {
            if (s == ConnectionState.RECONNECTED) {
                timer.execute(this::register); // the ephemeral record may have died with the old session
            } else if (s == ConnectionState.LOST) {
                log.warn("ZooKeeper session lost: serving from the last cluster map (epoch {}) until it is back",
                        state.map() == null ? 0 : state.map().epoch());
            }
        });
        zk.start();
        register();
        this.watch = store.watch(m -> {
            if (state.update(m)) {
                log.debug("cluster map epoch {}", m.epoch());
                timer.execute(this::join);
            }
        });
        timer.scheduleWithFixedDelay(() -> {
            join();
            reportLeadership();
        }, reportEveryMs, reportEveryMs, TimeUnit.MILLISECONDS);
    }

    public ClusterStore store() {
        return store;
    }

    /** The ZooKeeper client (tests expire its session). */
    CuratorFramework curator() {
        return zk;
    }

    private void register() {
        try {
            store.register(self.get());
        } catch (Exception e) {
            log.warn("announcing this server in ZooKeeper failed (retried on reconnect): {}", e.toString());
        }
    }

    /** Publishes this server's current announcement (e.g. after leaving its group). */
    public void reannounce() {
        try {
            store.announce(self.get());
        } catch (Exception e) {
            log.warn("updating the announcement failed (retried on reconnect): {}", e.toString());
        }
    }

    /** A spare named by a group record joins that group (the first such record, by group id). */
    void join() {
        ClusterMap m = state.map();
        if (m == null || state.groupId() != null) {
            return;
        }
        String me = self.get().id();
        for (ClusterMap.Group g : m.groups().values().stream().sorted(java.util.Comparator.comparing(ClusterMap.Group::id)).toList()) {
            if (g.member(me) == null) {
                continue;
            }
            try {
                placement.place(g);
                state.joined(g.id());
                log.info("joined group {} as {} (members {})", g.id(), me, g.members().stream().map(ClusterMap.Member::serverId).toList());
                store.announce(self.get()); // now hosting the group
            } catch (Exception e) {
                log.warn("joining group {} failed (retried): {}", g.id(), e.toString());
            }
            return;
        }
    }

    /** While this server leads its group, make the group record say so (higher term wins). */
    void reportLeadership() {
        RaftWritePath raft = placement.raft();
        String gid = state.groupId();
        if (raft == null || gid == null || !raft.acceptsWrites() || !zk.getZookeeperClient().isConnected()) {
            return;
        }
        String me = self.get().id();
        try {
            long term = raft.term();
            ClusterStore.Versioned<ClusterMap.Group> g = store.group(gid);
            ClusterMap.Group group = g.value();
            if (group == null || group.member(me) == null) {
                return; // the coordinator has not created the group (with this server in it) yet
            }
            if (me.equals(group.leader()) && group.leaderTerm() >= term) {
                return;
            }
            if (group.leaderTerm() > term) {
                return; // a newer leader already reported: we are stale
            }
            store.setGroup(group.withLeader(me, term), g.version());
            log.info("reported leadership of group {} (term {})", gid, term);
        } catch (ClusterStore.Conflict e) {
            // someone wrote the record meanwhile: look again next period
        } catch (Exception e) {
            log.debug("leader report failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            watch.close();
        } catch (Exception e) {
            log.debug("closing the map watch", e);
        }
        zk.close();
    }

    /** The announcement of a server: id, hosts and ports, the groups it hosts (none: a spare). */
    public static ClusterStore.ServerInfo info(String id, String host, int respPort, int raftPort, String group) {
        return new ClusterStore.ServerInfo(id, host, respPort, raftPort, group == null ? List.of() : List.of(group));
    }
}
