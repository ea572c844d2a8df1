package io.basalt.server.net;

import io.basalt.server.dispatch.ClientSession;
import io.basalt.server.resp.Reply;
import io.basalt.server.util.ByteKey;
import io.basalt.server.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's pub/sub subscriptions: channels, patterns and shard channels, each to the sessions
 * subscribed. PUBLISH delivers to this node's subscribers only (messages are not data: they are not
 * stored or replicated). The cluster issue makes PUBLISH reach every node by forwarding it to each
 * server of the cluster map (Redis Cluster broadcasts it on the bus); SPUBLISH stays with the group
 * that owns the channel's slot.
 */
public final class PubSub {
    /** Which of the three namespaces: each has its own subscribe/unsubscribe/message verbs. */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe", "message"),
        PATTERN("psubscribe", "punsubscribe", "pmessage"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final byte[] subscribe;
        final byte[] unsubscribe;
        final byte[] message;

        Kind(String subscribe, String unsubscribe, String message) {
            this.subscribe = subscribe.getBytes(StandardCharsets.US_ASCII);
            this.unsubscribe = unsubscribe.getBytes(StandardCharsets.US_ASCII);
            this.message = message.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final Map<Kind, Map<ByteKey, Set<ClientSession>>> subscribers = Map.of(
            Kind.CHANNEL, new ConcurrentHashMap<>(), Kind.PATTERN, new ConcurrentHashMap<>(), Kind.SHARD, new ConcurrentHashMap<>());
    /** Keyspace notifications need a cheap "anyone listening?" check. */
    private final java.util.concurrent.atomic.AtomicInteger total = new java.util.concurrent.atomic.AtomicInteger();

    public boolean anySubscriber() {
        return total.get() > 0;
    }

    /** Subscribes; returns the confirmation (with the session's count afterwards). */
    public Reply subscribe(ClientSession s, Kind kind, byte[] name) {
        ByteKey k = new ByteKey(name);
        if (s.subscriptions(kind).add(k)) {
            subscribers.get(kind).computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(s);
            total.incrementAndGet();
        }
        return confirmation(kind.subscribe, Reply.bulk(name), count(s, kind));
    }

    public Reply unsubscribe(ClientSession s, Kind kind, byte[] name) {
        ByteKey k = new ByteKey(name);
        if (s.subscriptions(kind).remove(k)) {
            drop(s, kind, k);
        }
        return confirmation(kind.unsubscribe, Reply.bulk(name), count(s, kind));
    }

    /** UNSUBSCRIBE without arguments: one confirmation per subscription, or one with a null name. */
    public List<Reply> unsubscribeAll(ClientSession s, Kind kind) {
        List<Reply> out = new ArrayList<>();
        for (ByteKey k : new ArrayList<>(s.subscriptions(kind))) {
            out.add(unsubscribe(s, kind, k.bytes()));
        }
        if (out.isEmpty()) {
            out.add(confirmation(kind.unsubscribe, Reply.NULL, count(s, kind)));
        }
        return out;
    }

    /** A closing or RESET connection leaves every subscription. */
    public void leave(ClientSession s) {
        for (Kind kind : Kind.values()) {
            for (ByteKey k : new ArrayList<>(s.subscriptions(kind))) {
                s.subscriptions(kind).remove(k);
                drop(s, kind, k);
            }
        }
    }

    private void drop(ClientSession s, Kind kind, ByteKey k) {
        subscribers.get(kind).computeIfPresent(k, (x, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
        total.decrementAndGet();
    }

    /** Shard subscriptions count alone; channels and patterns count together (as Redis). */
    private static int count(ClientSession s, Kind kind) {
        if (kind == Kind.SHARD) {
            return s.subscriptions(Kind.SHARD).size();
        }
        return s.subscriptions(Kind.CHANNEL).size() + s.subscriptions(Kind.PATTERN).size();
    }

    private static Reply confirmation(byte[] verb, Reply name, int count) {
        return new Reply.Push(List.of(new Reply.Bulk(verb), name, Reply.integer(count)));
    }

    /** PUBLISH: channel subscribers, then pattern subscribers; returns how many received it. */
    public int publish(byte[] channel, byte[] message) {
        int n = 0;
        Set<ClientSession> direct = subscribers.get(Kind.CHANNEL).get(new ByteKey(channel));
        if (direct != null) {
            Reply m = new Reply.Push(List.of(new Reply.Bulk(Kind.CHANNEL.message), new Reply.Bulk(channel), new Reply.Bulk(message)));
            for (ClientSession s : direct) {
                ConnectionHandler.push(s, m);
                n++;
            }
        }
        for (Map.Entry<ByteKey, Set<ClientSession>> e : subscribers.get(Kind.PATTERN).entrySet()) {
            byte[] pattern = e.getKey().bytes();
            if (Glob.matches(pattern, channel, false)) {
                Reply m = new Reply.Push(List.of(new Reply.Bulk(Kind.PATTERN.message), new Reply.Bulk(pattern),
                        new Reply.Bulk(channel), new Reply.Bulk(message)));
                for (ClientSession s : e.getValue()) {
                    ConnectionHandler.push(s, m);
                    n++;
                }
            }
        }
        return n;
    }

    /** SPUBLISH. */
    public int spublish(byte[] channel, byte[] message) {
        Set<ClientSession> subs = subscribers.get(Kind.SHARD).get(new ByteKey(channel));
        if (subs == null) {
            return 0;
        }
        Reply m = new Reply.Push(List.of(new Reply.Bulk(Kind.SHARD.message), new Reply.Bulk(channel), new Reply.Bulk(message)));
        for (ClientSession s : subs) {
            ConnectionHandler.push(s, m);
        }
        return subs.size();
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS: names with at least one subscriber, matching {@code pattern}. */
    public List<Reply> active(Kind kind, byte[] pattern) {
        List<Reply> out = new ArrayList<>();
        for (ByteKey k : subscribers.get(kind).keySet()) {
            if (pattern == null || Glob.matches(pattern, k.bytes(), false)) {
                out.add(new Reply.Bulk(k.bytes()));
            }
        }
        return out;
    }

    public int subscribers(Kind kind, byte[] name) {
        Set<ClientSession> s = subscribers.get(kind).get(new ByteKey(name));
        return s == null ? 0 : s.size();
    }

    /** PUBSUB NUMPAT: distinct patterns subscribed to. */
    public int patterns() {
        return subscribers.get(Kind.PATTERN).size();
    }
}
