package io.basalt.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.basalt.routing.cluster.ClusterStore;
import io.basalt.routing.cluster.ClusterStore.ServerInfo;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard in a real headless browser (Debian's chromium, driven through chromedriver's W3C
 * WebDriver HTTP API — no Selenium dependency needed): the page shows the live cluster, and an
 * action confirmed in the page changes the cluster map.
 */
@Timeout(90)
class DashboardBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private String driver;
    private String session;

    private JsonNode call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(driver + path)).timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode j = JSON.readTree(r.body());
        if (r.statusCode() >= 400) {
            throw new IllegalStateException("WebDriver " + method + " " + path + ": " + r.body());
        }
        return j.path("value");
    }

    private String element(String css) throws Exception {
        JsonNode e = call("POST", "/session/" + session + "/element", Map.of("using", "css selector", "value", css));
        return e.elements().next().asText();
    }

    private String text(String css) {
        try {
            return call("GET", "/session/" + session + "/element/" + element(css) + "/text", null).asText();
        } catch (Exception e) {
            return "";
        }
    }

    private void type(String css, String value) throws Exception {
        String id = element(css);
        call("POST", "/session/" + session + "/element/" + id + "/clear", Map.of());
        call("POST", "/session/" + session + "/element/" + id + "/value", Map.of("text", value));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void dashboardShowsTheClusterAndItsActionsChangeIt() throws Exception {
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(Files.isExecutable(chromedriver) && Files.isExecutable(chromium))
                .as("Debian packages chromium and chromium-driver (.ci/run installs them)").isTrue();
        int port = freePort();
        Process cd = new ProcessBuilder(chromedriver.toString(), "--port=" + port).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        driver = "http://127.0.0.1:" + port;
        try (TestingServer zk = new TestingServer(true)) {
            CuratorFramework servers = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
            servers.start();
            ClusterStore reg = new ClusterStore(servers, "ui");
            for (int i = 1; i <= 3; i++) {
                reg.register(new ServerInfo("n" + i, "127.0.0.1", freePort(), 9000 + i, List.of("g1")));
            }
            try (Coordinator c = new Coordinator(zk.getConnectString(), "ui", "127.0.0.1", 0)) {
                await().atMost(Duration.ofSeconds(10)).until(c::isLeader);
                String base = "http://127.0.0.1:" + c.httpPort();
                http.send(HttpRequest.newBuilder(URI.create(base + "/api/groups"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"g1\",\"servers\":[\"n1\",\"n2\",\"n3\"]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                http.send(HttpRequest.newBuilder(URI.create(base + "/api/slots"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"from\":0,\"to\":8191,\"group\":\"g1\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());

                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                    session = call("POST", "/session", Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                            "browserName", "chrome", "goog:chromeOptions", Map.of("binary", chromium.toString(),
                                    "args", List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"))))))
                            .path("sessionId").asText();
                    return !session.isEmpty();
                });
                try {
                    call("POST", "/session/" + session + "/url", Map.of("url", base + "/"));
                    // the live cluster: epoch, the group with its members, the servers (down: fake ones)
                    await().atMost(Duration.ofSeconds(20)).until(() -> text("#summary").contains("epoch 1")
                            && text("#summary").contains("8192 / 16384 slots assigned"));
                    assertThat(text("#groups tbody")).contains("g1").contains("8192").contains("n1, n2, n3");
                    assertThat(text("#servers tbody")).contains("n1").contains("n2").contains("n3").contains("down");
                    assertThat(text("h1")).startsWith("Basalt cluster");

                    // an action, confirmed in the page, changes the cluster
                    type("#assign-slots input[name=from]", "8192");
                    type("#assign-slots input[name=to]", "16383");
                    type("#assign-slots input[name=group]", "g1");
                    call("POST", "/session/" + session + "/element/" + element("#assign-slots button") + "/click", Map.of());
                    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                            call("GET", "/session/" + session + "/alert/text", null).asText().contains("Assign slots 8192-16383 to g1"));
                    call("POST", "/session/" + session + "/alert/accept", Map.of());
                    await().atMost(Duration.ofSeconds(10)).until(() -> text("#msg").contains("done"));
                    assertThat(reg.topology().value().epoch()).isEqualTo(2);
                    assertThat(reg.topology().value().count("g1")).isEqualTo(16384);
                    await().atMost(Duration.ofSeconds(10)).until(() -> text("#summary").contains("16384 / 16384 slots assigned"));
                } finally {
                    call("DELETE", "/session/" + session, null);
                }
            } finally {
                servers.close();
            }
        } finally {
            cd.destroy();
        }
    }
}
