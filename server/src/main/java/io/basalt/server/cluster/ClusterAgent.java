package io.basalt.server.cluster;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterStore;
import io.basalt.server.raft.RaftWritePath;
import io.basalt.server.write.WritePath;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * and, while this server leads its Raft group, reports itself as the group's leader — a
 * compare-and-set on the group record that only a higher Raft term wins, so clients learn a new
 * leader within a report period of its election and a deposed leader cannot undo that.
 */
public final class ClusterAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterAgent.class);

    private final CuratorFramework zk;
    private final ClusterStore store;
    private final ClusterState state;
    private final WritePath writePath;
    private final ClusterStore.ServerInfo self;
    private final ScheduledExecutorService timer;
    private final AutoCloseable watch;

    public ClusterAgent(String connect, String clusterName, ClusterState state, WritePath writePath,
            ClusterStore.ServerInfo self, long reportEveryMs) {
        this.state = state;
        this.writePath = writePath;
        this.self = self;
        this.zk = CuratorFrameworkFactory.builder().connectString(connect).sessionTimeoutMs(10_000)
                .connectionTimeoutMs(5_000).retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000)).build();
        this.store = new ClusterStore(zk, clusterName);
        zk.getConnectionStateListenable().addListener((client, s) -> {
            if (s == ConnectionState.RECONNECTED) {
                register(); // the ephemeral record died with the old session
            }
        });
        zk.start();
        register();
        this.watch = store.watch(m -> {
            if (state.update(m)) {
                log.debug("cluster map epoch {}", m.epoch());
            }
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "basalt-cluster");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::reportLeadership, reportEveryMs, reportEveryMs, TimeUnit.MILLISECONDS);
    }

    public ClusterStore store() {
        return store;
    }

    private void register() {
        try {
            store.register(self);
        } catch (Exception e) {
            log.warn("announcing this server in ZooKeeper failed (retried on reconnect): {}", e.toString());
        }
    }

    /** While this server leads its group, make the group record say so (higher term wins). */
    void reportLeadership() {
        if (!(writePath instanceof RaftWritePath raft) || !raft.acceptsWrites() || !zk.getZookeeperClient().isConnected()) {
            return;
        }
        try {
            long term = raft.term();
            ClusterStore.Versioned<ClusterMap.Group> g = store.group(state.groupId());
            ClusterMap.Group group = g.value();
            if (group == null || group.member(self.id()) == null) {
                return; // the coordinator has not created the group (with this server in it) yet
            }
            if (self.id().equals(group.leader()) && group.leaderTerm() >= term) {
                return;
            }
            if (group.leaderTerm() > term) {
                return; // a newer leader already reported: we are stale
            }
            store.setGroup(group.withLeader(self.id(), term), g.version());
            log.info("reported leadership of group {} (term {})", state.groupId(), term);
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

    /** The announcement of a server: id, hosts and ports, the groups it hosts. */
    public static ClusterStore.ServerInfo info(String id, String host, int respPort, int raftPort, String group) {
        return new ClusterStore.ServerInfo(id, host, respPort, raftPort, List.of(group));
    }
}
