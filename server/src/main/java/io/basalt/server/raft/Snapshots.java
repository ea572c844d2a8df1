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
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A replica's snapshots: each a directory {@code snapshot.<term>_<index>} holding a RocksDB
 * checkpoint of the store at that log position plus {@value #META} (the membership at that
 * position). The newest two are kept. A snapshot received from the leader is written under
 * {@code incoming/} and renamed into place once whole.
 */
final class Snapshots {
    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    static final String META = "raft-snapshot.meta";

    /** A complete snapshot: its directory, the log position it covers and the membership there. */
    record Snapshot(Path dir, long term, long index) {
        RaftConfig config() {
            try {
                return RaftConfig.decode(Files.readAllBytes(dir.resolve(META)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The files to send, relative names with their sizes, in a fixed order. */
        List<Path> files() {
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Path dir;

    Snapshots(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest complete snapshot, or null. */
    Snapshot latest() {
        List<Snapshot> all = all();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Complete snapshots, oldest first. */
    List<Snapshot> all() {
        List<Snapshot> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p) && Files.exists(p.resolve("CURRENT")) && Files.exists(p.resolve(META))) {
                    out.add(new Snapshot(p, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparingLong(Snapshot::index));
        return out;
    }

    /**
     * Builds a snapshot at {@code term, index}: {@code checkpoint} writes the store's checkpoint into
     * the directory it is given (which must not exist yet), then the membership is added and the
     * whole is renamed into place. Older snapshots beyond the newest two are deleted.
     */
    Snapshot create(long term, long index, RaftConfig config, Consumer<Path> checkpoint) {
        try {
            Path tmp = dir.resolve("tmp.snapshot");
            deleteTree(tmp);
            checkpoint.accept(tmp);
            writeSynced(tmp.resolve(META), config.encode());
            Path target = dir.resolve("snapshot." + term + "_" + index);
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDir(dir);
            cleanup();
            return new Snapshot(target, term, index);
        } catch (IOException e) {
            throw new UncheckedIOException("taking a snapshot", e);
        }
    }

    void cleanup() throws IOException {
        List<Snapshot> all = all();
        for (int i = 0; i < all.size() - 2; i++) {
            deleteTree(all.get(i).dir());
        }
    }

    /** Where chunks of a snapshot being received go (emptied by {@link #clearIncoming}). */
    Path incoming() {
        return dir.resolve("incoming");
    }

    void clearIncoming() {
        try {
            deleteTree(incoming());
            Files.createDirectories(incoming());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores a received chunk of {@code file} at {@code offset}. */
    void writeChunk(String file, long offset, byte[] data) {
        Path p = incoming().resolve(file).normalize();
        if (!p.getParent().equals(incoming().normalize()) || file.contains("/") || file.startsWith(".")) {
            throw new IllegalArgumentException("bad snapshot file name " + file);
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            long pos = offset;
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The received snapshot is whole: sync its files and move it into place. */
    Snapshot publishIncoming(long term, long index, byte[] config) {
        try {
            Path in = incoming();
            writeSynced(in.resolve(META), config);
            try (Stream<Path> s = Files.list(in)) {
                for (Path p : s.toList()) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
            }
            Path target = dir.resolve("snapshot." + term + "_" + index);
            deleteTree(target);
            Files.move(in, target, StandardCopyOption.ATOMIC_MOVE);
            syncDir(dir);
            cleanup();
            return new Snapshot(target, term, index);
        } catch (IOException e) {
            throw new UncheckedIOException("storing a received snapshot", e);
        }
    }

    private static void writeSynced(Path p, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(data));
            ch.force(true);
        }
    }

    private static void syncDir(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not supported everywhere
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
