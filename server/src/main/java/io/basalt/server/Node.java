package io.basalt.server;

import io.basalt.routing.commands.CommandTable;
import io.basalt.server.commands.Families;
import io.basalt.server.config.ServerConfig;
import io.basalt.server.dispatch.ClientRegistry;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.dispatch.ServerStats;
import io.basalt.server.dispatch.SlowLog;
import io.basalt.server.storage.engine.EngineOptions;
import io.basalt.server.storage.types.Store;
import io.basalt.server.write.Applier;
import io.basalt.server.write.ExpirySweeper;
import io.basalt.server.write.LocalWritePath;
import io.basalt.server.write.WritePath;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Everything one server process shares between connections: settings, storage, the write path, the
 * command registry, clients and statistics. Standalone it is a group of one that owns all slots.
 */
public final class Node implements AutoCloseable {
    private final ServerConfig config;
    private final Store store;
    private final CommandRegistry registry;
    private final Applier applier;
    private final WritePath writePath;
    private final ClientRegistry clients = new ClientRegistry();
    private final ServerStats stats = new ServerStats();
    private final SlowLog slowLog = new SlowLog();
    private final io.basalt.server.metrics.LatencyStages latency = new io.basalt.server.metrics.LatencyStages();
    private final io.basalt.server.commands.ScanCursors scanCursors = new io.basalt.server.commands.ScanCursors();
    private final LongSupplier clock;
    private final long startMs;
    private final String runId;
    private final ScheduledExecutorService timers;
    private final ExpirySweeper sweeper;
    private final io.basalt.server.net.BlockedClients blockedClients = new io.basalt.server.net.BlockedClients();
    private final io.basalt.server.dispatch.Watches watches = new io.basalt.server.dispatch.Watches();
    private final io.basalt.server.scripting.LuaScripts scripts;
    private final io.basalt.server.net.PubSub pubsub = new io.basalt.server.net.PubSub();
    private final io.basalt.server.storage.types.Collector collector;
    private final ScheduledExecutorService collectorThread;
    private volatile Runnable shutdownHook = () -> {};
    private final io.basalt.server.cluster.ClusterState cluster;
    private volatile io.basalt.server.cluster.ClusterAgent clusterAgent;
    private final io.basalt.server.cluster.ClusterBus clusterBus;

    public Node(ServerConfig config) {
        this(config, System::currentTimeMillis);
    }

