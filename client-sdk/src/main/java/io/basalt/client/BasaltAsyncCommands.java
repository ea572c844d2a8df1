package io.basalt.client;

import io.basalt.routing.cluster.ClusterMap;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.RedisAdvancedClusterAsyncCommandsImpl;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.json.JsonParser;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.KeyValueListOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Lettuce's cluster commands with Basalt's multi-key routing: MGET, MSET, DEL, UNLINK, EXISTS and
 * TOUCH are split per <em>group</em> (a group applies keys of any of its slots together, so two
 * groups mean two commands, where stock Lettuce sends one per slot) and merged in key order;
 * MSETNX runs as one atomic command when all keys are in one group and fails with {@code CROSSSLOT}
 * otherwise. Keys in slots no group owns are sent per slot (the servers answer why).
 *
 * <p>Public only because Lettuce's synchronous API calls it reflectively; not an API of its own.
 */
public final class BasaltAsyncCommands<K, V> extends RedisAdvancedClusterAsyncCommandsImpl<K, V> {
    private final RedisCodec<K, V> codec;

    BasaltAsyncCommands(BasaltClusterConnection<K, V> connection, RedisCodec<K, V> codec, Supplier<JsonParser> parser) {
        super(connection, codec, parser);
        this.codec = codec;
    }

