package io.basalt.server.commands;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.slots.SlotHash;
import io.basalt.server.cluster.ClusterState;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.encoding.KeyCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The Redis Cluster protocol a server answers from the cluster map (ZooKeeper's, see
 * {@link ClusterState}): CLUSTER SLOTS / SHARDS / NODES / MYID / INFO / KEYSLOT / COUNTKEYSINSLOT /
 * GETKEYSINSLOT / HELP and ASKING, in Redis 7.0's reply shapes. Each group's leader is shown as its
 * master, the other members (learners too) as its replicas. A group whose leader is not known (an
 * election is running) has no master: its members are listed as replicas of nobody ({@code slave -}
 * in NODES, role {@code replica} in SHARDS), its slots are left out of CLUSTER SLOTS and NODES and
 * counted as {@code cluster_slots_fail} in INFO — what a Redis Cluster shows for slots whose master
 * is gone. Outside cluster mode every subcommand answers like a Redis with cluster support disabled.
 */
public final class ClusterCommands {
    private ClusterCommands() {}

    static final String DISABLED = "ERR This instance has cluster support disabled";

    public static void register(CommandRegistry r) {
        r.read("asking", ctx -> {
            if (!clusterProtocol(ctx)) {
                throw new RedisException(DISABLED);
            }
            return Reply.OK; // no slot migrations (and so no -ASK) yet: nothing to remember
        });
        r.read("cluster|slots", enabled(ClusterCommands::slots));
        r.read("cluster|shards", enabled(ClusterCommands::shards));
        r.read("cluster|nodes", enabled(ctx -> new Reply.Verbatim("txt", nodes(ctx.node().cluster()).getBytes(StandardCharsets.UTF_8))));
        r.read("cluster|myid", enabled(ctx -> Reply.bulk(ClusterState.nodeId(ctx.node().cluster().serverId()))));
        r.read("cluster|info", enabled(ctx -> new Reply.Verbatim("txt", info(ctx.node().cluster()).getBytes(StandardCharsets.UTF_8))));
        r.read("cluster|keyslot", enabled(ctx -> Reply.integer(SlotHash.slot(ctx.args().bytes(2)))));
        r.read("cluster|countkeysinslot", enabled(ClusterCommands::countKeysInSlot));
        r.read("cluster|getkeysinslot", enabled(ClusterCommands::getKeysInSlot));
        r.read("cluster|help", enabled(ctx -> KeyCommands.help(
                "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "COUNTKEYSINSLOT <slot>", "    Return the number of keys in <slot>.",
                "GETKEYSINSLOT <slot> <count>", "    Return key names stored by current node in a slot.",
                "INFO", "    Return information about the cluster.",
                "KEYSLOT <key>", "    Return the hash slot for <key>.",
                "MYID", "    Return the node id.",
                "NODES", "    Return cluster configuration seen by node. Output format:",
                "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
                "SLOTS", "    Return information about slots range mappings. Each range is made of:",
                "    start, end, master and replicas IP addresses, ports and ids",
                "SHARDS", "    Return information about slot range mappings and the nodes associated with them.",
                "HELP", "    Prints this help.")));
    }

    /** READONLY, READWRITE and ASKING are accepted in cluster mode and by a replicated group's servers. */
    static boolean clusterProtocol(CommandContext ctx) {
        return ctx.node().cluster().enabled() || ctx.node().writePath().replicated();
    }

    private static io.basalt.server.dispatch.ReadCommand enabled(Function<CommandContext, Reply> f) {
        return ctx -> {
            if (!ctx.node().cluster().enabled()) {
                throw new RedisException(DISABLED);
            }
            return f.apply(ctx);
        };
    }

    private static Reply countKeysInSlot(CommandContext ctx) {
        long slot = ctx.args().longValue(2);
        if (slot < 0 || slot >= SlotHash.SLOT_COUNT) {
            throw new RedisException("ERR Invalid slot");
        }
        return Reply.integer(ctx.node().store().counts().inSlot((int) slot));
    }

    private static Reply getKeysInSlot(CommandContext ctx) {
        Args a = ctx.args();
        long slot = a.longValue(2);
        long max = a.longValue(3);
        if (slot < 0 || slot >= SlotHash.SLOT_COUNT || max < 0) {
            throw new RedisException("ERR Invalid slot or number of keys");
        }
        List<Reply> out = new ArrayList<>();
        if (max == 0) {
            return Reply.array(out);
        }
        ctx.keyspace().scan(KeyCodec.slotStart((int) slot), KeyCodec.slotEnd((int) slot), e -> {
            out.add(Reply.bulk(e.userKey()));
            return out.size() < max;
        });
        return Reply.array(out);
    }

    // ---- the map as Redis Cluster shows it

    /** CLUSTER SLOTS: per slot range of a group with a leader, [from, to, leader, other members…]. */
    static Reply slots(CommandContext ctx) {
        ClusterMap map = ctx.node().cluster().map();
        List<Reply> out = new ArrayList<>();
        for (ClusterMap.SlotRange r : map.topology().ranges()) {
            ClusterMap.Group g = map.groups().get(r.group());
            ClusterMap.Member leader = g == null ? null : g.leaderMember();
            if (leader == null) {
                continue;
            }
            List<Reply> entry = new ArrayList<>();
            entry.add(Reply.integer(r.from()));
            entry.add(Reply.integer(r.to()));
            entry.add(slotsNode(leader));
            for (ClusterMap.Member m : g.members()) {
                if (m != leader) {
                    entry.add(slotsNode(m));
                }
            }
            out.add(Reply.array(entry));
        }
        return Reply.array(out);
    }

