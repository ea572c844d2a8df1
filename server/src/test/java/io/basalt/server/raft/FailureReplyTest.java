package io.basalt.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.resp.Reply;
import java.util.concurrent.CompletionException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.junit.jupiter.api.Test;

/** TRYAGAIN (which cluster clients retry by themselves) only for entries Ratis refused before appending them. */
class FailureReplyTest {

    private static String text(Throwable t) {
        return ((Reply.Error) RaftWritePath.failure(t)).text();
    }

    @Test
    void onlyRefusalsBeforeTheAppendAreTryAgain() {
        assertThat(text(new CompletionException(new LeaderSteppingDownException("transfer in progress"))))
                .isEqualTo("TRYAGAIN replication refused (LeaderSteppingDownException), not applied: retry");
        assertThat(text(new ResourceUnavailableException("full"))).startsWith("TRYAGAIN ");
        assertThat(text(new TimeoutIOException("slow")))
                .isEqualTo("UNCERTAIN replication failed (TimeoutIOException): the write may or may not have been applied");
        assertThat(text(new CompletionException(new IllegalStateException()))).startsWith("UNCERTAIN ");
        assertThat(text(null)).startsWith("UNCERTAIN replication failed (unknown)");
    }
}
