package io.basalt.server.raft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft log on disk: a directory of segment files {@code seg-<first index>}, each a sequence of
 * records {@code [u32 length][u32 crc32c][u64 term][u64 index][u8 type][payload]} (length and crc
 * cover term..payload). Segments are preallocated with zeros in the background, so that a sync of
 * an append only writes data blocks (fdatasync without metadata). Recovery reads each segment up to
 * the first record that is not whole and valid (a torn write), also refusing an index out of
 * sequence or a term that goes down; a truncation cuts the file itself, so truncated records can
 * never come back.
 *
 * <p>Recent entries stay in memory (up to {@code cacheBytes}): followers and the applier are served
 * from there without a read. {@code log-base} records the entry the log starts after.
 */
final class SegmentedLog implements RaftLog {
    private static final Logger log = LoggerFactory.getLogger(SegmentedLog.class);
    private static final Pattern SEGMENT = Pattern.compile("seg-(\\d{20})");
    private static final int HEADER = 4 + 4 + 8 + 8 + 1;
    private static final String BASE_FILE = "log-base";
    private static final String NEXT_FILE = "seg-next.tmp";

    /** One segment file: where each entry starts, and its term. */
    private static final class Segment {
        final long first;
        final Path path;
        FileChannel ch;
        long[] offsets = new long[256];
        long[] terms = new long[256];
        int count;
        long size;

        Segment(long first, Path path) {
            this.first = first;
            this.path = path;
        }

        long last() {
            return first + count - 1;
        }

        void add(long offset, long term) {
            if (count == offsets.length) {
                offsets = java.util.Arrays.copyOf(offsets, count * 2);
                terms = java.util.Arrays.copyOf(terms, count * 2);
            }
            offsets[count] = offset;
            terms[count] = term;
            count++;
        }
    }

    private final Path dir;
    private final long segmentBytes;
    private final boolean unsafeFlush;
    private final List<Segment> segments = new ArrayList<>();
    private long baseIndex;
    private long baseTerm;
    private long lastIndex;
    private long lastTerm;

    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    /** File position of the first byte in {@link #buf} (in the last segment). */
    private long bufStart;
    private boolean dirty;
    /** Changes when entries that may not be durable are removed (truncation, reset). */
    private long generation;
    private final CRC32C crc = new CRC32C();

    private final EntryCache cache;
    /** Indexes of the membership entries in the log (read at recovery without loading payloads). */
    private final java.util.TreeSet<Long> configIndexes = new java.util.TreeSet<>();
    private final ExecutorService preallocator;
    private Future<?> nextSegment;

