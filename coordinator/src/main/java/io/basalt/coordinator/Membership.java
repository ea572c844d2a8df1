package io.basalt.coordinator;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.cluster.ClusterStore;
import io.basalt.routing.cluster.ClusterStore.ServerInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leading coordinator's membership loop. A group record's member list is the group's
 * <em>desired</em> membership; every admin change (create a group, add or remove a replica, replace
 * a dead one) is one compare-and-set of that record, and this loop then makes the group's Raft
 * configuration match it, one step at a time, through the group's leader ({@code BASALT RAFT ADD},
 * then {@code REMOVE}). Because the record is durable and each step is decided afresh from what
 * Raft reports, a coordinator that dies mid-way leaves nothing half-done that its successor would
 * not finish, and nothing is done twice: a step already taken shows in the Raft configuration.
 *
 * <p>Dead replicas: a member whose server has not been announced for {@code replaceAfterMs} (as
 * measured by this coordinator since it started leading) is swapped in the record for a spare
 * server (announced, in no group) — only while the group's live voters are a majority, since the
 * Raft change could not commit otherwise.
 */
final class Membership {
    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final ClusterStore store;
    private final long replaceAfterMs;
    private final LongSupplier clockMs;
    /** A group whose configuration matched its record is looked at again after this long. */
    private static final long RECHECK_MS = 10_000;

    private final Map<String, Long> absentSince = new HashMap<>();
    private final Map<String, Long> lastChecked = new HashMap<>();
    /** What each group's Raft configuration was at the last look: id → "voter"/"learner". */
    private final Map<String, Map<String, String>> raftMembers = new ConcurrentHashMap<>();

    Membership(ClusterStore store, long replaceAfterMs, LongSupplier clockMs) {
        this.store = store;
        this.replaceAfterMs = replaceAfterMs;
        this.clockMs = clockMs;
    }

    Map<String, Map<String, String>> raftMembers() {
        return raftMembers;
    }

    /** Leadership lost: absence times measured so far are not ours to act on any more. */
    void reset() {
        absentSince.clear();
        lastChecked.clear();
        raftMembers.clear();
    }

    /** One pass: replace replicas gone too long, then move each group's Raft configuration one step. */
    void tick() throws Exception {
        ClusterMap map = store.map();
        Map<String, ServerInfo> live = new HashMap<>();
        for (ServerInfo s : store.servers()) {
            live.put(s.id(), s);
        }
        if (replaceAfterMs > 0) {
            replaceDead(map, live);
            map = store.map();
        }
        long now = clockMs.getAsLong();
        for (Group g : map.groups().values()) {
            Long checked = lastChecked.get(g.id());
            if (checked != null && now - checked < RECHECK_MS && matches(g, raftMembers.get(g.id()))) {
                continue; // in step at the last look: look again only now and then (one RESP call per group)
            }
            try {
                lastChecked.put(g.id(), now);
                reconcile(g, live);
            } catch (IOException e) {
                log.debug("group {}: membership step failed (retried): {}", g.id(), e.toString());
            }
        }
        raftMembers.keySet().retainAll(map.groups().keySet());
        lastChecked.keySet().retainAll(map.groups().keySet());
        retireRemoved(map, live);
    }

