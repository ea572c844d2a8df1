package io.basalt.server.raft;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots of one replica as Ratis sees them: each is a directory {@code snapshot.<term>_<index>}
 * in the group's state-machine directory holding a RocksDB checkpoint of the store at that log
 * position. Ratis sends a snapshot to a lagging follower file by file (paths relative to the
 * state-machine directory) and, once complete, renames the received directory into place there.
 */
final class CheckpointStorage implements StateMachineStorage {
    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

    /** A snapshot directory and the log position it covers. */
    record Snapshot(Path dir, long term, long index) {}

    private volatile Path smDir;

    @Override
    public void init(RaftStorage storage) throws IOException {
        smDir = storage.getStorageDir().getStateMachineDir().toPath();
        Files.createDirectories(smDir);
    }

    Path dir() {
        return smDir;
    }

    /** The newest complete snapshot, or null. */
    Snapshot latest() {
        List<Snapshot> all = all();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Complete snapshots, oldest first. */
    List<Snapshot> all() {
        List<Snapshot> out = new ArrayList<>();
        Path dir = smDir;
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p) && Files.exists(p.resolve("CURRENT"))) {
                    out.add(new Snapshot(p, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparingLong(Snapshot::index));
        return out;
    }

    /** Where a new snapshot at {@code term, index} goes, and the temporary name it is built under. */
    Path target(long term, long index) {
        return smDir.resolve("snapshot." + term + "_" + index);
    }

    Path scratch() throws IOException {
        Path tmp = smDir.resolve("tmp.snapshot");
        deleteTree(tmp);
        return tmp;
    }

    /** Moves a finished checkpoint into place (atomic rename). */
    void publish(Path built, Path target) throws IOException {
        deleteTree(target);
        Files.move(built, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        Snapshot s = latest();
        if (s == null) {
            return null;
        }
        List<FileInfo> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(s.dir())) {
            walk.filter(Files::isRegularFile).sorted().forEach(p -> files.add(new FileInfo(p, null)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FileListSnapshotInfo(files, s.term(), s.index());
    }

    @Override
    public void format() throws IOException {
        // nothing beyond the directory init() creates
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        List<Snapshot> all = all();
        int n = policy == null ? -1 : policy.getNumSnapshotsRetained();
        int keep = n <= 0 ? 2 : n;
        for (int i = 0; i < all.size() - keep; i++) {
            deleteTree(all.get(i).dir());
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

    @Override
    public File getSnapshotDir() {
        return null; // the state-machine directory itself
    }
}