    public Node(ServerConfig config, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        this.startMs = clock.getAsLong();
        latency.enable("yes".equals(config.get("latency-stages")));
        config.onChange("latency-stages", v -> latency.enable("yes".equals(v)));
        this.runId = randomHex(40);
        boolean staticGroup = !config.get("raft-peers").isEmpty();
        boolean spare = !staticGroup && !config.get("cluster-zk").isEmpty();
        if (spare && config.get("raft-id").isEmpty()) {
            throw new IllegalArgumentException("a cluster server needs an id (--id): it is named by it in the cluster map");
        }
        EngineOptions eo = new EngineOptions(
                config.getLong("rocksdb-block-cache-size"),
                config.getLong("rocksdb-write-buffer-size"),
                config.getLong("rocksdb-min-blob-size"),
                !staticGroup && !spare); // replicated: the Raft log is the WAL
        this.store = new Store(Path.of(config.get("dir")), eo);
        this.registry = Families.registry();
        registry.verify(CommandTable.get());
        this.applier = new Applier(store, registry, () -> config.getLong("proto-max-bulk-len"),
                () -> io.basalt.server.storage.types.Encodings.of(config));
        applier.addListener(blockedClients);
        applier.attach(this, watches);
        io.basalt.server.net.Notifications notifications = new io.basalt.server.net.Notifications(pubsub);
        notifications.configure(config.get("notify-keyspace-events"));
        config.onChange("notify-keyspace-events", notifications::configure);
        applier.addListener(notifications);
        this.scripts = new io.basalt.server.scripting.LuaScripts(() -> config.getLong("busy-reply-threshold"));
        this.cluster = new io.basalt.server.cluster.ClusterState(
                config.get("raft-id").isEmpty() ? "standalone" : config.get("raft-id"),
                spare ? null : config.get("raft-group"));
        this.clusterBus = new io.basalt.server.cluster.ClusterBus(cluster);
        if (staticGroup) {
            try {
                this.writePath = new io.basalt.server.raft.RaftWritePath(raftSettings(config.get("raft-group"),
                        io.basalt.server.raft.RaftSettings.parsePeers(config.get("raft-peers"))),
                        Path.of(config.get("dir"), "raft"), store, applier, clock, () -> config.getInt("apply-max-batch"),
                        false, latency);
            } catch (java.io.IOException e) {
                store.close();
                throw new java.io.UncheckedIOException("cannot start the Raft server", e);
            }
        } else if (spare) {
            this.writePath = new io.basalt.server.cluster.GroupWritePath();
        } else {
            this.writePath = new LocalWritePath(applier, () -> config.getInt("apply-max-batch"),
                    () -> "always".equals(config.get("appendfsync")), latency);
        }
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "basalt-timers");
            t.setDaemon(true);
            return t;
        });
        timers.scheduleAtFixedRate(() -> {
            if ("everysec".equals(config.get("appendfsync"))) {
                store.engine().syncWal();
            }
        }, 1, 1, TimeUnit.SECONDS);
        timers.scheduleAtFixedRate(() -> stats.sample(clock.getAsLong()), 1000, 1000, TimeUnit.MILLISECONDS);
        this.sweeper = new ExpirySweeper(store, writePath, clock, stats);
        long periodMs = 1000L / config.getInt("hz");
        timers.scheduleWithFixedDelay(sweeper::sweepOnce, periodMs, periodMs, TimeUnit.MILLISECONDS);
        long sessionIdleMs = config.getLong("session-idle-timeout") * 1000;
        if (sessionIdleMs > 0) {
            long every = Math.max(100, Math.min(60_000, sessionIdleMs / 2));
            timers.scheduleWithFixedDelay(() -> sweeper.sweepSessions(sessionIdleMs), every, every, TimeUnit.MILLISECONDS);
        }
        this.collector = new io.basalt.server.storage.types.Collector(store);
        this.collectorThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "basalt-collector");
            t.setDaemon(true);
            return t;
        });
        collectorThread.scheduleWithFixedDelay(() -> {
            try {
                while (collector.collectOnce(256) == 256 && !Thread.currentThread().isInterrupted()) {
                    // keep going while there is a backlog
                }
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Node.class).warn("garbage collection pass failed", e);
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** The cluster map this server serves (cluster mode), or a disabled state. */
    public io.basalt.server.cluster.ClusterState cluster() {
        return cluster;
    }

    /** Forwards PUBLISH to the cluster's other servers (idle outside cluster mode). */
    public io.basalt.server.cluster.ClusterBus clusterBus() {
        return clusterBus;
    }

    public io.basalt.server.net.PubSub pubsub() {
        return pubsub;
    }

    public io.basalt.server.scripting.LuaScripts scripts() {
        return scripts;
    }

    public io.basalt.server.dispatch.Watches watches() {
        return watches;
    }

    public io.basalt.server.net.BlockedClients blockedClients() {
        return blockedClients;
    }

    public io.basalt.server.storage.types.Collector collector() {
        return collector;
    }

    private static String randomHex(int n) {
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit(r.nextInt(16), 16));
        }
        return sb.toString();
    }

    public ServerConfig config() {
        return config;
    }

    public Store store() {
        return store;
    }

    public CommandRegistry registry() {
        return registry;
    }

    public CommandTable table() {
        return CommandTable.get();
    }

    public Applier applier() {
        return applier;
    }

    public WritePath writePath() {
        return writePath;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public ServerStats stats() {
        return stats;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    /** Per-stage latency histograms ({@code latency-stages}, {@code BASALT LATENCY}). */
    public io.basalt.server.metrics.LatencyStages latency() {
        return latency;
    }

    public io.basalt.server.commands.ScanCursors scanCursors() {
        return scanCursors;
    }

    public LongSupplier clock() {
        return clock;
    }

    public long startMs() {
        return startMs;
    }

    public String runId() {
        return runId;
    }

    public ScheduledExecutorService timers() {
        return timers;
    }

    /** What SHUTDOWN calls: the process's orderly stop. */
    public void onShutdown(Runnable hook) {
        shutdownHook = hook;
    }

    public void requestShutdown() {
        shutdownHook.run();
    }

    private io.basalt.server.raft.RaftSettings raftSettings(String group, java.util.List<io.basalt.server.raft.RaftSettings.Peer> peers) {
        return new io.basalt.server.raft.RaftSettings(config.get("raft-id"), group, peers,
                config.getLong("raft-election-min-ms"), config.getLong("raft-election-max-ms"),
                "yes".equals(config.get("raft-leader-lease")), "yes".equals(config.get("raft-unsafe-flush")),
                config.getLong("raft-snapshot-entries"), config.getLong("raft-log-segment-bytes"),
                (int) config.getLong("raft-inflight-batches"));
    }

    /** The link to the cluster map in ZooKeeper, or {@code null} outside cluster mode. */
    public io.basalt.server.cluster.ClusterAgent clusterAgent() {
        return clusterAgent;
    }

    /** The group's Raft write path (static or joined from the cluster map), or {@code null}. */
    public io.basalt.server.raft.RaftWritePath raft() {
        if (writePath instanceof io.basalt.server.raft.RaftWritePath r) {
            return r;
        }
        return writePath instanceof io.basalt.server.cluster.GroupWritePath g ? g.raft() : null;
    }

    /** Where a cluster server remembers the group it joined, so a restart rejoins without ZooKeeper. */
    private Path placementFile() {
        return Path.of(config.get("dir"), "cluster-group");
    }

    /**
     * Makes this spare a replica of {@code group}: remembers the group (durably, first), then starts
     * its Raft server. The founding members of a new group start with the record's members as the
     * initial configuration and elect a leader; a member {@code joining} a running group starts
     * with an empty one and is caught up by the leader once the coordinator adds it.
     */
    private synchronized void place(io.basalt.routing.cluster.ClusterMap.Group group, boolean joining) throws java.io.IOException {
        io.basalt.server.cluster.GroupWritePath g = (io.basalt.server.cluster.GroupWritePath) writePath;
        if (g.raft() != null) {
            return;
        }
        java.util.List<io.basalt.server.raft.RaftSettings.Peer> peers = new java.util.ArrayList<>();
        for (io.basalt.routing.cluster.ClusterMap.Member m : group.members()) {
            peers.add(new io.basalt.server.raft.RaftSettings.Peer(m.serverId(), m.host(), m.raftPort(), m.respPort(), m.learner()));
        }
        StringBuilder spec = new StringBuilder(group.id()).append('\n');
        for (io.basalt.server.raft.RaftSettings.Peer p : peers) {
            spec.append(p.id()).append('=').append(p.host()).append(':').append(p.raftPort()).append(':').append(p.respPort())
                    .append(p.learner() ? ":learner" : "").append(',');
        }
        spec.append('\n').append(joining ? "joining" : "founding").append('\n');
        Path tmp = placementFile().resolveSibling("cluster-group.tmp");
        java.nio.file.Files.writeString(tmp, spec.toString());
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        java.nio.file.Files.move(tmp, placementFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        g.set(new io.basalt.server.raft.RaftWritePath(raftSettings(group.id(), peers), Path.of(config.get("dir"), "raft"),
                store, applier, clock, () -> config.getInt("apply-max-batch"), joining, latency));
    }

    /**
     * This replica leaves its group for good (BASALT RAFT LEAVE, sent by the coordinator once the
     * group record and the group's Raft configuration both exclude it): its Raft server stops, its
     * log and all its data are deleted, and it announces itself as a spare again. Refused while the
     * map this server holds still names it in its group.
     */
    public synchronized void leaveGroup() throws java.io.IOException {
        if (!(writePath instanceof io.basalt.server.cluster.GroupWritePath g) || g.raft() == null) {
            throw new IllegalStateException("this server is in no group it joined from the cluster map");
        }
        String gid = cluster.groupId();
        io.basalt.routing.cluster.ClusterMap m = cluster.map();
        io.basalt.routing.cluster.ClusterMap.Group rec = m == null ? null : m.groups().get(gid);
        if (rec == null || rec.member(cluster.serverId()) != null) {
            throw new IllegalStateException("the group record of " + gid + " still names this server (or is unknown here)");
        }
        java.util.Map<String, String> members = g.raft().members();
        if (members.containsKey(cluster.serverId()) && g.raft().acceptsWrites()) {
            throw new IllegalStateException("this server still leads " + gid + ": remove it from the Raft configuration first");
        }
        g.detach();
        java.nio.file.Files.deleteIfExists(placementFile());
        deleteTree(Path.of(config.get("dir"), "raft"));
        store.clear();
        cluster.joined(null);
        io.basalt.server.cluster.ClusterAgent agent = clusterAgent;
        if (agent != null) {
            agent.reannounce();
        }
        org.slf4j.LoggerFactory.getLogger(Node.class).info("left group {}: data deleted, a spare again", gid);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    /** A cluster server restarted after joining a group rejoins it at once (from its own record of it). */
    private void rejoinRemembered() {
        if (!(writePath instanceof io.basalt.server.cluster.GroupWritePath) || !java.nio.file.Files.exists(placementFile())) {
            return;
        }
        try {
            String[] lines = java.nio.file.Files.readString(placementFile()).split("\n");
            java.util.List<io.basalt.routing.cluster.ClusterMap.Member> members = new java.util.ArrayList<>();
            for (io.basalt.server.raft.RaftSettings.Peer p : io.basalt.server.raft.RaftSettings.parsePeers(lines[1])) {
                members.add(new io.basalt.routing.cluster.ClusterMap.Member(p.id(), p.host(), p.raftPort(), p.respPort(), p.learner()));
            }
            place(new io.basalt.routing.cluster.ClusterMap.Group(lines[0], members, null, 0),
                    lines.length > 2 && lines[2].equals("joining"));
            cluster.joined(lines[0]);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("cannot rejoin the group remembered in " + placementFile() + ": " + e, e);
        }
    }

    /**
     * Joins the cluster map in ZooKeeper when {@code cluster-zk} is set: called once the RESP port is
     * bound, since the announcement carries it. A server started with {@code --peers} announces its
     * static group; one started with only {@code --id} is a spare until a group record names it.
     */
    public void joinCluster(int respPort) {
        String zk = config.get("cluster-zk");
        if (zk.isEmpty()) {
            return;
        }
        String host;
        int raftPort;
        if (writePath instanceof io.basalt.server.raft.RaftWritePath raft) {
            host = raft.self().host();
            raftPort = raft.self().raftPort();
        } else {
            host = config.get("cluster-announce-ip").isEmpty() ? announceHost(config.get("bind")) : config.get("cluster-announce-ip");
            raftPort = config.getInt("raft-port") == 0 ? respPort + 100 : config.getInt("raft-port");
            rejoinRemembered();
        }
        String h = host;
        int rp = raftPort;
        clusterAgent = new io.basalt.server.cluster.ClusterAgent(zk, config.get("cluster-name"), cluster,
                new io.basalt.server.cluster.ClusterAgent.Placement() {
                    @Override
                    public void place(io.basalt.routing.cluster.ClusterMap.Group group) throws Exception {
                        // a group that has had a leader is running: this server is being added to it
                        Node.this.place(group, group.leader() != null);
                    }

                    @Override
                    public io.basalt.server.raft.RaftWritePath raft() {
                        return Node.this.raft();
                    }
                },
                () -> io.basalt.server.cluster.ClusterAgent.info(cluster.serverId(), h, respPort, rp, cluster.groupId()),
                config.getLong("cluster-report-ms"), config.getInt("cluster-zk-session-ms"));
    }

    private static String announceHost(String bind) {
        String first = bind.trim().split("\\s+")[0];
        if (first.equals("0.0.0.0") || first.equals("::") || first.equals("*") || first.isEmpty()) {
            try {
                return java.net.InetAddress.getLocalHost().getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return "127.0.0.1";
            }
        }
        return first;
    }

    @Override
    public void close() {
        io.basalt.server.cluster.ClusterAgent agent = clusterAgent;
        if (agent != null) {
            agent.close();
        }
        clusterBus.close();
        scripts.abort(); // a running script is stopped and rolled back, never half-applied
        collectorThread.shutdownNow();
        try {
            collectorThread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        writePath.close();
        store.close();
    }
}
