package io.basalt.client.example;

import io.basalt.client.BasaltClient;
import io.basalt.client.BasaltClientOptions;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The README's example application (compiled with the tests so the README stays right; not run). */
public class Inventory {
    public static void main(String[] args) throws Exception {
        var meters = new SimpleMeterRegistry();
        var options = BasaltClientOptions.builder()
                .readFrom(ReadFrom.UPSTREAM)             // reads on the leader (linearizable); REPLICA_PREFERRED etc. allowed
                .maxRetryTime(Duration.ofSeconds(5))      // how long a not-yet-executed command waits for a leader
                .meterRegistry(meters)
                .build();
        try (BasaltClient client = BasaltClient.create("127.0.0.1:2181", "local", options);
             StatefulRedisClusterConnection<String, String> conn = client.connect()) {
            RedisAdvancedClusterCommands<String, String> db = conn.sync();

            db.hset("item:{42}", Map.of("name", "lamp", "stock", "7"));
            db.hincrby("item:{42}", "stock", -1);
            db.mset(Map.of("price:1", "10", "price:2", "12", "price:3", "9"));   // split per group, one command each
            System.out.println(db.mget("price:1", "price:2", "price:3"));         // merged back in key order

            // pipelining: queue, then one flush
            conn.setAutoFlushCommands(false);
            List<RedisFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                fs.add(conn.async().incr("views:" + i));
            }
            conn.flushCommands();
            conn.setAutoFlushCommands(true);
            for (RedisFuture<Long> f : fs) {
                f.get();
            }

            // a transaction: all keys in the group owning the routing key (use a hash tag)
            var tx = client.transaction("{42}", t -> {
                t.hincrby("item:{42}", "stock", -1);
                t.lpush("orders:{42}", "order-1");
            });
            System.out.println("transaction: " + tx);

            // a script, routed by its declared keys
            Long stock = db.eval("return redis.call('hincrby', KEYS[1], 'stock', 0)",
                    io.lettuce.core.ScriptOutputType.INTEGER, new String[] {"item:{42}"});
            System.out.println("stock " + stock + ", map epoch " + client.clusterMap().epoch());
        }
        meters.getMeters().forEach(m -> System.out.println(m.getId()));
    }
}
