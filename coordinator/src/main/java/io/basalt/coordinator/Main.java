package io.basalt.coordinator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code basalt-coordinator --zk host:port --cluster NAME --http PORT [--embedded-zk PORT --dir DIR]}. */
@Command(name = "basalt-coordinator", mixinStandardHelpOptions = true,
        description = "Owns a Basalt cluster's map in ZooKeeper and serves the admin API.")
public final class Main implements Callable<Integer> {
    @Option(names = "--zk", description = "ZooKeeper connect string (default 127.0.0.1:2181)")
    String zk = "127.0.0.1:2181";

    @Option(names = "--cluster", description = "cluster name (default local)")
    String cluster = "local";

    @Option(names = "--http", description = "admin API port (default 8080)")
    int http = 8080;

    @Option(names = "--host", description = "address the admin API listens on (default 127.0.0.1)")
    String host = "127.0.0.1";

    @Option(names = "--embedded-zk", description = "also run a single ZooKeeper server in this process on this port (local use)")
    Integer embeddedZk;

    @Option(names = "--dir", description = "data directory of the embedded ZooKeeper (default ./data/zk)")
    Path dir = Path.of("data", "zk");

    @Option(names = "--replace-after", description = "replace a replica whose server has been away this many seconds"
            + " with a spare server (default 120; 0: never)")
    long replaceAfter = 120;

    @Option(names = "--zk-session-timeout", description = "ZooKeeper session timeout in ms: how long a dead leading"
            + " coordinator holds the lead before another takes over (default 10000)")
    int zkSessionMs = 10_000;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (embeddedZk != null) {
            EmbeddedZooKeeper.start(embeddedZk, dir);
            zk = "127.0.0.1:" + embeddedZk;
        }
        Files.createDirectories(dir);
        CountDownLatch stop = new CountDownLatch(1);
        try (Coordinator c = new Coordinator(zk, cluster, host, http,
                new Coordinator.Options(replaceAfter * 1000, 500, zkSessionMs))) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.out.println("basalt-coordinator " + c.id() + ": cluster " + cluster + ", ZooKeeper " + zk);
            stop.await();
        }
        return 0;
    }
}
