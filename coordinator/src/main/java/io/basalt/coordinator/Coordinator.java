package io.basalt.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.cluster.ClusterMap.SlotRange;
import io.basalt.routing.cluster.ClusterMap.Topology;
import io.basalt.routing.cluster.ClusterStore;
import io.basalt.routing.cluster.ClusterStore.ServerInfo;
import io.basalt.routing.cluster.ClusterStore.Versioned;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster map's owner. Several may run; one leads (Curator LeaderLatch under
 * {@code /basalt/<cluster>/coordinator/leader}) and only the leader changes the map. Each change is
 * one compare-and-set of one ZooKeeper node, re-read and re-decided on conflict, so a request is
 * either fully done or not at all, and repeating it (e.g. against the next leader after a failover)
 * is harmless: creating a group that exists with the same members, or assigning slots a group
 * already owns, succeeds without writing.
 *
 * <p>Admin API (JSON over HTTP; docs/cluster.md has the full list): {@code GET /api/status},
 * {@code /api/groups}, {@code /api/slots}, {@code /api/servers}, {@code /api/stats}; {@code POST
 * /api/groups} {@code {"id":"g1","servers":["n1","n2","n3"]}} (spare servers named in a new group
 * record start the group); {@code POST /api/slots} {@code {"from":0,"to":16383,"group":"g1"}}
 * (unassigned slots only: moving owned slots is the migration issue's); {@code POST
 * /api/replicas/add|remove} {@code {"group","server"[,"learner"]}}; {@code POST /api/leader}
 * {@code {"group","server"}}. A follower coordinator answers changes with 409 and the leader's id.
 * Group membership in Raft follows the records through {@link Membership}, which also replaces
 * replicas that stay away too long.
 */
