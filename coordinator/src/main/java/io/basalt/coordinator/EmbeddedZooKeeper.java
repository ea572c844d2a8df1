package io.basalt.coordinator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.ServerConfig;
import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;

/** A single ZooKeeper server inside the coordinator's process, for {@code ./basalt local}; not for production. */
final class EmbeddedZooKeeper {
    private EmbeddedZooKeeper() {}

    static void start(int port, Path dir) throws Exception {
        Files.createDirectories(dir);
        System.setProperty("zookeeper.admin.enableServer", "false");
        Properties p = new Properties();
        p.setProperty("dataDir", dir.toAbsolutePath().toString());
        p.setProperty("clientPort", Integer.toString(port));
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("tickTime", "2000");
        p.setProperty("maxClientCnxns", "0");
        QuorumPeerConfig qp = new QuorumPeerConfig();
        qp.parseProperties(p);
        ServerConfig cfg = new ServerConfig();
        cfg.readFrom(qp);
        Thread t = new Thread(() -> {
            try {
                new ZooKeeperServerMain().runFromConfig(cfg);
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(EmbeddedZooKeeper.class).error("embedded ZooKeeper stopped", e);
            }
        }, "embedded-zookeeper");
        t.setDaemon(true);
        t.start();
    }
}