    SegmentedLog(Path dir, long segmentBytes, boolean unsafeFlush, long cacheBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.unsafeFlush = unsafeFlush;
        this.cache = new EntryCache(cacheBytes);
        this.preallocator = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "basalt-raft-prealloc");
            t.setDaemon(true);
            return t;
        });
        try {
            Files.createDirectories(dir);
            recover();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the Raft log in " + dir, e);
        }
    }

    // ---- recovery -------------------------------------------------------------------------------

    private void recover() throws IOException {
        Path base = dir.resolve(BASE_FILE);
        if (Files.exists(base)) {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(base));
            baseIndex = b.getLong();
            baseTerm = b.getLong();
        }
        List<Long> firsts = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.forEach(p -> {
                Matcher m = SEGMENT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    firsts.add(Long.parseLong(m.group(1)));
                }
            });
        }
        firsts.sort(null);
        lastIndex = baseIndex;
        lastTerm = baseTerm;
        boolean broken = false;
        for (long first : firsts) {
            Path p = segmentPath(first);
            if (broken || first != lastIndex + 1) {
                if (first <= baseIndex && !broken) {
                    // wholly covered by the base (a compaction cut short): drop it
                    Files.deleteIfExists(p);
                    continue;
                }
                log.warn("dropping Raft log segment {} (expected one starting at {})", p.getFileName(), lastIndex + 1);
                Files.deleteIfExists(p);
                broken = true;
                continue;
            }
            Segment seg = new Segment(first, p);
            seg.ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
            boolean clean = scan(seg);
            segments.add(seg);
            if (!clean) {
                broken = true; // anything after a torn record is unusable, later segments too
            }
        }
        if (segments.isEmpty()) {
            openSegment(lastIndex + 1);
        } else {
            Segment last = segments.get(segments.size() - 1);
            bufStart = last.size;
        }
        Files.deleteIfExists(dir.resolve(NEXT_FILE));
        prepareNext();
    }

    /** Reads the records of {@code seg}; returns false if it ended at a torn or invalid record. */
    private boolean scan(Segment seg) throws IOException {
        long pos = 0;
        long fileSize = seg.ch.size();
        ByteBuffer head = ByteBuffer.allocate(HEADER);
        while (pos + HEADER <= fileSize) {
            head.clear();
            readFully(seg.ch, head, pos);
            head.flip();
            int len = head.getInt();
            int sum = head.getInt();
            long term = head.getLong();
            long index = head.getLong();
            byte type = head.get();
            if (len == 0) {
                break; // preallocated space: the end of the data
            }
            if (len < 17 || pos + 8 + len > fileSize || index != lastIndex + 1 || term < lastTerm) {
                return cut(seg, pos);
            }
            ByteBuffer body = ByteBuffer.allocate(len);
            readFully(seg.ch, body, pos + 8);
            crc.reset();
            crc.update(body.array(), 0, len);
            if ((int) crc.getValue() != sum) {
                return cut(seg, pos);
            }
            seg.add(pos, term);
            if (type == LogEntry.CONFIG) {
                configIndexes.add(index);
            }
            lastIndex = index;
            lastTerm = term;
            pos += 8 + len;
        }
        seg.size = pos;
        return true;
    }

    private boolean cut(Segment seg, long pos) throws IOException {
        log.warn("Raft log segment {}: torn or invalid record at offset {}; the log ends at index {}",
                seg.path.getFileName(), pos, lastIndex);
        seg.ch.truncate(pos);
        seg.ch.force(true);
        seg.size = pos;
        return false;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    // ---- reading --------------------------------------------------------------------------------

    @Override
    public long baseIndex() {
        return baseIndex;
    }

    @Override
    public long baseTerm() {
        return baseTerm;
    }

    @Override
    public long lastIndex() {
        return lastIndex;
    }

    @Override
    public java.util.NavigableSet<Long> configIndexes() {
        return java.util.Collections.unmodifiableNavigableSet(configIndexes);
    }

    @Override
    public long term(long index) {
        if (index == baseIndex) {
            return baseTerm;
        }
        if (index < baseIndex || index > lastIndex) {
            return -1;
        }
        if (index == lastIndex) {
            return lastTerm;
        }
        Segment s = segmentOf(index);
        return s.terms[(int) (index - s.first)];
    }

    private Segment segmentOf(long index) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).first <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return segments.get(lo);
    }

    @Override
    public LogEntry entry(long index) {
        if (index <= baseIndex || index > lastIndex) {
            throw new IllegalArgumentException("no entry " + index + " (log holds " + (baseIndex + 1) + ".." + lastIndex + ")");
        }
        LogEntry e = cache.get(index);
        return e != null ? e : readEntry(index);
    }

    private LogEntry readEntry(long index) {
        Segment s = segmentOf(index);
        int i = (int) (index - s.first);
        long pos = s.offsets[i];
        long end = i + 1 < s.count ? s.offsets[i + 1] : s.size;
        try {
            if (s == segments.get(segments.size() - 1) && end > bufStart) {
                writeBuffer(); // the bytes are still in the write buffer
            }
            ByteBuffer b = ByteBuffer.allocate((int) (end - pos));
            readFully(s.ch, b, pos);
            b.flip();
            b.getInt();
            b.getInt();
            long term = b.getLong();
            long idx = b.getLong();
            byte type = b.get();
            byte[] payload = new byte[b.remaining()];
            b.get(payload);
            return new LogEntry(term, idx, type, payload);
        } catch (IOException e) {
            throw new UncheckedIOException("reading Raft log entry " + index, e);
        }
    }

    @Override
    public List<LogEntry> entries(long from, int maxCount, long maxBytes) {
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = from; i <= lastIndex && out.size() < maxCount; i++) {
            LogEntry e = entry(i);
            if (!out.isEmpty() && bytes + e.size() > maxBytes) {
                break;
            }
            out.add(e);
            bytes += e.size();
        }
        return out;
    }

    // ---- writing --------------------------------------------------------------------------------

    @Override
    public void append(LogEntry e) {
        if (e.index() != lastIndex + 1) {
            throw new IllegalArgumentException("append of " + e.index() + " after " + lastIndex);
        }
        if (e.term() < lastTerm) {
            throw new IllegalArgumentException("append of term " + e.term() + " after term " + lastTerm);
        }
        try {
            Segment seg = segments.get(segments.size() - 1);
            int len = 17 + e.payload().length;
            if (seg.count > 0 && seg.size + 8 + len > segmentBytes) {
                roll();
                seg = segments.get(segments.size() - 1);
            }
            crc.reset();
            ByteBuffer h = ByteBuffer.allocate(17).putLong(e.term()).putLong(e.index()).put(e.type());
            crc.update(h.array(), 0, 17);
            crc.update(e.payload(), 0, e.payload().length);
            if (buf.remaining() < 8 + 17) {
                writeBuffer();
            }
            buf.putInt(len).putInt((int) crc.getValue()).put(h.array());
            byte[] p = e.payload();
            int off = 0;
            while (off < p.length) {
                if (!buf.hasRemaining()) {
                    writeBuffer();
                }
                int n = Math.min(buf.remaining(), p.length - off);
                buf.put(p, off, n);
                off += n;
            }
            seg.add(seg.size, e.term());
            seg.size += 8 + len;
            lastIndex = e.index();
            lastTerm = e.term();
            if (e.type() == LogEntry.CONFIG) {
                configIndexes.add(e.index());
            }
            cache.add(e);
            dirty = true;
        } catch (IOException x) {
            throw new UncheckedIOException("appending to the Raft log", x);
        }
    }

    /** Writes the buffer to the last segment (no sync). */
    private void writeBuffer() throws IOException {
        if (buf.position() == 0) {
            return;
        }
        Segment seg = segments.get(segments.size() - 1);
        buf.flip();
        long pos = bufStart;
        while (buf.hasRemaining()) {
            pos += seg.ch.write(buf, pos);
        }
        buf.clear();
        bufStart = pos;
    }

    /** Whether appends or a truncation wait for {@link #sync}. */
    boolean needsSync() {
        return dirty;
    }

    long generation() {
        return generation;
    }

    /**
     * The first half of a sync, on the log's thread: buffered appends go to the file. Returns the
     * file to force (by {@link #force}, on any thread) for everything up to {@link #lastIndex()}.
     */
    FileChannel prepareSync() {
        try {
            writeBuffer();
            dirty = false;
            return segments.get(segments.size() - 1).ch;
        } catch (IOException e) {
            throw new UncheckedIOException("writing the Raft log", e);
        }
    }

    /** The second half of a sync (any thread). A file closed meanwhile was synced when it was rolled or dropped. */
    void force(FileChannel ch) {
        if (unsafeFlush) {
            return;
        }
        try {
            ch.force(false);
        } catch (java.nio.channels.ClosedChannelException e) {
            // rolled (synced then) or deleted (its entries are gone)
        } catch (IOException e) {
            throw new UncheckedIOException("syncing the Raft log", e);
        }
    }

    @Override
    public void sync() {
        if (!dirty) {
            return;
        }
        try {
            writeBuffer();
            if (!unsafeFlush) {
                segments.get(segments.size() - 1).ch.force(false);
            }
            dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException("syncing the Raft log", e);
        }
    }

    private void roll() throws IOException {
        writeBuffer();
        Segment old = segments.get(segments.size() - 1);
        old.ch.truncate(old.size); // drop the unused preallocated tail
        old.ch.force(true);
        openSegment(lastIndex + 1);
    }

    private Path segmentPath(long first) {
        return dir.resolve(String.format("seg-%020d", first));
    }

    /** Starts the segment of entries from {@code first} on: the preallocated file if it is ready. */
    private void openSegment(long first) throws IOException {
        Path p = segmentPath(first);
        Path next = dir.resolve(NEXT_FILE);
        boolean ready = false;
        if (nextSegment != null) {
            try {
                nextSegment.get();
                ready = Files.exists(next);
            } catch (Exception e) {
                log.debug("preallocating a Raft log segment failed: {}", e.toString());
            }
            nextSegment = null;
        }
        if (ready) {
            Files.move(next, p, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.deleteIfExists(p);
            Files.createFile(p);
        }
        syncDir();
        Segment seg = new Segment(first, p);
        seg.ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        segments.add(seg);
        bufStart = 0;
        prepareNext();
    }

    /** Fills the next segment's file with zeros in the background. */
    private void prepareNext() {
        Path next = dir.resolve(NEXT_FILE);
        long size = segmentBytes;
        nextSegment = preallocator.submit(() -> {
            try (FileChannel ch = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
                long pos = 0;
                while (pos < size) {
                    zeros.clear();
                    zeros.limit((int) Math.min(zeros.capacity(), size - pos));
                    pos += ch.write(zeros, pos);
                }
                ch.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    private void syncDir() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems do not sync directories; the files themselves are synced
        }
    }

    @Override
    public void truncateFrom(long index) {
        if (index <= baseIndex) {
            throw new IllegalArgumentException("cannot truncate at " + index + ": the log starts after " + baseIndex);
        }
        if (index > lastIndex) {
            return;
        }
        try {
            writeBuffer();
            while (segments.size() > 1 && segments.get(segments.size() - 1).first >= index) {
                Segment s = segments.remove(segments.size() - 1);
                s.ch.close();
                Files.deleteIfExists(s.path);
            }
            Segment s = segments.get(segments.size() - 1);
            int keep = (int) Math.max(0, index - s.first);
            long pos = keep < s.count ? s.offsets[keep] : s.size;
            s.count = keep;
            s.size = pos;
            s.ch.truncate(pos);
            s.ch.force(true);
            bufStart = pos;
            lastIndex = index - 1;
            // (not term(): it answers lastTerm for lastIndex, which still holds the truncated entries' term)
            if (lastIndex == baseIndex) {
                lastTerm = baseTerm;
            } else {
                Segment t = segmentOf(lastIndex);
                lastTerm = t.terms[(int) (lastIndex - t.first)];
            }
            cache.truncateFrom(index);
            generation++;
            configIndexes.tailSet(index, true).clear();
            syncDir();
        } catch (IOException e) {
            throw new UncheckedIOException("truncating the Raft log", e);
        }
    }

    @Override
    public void compact(long index, long term) {
        try {
            int drop = 0;
            while (drop < segments.size() - 1 && segments.get(drop).last() <= index && segments.get(drop).count > 0) {
                drop++;
            }
            if (drop == 0) {
                return;
            }
            Segment lastDropped = segments.get(drop - 1);
            long newBase = lastDropped.last();
            long newBaseTerm = lastDropped.terms[lastDropped.count - 1];
            writeBase(newBase, newBaseTerm);
            for (int i = 0; i < drop; i++) {
                Segment s = segments.remove(0);
                s.ch.close();
                Files.deleteIfExists(s.path);
            }
            baseIndex = newBase;
            baseTerm = newBaseTerm;
            cache.dropUpTo(newBase);
            configIndexes.headSet(newBase, true).clear();
        } catch (IOException e) {
            throw new UncheckedIOException("compacting the Raft log", e);
        }
    }

    @Override
    public void reset(long index, long term) {
        try {
            buf.clear();
            dirty = false;
            generation++;
            writeBase(index, term); // first: a crash before the deletes leaves segments recovery drops
            for (Segment s : segments) {
                s.ch.close();
                Files.deleteIfExists(s.path);
            }
            segments.clear();
            baseIndex = index;
            baseTerm = term;
            lastIndex = index;
            lastTerm = term;
            cache.clear();
            configIndexes.clear();
            openSegment(index + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("resetting the Raft log", e);
        }
    }

    private void writeBase(long index, long term) throws IOException {
        Path tmp = dir.resolve(BASE_FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.allocate(16).putLong(index).putLong(term).flip());
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(BASE_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDir();
    }

    @Override
    public void close() {
        try {
            sync();
        } catch (RuntimeException e) {
            log.warn("syncing the Raft log on close", e);
        }
        for (Segment s : segments) {
            try {
                s.ch.close();
            } catch (IOException e) {
                log.debug("closing a segment", e);
            }
        }
        preallocator.shutdownNow();
        try {
            preallocator.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            Files.deleteIfExists(dir.resolve(NEXT_FILE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("removing the preallocated segment", e);
        }
    }

    /** Recent entries, oldest first, within a byte budget. */
    private static final class EntryCache {
        private final long budget;
        private LogEntry[] ring = new LogEntry[1024];
        private int head;
        private int size;
        private long bytes;

        EntryCache(long budget) {
            this.budget = budget;
        }

        void add(LogEntry e) {
            if (size > 0 && ring[(head + size - 1) % ring.length].index() != e.index() - 1) {
                clear();
            }
            if (size == ring.length) {
                LogEntry[] n = new LogEntry[ring.length * 2];
                for (int i = 0; i < size; i++) {
                    n[i] = ring[(head + i) % ring.length];
                }
                ring = n;
                head = 0;
            }
            ring[(head + size) % ring.length] = e;
            size++;
            bytes += e.size();
            while (bytes > budget && size > 1) {
                removeFirst();
            }
        }

        private void removeFirst() {
            bytes -= ring[head].size();
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
        }

        LogEntry get(long index) {
            if (size == 0) {
                return null;
            }
            long first = ring[head].index();
            if (index < first || index >= first + size) {
                return null;
            }
            return ring[(int) ((head + (index - first)) % ring.length)];
        }

        void truncateFrom(long index) {
            while (size > 0 && ring[(head + size - 1) % ring.length].index() >= index) {
                int last = (head + size - 1) % ring.length;
                bytes -= ring[last].size();
                ring[last] = null;
                size--;
            }
        }

        void dropUpTo(long index) {
            while (size > 0 && ring[head].index() <= index) {
                removeFirst();
            }
        }

        void clear() {
            java.util.Arrays.fill(ring, null);
            head = 0;
            size = 0;
            bytes = 0;
        }
    }
}