    private static Reply slotsNode(ClusterMap.Member m) {
        return Reply.array(Reply.bulk(m.host()), Reply.integer(m.respPort()), Reply.bulk(ClusterState.nodeId(m.serverId())),
                new Reply.MapReply(List.of()));
    }

    /** CLUSTER SHARDS: per group, its slot ranges (flat from/to pairs) and its members (leader first). */
    static Reply shards(CommandContext ctx) {
        ClusterMap map = ctx.node().cluster().map();
        List<Reply> out = new ArrayList<>();
        for (ClusterMap.Group g : map.groups().values()) {
            List<Reply> slots = new ArrayList<>();
            for (ClusterMap.SlotRange r : map.topology().ranges()) {
                if (r.group().equals(g.id())) {
                    slots.add(Reply.integer(r.from()));
                    slots.add(Reply.integer(r.to()));
                }
            }
            ClusterMap.Member leader = g.leaderMember();
            List<Reply> nodes = new ArrayList<>();
            if (leader != null) {
                nodes.add(shardNode(leader, "master"));
            }
            for (ClusterMap.Member m : g.members()) {
                if (m != leader) {
                    nodes.add(shardNode(m, "replica"));
                }
            }
            out.add(new Reply.MapReply(List.of(Reply.bulk("slots"), Reply.array(slots), Reply.bulk("nodes"), Reply.array(nodes))));
        }
        return Reply.array(out);
    }

    private static Reply shardNode(ClusterMap.Member m, String role) {
        return new Reply.MapReply(List.of(
                Reply.bulk("id"), Reply.bulk(ClusterState.nodeId(m.serverId())),
                Reply.bulk("port"), Reply.integer(m.respPort()),
                Reply.bulk("ip"), Reply.bulk(m.host()),
                Reply.bulk("endpoint"), Reply.bulk(m.host()),
                Reply.bulk("role"), Reply.bulk(role),
                Reply.bulk("replication-offset"), Reply.ZERO,
                Reply.bulk("health"), Reply.bulk("online")));
    }

    /**
     * CLUSTER NODES: one line per member of every group, {@code <id> <host>:<respPort>@<raftPort>
     * <flags> <master id or -> 0 0 <epoch> connected [slot ranges, on masters]}.
     */
    public static String nodes(ClusterState state) {
        ClusterMap map = state.map();
        StringBuilder sb = new StringBuilder();
        for (ClusterMap.Group g : map.groups().values()) {
            ClusterMap.Member leader = g.leaderMember();
            List<ClusterMap.Member> ordered = new ArrayList<>();
            if (leader != null) {
                ordered.add(leader);
            }
            for (ClusterMap.Member m : g.members()) {
                if (m != leader) {
                    ordered.add(m);
                }
            }
            for (ClusterMap.Member m : ordered) {
                boolean master = m == leader;
                sb.append(ClusterState.nodeId(m.serverId())).append(' ')
                        .append(m.host()).append(':').append(m.respPort()).append('@').append(m.raftPort()).append(' ');
                if (m.serverId().equals(state.serverId())) {
                    sb.append("myself,");
                }
                sb.append(master ? "master" : "slave").append(' ')
                        .append(master || leader == null ? "-" : ClusterState.nodeId(leader.serverId()))
                        .append(" 0 0 ").append(map.epoch()).append(" connected");
                if (master) {
                    for (ClusterMap.SlotRange r : map.topology().ranges()) {
                        if (r.group().equals(g.id())) {
                            sb.append(' ').append(r.from());
                            if (r.to() != r.from()) {
                                sb.append('-').append(r.to());
                            }
                        }
                    }
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** CLUSTER INFO with Redis 7.0's fields (the bus message counters are 0: there is no cluster bus). */
    public static String info(ClusterState state) {
        ClusterMap map = state.map();
        long assigned = 0;
        long ok = 0;
        Set<String> shards = new HashSet<>();
        for (ClusterMap.SlotRange r : map.topology().ranges()) {
            int n = r.to() - r.from() + 1;
            assigned += n;
            ClusterMap.Group g = map.groups().get(r.group());
            if (g != null && g.leaderMember() != null) {
                ok += n;
            }
            shards.add(r.group());
        }
        Set<String> nodes = new HashSet<>();
        for (ClusterMap.Group g : map.groups().values()) {
            for (ClusterMap.Member m : g.members()) {
                nodes.add(m.serverId());
            }
        }
        boolean up = assigned == SlotHash.SLOT_COUNT && ok == assigned;
        return "cluster_state:" + (up ? "ok" : "fail") + "\r\n"
                + "cluster_slots_assigned:" + assigned + "\r\n"
                + "cluster_slots_ok:" + ok + "\r\n"
                + "cluster_slots_pfail:0\r\n"
                + "cluster_slots_fail:" + (assigned - ok) + "\r\n"
                + "cluster_known_nodes:" + nodes.size() + "\r\n"
                + "cluster_size:" + shards.size() + "\r\n"
                + "cluster_current_epoch:" + map.epoch() + "\r\n"
                + "cluster_my_epoch:" + map.epoch() + "\r\n"
                + "cluster_stats_messages_sent:0\r\n"
                + "cluster_stats_messages_received:0\r\n"
                + "total_cluster_links_buffer_limit_exceeded:0\r\n";
    }
}
