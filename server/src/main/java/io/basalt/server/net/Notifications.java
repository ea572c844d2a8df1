package io.basalt.server.net;

import io.basalt.routing.commands.CommandSpec;
import io.basalt.routing.commands.CommandTable;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.write.Applier;
import io.basalt.server.write.Proposal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Keyspace notifications ({@code notify-keyspace-events}): after each applied batch, every key a
 * command changed is published on {@code __keyspace@0__:<key>} (the event) and
 * {@code __keyevent@0__:<event>} (the key). The changes come from storage's own report, attributed to
 * the command that made them — also inside MULTI and scripts — and a failed command reports nothing.
 */
public final class Notifications implements Applier.ApplyListener {
    static final int KEYSPACE = 1;
    static final int KEYEVENT = 1 << 1;
    static final int GENERIC = 1 << 2;
    static final int STRING = 1 << 3;
    static final int LIST = 1 << 4;
    static final int SET = 1 << 5;
    static final int HASH = 1 << 6;
    static final int ZSET = 1 << 7;
    static final int EXPIRED = 1 << 8;
    static final int EVICTED = 1 << 9;
    static final int STREAM = 1 << 10;
    static final int MISS = 1 << 11;
    static final int MODULE = 1 << 12;
    static final int NEW = 1 << 13;
    static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private final PubSub pubsub;
    private volatile int flags;

    public Notifications(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    /** Parses Redis's flag string; throws Redis's CONFIG SET error for an unknown character. */
    public static int parse(String s) {
        int f = 0;
        for (char c : s.toCharArray()) {
            f |= switch (c) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> throw new RedisException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            };
        }
        return f;
    }

    /** The canonical form CONFIG GET shows ("KEA" reads back as "AKE"). */
    public static String format(int f) {
        StringBuilder sb = new StringBuilder();
        if ((f & ALL) == ALL) {
            sb.append('A');
        } else {
            char[] cs = {'g', '$', 'l', 's', 'h', 'z', 'x', 'e', 't', 'd'};
            int[] bits = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE};
            for (int i = 0; i < cs.length; i++) {
                if ((f & bits[i]) != 0) {
                    sb.append(cs[i]);
                }
            }
        }
        if ((f & KEYSPACE) != 0) {
            sb.append('K');
        }
        if ((f & KEYEVENT) != 0) {
            sb.append('E');
        }
        if ((f & MISS) != 0) {
            sb.append('m');
        }
        if ((f & NEW) != 0) {
            sb.append('n');
        }
        return sb.toString();
    }

    public void configure(String value) {
        flags = parse(value);
    }

    @Override
    public void applied(List<Proposal> proposals, List<Reply> replies, List<byte[]> keys, List<String> by) {
        int f = flags;
        if (f == 0 || (f & (KEYSPACE | KEYEVENT)) == 0 || !pubsub.anySubscriber()) {
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            String cmd = by.get(i);
            byte[] key = keys.get(i);
            if (i > 0 && cmd.equals(by.get(i - 1)) && Arrays.equals(key, keys.get(i - 1))) {
                continue; // one command changing one key twice (value, then metadata) is one event
            }
            if ((cmd.equals("rename") || cmd.equals("renamenx")) && i + 1 < keys.size() && by.get(i + 1).equals(cmd)) {
                // storage writes the destination, then deletes the source; Redis names the source first
                notify(f, GENERIC, "rename_from", keys.get(i + 1));
                notify(f, GENERIC, "rename_to", key);
                i++;
                continue;
            }
            if (cmd.startsWith("+")) {
                String side = cmd.substring(1);
                String owner = i > 0 ? by.get(i - 1) : "";
                if (side.equals("expire") && (owner.equals("expire") || owner.equals("pexpire") || owner.equals("expireat")
                        || owner.equals("pexpireat") || owner.startsWith("+"))) {
                    continue; // EXPIRE itself already said so
                }
                notify(f, GENERIC, side, key);
                continue;
            }
            String event = event(cmd, 0);
            if (event != null) {
                notify(f, type(cmd), event, key);
            }
        }
    }

    private void notify(int f, int type, String event, byte[] key) {
        if ((f & type) == 0) {
            return;
        }
        byte[] e = event.getBytes(StandardCharsets.US_ASCII);
        if ((f & KEYSPACE) != 0) {
            pubsub.publish(concat("__keyspace@0__:", key), e);
        }
        if ((f & KEYEVENT) != 0) {
            pubsub.publish(concat("__keyevent@0__:", e), key);
        }
    }

    private static byte[] concat(String prefix, byte[] rest) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(p, p.length + rest.length);
        System.arraycopy(rest, 0, out, p.length, rest.length);
        return out;
    }

    /** The event Redis names for a change by {@code cmd}; {@code nth}: which key of the command, for RENAME/MOVE-like ones. */
    static String event(String cmd, int nth) {
        return switch (cmd) {
            case "__expire" -> "expired";
            case "exec", "eval", "eval_ro", "evalsha", "evalsha_ro" -> null; // their inner commands report
            case "incr", "incrby", "decr", "decrby" -> "incrby";
            case "setex", "psetex", "setnx", "getset", "mset", "msetnx" -> "set";
            case "hmset", "hsetnx" -> "hset";
            case "unlink", "getdel" -> "del";
            case "pexpire", "expireat", "pexpireat" -> "expire";
            case "zincrby" -> "zincr";
            case "copy" -> "copy_to";
            case "blpop" -> "lpop";
            case "brpop" -> "rpop";
            case "brpoplpush", "rpoplpush" -> nth == 0 ? "rpop" : "lpush";
            case "bzpopmin" -> "zpopmin";
            case "bzpopmax" -> "zpopmax";
            case "geoadd" -> "zadd";
            case "flushall", "flushdb" -> null;
            default -> cmd.startsWith("__") ? null : cmd.replace('|', '-');
        };
    }

    private static int type(String cmd) {
        if (cmd.equals("__expire")) {
            return EXPIRED;
        }
        CommandSpec spec = CommandTable.get().lookup(cmd.contains("|") ? cmd.substring(0, cmd.indexOf('|')) : cmd);
        if (spec == null) {
            return GENERIC;
        }
        return switch (spec.group()) {
            case "string", "bitmap", "hyperloglog" -> STRING;
            case "list" -> LIST;
            case "set" -> SET;
            case "hash" -> HASH;
            case "sorted_set", "geo" -> ZSET;
            case "stream" -> STREAM;
            default -> GENERIC;
        };
    }
}