public final class Coordinator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String id;
    private final CuratorFramework zk;
    private final ClusterStore store;
    private final LeaderLatch latch;
    private final HttpServer http;
    private final Membership membership;
    private final java.util.concurrent.ScheduledExecutorService loop;

    /** Settings: how long a replica may be away before it is replaced (0: never), how often to look. */
    public record Options(long replaceAfterMs, long reconcileEveryMs, int zkSessionTimeoutMs) {
        public static Options defaults() {
            return new Options(120_000, 500, 10_000);
        }
    }

    public Coordinator(String zkConnect, String cluster, String host, int httpPort) throws Exception {
        this(zkConnect, cluster, host, httpPort, Options.defaults());
    }

    public Coordinator(String zkConnect, String cluster, String host, int httpPort, Options options) throws Exception {
        this.zk = CuratorFrameworkFactory.builder().connectString(zkConnect).sessionTimeoutMs(options.zkSessionTimeoutMs())
                .connectionTimeoutMs(Math.min(5_000, options.zkSessionTimeoutMs())).retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000)).build();
        zk.start();
        this.store = new ClusterStore(zk, cluster);
        this.http = HttpServer.create(new InetSocketAddress(host, httpPort), 64);
        this.id = host + ":" + http.getAddress().getPort();
        this.latch = new LeaderLatch(zk, store.root() + "/coordinator/leader", id);
        latch.start();
        http.createContext("/api/status", this::status);
        http.createContext("/api/stats", this::stats);
        http.createContext("/api/servers", this::servers);
        http.createContext("/", this::dashboard);
        http.createContext("/api/groups", ex -> change(ex, this::createGroup));
        http.createContext("/api/slots", ex -> change(ex, this::assignSlots));
        http.createContext("/api/replicas/add", ex -> change(ex, this::addReplica));
        http.createContext("/api/replicas/remove", ex -> change(ex, this::removeReplica));
        http.createContext("/api/leader", ex -> change(ex, this::transferLeader));
        this.membership = new Membership(store, options.replaceAfterMs(), System::currentTimeMillis);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coordinator-membership");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(() -> {
            try {
                if (latch.hasLeadership()) {
                    membership.tick();
                } else {
                    membership.reset();
                }
            } catch (Exception e) {
                log.debug("membership pass failed (retried): {}", e.toString());
            }
        }, options.reconcileEveryMs(), options.reconcileEveryMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
        http.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "coordinator-http");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        log.info("coordinator {} for cluster {} (ZooKeeper {})", id, cluster, zkConnect);
    }

    public String id() {
        return id;
    }

    public int httpPort() {
        return http.getAddress().getPort();
    }

    public boolean isLeader() {
        return latch.hasLeadership();
    }

    public ClusterStore store() {
        return store;
    }

    // ---- jobs (leader only) --------------------------------------------------------------------

    /** Thrown for a request the cluster's state refuses (HTTP 409/400 with this message). */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Creates a group from live servers; the same request again is a no-op. */
    Group createGroup(JsonNode req) throws Exception {
        String gid = text(req, "id");
        if (!gid.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new Refused(400, "group id must be 1 to 64 characters of A-Z a-z 0-9 _ . -");
        }
        JsonNode servers = req.get("servers");
        if (servers == null || !servers.isArray() || servers.isEmpty()) {
            throw new Refused(400, "servers: a non-empty list of server ids");
        }
        Map<String, ServerInfo> live = new HashMap<>();
        for (ServerInfo s : store.servers()) {
            live.put(s.id(), s);
        }
        List<Member> members = new ArrayList<>();
        for (JsonNode s : servers) {
            ServerInfo info = live.get(s.asText());
            if (info == null) {
                throw notRegistered(s.asText());
            }
            members.add(new Member(info.id(), info.host(), info.raftPort(), info.respPort(), false));
        }
        ClusterMap map = store.map();
        for (Member m : members) {
            refuseIfInAnotherGroup(map, gid, m.serverId());
        }
        return retryOnConflict(() -> {
            Versioned<Group> cur = store.group(gid);
            if (cur.value() != null) {
                if (ids(cur.value().members()).equals(ids(members))) {
                    return cur.value(); // done before (by us or a previous leader)
                }
                throw new Refused(409, "group " + gid + " exists with other members " + ids(cur.value().members()));
            }
            Group g = new Group(gid, members, null, 0);
            store.setGroup(g, -1);
            log.info("created group {} with {}", gid, ids(members));
            return g;
        });
    }

    /** Gives unassigned slots [from, to] to a group; slots it already owns are fine (idempotent). */
    Topology assignSlots(JsonNode req) throws Exception {
        int from = req.path("from").asInt(-1);
        int to = req.path("to").asInt(-1);
        String gid = text(req, "group");
        if (from < 0 || to > 16383 || from > to) {
            throw new Refused(400, "from/to: a slot range within 0..16383");
        }
        if (store.group(gid).value() == null) {
            throw new Refused(409, "no group " + gid);
        }
        return retryOnConflict(() -> {
            Versioned<Topology> cur = store.topology();
            Topology t = cur.value() == null ? Topology.empty() : cur.value();
            boolean change = false;
            for (int s = from; s <= to; s++) {
                String owner = t.ownerOf(s);
                if (owner == null) {
                    change = true;
                } else if (!owner.equals(gid)) {
                    throw new Refused(409, "slot " + s + " is owned by group " + owner
                            + " (moving slots between groups needs a migration)");
                }
            }
            if (!change) {
                return t;
            }
            Topology next = t.assign(from, to, gid);
            store.setTopology(next, cur);
            log.info("assigned slots {}-{} to {} (epoch {})", from, to, gid, next.epoch());
            return next;
        });
    }

    /**
     * Adds a replica to a group: a spare server (announced, in no group) is written into the group
     * record; it starts its replica on seeing that, and the membership loop adds it to the Raft
     * configuration once it runs (it catches up from the leader's log or a snapshot). Repeating
     * the request is a no-op.
     */
    Group addReplica(JsonNode req) throws Exception {
        String gid = text(req, "group");
        String sid = text(req, "server");
        boolean learner = req.path("learner").asBoolean(false);
        return retryOnConflict(() -> {
            ClusterMap map = store.map();
            Versioned<Group> cur = store.group(gid);
            Group g = cur.value();
            if (g == null) {
                throw new Refused(409, "no group " + gid);
            }
            Member existing = g.member(sid);
            if (existing != null && existing.learner() == learner) {
                return g;
            }
            ServerInfo info = null;
            for (ServerInfo s : store.servers()) {
                if (s.id().equals(sid)) {
                    info = s;
                }
            }
            if (existing == null) {
                if (info == null) {
                    throw notRegistered(sid);
                }
                refuseIfInAnotherGroup(map, gid, sid);
                if (!info.groups().isEmpty()) {
                    throw new Refused(409, "server " + sid + " still hosts " + info.groups() + ": start it with an empty data directory");
                }
            }
            List<Member> next = new ArrayList<>();
            for (Member m : g.members()) {
                if (!m.serverId().equals(sid)) {
                    next.add(m);
                }
            }
            next.add(existing != null ? new Member(sid, existing.host(), existing.raftPort(), existing.respPort(), learner)
                    : new Member(sid, info.host(), info.raftPort(), info.respPort(), learner));
            store.setGroup(g.withMembers(next), cur.version());
            log.info("group {}: {} {} as a {}", gid, existing == null ? "adding" : "changing", sid, learner ? "learner" : "voter");
            return g.withMembers(next);
        });
    }

    /**
     * Removes a replica from a group record; the membership loop then removes it from the Raft
     * configuration. The last voter cannot be removed. Removing a non-member is a no-op.
     */
    Group removeReplica(JsonNode req) throws Exception {
        String gid = text(req, "group");
        String sid = text(req, "server");
        return retryOnConflict(() -> {
            Versioned<Group> cur = store.group(gid);
            Group g = cur.value();
            if (g == null) {
                throw new Refused(409, "no group " + gid);
            }
            if (g.member(sid) == null) {
                return g;
            }
            List<Member> next = g.members().stream().filter(m -> !m.serverId().equals(sid)).toList();
            if (next.stream().noneMatch(m -> !m.learner())) {
                throw new Refused(409, "group " + gid + " would have no voting replica left");
            }
            store.setGroup(g.withMembers(next), cur.version());
            log.info("group {}: removing {}", gid, sid);
            return g.withMembers(next);
        });
    }

    /** Makes a voting replica the group's leader (through the current leader; Ratis's transfer). */
    Map<String, Object> transferLeader(JsonNode req) throws Exception {
        String gid = text(req, "group");
        String sid = text(req, "server");
        Group g = store.group(gid).value();
        if (g == null) {
            throw new Refused(409, "no group " + gid);
        }
        Member target = g.member(sid);
        if (target == null || target.learner()) {
            throw new Refused(409, "server " + sid + " is not a voting replica of group " + gid);
        }
        Member leader = g.leaderMember();
        if (leader == null) {
            throw new Refused(503, "group " + gid + " has no known leader right now: try again");
        }
        if (!sid.equals(leader.serverId())) {
            try {
                RespCall.call(leader.host(), leader.respPort(), 30_000, "BASALT", "RAFT", "TRANSFER", sid);
            } catch (RespCall.ErrorReply e) {
                throw new Refused(409, "transfer refused: " + e.getMessage());
            }
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("group", gid);
        out.put("leader", sid);
        return out;
    }

    /** One job's read-decide-write, repeated when another writer got in between (a few times at most). */
    private interface Attempt<T> {
        T run() throws Exception;
    }

    private static <T> T retryOnConflict(Attempt<T> attempt) throws Exception {
        for (int i = 0; ; i++) {
            try {
                return attempt.run();
            } catch (ClusterStore.Conflict e) {
                if (i >= 10) {
                    throw e;
                }
            }
        }
    }

    private static Refused notRegistered(String sid) {
        return new Refused(409, "server " + sid + " is not registered (not running, or not joined to this cluster)");
    }

    /** A server belongs to at most one group. */
    private static void refuseIfInAnotherGroup(ClusterMap map, String gid, String sid) throws Refused {
        for (Group other : map.groups().values()) {
            if (!other.id().equals(gid) && other.member(sid) != null) {
                throw new Refused(409, "server " + sid + " is already a replica of group " + other.id());
            }
        }
    }

    private static List<String> ids(List<Member> members) {
        return members.stream().map(Member::serverId).sorted().toList();
    }

    private static String text(JsonNode req, String field) throws Refused {
        JsonNode v = req.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new Refused(400, field + ": required");
        }
        return v.asText();
    }

    // ---- HTTP -------------------------------------------------------------------------------------

    interface Job {
        Object run(JsonNode request) throws Exception;
    }

    private void change(HttpExchange ex, Job job) throws IOException {
        try (ex) {
            if ("GET".equals(ex.getRequestMethod()) && ex.getRequestURI().getPath().matches("/api/(groups|slots)/?")) {
                readView(ex);
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                reply(ex, 405, error("use POST"));
                return;
            }
            if (!latch.hasLeadership()) {
                ObjectNode e = error("not the leading coordinator");
                e.put("leader", leaderId());
                reply(ex, 409, e);
                return;
            }
            JsonNode req;
            try (InputStream in = ex.getRequestBody()) {
                req = JSON.readTree(in);
            } catch (IOException e) {
                reply(ex, 400, error("body must be JSON: " + e.getMessage()));
                return;
            }
            try {
                reply(ex, 200, JSON.valueToTree(job.run(req == null ? JSON.createObjectNode() : req)));
            } catch (Refused r) {
                reply(ex, r.status, error(r.getMessage()));
            } catch (Exception e) {
                log.warn("admin request failed", e);
                reply(ex, 503, error(e.toString()));
            }
        }
    }

    /** GET /api/groups (the group records) and GET /api/slots (the topology). */
    private void readView(HttpExchange ex) throws IOException {
        try {
            ClusterMap m = store.map();
            reply(ex, 200, ex.getRequestURI().getPath().startsWith("/api/groups")
                    ? JSON.valueToTree(m.groups()) : JSON.valueToTree(m.topology()));
        } catch (Exception e) {
            reply(ex, 503, error("ZooKeeper unavailable: " + e));
        }
    }

    private void servers(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                reply(ex, 200, JSON.valueToTree(store.servers()));
            } catch (Exception e) {
                reply(ex, 503, error("ZooKeeper unavailable: " + e));
            }
        }
    }

    private void status(HttpExchange ex) throws IOException {
        try (ex) {
            ObjectNode out = JSON.createObjectNode();
            out.put("coordinator", id);
            out.put("leader", latch.hasLeadership());
            out.put("leaderId", leaderId());
            try {
                ClusterMap m = store.map();
                out.put("epoch", m.epoch());
                out.set("topology", JSON.valueToTree(m.topology()));
                out.set("groups", JSON.valueToTree(m.groups()));
                out.set("servers", JSON.valueToTree(store.servers()));
                out.set("raft", JSON.valueToTree(membership.raftMembers()));
                int assigned = 0;
                for (SlotRange r : m.topology().ranges()) {
                    assigned += r.to() - r.from() + 1;
                }
                out.put("slotsAssigned", assigned);
            } catch (Exception e) {
                out.put("error", "ZooKeeper unavailable: " + e);
            }
            reply(ex, 200, out);
        }
    }

    /** Live figures of every announced server, read in parallel (INFO), for the dashboard. */
    private void stats(HttpExchange ex) throws IOException {
        try (ex) {
            ObjectNode out = JSON.createObjectNode();
            try {
                List<ServerInfo> servers = store.servers();
                List<java.util.concurrent.CompletableFuture<Map<String, Object>>> fs = new ArrayList<>();
                for (ServerInfo s : servers) {
                    fs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> ServerStats.read(s.host(), s.respPort(), 1_000), statsPool));
                }
                for (int i = 0; i < servers.size(); i++) {
                    out.set(servers.get(i).id(), JSON.valueToTree(fs.get(i).join()));
                }
            } catch (Exception e) {
                out.put("error", "ZooKeeper unavailable: " + e);
            }
            reply(ex, 200, out);
        }
    }

    private final java.util.concurrent.ExecutorService statsPool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "coordinator-stats");
        t.setDaemon(true);
        return t;
    });

    /** The dashboard: one static page (no build step) that polls the API. */
    private void dashboard(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"/".equals(ex.getRequestURI().getPath()) && !"/index.html".equals(ex.getRequestURI().getPath())) {
                reply(ex, 404, error("not found"));
                return;
            }
            byte[] page;
            try (InputStream in = Coordinator.class.getResourceAsStream("/dashboard.html")) {
                page = in.readAllBytes();
            }
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, page.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(page);
            }
        }
    }

    private String leaderId() {
        try {
            return latch.getLeader().getId();
        } catch (Exception e) {
            return "";
        }
    }

    private static ObjectNode error(String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("error", message);
        return e;
    }

    private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.stop(0);
        loop.shutdownNow();
        statsPool.shutdownNow();
        try {
            latch.close();
        } catch (IOException e) {
            log.debug("closing the leader latch", e);
        }
        zk.close();
    }
}
