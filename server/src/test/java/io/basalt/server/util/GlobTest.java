package io.basalt.server.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GlobTest {
    @Test
    void redisGlobSyntax() {
        assertThat(Glob.matches("h?llo", "hello", false)).isTrue();
        assertThat(Glob.matches("h*llo", "heeeello", false)).isTrue();
        assertThat(Glob.matches("h[ae]llo", "hallo", false)).isTrue();
        assertThat(Glob.matches("h[ae]llo", "hillo", false)).isFalse();
        assertThat(Glob.matches("h[^e]llo", "hallo", false)).isTrue();
        assertThat(Glob.matches("h[^e]llo", "hello", false)).isFalse();
        assertThat(Glob.matches("h[a-b]llo", "hbllo", false)).isTrue();
        assertThat(Glob.matches("h\\*llo", "h*llo", false)).isTrue();
        assertThat(Glob.matches("h\\*llo", "hello", false)).isFalse();
        assertThat(Glob.matches("*", "", false)).isTrue();
        assertThat(Glob.matches("", "", false)).isTrue();
        assertThat(Glob.matches("a*", "", false)).isFalse();
        assertThat(Glob.matches("user:*:name", "user:42:name", false)).isTrue();
        assertThat(Glob.matches("user:*:name", "user:42:age", false)).isFalse();
        assertThat(Glob.matches("HELLO", "hello", true)).isTrue();
        assertThat(Glob.matches("*a*b", "aaaaaaaab", false)).isTrue();
    }

    @Test
    @Timeout(2)
    void pathologicalPatternsStayLinear() {
        String subject = "a".repeat(20_000);
        String pattern = "*a".repeat(50) + "*b";
        assertThat(Glob.matches(pattern, subject, false)).isFalse();
        assertThat(Glob.matches("*".repeat(10_000) + "b", subject, false)).isFalse();
    }
}
