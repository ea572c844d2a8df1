package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.rdb.RdbReader;
import io.basalt.server.rdb.RdbWriter;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.encoding.RedisType;
import io.basalt.server.storage.types.Entry;
import io.basalt.server.storage.types.FieldMap;
import io.basalt.server.storage.types.KeyspaceTxn;
import io.basalt.server.storage.types.ListValue;
import io.basalt.server.storage.types.SortedSet;
import io.basalt.server.storage.types.StreamId;
import io.basalt.server.storage.types.StreamValue;
import io.basalt.server.rdb.StreamDump;
import java.util.ArrayList;
import java.util.List;

/** DUMP and RESTORE in Redis's RDB serialization format, interchangeable with real Redis. */
public final class DumpCommands {
    private DumpCommands() {}

    public static void register(CommandRegistry r) {
        r.read("dump", DumpCommands::dump);
        r.write("restore", DumpCommands::restore, (a, c) -> RestoreOptions.parse(a));
    }

    static Reply dump(CommandContext ctx) {
        Entry e = ctx.keyspace().entry(ctx.args().bytes(1));
        if (!e.exists()) {
            return Reply.NULL;
        }
        io.basalt.server.storage.types.Keyspace ks = ctx.keyspace();
        return Reply.bulk(switch (e.type()) {
            case STRING -> RdbWriter.dumpString(e.stringValue());
            case HASH -> {
                FieldMap h = FieldMap.of(ks, e, RedisType.HASH);
                yield RdbWriter.dumpHash(h.all(true), h.encoding().equals("listpack"));
            }
            case SET -> {
                FieldMap set = FieldMap.of(ks, e, RedisType.SET);
                yield RdbWriter.dumpSet(set.all(false), set.encoding().equals("intset"));
            }
            case ZSET -> {
                SortedSet z = SortedSet.of(ks, e);
                List<SortedSet.Item> items = z.all();
                List<byte[]> members = new ArrayList<>(items.size());
                double[] scores = new double[items.size()];
                for (int i = 0; i < items.size(); i++) {
                    members.add(items.get(i).member());
                    scores[i] = items.get(i).score();
                }
                yield RdbWriter.dumpZset(members, scores, z.encoding().equals("listpack"));
            }
            case LIST -> RdbWriter.dumpList(ListValue.of(ks, e).all());
            case STREAM -> RdbWriter.dumpStream(streamDump(StreamValue.of(ks, e)));
            default -> throw new RedisException("ERR DUMP of " + e.type().typeName() + " values is not supported");
        });
    }

    record RestoreOptions(long ttl, boolean replace, boolean absTtl) {
        static RestoreOptions parse(Args a) {
            boolean replace = false;
            boolean absTtl = false;
            boolean idle = false;
            boolean freq = false;
            for (int i = 4; i < a.size(); i++) {
                int left = a.size() - i - 1;
                if (a.is(i, "REPLACE")) {
                    replace = true;
                } else if (a.is(i, "ABSTTL")) {
                    absTtl = true;
                } else if (a.is(i, "IDLETIME") && left >= 1 && !freq) {
                    long v = a.longValue(++i);
                    if (v < 0) {
                        throw new RedisException("ERR Invalid IDLETIME value, must be >= 0");
                    }
                    idle = true;
                } else if (a.is(i, "FREQ") && left >= 1 && !idle) {
                    long v = a.longValue(++i);
                    if (v < 0 || v > 255) {
                        throw new RedisException("ERR Invalid FREQ value, must be >= 0 and <= 255");
                    }
                    freq = true;
                } else {
                    throw Errors.syntax();
                }
            }
            long ttl = a.longValue(2);
            if (ttl < 0) {
                throw new RedisException("ERR Invalid TTL value, must be >= 0");
            }
            return new RestoreOptions(ttl, replace, absTtl);
        }
    }

