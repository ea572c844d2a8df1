package io.basalt.server.dispatch;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/** One client connection's state, as CLIENT LIST shows it. Touched only on the connection's event loop (fields read by CLIENT LIST are volatile). */
public final class ClientSession {
    public enum ReplyMode { ON, OFF, SKIP }

    private final long id;
    private final Channel channel;
    private final long createdMs;
    private volatile String name = "";
    private volatile String libName = "";
    private volatile String libVer = "";
    private volatile int proto = 2;
    private volatile boolean authenticated;
    private volatile String user = "default";
    private volatile long lastInteractionMs;
    private volatile String lastCommand = "NULL";
    private volatile ReplyMode replyMode = ReplyMode.ON;
    private volatile boolean noEvict;
    private volatile boolean noTouch;
    private volatile boolean monitor;
    private volatile boolean closing;
    private volatile boolean readonly;
    /** BASALT SESSION: the id writes are deduplicated under, and the number the next command gets. */
    private String dedupId;
    private long nextSeq;
    private long seq;

    public ClientSession(long id, Channel channel, long nowMs, boolean authenticated) {
        this.id = id;
        this.channel = channel;
        this.createdMs = nowMs;
        this.lastInteractionMs = nowMs;
        this.authenticated = authenticated;
    }

    /** A client with no connection: what commands see inside scripts and on replicas. */
    public static ClientSession detached(int proto) {
        ClientSession s = new ClientSession(0, null, 0, true);
        s.proto(proto);
        return s;
    }

    public long id() {
        return id;
    }

    public Channel channel() {
        return channel;
    }

    public long createdMs() {
        return createdMs;
    }

    public String name() {
        return name;
    }

    public void name(String n) {
        name = n;
    }

    public String libName() {
        return libName;
    }

    public void libName(String n) {
        libName = n;
    }

    public String libVer() {
        return libVer;
    }

    public void libVer(String v) {
        libVer = v;
    }

    public int proto() {
        return proto;
    }

    public void proto(int p) {
        proto = p;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean a) {
        authenticated = a;
    }

    public String user() {
        return user;
    }

    public void user(String u) {
        user = u;
    }

    public long lastInteractionMs() {
        return lastInteractionMs;
    }

    public void touch(long nowMs, String command) {
        lastInteractionMs = nowMs;
        lastCommand = command;
    }

    public String lastCommand() {
        return lastCommand;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void replyMode(ReplyMode m) {
        replyMode = m;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean b) {
        noEvict = b;
    }

    public boolean noTouch() {
        return noTouch;
    }

    public void noTouch(boolean b) {
        noTouch = b;
    }

    public boolean monitor() {
        return monitor;
    }

    public void monitor(boolean b) {
        monitor = b;
    }

    public boolean readonly() {
        return readonly;
    }

    public void readonly(boolean b) {
        readonly = b;
    }

    /** Reply to the current command, then close the connection (QUIT, CLIENT KILL of self). */
    public void closeAfterReply() {
        closing = true;
    }

    public boolean closing() {
        return closing;
    }

    // pub/sub subscriptions (event loop only)
    private final java.util.EnumMap<io.basalt.server.net.PubSub.Kind, java.util.Set<io.basalt.server.util.ByteKey>> subscriptions =
            new java.util.EnumMap<>(io.basalt.server.net.PubSub.Kind.class);

    public java.util.Set<io.basalt.server.util.ByteKey> subscriptions(io.basalt.server.net.PubSub.Kind kind) {
        return subscriptions.computeIfAbsent(kind, k -> new java.util.LinkedHashSet<>());
    }

    /** How many subscriptions of {@code kind} (CLIENT LIST, from any thread: creates nothing). */
    public int subscriptionCount(io.basalt.server.net.PubSub.Kind kind) {
        java.util.Set<io.basalt.server.util.ByteKey> s = subscriptions.get(kind);
        return s == null ? 0 : s.size();
    }

    /** Whether the connection is in subscribed mode (RESP2 then refuses most commands). */
    public boolean subscribed() {
        if (subscriptions.isEmpty()) {
            return false; // checked for every command of a RESP2 connection: no iterator when never subscribed
        }
        for (java.util.Set<io.basalt.server.util.ByteKey> s : subscriptions.values()) {
            if (!s.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    // MULTI/EXEC state (event loop only)
    private java.util.List<java.util.List<byte[]>> multi;
    private boolean multiError;
    private Watches.Watch watch;

    public boolean inMulti() {
        return multi != null;
    }

    public void beginMulti() {
        multi = new java.util.ArrayList<>();
        multiError = false;
    }

    /** Queues a command inside MULTI. */
    public void queue(java.util.List<byte[]> argv) {
        multi.add(argv);
    }

    /** A command was refused while queuing: EXEC will reply EXECABORT. */
    public void flagMultiError() {
        multiError = true;
    }

    /** The commands queued so far in MULTI (empty outside MULTI). */
    public java.util.List<java.util.List<byte[]>> queuedCommands() {
        return multi == null ? java.util.List.of() : multi;
    }

    /** Commands queued in MULTI, or -1 outside MULTI (CLIENT LIST's multi=). */
    public int queuedCount() {
        java.util.List<java.util.List<byte[]>> q = multi;
        return q == null ? -1 : q.size();
    }

    public boolean multiError() {
        return multiError;
    }

    /** Ends MULTI, returning what was queued. */
    public java.util.List<java.util.List<byte[]>> endMulti() {
        java.util.List<java.util.List<byte[]>> q = multi;
        multi = null;
        multiError = false;
        return q;
    }

    /** This connection's watched keys ({@code null} if it watches none). */
    public Watches.Watch watch() {
        return watch;
    }

    public Watches.Watch watchOrCreate() {
        if (watch == null) {
            watch = new Watches.Watch();
        }
        return watch;
    }

    /** Hands the watch over to an EXEC (which unregisters it once checked). */
    public Watches.Watch takeWatch() {
        Watches.Watch w = watch;
        watch = null;
        return w;
    }

    /** Forgets the watched keys (UNWATCH, DISCARD, RESET, disconnect). */
    public void unwatch(Watches watches) {
        if (watch != null) {
            watches.unwatch(watch);
            watch = null;
        }
    }

    public String remoteAddress() {
        return format(channel == null ? null : channel.remoteAddress());
    }

    public String localAddress() {
        return format(channel == null ? null : channel.localAddress());
    }

    private static String format(java.net.SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            return i.getAddress().getHostAddress() + ":" + i.getPort();
        }
        return a == null ? "" : a.toString();
    }

    /** Starts numbering this connection's commands: the next one is {@code firstSeq}; null id stops. */
    public void dedupSession(String id, long firstSeq) {
        dedupId = id;
        nextSeq = firstSeq;
    }

    public String dedupId() {
        return dedupId;
    }

    /** A command was taken from the connection's input: it gets the next number (event loop only). */
    public void numberCommand() {
        if (dedupId != null) {
            seq = nextSeq++;
        }
    }

    /** The number of the command being run (valid while {@link #dedupId} is set). */
    public long commandSeq() {
        return seq;
    }
}
