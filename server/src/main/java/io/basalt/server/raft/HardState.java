package io.basalt.server.raft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A replica's current term and vote, which Raft needs to survive a crash (a replica must never vote
 * twice in a term): a small file replaced atomically (write, sync, rename, sync the directory).
 */
final class HardState {
    private final Path file;
    private long term;
    private String votedFor;

    HardState(Path dir) {
        this.file = dir.resolve("hard-state");
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
                int sum = b.getInt();
                CRC32C c = new CRC32C();
                c.update(b.array(), 4, b.limit() - 4);
                if ((int) c.getValue() != sum) {
                    throw new IOException("corrupt " + file + " (checksum)");
                }
                term = b.getLong();
                int n = b.getShort();
                if (n >= 0) {
                    byte[] v = new byte[n];
                    b.get(v);
                    votedFor = new String(v, StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long term() {
        return term;
    }

    String votedFor() {
        return votedFor;
    }

    void save(long newTerm, String vote) {
        if (newTerm == term && java.util.Objects.equals(vote, votedFor)) {
            return;
        }
        byte[] v = vote == null ? new byte[0] : vote.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 2 + v.length);
        b.putInt(0).putLong(newTerm).putShort((short) (vote == null ? -1 : v.length)).put(v);
        CRC32C c = new CRC32C();
        c.update(b.array(), 4, b.capacity() - 4);
        b.putInt(0, (int) c.getValue());
        Path tmp = file.resolveSibling("hard-state.tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                b.rewind();
                ch.write(b);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // directories cannot be synced everywhere
            }
        } catch (IOException e) {
            throw new UncheckedIOException("saving the Raft term and vote", e);
        }
        term = newTerm;
        votedFor = vote;
    }
}
