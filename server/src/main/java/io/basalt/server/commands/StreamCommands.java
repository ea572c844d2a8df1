package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.encoding.RedisType;
import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.storage.types.KeyspaceTxn;
import io.basalt.server.storage.types.StreamId;
import io.basalt.server.storage.types.StreamValue;
import io.basalt.server.storage.types.StreamValue.Consumer;
import io.basalt.server.storage.types.StreamValue.Group;
import io.basalt.server.storage.types.StreamValue.Pending;
import io.basalt.server.storage.types.StreamValue.StreamEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stream commands over {@link StreamValue}. Writes (XADD, XREADGROUP, XCLAIM, …) apply on the
 * applier and take every time they record ({@code *} IDs, delivery times, seen times) from the
 * proposal's fixed time. XREAD changes nothing, so it is a read even with BLOCK: the connection
 * re-runs it when a write touches one of its streams (see ConnectionHandler), after the first
 * attempt rewrote {@code $} to each stream's last ID.
 */
public final class StreamCommands {
    private StreamCommands() {}

    static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";

    public static void register(CommandRegistry r) {
        r.write("xadd", StreamCommands::xadd, (a, c) -> AddTrim.parse(a, true));
        r.read("xlen", ctx -> Reply.integer(stream(ctx.keyspace(), ctx.args().bytes(1)).length()));
        r.read("xrange", ctx -> xrange(ctx, false));
        r.read("xrevrange", ctx -> xrange(ctx, true));
        r.write("xdel", StreamCommands::xdel);
        r.write("xtrim", StreamCommands::xtrim, (a, c) -> AddTrim.parse(a, false));
        r.read("xread", StreamCommands::xread);
        r.write("xreadgroup", ctx -> xreadgroup(ctx, false), (a, c) -> {
            if (ReadArgs.parse(a, true).timeout() >= 0 && c.fromScript()) {
                throw new RedisException("ERR xreadgroup command is not allowed with BLOCK option from scripts");
            }
        });
        // a blocked XREADGROUP's retries: the stream or group vanishing ends the wait with an error
        r.write("__xreadgroup-retry", ctx -> xreadgroup(ctx, true));
        r.write("xack", StreamCommands::xack);
        r.read("xpending", StreamCommands::xpending);
        r.write("xclaim", StreamCommands::xclaim);
        r.write("xautoclaim", StreamCommands::xautoclaim);
        r.write("xsetid", StreamCommands::xsetid);
        r.write("xgroup|create", StreamCommands::xgroupCreate);
        r.write("xgroup|setid", StreamCommands::xgroupSetId);
        r.write("xgroup|destroy", StreamCommands::xgroupDestroy);
        r.write("xgroup|createconsumer", StreamCommands::xgroupCreateConsumer);
        r.write("xgroup|delconsumer", StreamCommands::xgroupDelConsumer);
        r.read("xgroup|help", ctx -> help(XGROUP_HELP));
        r.read("xinfo|stream", StreamInfo::stream);
        r.read("xinfo|groups", StreamInfo::groups);
        r.read("xinfo|consumers", StreamInfo::consumers);
        r.read("xinfo|help", ctx -> help(XINFO_HELP));
    }

    private static final String[] XGROUP_HELP = {
        "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
        "HELP",
        "    Prints this help."};

    private static final String[] XINFO_HELP = {
        "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CONSUMERS <key> <groupname>",
        "    Show consumers of <groupname>.",
        "GROUPS <key>",
        "    Show the stream consumer groups.",
        "STREAM <key> [FULL [COUNT <count>]",
        "    Show information about the stream.",
        "HELP",
        "    Prints this help."};

    private static Reply help(String[] lines) {
        List<Reply> out = new ArrayList<>();
        for (String l : lines) {
            out.add(Reply.simple(l));
        }
        return Reply.array(out);
    }

    static StreamValue stream(Keyspace ks, byte[] key) {
        return StreamValue.of(ks, key);
    }

    // ---- ID arguments ----

    /** Strict ID ({@code -} and {@code +} rejected). */
    static StreamId strictId(byte[] arg) {
        StreamId.Parsed p = StreamId.parse(arg, 0, true, false);
        if (p == null) {
            throw new RedisException(INVALID_ID);
        }
        return p.id();
    }

    static StreamId id(byte[] arg, long missingSeq) {
        StreamId.Parsed p = StreamId.parse(arg, missingSeq, false, false);
        if (p == null) {
            throw new RedisException(INVALID_ID);
        }
        return p.id();
    }

