package io.basalt.client;

import io.basalt.routing.cluster.ClusterMap;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterPushHandler;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.StatefulRedisClusterConnectionImpl;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.json.JsonParser;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lettuce's {@link RedisClusterClient} with its topology source replaced: partitions come from the
 * ZooKeeper map ({@link ZkTopology}) instead of {@code CLUSTER NODES} polling, and are pushed
 * ({@link #refreshPartitionsAsync()}) on every map change. While ZooKeeper is unreachable, a
 * refresh (adaptive triggers: MOVED, ASK, reconnects, uncovered slots) asks the servers as stock
 * Lettuce does, taking their answer only if it is not older than the map held; if they do not
 * answer either, the last map stays. Everything else — connection pools, slot routing, MOVED/ASK,
 * ReadFrom, pipelining — is Lettuce's own. Connections are {@link BasaltClusterConnection}s.
 */
final class BasaltClusterClient extends RedisClusterClient {
    private static final Logger log = LoggerFactory.getLogger(BasaltClusterClient.class);

    private final BasaltClient basalt;

    BasaltClusterClient(ClientResources resources, List<RedisURI> seeds, BasaltClient basalt) {
        super(resources, seeds);
        this.basalt = basalt;
    }

    @Override
    protected CompletableFuture<Partitions> loadPartitionsAsync() {
        ClusterMap map = basalt.zk().current();
        if (map != null && basalt.zk().connected()) {
            basalt.metrics().refresh("zookeeper");
            basalt.metrics().epoch.set(map.epoch());
            return CompletableFuture.completedFuture(Topologies.toPartitions(map, basalt.options()));
        }
        basalt.metrics().refresh("servers");
        return super.loadPartitionsAsync().handle((loaded, error) -> {
            ClusterMap last = basalt.zk().current();
            if (error != null) {
                log.debug("ZooKeeper away and the servers did not answer: keeping the map of epoch {}",
                        last == null ? -1 : last.epoch(), error);
                if (last == null) {
                    throw new BasaltClientException("no cluster map: ZooKeeper and the servers unreachable", error);
                }
                return Topologies.toPartitions(last, basalt.options());
            }
            long epoch = 0;
            for (RedisClusterNode n : loaded) {
                epoch = Math.max(epoch, n.getConfigEpoch());
            }
            if (last != null && epoch < last.epoch()) {
                log.debug("servers show epoch {}, older than {}: keeping ours", epoch, last.epoch());
                return Topologies.toPartitions(last, basalt.options());
            }
            return loaded;
        });
    }

    @Override
    protected <V, K> StatefulRedisClusterConnectionImpl<K, V> newStatefulRedisClusterConnection(
            RedisChannelWriter channelWriter, ClusterPushHandler pushHandler, RedisCodec<K, V> codec,
            Duration timeout, Supplier<JsonParser> parser) {
        return new BasaltClusterConnection<>(channelWriter, pushHandler, codec, timeout, parser, basalt);
    }

    @Override
    protected <V, K> StatefulRedisClusterConnectionImpl<K, V> newStatefulRedisClusterConnection(
            RedisChannelWriter channelWriter, ClusterPushHandler pushHandler, RedisCodec<K, V> codec,
            Duration timeout) {
        return new BasaltClusterConnection<>(channelWriter, pushHandler, codec, timeout, null, basalt);
    }
}
