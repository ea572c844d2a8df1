package io.basalt.routing.slots;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlotHashTest {
    @Test
    void matchesRedisClusterKeyslot() {
        // Values from CLUSTER KEYSLOT on a real Redis Cluster node.
        assertThat(SlotHash.slot("foo")).isEqualTo(12182);
        assertThat(SlotHash.slot("bar")).isEqualTo(5061);
        assertThat(SlotHash.slot("hello")).isEqualTo(866);
        assertThat(SlotHash.slot("")).isEqualTo(0);
        assertThat(SlotHash.crc16("123456789".getBytes(), 0, 9)).isEqualTo(0x31C3);
    }

    @Test
    void hashTags() {
        assertThat(SlotHash.slot("{user1000}.following")).isEqualTo(SlotHash.slot("user1000"));
        assertThat(SlotHash.slot("foo{}{bar}")).isEqualTo(SlotHash.slot("foo{}{bar}".getBytes()));
        assertThat(SlotHash.slot("foo{}{bar}")).isNotEqualTo(SlotHash.slot("bar"));
        assertThat(SlotHash.slot("foo{{bar}}zap")).isEqualTo(SlotHash.slot("{bar"));
        assertThat(SlotHash.slot("foo{bar}{zap}")).isEqualTo(SlotHash.slot("bar"));
        assertThat(SlotHash.slot("{")).isEqualTo(SlotHash.crc16("{".getBytes(), 0, 1) & 16383);
    }
}
