package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Membership changes while clients write: a 4th process is started and added (BASALT RAFT ADD), an
 * original follower is removed (REMOVE), and leadership is transferred to the new node (TRANSFER).
 * Afterwards every acknowledged write is readable through the leader, and every member holds the
 * same data (DBSIZE and every acknowledged key, read over READONLY connections once each member has
 * applied the leader's commit index).
 */
@Timeout(120)
class RaftMembershipUnderLoadTest {
    private RaftProcessGroup group;

    @AfterEach
    void cleanup() throws Exception {
        if (group != null) {
            group.close();
        }
    }

    private static Object admin(RaftProcessGroup.Router r, String... args) throws Exception {
        return r.call(args);
    }

    @Test
    void addRemoveAndTransferUnderLoadLoseNoAcknowledgedWrite() throws Exception {
        group = new RaftProcessGroup(3);
        group.startAll();
        group.leader(30_000);

        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            int client = c;
            Thread t = new Thread(() -> write(client, acked, stop), "writer-" + c);
            writers.add(t);
            t.start();
        }
        RaftProcessGroup.Node removed;
        try (RaftProcessGroup.Router admin = group.new Router(15_000, 10_000)) {
            Thread.sleep(1_500);
            int beforeAdd = acked.size();
            assertThat(beforeAdd).as("writes acknowledged before the membership changes").isGreaterThan(20);

            RaftProcessGroup.Node n4 = group.startNew("n4");
            assertThat(admin(admin, "BASALT", "RAFT", "ADD", "n4", "127.0.0.1:" + n4.raftPort() + ":" + n4.port()))
                    .as("ADD n4").isEqualTo("OK");
            awaitCaughtUp(n4);
            System.out.println("n4 added and caught up; acknowledged writes so far: " + acked.size());

            RaftProcessGroup.Node leader = group.leader(10_000);
            removed = group.nodes.stream().filter(n -> !n.id().equals("n4") && n != leader).findFirst().orElseThrow();
            assertThat(admin(admin, "BASALT", "RAFT", "REMOVE", removed.id())).as("REMOVE %s", removed.id()).isEqualTo("OK");
            System.out.println(removed.id() + " removed; acknowledged writes so far: " + acked.size());

            assertThat(admin(admin, "BASALT", "RAFT", "TRANSFER", "n4")).as("TRANSFER n4").isEqualTo("OK");
            long deadline = System.currentTimeMillis() + 15_000;
            while (!RaftProcessGroup.info(n4).contains("role:master")) {
                assertThat(System.currentTimeMillis()).as("n4 becomes the leader").isLessThan(deadline);
                Thread.sleep(50);
            }
            int afterTransfer = acked.size();
            Thread.sleep(1_500);
            assertThat(acked.size()).as("writes acknowledged after the transfer to n4").isGreaterThan(afterTransfer + 10);

            Object status = admin(admin, "BASALT", "RAFT", "STATUS");
            assertThat(String.valueOf(status)).as("members after the changes").contains("member:n4,").doesNotContain(
                    "member:" + removed.id() + ",");
        } finally {
            stop.set(true);
            for (Thread t : writers) {
                t.join(30_000);
            }
        }
        removed.process().kill(); // no longer a member; the checks below are about the group

        RaftProcessGroup.Node leader = group.leader(10_000);
        assertThat(leader.id()).isEqualTo("n4");
        try (Resp c = new Resp("127.0.0.1", leader.port(), 5_000)) {
            assertThat(c.call("SET", "barrier", "1")).isEqualTo("OK");
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, String> e : acked.entrySet()) {
                Object v = c.call("GET", e.getKey());
                if (!e.getValue().equals(v)) {
                    missing.add(e.getKey() + "=" + v);
                }
            }
            assertThat(missing).as("acknowledged writes read through the leader (%d acked)", acked.size()).isEmpty();
        }
        long commit = RaftProcessGroup.infoLong(RaftProcessGroup.info(leader), "raft_commit_index");
        Object leaderSize = null;
        for (RaftProcessGroup.Node n : group.nodes) {
            if (n == removed) {
                continue;
            }
            awaitApplied(n, commit);
            try (Resp c = new Resp("127.0.0.1", n.port(), 5_000)) {
                assertThat(c.call("READONLY")).isEqualTo("OK");
                Object size = c.call("DBSIZE");
                if (leaderSize == null) {
                    leaderSize = size;
                }
                assertThat(size).as("DBSIZE on %s", n.id()).isEqualTo(leaderSize);
                List<String> differ = new ArrayList<>();
                for (Map.Entry<String, String> e : acked.entrySet()) {
                    Object v = c.call("GET", e.getKey());
                    if (!e.getValue().equals(v)) {
                        differ.add(e.getKey() + "=" + v);
                    }
                }
                assertThat(differ).as("acknowledged writes on %s", n.id()).isEmpty();
            }
        }
        System.out.println("acknowledged writes: " + acked.size() + ", keys per replica: " + leaderSize);
    }

    private void awaitCaughtUp(RaftProcessGroup.Node node) throws InterruptedException {
        RaftProcessGroup.Node leader = group.leader(10_000);
        awaitApplied(node, RaftProcessGroup.infoLong(RaftProcessGroup.info(leader), "raft_commit_index"));
    }

    private static void awaitApplied(RaftProcessGroup.Node node, long index) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (RaftProcessGroup.infoLong(RaftProcessGroup.info(node), "raft_applied_index") < index) {
            assertThat(System.currentTimeMillis()).as("%s applies up to %d", node.id(), index).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void write(int client, Map<String, String> acked, AtomicBoolean stop) {
        try (RaftProcessGroup.Router r = group.new Router(5_000, 5_000)) {
            for (int i = 0; !stop.get(); i++) {
                String key = "m:" + client + ":" + i;
                String value = "v" + i;
                try {
                    if ("OK".equals(r.call("SET", key, value))) {
                        acked.put(key, value);
                    }
                } catch (IOException e) {
                    // may or may not have been applied: not counted
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
