package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.basalt.server.testing.TestServer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;

class StringCommandsTest {
    static TestServer server;
    RedisCommands<String, String> redis;

    @BeforeAll
    static void start() {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clean() {
        redis = server.lettuce();
        server.flush();
    }

    @Test
    void setThenGet() {
        assertThat(redis.set("k", "v")).isEqualTo("OK");
        assertThat(redis.get("k")).isEqualTo("v");
        assertThat(redis.get("missing")).isNull();
    }

    @Test
    void setNxXxAndGet() {
        assertThat(redis.set("k", "1", SetArgs.Builder.xx())).isNull();
        assertThat(redis.set("k", "1", SetArgs.Builder.nx())).isEqualTo("OK");
        assertThat(redis.set("k", "2", SetArgs.Builder.nx())).isNull();
        assertThat(redis.setGet("k", "3")).isEqualTo("1");
        assertThat(redis.get("k")).isEqualTo("3");
    }

    @Test
    void setSyntaxErrorsMatchRedis() {
        assertThatThrownBy(() -> redis.set("k", "v", SetArgs.Builder.ex(0)))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessage("ERR invalid expire time in 'set' command");
        try (var j = server.jedis()) {
            assertThatThrownBy(() -> j.sendCommand(Protocol.Command.SET, "k", "v", "NX", "XX"))
                    .hasMessageContaining("ERR syntax error");
        }
    }
}