    static Reply restore(ApplyContext ctx) {
        Args a = ctx.args();
        RestoreOptions o = RestoreOptions.parse(a);
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(a.bytes(1));
        if (!o.replace() && e.exists()) {
            throw new RedisException("BUSYKEY Target key name already exists.");
        }
        byte[] payload = a.bytes(3);
        if (!RdbReader.verify(payload)) {
            throw new RedisException("ERR DUMP payload version or checksum are wrong");
        }
        RdbReader.Value v;
        try {
            v = RdbReader.read(payload);
        } catch (RdbReader.BadFormat bad) {
            throw new RedisException("ERR Bad data format");
        }
        long at = 0;
        if (o.ttl() > 0) {
            at = o.absTtl() ? o.ttl() : ctx.nowMs() + o.ttl();
        }
        if (at != 0 && at <= ctx.nowMs()) {
            ks.delete(e); // already expired: nothing is created (a replaced key is gone), as in Redis
            return Reply.OK;
        }
        switch (v.rdbType()) {
            case RdbWriter.TYPE_STRING -> ks.putString(e, v.string(), at);
            case RdbWriter.TYPE_HASH -> {
                ks.delete(e);
                FieldMap h = FieldMap.of(ks, a.bytes(1), RedisType.HASH);
                for (int i = 0; i < v.items().size(); i += 2) {
                    h.put(v.items().get(i), v.items().get(i + 1));
                }
                h.save();
            }
            case RdbWriter.TYPE_SET -> {
                ks.delete(e);
                FieldMap set = FieldMap.of(ks, a.bytes(1), RedisType.SET);
                for (byte[] m : v.items()) {
                    set.put(m, FieldMap.NO_VALUE);
                }
                set.save();
            }
            case RdbWriter.TYPE_ZSET -> {
                ks.delete(e);
                SortedSet z = SortedSet.of(ks, a.bytes(1));
                for (int i = 0; i < v.items().size(); i++) {
                    z.put(v.items().get(i), v.scores()[i]);
                }
                z.save();
            }
            case RdbWriter.TYPE_LIST -> {
                ks.delete(e);
                ListValue l = ListValue.of(ks, a.bytes(1));
                for (byte[] el : v.items()) {
                    l.push(false, el);
                }
                l.save();
            }
            case RdbWriter.TYPE_STREAM_LISTPACKS_2 -> {
                ks.delete(e);
                restoreStream(StreamValue.of(ks, a.bytes(1)), v.stream());
            }
            default -> throw new RedisException("ERR Bad data format");
        }
        if (at != 0 && v.rdbType() != RdbWriter.TYPE_STRING) {
            ks.setExpire(ks.entry(a.bytes(1)), at);
        }
        return Reply.OK;
    }

    /** A stream as DUMP writes it: its nodes with their live entries, counters, groups. */
    static StreamDump streamDump(StreamValue s) {
        List<StreamDump.Node> nodes = new ArrayList<>();
        for (StreamValue.Node n : s.nodes()) {
            List<StreamDump.Entry> entries = new ArrayList<>();
            for (StreamValue.StreamEntry e : s.range(n.master(), n.last(), false, 0)) {
                entries.add(new StreamDump.Entry(e.id(), e.fields()));
            }
            nodes.add(new StreamDump.Node(n.master(), n.masterFields(), entries, 0, n.last(), 0));
        }
        List<StreamDump.Group> groups = new ArrayList<>();
        for (StreamValue.Group g : s.groups()) {
            List<StreamDump.Nack> pel = new ArrayList<>();
            s.groupPending(g.name(), StreamId.MIN, StreamId.MAX, p -> {
                pel.add(new StreamDump.Nack(p.id(), p.deliveryTime(), p.deliveryCount()));
                return true;
            });
            List<StreamDump.Consumer> consumers = new ArrayList<>();
            for (StreamValue.Consumer c : s.consumers(g.name())) {
                List<StreamId> ids = new ArrayList<>();
                s.consumerPending(g.name(), c.name(), StreamId.MIN, StreamId.MAX, id -> {
                    ids.add(id);
                    return true;
                });
                consumers.add(new StreamDump.Consumer(c.name(), c.seenTime(), ids));
            }
            groups.add(new StreamDump.Group(g.name(), g.lastId(), g.entriesRead(), pel, consumers));
        }
        return new StreamDump(nodes, s.length(), s.lastId(), s.firstId(), s.maxDeletedId(), s.entriesAdded(), groups);
    }

    /** Recreates a dumped stream: entries and node model as the payload has them, counters, groups, PELs. */
    static void restoreStream(StreamValue s, StreamDump d) {
        s.create();
        for (StreamDump.Node n : d.nodes()) {
            if (n.entries().isEmpty()) {
                continue;
            }
            for (StreamDump.Entry e : n.entries()) {
                s.appendRaw(e.id(), e.fields(), false);
            }
            s.putRestoredNode(new StreamValue.Node(n.master(), n.entries().size(), n.deleted(), n.entryBytes(), n.lastId(),
                    n.masterFields()));
        }
        s.setCounters(d.lastId(), d.entriesAdded(), d.maxDeletedId());
        s.setFirstId(s.length() == 0 ? StreamId.MIN : d.firstId());
        for (StreamDump.Group g : d.groups()) {
            s.createGroup(g.name(), g.lastId(), g.entriesRead());
            java.util.Map<StreamId, StreamDump.Nack> nacks = new java.util.HashMap<>();
            for (StreamDump.Nack n : g.pel()) {
                nacks.put(n.id(), n);
            }
            for (StreamDump.Consumer c : g.consumers()) {
                s.ensureConsumer(g.name(), c.name(), c.seenTime(), null);
                for (StreamId id : c.pending()) {
                    StreamDump.Nack n = nacks.get(id);
                    s.putPending(g.name(), new StreamValue.Pending(id, c.name(), n.deliveryTime(), n.deliveryCount()));
                }
            }
        }
        s.save();
    }
}
