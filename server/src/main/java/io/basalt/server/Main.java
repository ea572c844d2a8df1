package io.basalt.server;

import io.basalt.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code basalt-server}: runs one standalone node until SHUTDOWN or a signal. */
@Command(name = "basalt server", mixinStandardHelpOptions = true,
        description = "Run one Basalt node: standalone (a group of one that owns all 16384 slots), or a replica of a"
                + " Raft group: with --id, --group and --peers (a static group), or with --id and --zk (a cluster"
                + " server: a spare until the coordinator puts it in a group).")
public final class Main implements Callable<Integer> {
    @Option(names = "--port", description = "RESP port (default: 6379, or the config file's)")
    Integer port;

    @Option(names = "--bind", description = "address to listen on (default 127.0.0.1)")
    String bind;

    @Option(names = "--dir", description = "data directory (default ./data)")
    Path dir;

    @Option(names = "--config", description = "redis.conf-style file: one 'name value' per line")
    Path config;

    @Option(names = "--id", description = "this server's id (its Raft peer id; with --peers or --zk)")
    String raftId;

    @Option(names = "--group", description = "the Raft group's name (default g1)")
    String group;

    @Option(names = "--peers", description = "the group's members: id=host:raftPort:respPort,... (this node among them)")
    String peers;

    @Option(names = "--zk", description = "ZooKeeper connect string: join the cluster map there (cluster mode)")
    String zk;

    @Option(names = "--raft-port", description = "Raft port of a cluster server without --peers (default: RESP port + 100)")
    Integer raftPort;

    @Option(names = "--announce-ip", description = "address other servers and clients reach this one at (default: --bind)")
    String announceIp;

    @Option(names = "--cluster", description = "the cluster's name in ZooKeeper (default local)")
    String cluster;

    @Option(names = "--set", description = "any setting as name=value (repeatable)")
    java.util.List<String> sets = new java.util.ArrayList<>();

    public static void main(String[] args) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // sampling allocations costs a stack trace every 128 buffers; tests keep Netty's default
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig cfg = new ServerConfig();
        if (config != null) {
            cfg.load(config);
        }
        if (port != null) {
            cfg.setInitial("port", port.toString());
        }
        if (bind != null) {
            cfg.setInitial("bind", bind);
        }
        if (dir != null) {
            cfg.setInitial("dir", dir.toString());
        }
        if (peers != null) {
            if (raftId == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--peers needs --id");
            }
            cfg.setInitial("raft-peers", peers);
            cfg.setInitial("raft-id", raftId);
            if (port == null) {
                // the RESP port this node announces to the others is the one it listens on
                for (io.basalt.server.raft.RaftSettings.Peer p : io.basalt.server.raft.RaftSettings.parsePeers(peers)) {
                    if (p.id().equals(raftId)) {
                        cfg.setInitial("port", Integer.toString(p.respPort()));
                    }
                }
            }
        }
        if (raftId != null) {
            cfg.setInitial("raft-id", raftId);
        }
        if (raftPort != null) {
            cfg.setInitial("raft-port", raftPort.toString());
        }
        if (announceIp != null) {
            cfg.setInitial("cluster-announce-ip", announceIp);
        }
        if (group != null) {
            cfg.setInitial("raft-group", group);
        }
        if (zk != null) {
            cfg.setInitial("cluster-zk", zk);
        }
        if (cluster != null) {
            cfg.setInitial("cluster-name", cluster);
        }
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--set expects name=value: " + s);
            }
            cfg.setInitial(s.substring(0, eq), s.substring(eq + 1));
        }
        BasaltServer server = new BasaltServer(cfg);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "basalt-signal"));
        System.out.println("Basalt " + Version.VERSION + " ready on " + cfg.get("bind") + ":" + server.port()
                + " (data in " + Path.of(cfg.get("dir")).toAbsolutePath() + ")");
        System.out.flush();
        server.awaitStop();
        return 0;
    }
}