    /** A range bound: {@code (id} is exclusive (strict syntax), else an ID, {@code -} or {@code +}. */
    static StreamId bound(byte[] arg, long missingSeq, boolean start) {
        boolean exclusive = arg.length > 1 && arg[0] == '(';
        if (!exclusive) {
            return id(arg, missingSeq);
        }
        StreamId.Parsed p = StreamId.parse(Arrays.copyOfRange(arg, 1, arg.length), missingSeq, true, false);
        if (p == null) {
            throw new RedisException(INVALID_ID);
        }
        StreamId moved = start ? p.id().next() : p.id().prev();
        if (moved == null) {
            throw new RedisException(start ? "ERR invalid start ID for the interval" : "ERR invalid end ID for the interval");
        }
        return moved;
    }

    static Reply idReply(StreamId id) {
        return Reply.bulk(id.toBytes());
    }

    static Reply entryReply(StreamEntry e) {
        List<Reply> fv = new ArrayList<>(e.fields().size());
        for (byte[] b : e.fields()) {
            fv.add(Reply.bulk(b));
        }
        return Reply.array(idReply(e.id()), Reply.array(fv));
    }

    static Reply entriesReply(List<StreamEntry> entries) {
        List<Reply> out = new ArrayList<>(entries.size());
        for (StreamEntry e : entries) {
            out.add(entryReply(e));
        }
        return Reply.array(out);
    }

    // ---- XADD / XTRIM ----

