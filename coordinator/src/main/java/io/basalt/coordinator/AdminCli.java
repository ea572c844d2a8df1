package io.basalt.coordinator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./basalt admin …}: the coordinator's admin API from the command line. Prints the JSON
 * reply; exits 0 on success, 1 when the cluster refused (the reason on stderr), 2 on bad usage.
 * With several coordinator URLs, a change goes to whichever leads (a follower answers 409).
 */
@Command(name = "basalt admin", mixinStandardHelpOptions = true,
        description = "Administer a Basalt cluster through its coordinators' admin API.",
        subcommands = {AdminCli.Status.class, AdminCli.Groups.class, AdminCli.Servers.class, AdminCli.Slots.class,
            AdminCli.CreateGroup.class, AdminCli.AssignSlots.class, AdminCli.AddReplica.class,
            AdminCli.RemoveReplica.class, AdminCli.TransferLeader.class})
public final class AdminCli {
    @Option(names = "--url", split = ",", description = "coordinator admin URL(s), comma-separated"
            + " (default: $BASALT_ADMIN or http://127.0.0.1:8080)")
    List<String> urls = new ArrayList<>(List.of(System.getenv().getOrDefault("BASALT_ADMIN", "http://127.0.0.1:8080").split(",")));

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public static void main(String[] args) {
        System.exit(new CommandLine(new AdminCli()).execute(args));
    }

    /** GET from the first coordinator that answers. */
    int get(String path) {
        IOException last = null;
        for (String u : urls) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(u.trim() + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                return print(r);
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        System.err.println("no coordinator answered at " + urls + ": " + last);
        return 1;
    }

    /** POST to the leading coordinator (tries each URL; a follower's 409 sends it to the next). */
    int post(String path, String json) {
        String lastError = "no coordinator answered at " + urls;
        for (String u : urls) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(u.trim() + path))
                        .timeout(Duration.ofSeconds(180)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 409 && r.body().contains("not the leading coordinator")) {
                    lastError = r.body();
                    continue;
                }
                return print(r);
            } catch (IOException e) {
                lastError = u + ": " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        System.err.println(lastError);
        return 1;
    }

    private static int print(HttpResponse<String> r) {
        if (r.statusCode() / 100 == 2) {
            System.out.println(r.body());
            return 0;
        }
        System.err.println("HTTP " + r.statusCode() + ": " + r.body());
        return 1;
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        AdminCli admin;
    }

    @Command(name = "status", description = "The whole cluster: map, groups, servers, Raft configurations.")
    static final class Status extends Sub {
        @Override
        public Integer call() {
            return admin.get("/api/status");
        }
    }

    @Command(name = "groups", description = "The group records (members, leader).")
    static final class Groups extends Sub {
        @Override
        public Integer call() {
            return admin.get("/api/groups");
        }
    }

    @Command(name = "servers", description = "The live servers (announced in ZooKeeper).")
    static final class Servers extends Sub {
        @Override
        public Integer call() {
            return admin.get("/api/servers");
        }
    }

    @Command(name = "slots", description = "The slot map (epoch and ranges).")
    static final class Slots extends Sub {
        @Override
        public Integer call() {
            return admin.get("/api/slots");
        }
    }

    @Command(name = "create-group", description = "Create a group from spare servers (they start its Raft group).")
    static final class CreateGroup extends Sub {
        @Parameters(index = "0", description = "group id")
        String id;

        @Parameters(index = "1..*", arity = "1..*", description = "server ids")
        List<String> servers;

        @Override
        public Integer call() {
            return admin.post("/api/groups", "{\"id\":" + quote(id) + ",\"servers\":["
                    + String.join(",", servers.stream().map(AdminCli::quote).toList()) + "]}");
        }
    }

    @Command(name = "assign-slots", description = "Give unassigned slots FROM..TO to a group.")
    static final class AssignSlots extends Sub {
        @Parameters(index = "0")
        int from;

        @Parameters(index = "1")
        int to;

        @Parameters(index = "2")
        String group;

        @Override
        public Integer call() {
            return admin.post("/api/slots", "{\"from\":" + from + ",\"to\":" + to + ",\"group\":" + quote(group) + "}");
        }
    }

    @Command(name = "add-replica", description = "Add a spare server to a group (it catches up, then joins the quorum).")
    static final class AddReplica extends Sub {
        @Parameters(index = "0")
        String group;

        @Parameters(index = "1")
        String server;

        @Option(names = "--learner", description = "a non-voting replica (follower reads, another data centre)")
        boolean learner;

        @Override
        public Integer call() {
            return admin.post("/api/replicas/add", "{\"group\":" + quote(group) + ",\"server\":" + quote(server)
                    + ",\"learner\":" + learner + "}");
        }
    }

    @Command(name = "remove-replica", description = "Remove a replica from a group.")
    static final class RemoveReplica extends Sub {
        @Parameters(index = "0")
        String group;

        @Parameters(index = "1")
        String server;

        @Override
        public Integer call() {
            return admin.post("/api/replicas/remove", "{\"group\":" + quote(group) + ",\"server\":" + quote(server) + "}");
        }
    }

    @Command(name = "transfer-leader", description = "Make a voting replica its group's leader.")
    static final class TransferLeader extends Sub {
        @Parameters(index = "0")
        String group;

        @Parameters(index = "1")
        String server;

        @Override
        public Integer call() {
            return admin.post("/api/leader", "{\"group\":" + quote(group) + ",\"server\":" + quote(server) + "}");
        }
    }
}