    /** Positions of {@code keys} per owning group (or per slot where no group owns it), in first-seen order. */
    private List<int[]> partition(List<K> keys) {
        ClusterMap map = ((BasaltClusterConnection<K, V>) getStatefulConnection()).basalt().zk().current();
        Map<String, List<Integer>> parts = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            int slot = SlotHash.getSlot(codec.encodeKey(keys.get(i)));
            String owner = map == null ? null : map.topology().ownerOf(slot);
            parts.computeIfAbsent(owner != null ? owner : "slot:" + slot, x -> new ArrayList<>()).add(i);
        }
        List<int[]> out = new ArrayList<>(parts.size());
        for (List<Integer> p : parts.values()) {
            out.add(p.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    private static <T> List<T> pick(List<T> all, int[] idx) {
        List<T> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(all.get(i));
        }
        return out;
    }

    private static <T> List<T> list(Iterable<T> it) {
        List<T> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }

    // ---- MGET ------------------------------------------------------------------------------

    @Override
    public RedisFuture<List<KeyValue<K, V>>> mget(K... keys) {
        return mget(Arrays.asList(keys));
    }

    @Override
    public RedisFuture<List<KeyValue<K, V>>> mget(Iterable<K> keys) {
        List<K> all = list(keys);
        List<int[]> parts = partition(all);
        if (parts.size() < 2) {
            return mgetOne(all);
        }
        List<RedisFuture<List<KeyValue<K, V>>>> fs = new ArrayList<>(parts.size());
        for (int[] p : parts) {
            fs.add(mgetOne(pick(all, p)));
        }
        return merge(fs, () -> {
            List<KeyValue<K, V>> out = new ArrayList<>(all.size());
            for (int i = 0; i < all.size(); i++) {
                out.add(null);
            }
            for (int j = 0; j < parts.size(); j++) {
                List<KeyValue<K, V>> got = fs.get(j).toCompletableFuture().join();
                int[] p = parts.get(j);
                for (int t = 0; t < p.length; t++) {
                    out.set(p[t], got.get(t));
                }
            }
            return out;
        });
    }

    private RedisFuture<List<KeyValue<K, V>>> mgetOne(List<K> keys) {
        return dispatch(CommandType.MGET, new KeyValueListOutput<>(codec, keys), new CommandArgs<>(codec).addKeys(keys));
    }

    // ---- MSET / MSETNX -----------------------------------------------------------------------

    @Override
    public RedisFuture<String> mset(Map<K, V> map) {
        List<K> all = new ArrayList<>(map.keySet());
        List<int[]> parts = partition(all);
        if (parts.size() < 2) {
            return dispatch(CommandType.MSET, new StatusOutput<>(codec), new CommandArgs<>(codec).add(map));
        }
        List<RedisFuture<String>> fs = new ArrayList<>(parts.size());
        for (int[] p : parts) {
            Map<K, V> sub = new LinkedHashMap<>();
            for (int i : p) {
                sub.put(all.get(i), map.get(all.get(i)));
            }
            fs.add(dispatch(CommandType.MSET, new StatusOutput<>(codec), new CommandArgs<>(codec).add(sub)));
        }
        return merge(fs, () -> "OK");
    }

    @Override
    public RedisFuture<Boolean> msetnx(Map<K, V> map) {
        if (partition(new ArrayList<>(map.keySet())).size() > 1) {
            GroupedFuture<Boolean> f = new GroupedFuture<>();
            f.completeExceptionally(new RedisCommandExecutionException(
                    "CROSSSLOT Keys in request don't hash to the same slot (MSETNX keys of several Basalt groups)"));
            return f;
        }
        return dispatch(CommandType.MSETNX, new BooleanOutput<>(codec), new CommandArgs<>(codec).add(map));
    }

    // ---- DEL / UNLINK / EXISTS / TOUCH --------------------------------------------------------

    @Override
    public RedisFuture<Long> del(K... keys) {
        return sum(CommandType.DEL, Arrays.asList(keys));
    }

    @Override
    public RedisFuture<Long> del(Iterable<K> keys) {
        return sum(CommandType.DEL, list(keys));
    }

    @Override
    public RedisFuture<Long> unlink(K... keys) {
        return sum(CommandType.UNLINK, Arrays.asList(keys));
    }

    @Override
    public RedisFuture<Long> unlink(Iterable<K> keys) {
        return sum(CommandType.UNLINK, list(keys));
    }

    @Override
    public RedisFuture<Long> exists(K... keys) {
        return sum(CommandType.EXISTS, Arrays.asList(keys));
    }

    @Override
    public RedisFuture<Long> exists(Iterable<K> keys) {
        return sum(CommandType.EXISTS, list(keys));
    }

    @Override
    public RedisFuture<Long> touch(K... keys) {
        return sum(CommandType.TOUCH, Arrays.asList(keys));
    }

    @Override
    public RedisFuture<Long> touch(Iterable<K> keys) {
        return sum(CommandType.TOUCH, list(keys));
    }

    private RedisFuture<Long> sum(CommandType type, List<K> all) {
        List<int[]> parts = partition(all);
        if (parts.size() < 2) {
            return dispatch(type, new IntegerOutput<>(codec), new CommandArgs<>(codec).addKeys(all));
        }
        List<RedisFuture<Long>> fs = new ArrayList<>(parts.size());
        for (int[] p : parts) {
            fs.add(dispatch(type, new IntegerOutput<>(codec), new CommandArgs<>(codec).addKeys(pick(all, p))));
        }
        return merge(fs, () -> {
            long n = 0;
            for (RedisFuture<Long> f : fs) {
                n += f.toCompletableFuture().join();
            }
            return n;
        });
    }

    /** Completes with {@code result} once every part has succeeded, or with the first part's failure. */
    private static <T, R> RedisFuture<R> merge(List<? extends RedisFuture<T>> parts, Supplier<R> result) {
        GroupedFuture<R> out = new GroupedFuture<>();
        java.util.concurrent.CompletableFuture<?>[] cfs = new java.util.concurrent.CompletableFuture<?>[parts.size()];
        for (int i = 0; i < cfs.length; i++) {
            cfs[i] = parts.get(i).toCompletableFuture();
        }
        java.util.concurrent.CompletableFuture.allOf(cfs).whenComplete((v, e) -> {
            if (e != null) {
                out.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
                return;
            }
            try {
                out.complete(result.get());
            } catch (RuntimeException ex) {
                out.completeExceptionally(ex);
            }
        });
        return out;
    }
}