    /** Whether a Raft configuration (as last seen) is exactly the record's members with their roles. */
    static boolean matches(Group g, Map<String, String> raft) {
        if (raft == null || raft.size() != g.members().size()) {
            return false;
        }
        for (Member m : g.members()) {
            if (!(m.learner() ? "learner" : "voter").equals(raft.get(m.serverId()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A server that still hosts a group whose record no longer names it, and whose leader's Raft
     * configuration no longer has it (a replaced replica that came back), is told to leave: it
     * deletes its copy and becomes a spare.
     */
    private void retireRemoved(ClusterMap map, Map<String, ServerInfo> live) {
        for (ServerInfo s : live.values()) {
            for (String gid : s.groups()) {
                Group g = map.groups().get(gid);
                Map<String, String> raft = raftMembers.get(gid);
                if (g == null || g.member(s.id()) != null || raft == null || raft.containsKey(s.id())) {
                    continue;
                }
                try {
                    RespCall.call(s.host(), s.respPort(), 30_000, "BASALT", "RAFT", "LEAVE");
                    log.info("group {}: {} (no longer a member) left it and is a spare again", gid, s.id());
                } catch (IOException e) {
                    log.debug("group {}: telling {} to leave failed (retried): {}", gid, s.id(), e.toString());
                }
            }
        }
    }

    private void replaceDead(ClusterMap map, Map<String, ServerInfo> live) throws Exception {
        long now = clockMs.getAsLong();
        Set<String> members = new HashSet<>();
        for (Group g : map.groups().values()) {
            for (Member m : g.members()) {
                members.add(m.serverId());
                if (live.containsKey(m.serverId())) {
                    absentSince.remove(m.serverId());
                } else {
                    absentSince.putIfAbsent(m.serverId(), now);
                }
            }
        }
        absentSince.keySet().retainAll(members);
        for (Group g : map.groups().values()) {
            for (Member m : g.members()) {
                Long since = absentSince.get(m.serverId());
                if (since == null || now - since < replaceAfterMs) {
                    continue;
                }
                long voters = g.members().stream().filter(x -> !x.learner()).count();
                long liveVoters = g.members().stream().filter(x -> !x.learner() && live.containsKey(x.serverId())).count();
                if (!m.learner() && liveVoters * 2 <= voters) {
                    log.warn("group {}: {} is gone but only {} of {} voters are up: no replacement possible (no quorum)",
                            g.id(), m.serverId(), liveVoters, voters);
                    continue;
                }
                ServerInfo spare = spare(map, live);
                if (spare == null) {
                    log.warn("group {}: {} gone for {} s, but there is no spare server to replace it",
                            g.id(), m.serverId(), (now - since) / 1000);
                    continue;
                }
                List<Member> next = new ArrayList<>();
                for (Member x : g.members()) {
                    next.add(x == m ? new Member(spare.id(), spare.host(), spare.raftPort(), spare.respPort(), m.learner()) : x);
                }
                ClusterStore.Versioned<Group> cur = store.group(g.id());
                if (!g.equals(cur.value())) {
                    return; // changed meanwhile: decide again next pass
                }
                try {
                    store.setGroup(g.withMembers(next), cur.version());
                    log.info("group {}: replacing {} (gone {} s) with spare {}", g.id(), m.serverId(),
                            (now - since) / 1000, spare.id());
                } catch (ClusterStore.Conflict e) {
                    // someone else wrote: next pass
                }
                return; // one record change per pass: the map is re-read before the next decision
            }
        }
    }

    /** A live server no group record names (the lowest id, so every leader would pick the same). */
    static ServerInfo spare(ClusterMap map, Map<String, ServerInfo> live) {
        Set<String> taken = new HashSet<>();
        for (Group g : map.groups().values()) {
            for (Member m : g.members()) {
                taken.add(m.serverId());
            }
        }
        return live.values().stream().filter(s -> !taken.contains(s.id()) && s.groups().isEmpty())
                .min(java.util.Comparator.comparing(ServerInfo::id)).orElse(null);
    }

    /** Moves the group's Raft configuration one step towards its record. */
    private void reconcile(Group g, Map<String, ServerInfo> live) throws IOException {
        // only the leader's view of the configuration is current; a follower's may lag behind it
        Member via = g.leaderMember();
        if (via == null || !live.containsKey(via.serverId())) {
            return; // the new leader reports itself within moments
        }
        String text = RespCall.call(via.host(), via.respPort(), 5_000, "BASALT", "RAFT", "STATUS");
        if (!text.contains("role:master")) {
            return;
        }
        Map<String, String> raft = parse(text);
        raftMembers.put(g.id(), raft);
        boolean pending = false;
        for (Member m : g.members()) {
            String role = m.learner() ? "learner" : "voter";
            if (role.equals(raft.get(m.serverId()))) {
                continue;
            }
            ServerInfo s = live.get(m.serverId());
            if (s == null || !s.groups().contains(g.id())) {
                pending = true;
                continue; // not running its replica of this group yet: added once it is
            }
            List<String> args = new ArrayList<>(List.of("BASALT", "RAFT", "ADD", m.serverId(),
                    m.host() + ":" + m.raftPort() + ":" + m.respPort()));
            if (m.learner()) {
                args.add("LEARNER");
            }
            log.info("group {}: adding {} to the Raft configuration as a {}", g.id(), m.serverId(), role);
            RespCall.call(via.host(), via.respPort(), 120_000, args.toArray(String[]::new));
            raftMembers.put(g.id(), status(via));
            return;
        }
        if (pending) {
            return; // add first, then remove: the group never shrinks below its record on the way
        }
        for (String id : raft.keySet()) {
            if (g.member(id) == null) {
                log.info("group {}: removing {} from the Raft configuration", g.id(), id);
                RespCall.call(via.host(), via.respPort(), 60_000, "BASALT", "RAFT", "REMOVE", id);
                raftMembers.put(g.id(), status(via));
                return;
            }
        }
    }

    /** The Raft configuration as a member reports it: server id → "voter" or "learner". */
    static Map<String, String> status(Member m) throws IOException {
        return parse(RespCall.call(m.host(), m.respPort(), 5_000, "BASALT", "RAFT", "STATUS"));
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            boolean member = line.startsWith("member:");
            if (member || line.startsWith("learner:")) {
                String rest = line.substring(line.indexOf(':') + 1);
                int comma = rest.indexOf(',');
                out.put(comma < 0 ? rest : rest.substring(0, comma), member ? "voter" : "learner");
            }
        }
        return out;
    }
}
