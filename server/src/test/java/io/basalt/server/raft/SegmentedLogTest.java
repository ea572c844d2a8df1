package io.basalt.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Raft log on real files: what survives a reopen, a torn write, a truncation, a compaction. */
class SegmentedLogTest {
    @TempDir
    Path dir;

    private static final long SEGMENT = 16 * 1024;

    private static LogEntry entry(long term, long index, String payload) {
        return new LogEntry(term, index, LogEntry.DATA, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static String payload(LogEntry e) {
        return new String(e.payload(), StandardCharsets.UTF_8);
    }

    private SegmentedLog open() {
        return new SegmentedLog(dir, SEGMENT, false, 1 << 20);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("seg-\\d{20}")).sorted().toList();
        }
    }

    @Test
    void entriesSyncedSurviveAReopenAcrossSegments() {
        SegmentedLog log = open();
        String big = "x".repeat(1000);
        for (int i = 1; i <= 100; i++) {
            log.append(entry(i <= 50 ? 1 : 2, i, big + i));
        }
        log.sync();
        log.close();
        SegmentedLog again = open();
        assertThat(again.lastIndex()).isEqualTo(100);
        assertThat(again.term(50)).isEqualTo(1);
        assertThat(again.term(51)).isEqualTo(2);
        assertThat(payload(again.entry(77))).isEqualTo(big + 77);
        assertThat(again.entries(10, 5, Long.MAX_VALUE)).extracting(LogEntry::index).containsExactly(10L, 11L, 12L, 13L, 14L);
        // more than one segment: 100 KB of entries in 16 KB segments
        again.close();
    }

    @Test
    void aTornRecordEndsTheLogThereAndAppendsContinueAfterIt() throws IOException {
        SegmentedLog log = open();
        for (int i = 1; i <= 10; i++) {
            log.append(entry(1, i, "entry-" + i));
        }
        log.sync();
        log.close();
        // corrupt the payload of the 8th record of the (only) segment: flip a byte in it
        Path seg = segments().get(0);
        long offset = 0;
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            for (int i = 0; i < 7; i++) {
                f.seek(offset);
                offset += 8 + f.readInt();
            }
            f.seek(offset + 8 + 17);
            byte b = f.readByte();
            f.seek(offset + 8 + 17);
            f.writeByte(b ^ 0x55);
        }
        SegmentedLog again = open();
        assertThat(again.lastIndex()).isEqualTo(7);
        again.append(entry(2, 8, "new-8"));
        again.sync();
        again.close();
        SegmentedLog third = open();
        assertThat(third.lastIndex()).isEqualTo(8);
        assertThat(payload(third.entry(8))).isEqualTo("new-8");
        assertThat(third.term(8)).isEqualTo(2);
        third.close();
    }

    @Test
    void truncatedEntriesNeverComeBackEvenWhenTheNewOnesAreTheSameSize() {
        // entries 4..6 came from a deposed leader of term 3; the new leader's entry 4 is older (term 2):
        // left in the file after it, entries 5 and 6 would read back as valid and in sequence
        SegmentedLog log = open();
        for (int i = 1; i <= 6; i++) {
            log.append(entry(i < 4 ? 1 : 3, i, "same-size-" + i));
        }
        log.sync();
        log.truncateFrom(4);
        log.append(entry(2, 4, "same-size-X"));
        log.sync();
        log.close();
        SegmentedLog again = open();
        assertThat(again.lastIndex()).isEqualTo(4); // not 6: entries 5 and 6 of term 3 are gone for good
        assertThat(payload(again.entry(4))).isEqualTo("same-size-X");
        again.close();
    }

    @Test
    void compactionDropsWholeSegmentsAndTheBaseSurvivesAReopen() throws IOException {
        SegmentedLog log = open();
        String big = "y".repeat(2000);
        for (int i = 1; i <= 60; i++) {
            log.append(entry(i < 30 ? 1 : 3, i, big + i));
        }
        log.sync();
        int before = segments().size();
        log.compact(45, 3);
        assertThat(segments().size()).isLessThan(before);
        long base = log.baseIndex();
        assertThat(base).isBetween(1L, 45L);
        assertThat(log.term(base)).isEqualTo(base < 30 ? 1 : 3);
        assertThatThrownBy(() -> log.entry(base)).isInstanceOf(IllegalArgumentException.class);
        assertThat(payload(log.entry(base + 1))).isEqualTo(big + (base + 1));
        log.close();
        SegmentedLog again = open();
        assertThat(again.baseIndex()).isEqualTo(base);
        assertThat(again.baseTerm()).isEqualTo(base < 30 ? 1 : 3);
        assertThat(again.lastIndex()).isEqualTo(60);
        again.close();
    }

    @Test
    void resetStartsAnEmptyLogAfterASnapshot() {
        SegmentedLog log = open();
        for (int i = 1; i <= 5; i++) {
            log.append(entry(1, i, "e" + i));
        }
        log.sync();
        log.reset(1000, 7);
        assertThat(log.lastIndex()).isEqualTo(1000);
        assertThat(log.term(1000)).isEqualTo(7);
        log.append(entry(7, 1001, "after"));
        log.sync();
        log.close();
        SegmentedLog again = open();
        assertThat(again.baseIndex()).isEqualTo(1000);
        assertThat(again.lastIndex()).isEqualTo(1001);
        assertThat(payload(again.entry(1001))).isEqualTo("after");
        again.close();
    }

    @Test
    void unsyncedAppendsMayBeLostButNeverHalfKept() throws IOException {
        SegmentedLog log = open();
        log.append(entry(1, 1, "synced"));
        log.sync();
        log.append(entry(1, 2, "buffered only"));
        // no sync, no close: as if the process died (the buffer never reached the file)
        SegmentedLog again = open();
        assertThat(again.lastIndex()).isEqualTo(1);
        again.close();
    }

    @Test
    void configEntriesAreFoundWithoutReadingEveryPayload() {
        SegmentedLog log = open();
        log.append(entry(1, 1, "a"));
        log.append(new LogEntry(1, 2, LogEntry.CONFIG, RaftConfig.EMPTY.encode()));
        log.append(entry(1, 3, "b"));
        log.sync();
        log.close();
        SegmentedLog again = open();
        assertThat(again.configIndexes()).containsExactly(2L);
        again.truncateFrom(2);
        assertThat(again.configIndexes()).isEmpty();
        again.close();
    }

    @Test
    void hardStateKeepsTermAndVoteAcrossReopens() {
        HardState h = new HardState(dir);
        assertThat(h.term()).isZero();
        assertThat(h.votedFor()).isNull();
        h.save(5, "n2");
        HardState again = new HardState(dir);
        assertThat(again.term()).isEqualTo(5);
        assertThat(again.votedFor()).isEqualTo("n2");
        again.save(6, null);
        assertThat(new HardState(dir).votedFor()).isNull();
    }
}
