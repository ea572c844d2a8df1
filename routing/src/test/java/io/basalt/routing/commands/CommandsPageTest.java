package io.basalt.routing.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/commands.md must be what the command table renders (regenerate with -Dbasalt.regenerateDocs=true). */
class CommandsPageTest {
    @Test
    void pageIsUpToDate() throws Exception {
        Path page = Path.of("..", "docs", "commands.md");
        String rendered = CommandsPage.render(CommandTable.get());
        if (Boolean.getBoolean("basalt.regenerateDocs")) {
            Files.writeString(page, rendered, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(page)).as("docs/commands.md exists").isTrue();
        assertThat(Files.readString(page, StandardCharsets.UTF_8))
                .as("docs/commands.md is stale: regenerate with -Dbasalt.regenerateDocs=true").isEqualTo(rendered);
    }
}
