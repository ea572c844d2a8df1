package io.basalt.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.routing.cluster.ClusterStore;
import io.basalt.routing.cluster.ClusterStore.ServerInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two coordinators on a real (in-process) ZooKeeper: one leads; the other refuses changes with the
 * leader's id; jobs are compare-and-set and idempotent; when the leader goes away the other takes
 * over and a repeated request finishes the job without doing it twice.
 */
@Timeout(60)
class CoordinatorTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(Coordinator c, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(Coordinator c, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.httpPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void oneLeadsJobsAreIdempotentAndTheFollowerTakesOver() throws Exception {
        try (TestingServer zk = new TestingServer(true)) {
            CuratorFramework servers = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
            servers.start();
            ClusterStore reg = new ClusterStore(servers, "c1");
            for (int i = 1; i <= 3; i++) {
                reg.register(new ServerInfo("n" + i, "127.0.0.1", 7000 + i, 9000 + i, List.of("g1")));
            }
            Coordinator a = new Coordinator(zk.getConnectString(), "c1", "127.0.0.1", 0);
            await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
            Coordinator b = new Coordinator(zk.getConnectString(), "c1", "127.0.0.1", 0);
            try {
                Thread.sleep(500);
                assertThat(b.isLeader()).isFalse();
                HttpResponse<String> refused = post(b, "/api/groups", "{\"id\":\"g1\",\"servers\":[\"n1\",\"n2\",\"n3\"]}");
                assertThat(refused.statusCode()).isEqualTo(409);
                assertThat(refused.body()).contains("not the leading coordinator").contains(a.id());

                HttpResponse<String> created = post(a, "/api/groups", "{\"id\":\"g1\",\"servers\":[\"n1\",\"n2\",\"n3\"]}");
                assertThat(created.statusCode()).isEqualTo(200);
                assertThat(created.body()).contains("\"respPort\" : 7002");
                // the same request again: nothing changes, still OK
                assertThat(post(a, "/api/groups", "{\"id\":\"g1\",\"servers\":[\"n3\",\"n2\",\"n1\"]}").statusCode()).isEqualTo(200);
                assertThat(post(a, "/api/groups", "{\"id\":\"g1\",\"servers\":[\"n1\"]}").statusCode()).isEqualTo(409);
                assertThat(post(a, "/api/groups", "{\"id\":\"g2\",\"servers\":[\"n9\"]}").body()).contains("n9 is not registered");
                assertThat(post(a, "/api/groups", "not json").statusCode()).isEqualTo(400);

                assertThat(post(a, "/api/slots", "{\"from\":0,\"to\":8191,\"group\":\"g1\"}").statusCode()).isEqualTo(200);
                assertThat(reg.topology().value().epoch()).isEqualTo(1);
                assertThat(post(a, "/api/slots", "{\"from\":0,\"to\":8191,\"group\":\"g1\"}").statusCode()).isEqualTo(200);
                assertThat(reg.topology().value().epoch()).isEqualTo(1); // idempotent: no second write
                assertThat(post(a, "/api/slots", "{\"from\":0,\"to\":99999,\"group\":\"g1\"}").statusCode()).isEqualTo(400);
                assertThat(post(a, "/api/slots", "{\"from\":0,\"to\":10,\"group\":\"nope\"}").statusCode()).isEqualTo(409);

                // the leader dies; the other coordinator leads and finishes the job (the rest of the slots)
                a.close();
                await().atMost(Duration.ofSeconds(30)).until(b::isLeader);
                assertThat(post(b, "/api/slots", "{\"from\":0,\"to\":16383,\"group\":\"g1\"}").statusCode()).isEqualTo(200);
                assertThat(reg.topology().value().epoch()).isEqualTo(2);
                assertThat(reg.topology().value().count("g1")).isEqualTo(16384);
                String status = get(b, "/api/status").body();
                assertThat(status).contains("\"leader\" : true").contains("\"slotsAssigned\" : 16384").contains("\"epoch\" : 2");
            } finally {
                a.close();
                b.close();
                servers.close();
            }
        }
    }
}