    /** XADD's and XTRIM's arguments, parsed as Redis does (in the same order, with its errors). */
    record AddTrim(boolean noMkStream, int strategy, boolean approx, long maxLen, StreamId minId, long limit, boolean limitGiven,
            StreamId id, boolean seqGiven, int fieldPos) {
        static final int NONE = 0;
        static final int MAXLEN = 1;
        static final int MINID = 2;

        static AddTrim parse(Args a, boolean xadd) {
            boolean noMk = false;
            int strategy = NONE;
            boolean approx = false;
            long maxLen = 0;
            StreamId minId = null;
            long limit = 0;
            boolean limitGiven = false;
            StreamId id = null;
            boolean seqGiven = true;
            int i = 2;
            for (; i < a.size(); i++) {
                int more = a.size() - 1 - i;
                byte[] opt = a.bytes(i);
                if (xadd && opt.length == 1 && opt[0] == '*') {
                    break;
                } else if (a.is(i, "MAXLEN") && more > 0) {
                    if (strategy != NONE) {
                        throw new RedisException("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                    }
                    approx = false;
                    if (more >= 2 && a.is(i + 1, "~")) {
                        approx = true;
                        i++;
                    } else if (more >= 2 && a.is(i + 1, "=")) {
                        i++;
                    }
                    maxLen = a.longValue(i + 1);
                    if (maxLen < 0) {
                        throw new RedisException("ERR The MAXLEN argument must be >= 0.");
                    }
                    i++;
                    strategy = MAXLEN;
                } else if (a.is(i, "MINID") && more > 0) {
                    if (strategy != NONE) {
                        throw new RedisException("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                    }
                    approx = false;
                    if (more >= 2 && a.is(i + 1, "~")) {
                        approx = true;
                        i++;
                    } else if (more >= 2 && a.is(i + 1, "=")) {
                        i++;
                    }
                    minId = strictId(a.bytes(i + 1));
                    i++;
                    strategy = MINID;
                } else if (a.is(i, "LIMIT") && more > 0) {
                    limit = a.longValue(i + 1);
                    if (limit < 0) {
                        throw new RedisException("ERR The LIMIT argument must be >= 0.");
                    }
                    limitGiven = true;
                    i++;
                } else if (xadd && a.is(i, "NOMKSTREAM")) {
                    noMk = true;
                } else if (xadd) {
                    StreamId.Parsed p = StreamId.parse(opt, 0, true, true);
                    if (p == null) {
                        throw new RedisException(INVALID_ID);
                    }
                    id = p.id();
                    seqGiven = p.seqGiven();
                    break;
                } else {
                    throw Errors.syntax();
                }
            }
            if (limit != 0 && strategy == NONE) {
                throw new RedisException("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
            }
            if (!xadd && strategy == NONE) {
                throw new RedisException("ERR syntax error, XTRIM must be called with a trimming strategy");
            }
            if (limit != 0 && !approx) {
                throw new RedisException("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
            int fieldPos = i + 1;
            if (xadd) {
                int n = a.size() - fieldPos;
                if (n < 2 || n % 2 == 1) {
                    throw Errors.wrongArgs("xadd");
                }
                if (id != null && seqGiven && id.isMin()) {
                    throw new RedisException("ERR The ID specified in XADD must be greater than 0-0");
                }
            }
            return new AddTrim(noMk, strategy, approx, maxLen, minId, limit, limitGiven, id, seqGiven, fieldPos);
        }

        /** The work limit of an approximate trim (Redis: 100 nodes' worth unless LIMIT is given). */
        long effectiveLimit(KeyspaceTxn ks) {
            if (!approx) {
                return 0;
            }
            if (limitGiven) {
                return limit;
            }
            long l = ks.encodings().streamNodeMaxEntries() * 100;
            if (l <= 0) {
                l = 10000;
            }
            return Math.min(l, 1000000);
        }

        long trim(StreamValue s, KeyspaceTxn ks) {
            return s.trim(strategy == MAXLEN ? maxLen : 0, strategy == MINID ? minId : null, approx, effectiveLimit(ks));
        }
    }

    static Reply xadd(ApplyContext ctx) {
        Args a = ctx.args();
        AddTrim t = AddTrim.parse(a, true);
        StreamValue s = stream(ctx.keyspace(), a.bytes(1));
        if (!s.exists() && t.noMkStream()) {
            return Reply.NULL;
        }
        StreamId last = s.lastId();
        if (last.isMax()) {
            throw new RedisException("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        StreamId id;
        if (t.id() == null) {
            long now = ctx.nowMs();
            id = Long.compareUnsigned(now, last.ms()) > 0 ? new StreamId(now, 0) : last.next();
        } else if (!t.seqGiven()) {
            if (last.ms() == t.id().ms()) {
                if (last.seq() == -1L) {
                    throw new RedisException("ERR The ID specified in XADD is equal or smaller than the target stream top item");
                }
                id = new StreamId(last.ms(), last.seq() + 1);
            } else {
                id = t.id();
            }
        } else {
            id = t.id();
        }
        if (id.compareTo(last) <= 0) {
            throw new RedisException("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
        List<byte[]> fields = new ArrayList<>(a.list().subList(t.fieldPos(), a.size()));
        s.create();
        s.append(id, fields);
        if (t.strategy() != AddTrim.NONE) {
            t.trim(s, ctx.keyspace());
        }
        s.save();
        return idReply(id);
    }

    static Reply xtrim(ApplyContext ctx) {
        Args a = ctx.args();
        AddTrim t = AddTrim.parse(a, false);
        StreamValue s = stream(ctx.keyspace(), a.bytes(1));
        if (!s.exists()) {
            return Reply.ZERO;
        }
        long n = t.trim(s, ctx.keyspace());
        s.save();
        return Reply.integer(n);
    }

    static Reply xdel(ApplyContext ctx) {
        Args a = ctx.args();
        StreamValue s = stream(ctx.keyspace(), a.bytes(1));
        if (!s.exists()) {
            return Reply.ZERO;
        }
        List<StreamId> ids = new ArrayList<>();
        for (int i = 2; i < a.size(); i++) {
            ids.add(strictId(a.bytes(i)));
        }
        long n = 0;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                n++;
            }
        }
        s.save();
        return Reply.integer(n);
    }

    static Reply xrange(CommandContext ctx, boolean rev) {
        Args a = ctx.args();
        StreamId start = bound(a.bytes(rev ? 3 : 2), 0, true);
        StreamId end = bound(a.bytes(rev ? 2 : 3), -1L, false);
        long count = -1;
        for (int j = 4; j < a.size(); j++) {
            if (a.is(j, "COUNT") && j + 1 < a.size()) {
                count = a.longValue(j + 1);
                if (count < 0) {
                    count = 0;
                }
                j++;
            } else {
                throw Errors.syntax();
            }
        }
        StreamValue s = stream(ctx.keyspace(), a.bytes(1));
        if (!s.exists()) {
            return Reply.EMPTY_ARRAY;
        }
        if (count == 0) {
            return Reply.NULL_ARRAY;
        }
        return entriesReply(s.range(start, end, rev, count < 0 ? 0 : count));
    }

    // ---- XREAD / XREADGROUP ----

    /** XREAD's and XREADGROUP's options. {@code timeout}: -1 without BLOCK, else ms (0 = forever). */
    record ReadArgs(long timeout, long count, int streamsArg, int streams, byte[] group, byte[] consumer, boolean noAck) {
        static ReadArgs parse(Args a, boolean xreadgroup) {
            long timeout = -1;
            long count = 0;
            int streamsArg = 0;
            int streams = 0;
            byte[] group = null;
            byte[] consumer = null;
            boolean noAck = false;
            for (int i = 1; i < a.size(); i++) {
                int more = a.size() - i - 1;
                if (a.is(i, "BLOCK") && more > 0) {
                    i++;
                    timeout = blockTimeout(a.bytes(i));
                } else if (a.is(i, "COUNT") && more > 0) {
                    i++;
                    count = a.longValue(i);
                    if (count < 0) {
                        count = 0;
                    }
                } else if (a.is(i, "STREAMS") && more > 0) {
                    streamsArg = i + 1;
                    int n = a.size() - streamsArg;
                    if (n % 2 != 0) {
                        throw new RedisException("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                    }
                    streams = n / 2;
                    break;
                } else if (a.is(i, "GROUP") && more >= 2) {
                    if (!xreadgroup) {
                        throw new RedisException("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                    }
                    group = a.bytes(i + 1);
                    consumer = a.bytes(i + 2);
                    i += 2;
                } else if (a.is(i, "NOACK")) {
                    if (!xreadgroup) {
                        throw new RedisException("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                    }
                    noAck = true;
                } else {
                    throw Errors.syntax();
                }
            }
            if (streamsArg == 0) {
                throw Errors.syntax();
            }
            if (xreadgroup && group == null) {
                throw new RedisException("ERR Missing GROUP option for XREADGROUP");
            }
            return new ReadArgs(timeout, count, streamsArg, streams, group, consumer, noAck);
        }
    }

    static long blockTimeout(byte[] arg) {
        Long v = Args.parseLong(arg);
        if (v == null) {
            throw new RedisException("ERR timeout is not an integer or out of range");
        }
        if (v < 0) {
            throw new RedisException("ERR timeout is negative");
        }
        return v;
    }

    /**
     * For the connection: the BLOCK timeout in ms of an XREAD/XREADGROUP (0 = forever), or -1 when it
     * does not block or its arguments are invalid (the command itself then replies the error).
     */
    public static long blockTimeoutOrNone(Args a) {
        try {
            return ReadArgs.parse(a, a.name().equals("xreadgroup")).timeout();
        } catch (RedisException e) {
            return -1;
        }
    }

    static Reply xread(CommandContext ctx) {
        Args a = ctx.args();
        ReadArgs r = ReadArgs.parse(a, false);
        if (r.timeout() >= 0 && ctx.fromScript()) {
            throw new RedisException("ERR xread command is not allowed with BLOCK option from scripts");
        }
        Keyspace ks = ctx.keyspace();
        StreamId[] ids = new StreamId[r.streams()];
        StreamValue[] streams = new StreamValue[r.streams()];
        boolean rewrite = false;
        for (int i = 0; i < r.streams(); i++) {
            byte[] key = a.bytes(r.streamsArg() + i);
            byte[] idArg = a.bytes(r.streamsArg() + r.streams() + i);
            StreamValue s = stream(ks, key);
            streams[i] = s;
            if (idArg.length == 1 && idArg[0] == '$') {
                ids[i] = s.exists() ? s.lastId() : StreamId.MIN;
                rewrite = true;
            } else if (idArg.length == 1 && idArg[0] == '>') {
                throw new RedisException("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
            } else {
                ids[i] = strictId(idArg);
            }
        }
        List<Reply> out = new ArrayList<>();
        for (int i = 0; i < r.streams(); i++) {
            StreamValue s = streams[i];
            if (!s.exists() || s.length() == 0) {
                continue;
            }
            StreamEntry last = s.last();
            if (last == null || last.id().compareTo(ids[i]) <= 0) {
                continue;
            }
            out.add(Reply.bulk(a.bytes(r.streamsArg() + i)));
            out.add(entriesReply(s.range(ids[i].next(), StreamId.MAX, false, r.count())));
        }
        if (!out.isEmpty()) {
            return new Reply.KeyedArrays(out);
        }
        if (r.timeout() >= 0) {
            if (!rewrite) {
                return Reply.BLOCKED;
            }
            List<byte[]> retry = new ArrayList<>(a.list());
            for (int i = 0; i < r.streams(); i++) {
                retry.set(r.streamsArg() + r.streams() + i, ids[i].toBytes());
            }
            return new Reply.Blocked(retry);
        }
        return Reply.NULL_ARRAY;
    }

    static Reply xreadgroup(ApplyContext ctx, boolean retry) {
        Args a = ctx.args();
        ReadArgs r = ReadArgs.parse(a, true);
        KeyspaceTxn ks = ctx.keyspace();
        long now = ctx.nowMs();
        StreamId[] ids = new StreamId[r.streams()];
        StreamValue[] streams = new StreamValue[r.streams()];
        for (int i = 0; i < r.streams(); i++) {
            byte[] key = a.bytes(r.streamsArg() + i);
            byte[] idArg = a.bytes(r.streamsArg() + r.streams() + i);
            StreamValue s;
            try {
                s = stream(ks, key);
            } catch (RedisException wrongType) {
                if (retry) {
                    throw new RedisException("UNBLOCKED the stream key no longer exists");
                }
                throw wrongType;
            }
            streams[i] = s;
            if (retry && !s.exists()) {
                throw new RedisException("UNBLOCKED the stream key no longer exists");
            }
            if (retry && s.group(r.group()) == null) {
                throw new RedisException("NOGROUP the consumer group this client was blocked on no longer exists");
            }
            if (!s.exists() || s.group(r.group()) == null) {
                throw new RedisException("NOGROUP No such key '" + str(key) + "' or consumer group '" + str(r.group())
                        + "' in XREADGROUP with GROUP option");
            }
            if (idArg.length == 1 && idArg[0] == '$') {
                throw new RedisException("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history "
                        + "of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just "
                        + "return an empty result set.");
            } else if (idArg.length == 1 && idArg[0] == '>') {
                ids[i] = null;
            } else {
                ids[i] = strictId(idArg);
            }
        }
        List<Reply> out = new ArrayList<>();
        for (int i = 0; i < r.streams(); i++) {
            StreamValue s = streams[i];
            byte[] key = a.bytes(r.streamsArg() + i);
            Group g = s.group(r.group());
            if (ids[i] != null) {
                s.ensureConsumer(r.group(), r.consumer(), now, null);
                out.add(Reply.bulk(key));
                out.add(history(s, r.group(), r.consumer(), ids[i], r.count(), now));
                continue;
            }
            if (s.length() == 0) {
                continue;
            }
            StreamEntry last = s.last();
            if (last == null || last.id().compareTo(g.lastId()) <= 0) {
                continue;
            }
            s.ensureConsumer(r.group(), r.consumer(), now, null);
            List<StreamEntry> entries = s.range(g.lastId().next(), StreamId.MAX, false, r.count());
            for (StreamEntry e : entries) {
                g = s.group(r.group());
                long read = g.entriesRead();
                if (read != StreamValue.INVALID_READ && !s.rangeHasTombstones(e.id(), null)) {
                    read++;
                } else if (s.entriesAdded() != 0) {
                    read = s.estimateDistance(e.id());
                }
                s.putGroup(g.with(e.id(), read));
                if (!r.noAck()) {
                    s.putPending(r.group(), new Pending(e.id(), r.consumer(), now, 1));
                }
            }
            out.add(Reply.bulk(key));
            out.add(entriesReply(entries));
        }
        if (!out.isEmpty()) {
            return new Reply.KeyedArrays(out);
        }
        return r.timeout() >= 0 ? Reply.BLOCKED : Reply.NULL_ARRAY;
    }

    /** A consumer's own pending entries after {@code after}: delivered again (count and time updated). */
    private static Reply history(StreamValue s, byte[] group, byte[] consumer, StreamId after, long count, long now) {
        List<Reply> out = new ArrayList<>();
        StreamId from = after.next();
        if (from == null) {
            return Reply.array(out);
        }
        List<StreamId> ids = new ArrayList<>();
        s.consumerPending(group, consumer, from, StreamId.MAX, id -> {
            ids.add(id);
            return count <= 0 || ids.size() < count;
        });
        for (StreamId id : ids) {
            List<byte[]> fields = s.get(id);
            if (fields == null) {
                out.add(Reply.array(idReply(id), Reply.NULL_ARRAY));
            } else {
                Pending p = s.pending(group, id);
                s.putPending(group, new Pending(id, consumer, now, p.deliveryCount() + 1));
                out.add(entryReply(new StreamEntry(id, fields)));
            }
        }
        return Reply.array(out);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- XACK / XPENDING / XCLAIM / XAUTOCLAIM ----

    static Reply xack(ApplyContext ctx) {
        Args a = ctx.args();
        StreamValue s = stream(ctx.keyspace(), a.bytes(1));
        if (!s.exists() || s.group(a.bytes(2)) == null) {
            return Reply.ZERO;
        }
        List<StreamId> ids = new ArrayList<>();
        for (int j = 3; j < a.size(); j++) {
            ids.add(strictId(a.bytes(j)));
        }
        long n = 0;
        for (StreamId id : ids) {
            if (s.removePending(a.bytes(2), id)) {
                n++;
            }
        }
        return Reply.integer(n);
    }

    static Reply xpending(CommandContext ctx) {
        Args a = ctx.args();
        int argc = a.size();
        boolean justInfo = argc == 3;
        if (argc != 3 && (argc < 6 || argc > 9)) {
            throw Errors.syntax();
        }
        StreamId start = null;
        StreamId end = null;
        long count = 0;
        long minIdle = 0;
        byte[] consumerName = null;
        if (argc >= 6) {
            int at = 3;
            if (a.is(3, "IDLE")) {
                minIdle = a.longValue(4);
                if (argc < 8) {
                    throw Errors.syntax();
                }
                at += 2;
            }
            count = a.longValue(at + 2);
            if (count < 0) {
                count = 0;
            }
            start = bound(a.bytes(at), 0, true);
            end = bound(a.bytes(at + 1), -1L, false);
            if (at + 3 < argc) {
                consumerName = a.bytes(at + 3);
            }
        }
        StreamValue s = stream(ctx.keyspace(), a.bytes(1));
        Group g = s.exists() ? s.group(a.bytes(2)) : null;
        if (g == null) {
            throw new RedisException("NOGROUP No such key '" + str(a.bytes(1)) + "' or consumer group '" + str(a.bytes(2)) + "'");
        }
        byte[] group = a.bytes(2);
        if (justInfo) {
            if (g.pelCount() == 0) {
                return Reply.array(Reply.ZERO, Reply.NULL, Reply.NULL, Reply.NULL_ARRAY);
            }
            StreamId[] edges = new StreamId[2];
            s.groupPending(group, StreamId.MIN, StreamId.MAX, p -> {
                if (edges[0] == null) {
                    edges[0] = p.id();
                }
                edges[1] = p.id();
                return true;
            });
            List<Reply> consumers = new ArrayList<>();
            for (Consumer c : s.consumers(group)) {
                if (c.pelCount() > 0) {
                    consumers.add(Reply.array(Reply.bulk(c.name()), Reply.bulk(Long.toString(c.pelCount()))));
                }
            }
            return Reply.array(Reply.integer(g.pelCount()), idReply(edges[0]), idReply(edges[1]), Reply.array(consumers));
        }
        long now = ctx.nowMs();
        List<Reply> out = new ArrayList<>();
        long[] left = {count};
        long idle = minIdle;
        if (left[0] == 0) {
            return Reply.EMPTY_ARRAY;
        }
        if (consumerName != null) {
            if (s.consumer(group, consumerName) == null) {
                return Reply.EMPTY_ARRAY;
            }
            List<StreamId> ids = new ArrayList<>();
            s.consumerPending(group, consumerName, start, end, id -> {
                ids.add(id);
                return true;
            });
            for (StreamId id : ids) {
                if (left[0] == 0) {
                    break;
                }
                Pending p = s.pending(group, id);
                if (p == null || !pendingLine(p, now, idle, out)) {
                    continue;
                }
                left[0]--;
            }
            return Reply.array(out);
        }
        s.groupPending(group, start, end, p -> {
            if (pendingLine(p, now, idle, out)) {
                left[0]--;
            }
            return left[0] > 0;
        });
        return Reply.array(out);
    }

    private static boolean pendingLine(Pending p, long now, long minIdle, List<Reply> out) {
        long idle = now - p.deliveryTime();
        if (minIdle != 0 && idle < minIdle) {
            return false;
        }
        out.add(Reply.array(idReply(p.id()), Reply.bulk(p.consumer()), Reply.integer(Math.max(0, idle)),
                Reply.integer(p.deliveryCount())));
        return true;
    }

    static Reply xclaim(ApplyContext ctx) {
        Args a = ctx.args();
        StreamValue s = stream(ctx.keyspace(), a.bytes(1));
        byte[] group = a.bytes(2);
        Group g = s.exists() ? s.group(group) : null;
        if (g == null) {
            throw new RedisException("NOGROUP No such key '" + str(a.bytes(1)) + "' or consumer group '" + str(group) + "'");
        }
        long minIdle = a.longValue(4, "ERR Invalid min-idle-time argument for XCLAIM");
        if (minIdle < 0) {
            minIdle = 0;
        }
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < a.size(); j++) {
            StreamId.Parsed p = StreamId.parse(a.bytes(j), 0, true, false);
            if (p == null) {
                break;
            }
            ids.add(p.id());
        }
        long now = ctx.nowMs();
        long deliveryTime = -1;
        long retryCount = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < a.size(); j++) {
            int more = a.size() - 1 - j;
            if (a.is(j, "FORCE")) {
                force = true;
            } else if (a.is(j, "JUSTID")) {
                justId = true;
            } else if (a.is(j, "IDLE") && more > 0) {
                j++;
                deliveryTime = now - a.longValue(j, "ERR Invalid IDLE option argument for XCLAIM");
            } else if (a.is(j, "TIME") && more > 0) {
                j++;
                deliveryTime = a.longValue(j, "ERR Invalid TIME option argument for XCLAIM");
            } else if (a.is(j, "RETRYCOUNT") && more > 0) {
                j++;
                retryCount = a.longValue(j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (a.is(j, "LASTID") && more > 0) {
                j++;
                lastId = strictId(a.bytes(j));
            } else {
                throw new RedisException("ERR Unrecognized XCLAIM option '" + str(a.bytes(j)) + "'");
            }
        }
        if (lastId.compareTo(g.lastId()) > 0) {
            s.putGroup(g.with(lastId, g.entriesRead()));
        }
        if (deliveryTime != -1) {
            if (deliveryTime < 0 || deliveryTime > now) {
                deliveryTime = now;
            }
        } else {
            deliveryTime = now;
        }
        byte[] name = a.bytes(3);
        boolean consumerSeen = false;
        List<Reply> out = new ArrayList<>();
        for (StreamId id : ids) {
            Pending p = s.pending(group, id);
            if (!s.has(id)) {
                if (p != null) {
                    s.removePending(group, id);
                }
                continue;
            }
            boolean created = false;
            if (force && p == null) {
                p = new Pending(id, null, now, 1);
                created = true;
            }
            if (p == null) {
                continue;
            }
            if (!created && minIdle != 0 && now - p.deliveryTime() < minIdle) {
                continue;
            }
            if (!consumerSeen) {
                s.ensureConsumer(group, name, now, null);
                consumerSeen = true;
            }
            long deliveries = retryCount >= 0 ? retryCount : justId ? p.deliveryCount() : p.deliveryCount() + 1;
            s.putPending(group, new Pending(id, name, deliveryTime, deliveries));
            out.add(claimed(s, id, justId));
        }
        return Reply.array(out);
    }

    private static Reply claimed(StreamValue s, StreamId id, boolean justId) {
        if (justId) {
            return idReply(id);
        }
        List<byte[]> fields = s.get(id);
        return fields == null ? Reply.NULL : entryReply(new StreamEntry(id, fields));
    }

    static Reply xautoclaim(ApplyContext ctx) {
        Args a = ctx.args();
        long minIdle = a.longValue(4, "ERR Invalid min-idle-time argument for XAUTOCLAIM");
        if (minIdle < 0) {
            minIdle = 0;
        }
        StreamId start = bound(a.bytes(5), 0, true);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < a.size(); j++) {
            int more = a.size() - 1 - j;
            if (a.is(j, "COUNT") && more > 0) {
                Long c = Args.parseLong(a.bytes(j + 1));
                if (c == null || c < 1 || c > Long.MAX_VALUE / 16) {
                    throw new RedisException("ERR COUNT must be > 0");
                }
                count = c;
                j++;
            } else if (a.is(j, "JUSTID")) {
                justId = true;
            } else {
                throw Errors.syntax();
            }
        }
        StreamValue s = stream(ctx.keyspace(), a.bytes(1));
        byte[] group = a.bytes(2);
        Group g = s.exists() ? s.group(group) : null;
        if (g == null) {
            throw new RedisException("NOGROUP No such key '" + str(a.bytes(1)) + "' or consumer group '" + str(group) + "'");
        }
        long now = ctx.nowMs();
        byte[] name = a.bytes(3);
        long attempts = count * 10;
        // the PEL entries this call may look at, plus one for the cursor
        List<Pending> candidates = new ArrayList<>();
        long window = Math.min(attempts, Long.MAX_VALUE - 1) + 1;
        s.groupPending(group, start, StreamId.MAX, p -> {
            candidates.add(p);
            return candidates.size() < window;
        });
        List<Reply> claimed = new ArrayList<>();
        List<Reply> deleted = new ArrayList<>();
        boolean consumerSeen = false;
        int i = 0;
        long left = count;
        while (attempts > 0 && left > 0 && i < candidates.size()) {
            attempts--;
            Pending p = candidates.get(i++);
            if (!s.has(p.id())) {
                s.removePending(group, p.id());
                deleted.add(idReply(p.id()));
                left--;
                continue;
            }
            if (minIdle != 0 && now - p.deliveryTime() < minIdle) {
                continue;
            }
            if (!consumerSeen) {
                s.ensureConsumer(group, name, now, null);
                consumerSeen = true;
            }
            s.putPending(group, new Pending(p.id(), name, now, justId ? p.deliveryCount() : p.deliveryCount() + 1));
            claimed.add(claimed(s, p.id(), justId));
            left--;
        }
        StreamId cursor = i < candidates.size() ? candidates.get(i).id() : StreamId.MIN;
        return Reply.array(idReply(cursor), Reply.array(claimed), Reply.array(deleted));
    }

    // ---- XSETID / XGROUP ----

    static Reply xsetid(ApplyContext ctx) {
        Args a = ctx.args();
        StreamId id = strictId(a.bytes(2));
        long entriesAdded = -1;
        StreamId maxDeleted = StreamId.MIN;
        int i = 3;
        while (i < a.size()) {
            int more = a.size() - 1 - i;
            if (a.is(i, "ENTRIESADDED") && more > 0) {
                entriesAdded = a.longValue(i + 1);
                if (entriesAdded < 0) {
                    throw new RedisException("ERR entries_added must be positive");
                }
                i += 2;
            } else if (a.is(i, "MAXDELETEDID") && more > 0) {
                maxDeleted = strictId(a.bytes(i + 1));
                if (id.compareTo(maxDeleted) < 0) {
                    throw new RedisException("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i += 2;
            } else {
                throw Errors.syntax();
            }
        }
        StreamValue s = stream(ctx.keyspace(), a.bytes(1));
        if (!s.exists()) {
            throw new RedisException(Errors.NO_SUCH_KEY);
        }
        if (s.length() > 0) {
            StreamEntry last = s.last();
            if (last != null && id.compareTo(last.id()) < 0) {
                throw new RedisException("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new RedisException("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.setCounters(id, entriesAdded != -1 ? entriesAdded : s.entriesAdded(), maxDeleted.isMin() ? s.maxDeletedId() : maxDeleted);
        s.save();
        return Reply.OK;
    }

    private static RedisException subcommandSyntax(Args a) {
        return new RedisException("ERR unknown subcommand or wrong number of arguments for '" + a.string(1) + "'. Try XGROUP HELP.");
    }

    /** The stream for an XGROUP subcommand: it must exist (unless MKSTREAM). */
    private static StreamValue groupStream(ApplyContext ctx, boolean mkstream) {
        Args a = ctx.args();
        StreamValue s = stream(ctx.keyspace(), a.bytes(2));
        if (!mkstream && !s.exists()) {
            throw new RedisException("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want "
                    + "to use the MKSTREAM option to create an empty stream automatically.");
        }
        return s;
    }

    private static Group requireGroup(StreamValue s, Args a) {
        Group g = s.group(a.bytes(3));
        if (g == null) {
            throw new RedisException("NOGROUP No such consumer group '" + str(a.bytes(3)) + "' for key name '" + str(a.bytes(2)) + "'");
        }
        return g;
    }

    private static long entriesRead(Args a, int i) {
        long v = a.longValue(i);
        if (v < 0 && v != -1) {
            throw new RedisException("ERR value for ENTRIESREAD must be positive or -1");
        }
        return v;
    }

    static Reply xgroupCreate(ApplyContext ctx) {
        Args a = ctx.args();
        boolean mkstream = false;
        long entriesRead = StreamValue.INVALID_READ;
        for (int i = 5; i < a.size(); ) {
            if (a.is(i, "MKSTREAM")) {
                mkstream = true;
                i++;
            } else if (a.is(i, "ENTRIESREAD") && i + 1 < a.size()) {
                entriesRead = entriesRead(a, i + 1);
                i += 2;
            } else {
                throw subcommandSyntax(a);
            }
        }
        StreamValue s = groupStream(ctx, mkstream);
        if (a.size() > 8) {
            throw subcommandSyntax(a);
        }
        StreamId id;
        if (a.bytes(4).length == 1 && a.bytes(4)[0] == '$') {
            id = s.exists() ? s.lastId() : StreamId.MIN;
        } else {
            id = strictId(a.bytes(4));
        }
        s.create();
        if (!s.createGroup(a.bytes(3), id, entriesRead)) {
            throw new RedisException("BUSYGROUP Consumer Group name already exists");
        }
        s.save();
        return Reply.OK;
    }

    static Reply xgroupSetId(ApplyContext ctx) {
        Args a = ctx.args();
        StreamValue s = groupStream(ctx, false);
        Group g = requireGroup(s, a);
        if (a.size() != 5 && a.size() != 7) {
            throw subcommandSyntax(a);
        }
        StreamId id;
        if (a.bytes(4).length == 1 && a.bytes(4)[0] == '$') {
            id = s.lastId();
        } else {
            id = id(a.bytes(4), 0);
        }
        long entriesRead = StreamValue.INVALID_READ;
        if (a.size() == 7) {
            if (!a.is(5, "ENTRIESREAD") || Args.parseLong(a.bytes(6)) == null) {
                if (a.is(5, "ENTRIESREAD")) {
                    throw Errors.notInteger();
                }
                throw subcommandSyntax(a);
            }
            entriesRead = entriesRead(a, 6);
        }
        s.putGroup(g.with(id, entriesRead));
        return Reply.OK;
    }

    static Reply xgroupDestroy(ApplyContext ctx) {
        Args a = ctx.args();
        StreamValue s = groupStream(ctx, false);
        if (s.destroyGroup(a.bytes(3))) {
            s.save();
            return Reply.ONE;
        }
        return Reply.ZERO;
    }

    static Reply xgroupCreateConsumer(ApplyContext ctx) {
        Args a = ctx.args();
        StreamValue s = groupStream(ctx, false);
        requireGroup(s, a);
        if (s.consumer(a.bytes(3), a.bytes(4)) != null) {
            return Reply.ZERO;
        }
        s.ensureConsumer(a.bytes(3), a.bytes(4), ctx.nowMs(), null);
        return Reply.ONE;
    }

    static Reply xgroupDelConsumer(ApplyContext ctx) {
        Args a = ctx.args();
        StreamValue s = groupStream(ctx, false);
        requireGroup(s, a);
        return Reply.integer(s.deleteConsumer(a.bytes(3), a.bytes(4)));
    }

    /** OBJECT ENCODING of a stream. */
    static String encoding() {
        return RedisType.STREAM.typeName();
    }
}
