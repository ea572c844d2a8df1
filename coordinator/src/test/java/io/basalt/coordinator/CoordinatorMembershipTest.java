package io.basalt.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.cluster.ClusterStore;
import io.basalt.routing.cluster.ClusterStore.ServerInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The replica jobs on the group records, driven through the picocli admin CLI against a real
 * coordinator and ZooKeeper (the servers here are announcements only; it/ClusterMembershipTest runs
 * the same jobs against real server processes), and the replacement of a replica whose server
 * stays away — only while its group keeps a majority.
 */
@Timeout(60)
class CoordinatorMembershipTest {

    /** Runs {@code ./basalt admin ARGS}; returns the exit code and what it printed. */
    private static String[] admin(Coordinator c, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            String[] all = new String[args.length + 2];
            all[0] = "--url";
            all[1] = "http://127.0.0.1:1," + "http://127.0.0.1:" + c.httpPort(); // the first is down: the CLI moves on
            System.arraycopy(args, 0, all, 2, args.length);
            code = new CommandLine(new AdminCli()).execute(all);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private static List<String> members(ClusterStore s, String gid) throws Exception {
        return s.group(gid).value().members().stream().map(Member::serverId).toList();
    }

    @Test
    void replicaJobsThroughTheCli() throws Exception {
        try (TestingServer zk = new TestingServer(true);
                CuratorFramework servers = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            servers.start();
            ClusterStore reg = new ClusterStore(servers, "m1");
            for (int i = 1; i <= 5; i++) {
                reg.register(new ServerInfo("n" + i, "127.0.0.1", 7000 + i, 9000 + i, List.of()));
            }
            try (Coordinator c = new Coordinator(zk.getConnectString(), "m1", "127.0.0.1", 0,
                    new Coordinator.Options(0, 200, 10_000))) {
                await().atMost(Duration.ofSeconds(10)).until(c::isLeader);
                assertThat(admin(c, "create-group", "g1", "n1", "n2", "n3")[0]).isEqualTo("0");
                String[] busy = admin(c, "create-group", "g2", "n3", "n4");
                assertThat(busy[0]).isEqualTo("1");
                assertThat(busy[2]).contains("n3 is already a replica of group g1");

                String[] added = admin(c, "add-replica", "g1", "n4", "--learner");
                assertThat(added[0]).as(added[2]).isEqualTo("0");
                assertThat(reg.group("g1").value().member("n4").learner()).isTrue();
                assertThat(admin(c, "add-replica", "g1", "n4", "--learner")[0]).as("repeat: no-op").isEqualTo("0");
                assertThat(admin(c, "add-replica", "g1", "n4")[0]).as("promote to voter").isEqualTo("0");
                assertThat(reg.group("g1").value().member("n4").learner()).isFalse();
                assertThat(admin(c, "add-replica", "g1", "n9")[2]).contains("n9 is not registered");
                assertThat(admin(c, "add-replica", "nope", "n5")[2]).contains("no group nope");

                assertThat(admin(c, "remove-replica", "g1", "n2")[0]).isEqualTo("0");
                assertThat(members(reg, "g1")).containsExactly("n1", "n3", "n4");
                assertThat(admin(c, "remove-replica", "g1", "n2")[0]).as("repeat: no-op").isEqualTo("0");
                assertThat(admin(c, "create-group", "g2", "n5")[0]).isEqualTo("0");
                assertThat(admin(c, "remove-replica", "g2", "n5")[2]).contains("no voting replica left");

                assertThat(admin(c, "transfer-leader", "g1", "n2")[2]).contains("not a voting replica");
                assertThat(admin(c, "transfer-leader", "g1", "n3")[2]).contains("no known leader");
                assertThat(admin(c, "groups")[1]).contains("\"g1\"").contains("\"n4\"");
                assertThat(admin(c, "servers")[1]).contains("\"n5\"");
                assertThat(admin(c, "assign-slots", "0", "16383", "g1")[0]).isEqualTo("0");
                assertThat(admin(c, "slots")[1]).contains("\"epoch\" : 1");
                assertThat(admin(c, "assign-slots", "0", "x", "g1")[0]).as("bad usage").isEqualTo("2");
            }
        }
    }

    @Test
    void aReplicaAwayTooLongIsReplacedBySpareOnlyWithAMajorityLeft() throws Exception {
        try (TestingServer zk = new TestingServer(true);
                CuratorFramework stays = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
                CuratorFramework goes = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            stays.start();
            goes.start();
            ClusterStore reg = new ClusterStore(stays, "m2");
            ClusterStore reg2 = new ClusterStore(goes, "m2");
            reg.register(new ServerInfo("n1", "127.0.0.1", 7001, 9001, List.of()));
            reg2.register(new ServerInfo("n2", "127.0.0.1", 7002, 9002, List.of()));
            reg2.register(new ServerInfo("n3", "127.0.0.1", 7003, 9003, List.of()));
            reg.register(new ServerInfo("n4", "127.0.0.1", 7004, 9004, List.of()));
            reg.register(new ServerInfo("n5", "127.0.0.1", 7005, 9005, List.of()));
            try (Coordinator c = new Coordinator(zk.getConnectString(), "m2", "127.0.0.1", 0,
                    new Coordinator.Options(1_000, 100, 10_000))) {
                await().atMost(Duration.ofSeconds(10)).until(c::isLeader);
                assertThat(admin(c, "create-group", "g1", "n1", "n2", "n3")[0]).isEqualTo("0");
                // n2 and n3 vanish together: one voter of three left, no quorum to change Raft with
                goes.close();
                Thread.sleep(2_500);
                assertThat(members(reg, "g1")).as("no replacement without a majority").containsExactly("n1", "n2", "n3");
                // n2 comes back; n3 stays away: replaced by the lowest spare, exactly once
                try (CuratorFramework back = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
                    back.start();
                    new ClusterStore(back, "m2").register(new ServerInfo("n2", "127.0.0.1", 7002, 9002, List.of()));
                    await().atMost(Duration.ofSeconds(10)).until(() -> members(reg, "g1").contains("n4"));
                    assertThat(members(reg, "g1")).containsExactly("n1", "n2", "n4");
                    Thread.sleep(1_500);
                    assertThat(members(reg, "g1")).as("replaced once").containsExactly("n1", "n2", "n4");
                }
            }
        }
    }
}
