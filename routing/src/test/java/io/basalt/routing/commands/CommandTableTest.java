package io.basalt.routing.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTableTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void wireLookupIgnoresCaseAndFindsEveryCommand() {
        CommandTable t = CommandTable.get();
        for (CommandSpec spec : t.all()) {
            assertThat(t.lookup(b(spec.name()))).isSameAs(spec);
            assertThat(t.lookup(b(spec.name().toUpperCase()))).isSameAs(spec);
        }
        assertThat(t.lookup(b("GeT"))).isSameAs(t.lookup("get"));
        assertThat(t.lookup(b("nosuchcommand"))).isNull();
        assertThat(t.lookup(b(""))).isNull();
    }

    @Test
    void keyPositionsFollowKeySpecs() {
        CommandSpec set = CommandTable.get().lookup("set");
        assertThat(set.keyPositions(List.of(b("SET"), b("k"), b("v"), b("EX"), b("10")))).containsExactly(1);
        assertThat(set.legacyKeyRange()).containsExactly(1, 1, 1);
        CommandSpec keyNum = CommandSpec.builder("x", -3).key(KeySpec.keyNum(2, 0, 1, 1, "RO")).build();
        assertThat(keyNum.keyPositions(List.of(b("X"), b("script"), b("2"), b("a"), b("b"), b("arg")))).containsExactly(3, 4);
        assertThat(keyNum.has(CommandFlag.MOVABLEKEYS)).isTrue();
        CommandSpec kw = CommandSpec.builder("y", -4).key(KeySpec.keyword("STREAMS", 1, -1, 1, 2, "RO")).build();
        assertThat(kw.keyPositions(List.of(b("Y"), b("COUNT"), b("1"), b("STREAMS"), b("s1"), b("s2"), b("0"), b("0"))))
                .containsExactly(4, 5);
    }
}
