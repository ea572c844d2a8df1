package io.basalt.routing.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The cluster map in ZooKeeper, laid out as docs/cluster.md describes (all under
 * {@code /basalt/<cluster>}): {@code topology} (epoch + slot ranges), {@code groups/<gid>} (replicas,
 * leader), {@code servers/<sid>} (ephemeral: a live server's addresses). Values are JSON.
 *
 * <p>Every write is a compare-and-set on the node's ZooKeeper version: the caller read a
 * {@link Versioned} value, derives the next one, and the write fails with {@link Conflict} if anyone
 * wrote in between — never a blind overwrite. A topology write must also raise the epoch.
 */
public final class ClusterStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** A value as read, with the ZooKeeper version a compare-and-set must name ({@code -1}: absent). */
    public record Versioned<T>(T value, int version) {}

    /** A live server as it announces itself. */
    public record ServerInfo(String id, String host, int respPort, int raftPort, List<String> groups) {
        public ServerInfo {
            groups = List.copyOf(groups);
        }
    }

    /** Someone else wrote first (or the epoch did not grow): re-read and decide again. */
    public static final class Conflict extends Exception {
        public Conflict(String message) {
            super(message);
        }
    }

    private final CuratorFramework zk;
    private final String root;

    public ClusterStore(CuratorFramework zk, String cluster) {
        if (cluster == null || !cluster.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("cluster name must be 1 to 64 characters of A-Z a-z 0-9 _ . -");
        }
        this.zk = zk;
        this.root = "/basalt/" + cluster;
    }

    public String root() {
        return root;
    }

    public String topologyPath() {
        return root + "/topology";
    }

    public String groupsPath() {
        return root + "/groups";
    }

    public String serversPath() {
        return root + "/servers";
    }

    // ---- reads -----------------------------------------------------------------------------

    public Versioned<Topology> topology() throws Exception {
        return read(topologyPath(), Topology.class);
    }

    public Versioned<Group> group(String id) throws Exception {
        return read(groupsPath() + "/" + id, Group.class);
    }

    /** The whole map: topology and every group (a group whose record vanished meanwhile is skipped). */
    public ClusterMap map() throws Exception {
        Versioned<Topology> t = topology();
        Map<String, Group> groups = new LinkedHashMap<>();
        for (String id : children(groupsPath())) {
            Versioned<Group> g = group(id);
            if (g.value() != null) {
                groups.put(id, g.value());
            }
        }
        return new ClusterMap(t.value() == null ? Topology.empty() : t.value(), groups);
    }

    public List<ServerInfo> servers() throws Exception {
        List<ServerInfo> out = new ArrayList<>();
        for (String id : children(serversPath())) {
            Versioned<ServerInfo> s = read(serversPath() + "/" + id, ServerInfo.class);
            if (s.value() != null) {
                out.add(s.value());
            }
        }
        return out;
    }

    // ---- compare-and-set writes --------------------------------------------------------------

    /**
     * Writes {@code next} if the topology is still as {@code read} saw it and {@code next} raises the
     * epoch; returns the new ZooKeeper version.
     */
    public int setTopology(Topology next, Versioned<Topology> read) throws Exception {
        if (read.value() != null && next.epoch() <= read.value().epoch()) {
            throw new Conflict("epoch " + next.epoch() + " does not raise " + read.value().epoch());
        }
        return write(topologyPath(), next, read.version());
    }

    /** Writes a group's record if it is still at {@code expectedVersion} ({@code -1}: create it). */
    public int setGroup(Group next, int expectedVersion) throws Exception {
        return write(groupsPath() + "/" + next.id(), next, expectedVersion);
    }

    /** Announces a live server: an ephemeral node that vanishes with this ZooKeeper session. */
    public void register(ServerInfo info) throws Exception {
        String path = serversPath() + "/" + info.id();
        try {
            zk.delete().forPath(path); // a previous session of ours that ZooKeeper has not expired yet
        } catch (KeeperException.NoNodeException e) {
            // fine
        }
        zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                .forPath(path, JSON.writeValueAsBytes(info));
    }

    /** Updates this session's announcement in place (e.g. the server joined a group); creates it if absent. */
    public void announce(ServerInfo info) throws Exception {
        String path = serversPath() + "/" + info.id();
        try {
            zk.setData().forPath(path, JSON.writeValueAsBytes(info));
        } catch (KeeperException.NoNodeException e) {
            register(info);
        }
    }

    // ---- watching ----------------------------------------------------------------------------

    /**
     * Calls {@code listener} with the current map and again after every change of the topology or
     * of a group, never with an older epoch than one already delivered. Close the result to stop.
     */
    public AutoCloseable watch(Consumer<ClusterMap> listener) {
        AtomicReference<ClusterMap> last = new AtomicReference<>();
        CuratorCache cache = CuratorCache.build(zk, root);
        Runnable refresh = () -> {
            try {
                ClusterMap m = map();
                synchronized (last) {
                    ClusterMap prev = last.get();
                    if (prev != null && (m.epoch() < prev.epoch() || m.equals(prev))) {
                        return;
                    }
                    last.set(m);
                    listener.accept(m);
                }
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(ClusterStore.class).warn("reading the cluster map failed", e);
            }
        };
        cache.listenable().addListener((type, oldData, data) -> {
            String path = data != null ? data.getPath() : oldData != null ? oldData.getPath() : "";
            if (path.startsWith(topologyPath()) || path.startsWith(groupsPath())) {
                refresh.run();
            }
        });
        cache.start();
        refresh.run();
        return cache::close;
    }

    // ---- helpers -----------------------------------------------------------------------------

    private <T> Versioned<T> read(String path, Class<T> type) throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = zk.getData().storingStatIn(stat).forPath(path);
            return new Versioned<>(data == null || data.length == 0 ? null : JSON.readValue(data, type), stat.getVersion());
        } catch (KeeperException.NoNodeException e) {
            return new Versioned<>(null, -1);
        }
    }

    private List<String> children(String path) throws Exception {
        try {
            List<String> c = new ArrayList<>(zk.getChildren().forPath(path));
            c.sort(null);
            return c;
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    private int write(String path, Object value, int expectedVersion) throws Exception {
        byte[] data = JSON.writeValueAsBytes(value);
        try {
            if (expectedVersion < 0) {
                zk.create().creatingParentContainersIfNeeded().forPath(path, data);
                return 0;
            }
            return zk.setData().withVersion(expectedVersion).forPath(path, data).getVersion();
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException e) {
            throw new Conflict(path + " changed since it was read");
        } catch (KeeperException.NoNodeException e) {
            throw new Conflict(path + " vanished since it was read");
        }
    }
}
