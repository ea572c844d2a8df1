package io.basalt.server.write;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A write as it enters the log: the command exactly as the client sent it, plus the time and random
 * seed the leader fixed when accepting it. Applying a proposal is a pure function of these and the
 * stored data, so replicas that apply the same proposals in the same order end up byte-identical.
 *
 * <p>{@code name} is the handler to run (the table name: {@code "set"}, {@code "client|kill"} never
 * appears here since only data commands propose; internal handlers start with {@code "__"}).
 */
public record Proposal(String name, List<byte[]> args, long nowMs, long seed, Origin origin) {

    public Proposal(String name, List<byte[]> args, long nowMs, long seed) {
        this(name, args, nowMs, seed, null);
    }

    /**
     * What only the node that accepted the proposal knows, never replicated: the client's session
     * (for connection commands queued in MULTI) and a guard, checked on that node immediately before
     * the proposal applies, in log order (EXEC's WATCH check). A proposal whose guard fails applies as
     * a no-op that replies a null array. With Raft the guard is checked by the leader as the entry
     * is appended, with nothing appended between the check and the entry (see docs/architecture.md).
     */
    public record Origin(io.basalt.server.dispatch.ClientSession session,
            java.util.function.Predicate<io.basalt.server.storage.types.Keyspace> guard) {}

    /** Wire form for the replication log: name, time, seed, then each argument length-prefixed. */
    public byte[] encode() {
        byte[] out = new byte[encodedSize()];
        write(ByteBuffer.wrap(out));
        return out;
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, byte[]> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    private byte[] nameBytes() {
        return NAMES.computeIfAbsent(name, n -> n.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private int encodedSize() {
        int size = 2 + nameBytes().length + 8 + 8 + 4;
        for (byte[] a : args) {
            size += 4 + a.length;
        }
        return size;
    }

    private void write(ByteBuffer b) {
        byte[] n = nameBytes();
        b.putShort((short) n.length).put(n).putLong(nowMs).putLong(seed).putInt(args.size());
        for (byte[] a : args) {
            b.putInt(a.length).put(a);
        }
    }

    public static Proposal decode(byte[] bytes) {
        return read(ByteBuffer.wrap(bytes));
    }

    private static Proposal read(ByteBuffer b) {
        byte[] n = new byte[b.getShort()];
        b.get(n);
        long now = b.getLong();
        long seed = b.getLong();
        int argc = b.getInt();
        List<byte[]> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            byte[] a = new byte[b.getInt()];
            b.get(a);
            args.add(a);
        }
        return new Proposal(new String(n, java.nio.charset.StandardCharsets.US_ASCII), args, now, seed);
    }

    /**
     * A log entry: a ticket (the submitting node's handle on the batch) and the proposals, in order,
     * each length-prefixed. Built in one array, in one pass.
     */
    public static byte[] encodeBatch(long ticket, List<Proposal> proposals) {
        int n = proposals.size();
        int[] sizes = new int[n];
        int total = 12;
        for (int i = 0; i < n; i++) {
            sizes[i] = proposals.get(i).encodedSize();
            total += 4 + sizes[i];
        }
        byte[] out = new byte[total];
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putLong(ticket).putInt(n);
        for (int i = 0; i < n; i++) {
            b.putInt(sizes[i]);
            proposals.get(i).write(b);
        }
        return out;
    }

    public static long batchTicket(ByteBuffer entry) {
        return entry.getLong(entry.position());
    }

    public static List<Proposal> decodeBatch(ByteBuffer entry) {
        ByteBuffer b = entry.duplicate();
        b.getLong();
        int n = b.getInt();
        List<Proposal> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int size = b.getInt();
            int end = b.position() + size;
            out.add(read(b));
            b.position(end);
        }
        return out;
    }

    /** The handler name of a write numbered within a client's dedup session (see {@link #inSession}). */
    public static final String SESSION = "__session";

    /**
     * This write, numbered {@code seq} in the client's session {@code id}: applied at most once, a
     * repeat answered with the stored reply of the first (see Applier). Wire form: the session's
     * id and number, then the write's own name and arguments.
     */
    public Proposal inSession(String id, long seq) {
        List<byte[]> a = new ArrayList<>(args.size() + 3);
        a.add(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        a.add(ByteBuffer.allocate(8).putLong(seq).array());
        a.add(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        a.addAll(args);
        return new Proposal(SESSION, a, nowMs, seed, origin);
    }

    /** For a {@link #SESSION} proposal: the write inside it. */
    public Proposal inner() {
        return new Proposal(new String(args.get(2), java.nio.charset.StandardCharsets.US_ASCII),
                args.subList(3, args.size()), nowMs, seed, origin);
    }

    public String sessionId() {
        return new String(args.get(0), java.nio.charset.StandardCharsets.US_ASCII);
    }

    public long sessionSeq() {
        return ByteBuffer.wrap(args.get(1)).getLong();
    }
}
