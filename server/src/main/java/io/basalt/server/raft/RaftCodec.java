package io.basalt.server.raft;

import io.basalt.server.raft.RaftMessage.Append;
import io.basalt.server.raft.RaftMessage.AppendReply;
import io.basalt.server.raft.RaftMessage.SnapshotChunk;
import io.basalt.server.raft.RaftMessage.SnapshotReply;
import io.basalt.server.raft.RaftMessage.TimeoutNow;
import io.basalt.server.raft.RaftMessage.Vote;
import io.basalt.server.raft.RaftMessage.VoteReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire form of {@link RaftMessage}s: {@code [u32 frame length][u8 type][fields]}, big-endian. The
 * sender's id is not repeated in each message: a connection starts with a hello naming the group
 * and the sender, and every message on it is from that sender. Entry payloads go out as they are
 * (wrapped, not copied) and are copied once on the way in.
 */
final class RaftCodec {
    static final int MAX_FRAME = Integer.MAX_VALUE - 8;

    private static final byte HELLO = 1;
    private static final byte APPEND = 2;
    private static final byte APPEND_REPLY = 3;
    private static final byte VOTE = 4;
    private static final byte VOTE_REPLY = 5;
    private static final byte TIMEOUT_NOW = 6;
    private static final byte SNAPSHOT_CHUNK = 7;
    private static final byte SNAPSHOT_REPLY = 8;
    /** Payloads at least this big are wrapped instead of copied into the frame. */
    private static final int WRAP_AT = 1024;

    /** The first frame of a connection: the group, the sender and its own Raft address (for answers). */
    record Hello(String group, String from, String host, int port) {}

    private RaftCodec() {}

    static ByteBuf hello(ByteBufAllocator alloc, Hello h) {
        byte[] g = h.group().getBytes(StandardCharsets.UTF_8);
        byte[] f = h.from().getBytes(StandardCharsets.UTF_8);
        byte[] host = h.host().getBytes(StandardCharsets.UTF_8);
        int len = 1 + 2 + g.length + 2 + f.length + 2 + host.length + 4;
        ByteBuf b = alloc.buffer(4 + len);
        b.writeInt(len).writeByte(HELLO);
        b.writeShort(g.length).writeBytes(g).writeShort(f.length).writeBytes(f).writeShort(host.length).writeBytes(host)
                .writeInt(h.port());
        return b;
    }

    static ByteBuf encode(ByteBufAllocator alloc, RaftMessage m) {
        if (m instanceof Append a) {
            return append(alloc, a);
        }
        ByteBuf b = alloc.buffer(64);
        b.writeInt(0);
        if (m instanceof AppendReply r) {
            b.writeByte(APPEND_REPLY).writeLong(r.term()).writeBoolean(r.success()).writeLong(r.index())
                    .writeLong(r.readSeq()).writeLong(r.sentNanos());
        } else if (m instanceof Vote v) {
            b.writeByte(VOTE).writeLong(v.term()).writeLong(v.lastIndex()).writeLong(v.lastTerm()).writeBoolean(v.pre())
                    .writeBoolean(v.transfer());
        } else if (m instanceof VoteReply r) {
            b.writeByte(VOTE_REPLY).writeLong(r.term()).writeBoolean(r.granted()).writeBoolean(r.pre());
        } else if (m instanceof TimeoutNow t) {
            b.writeByte(TIMEOUT_NOW).writeLong(t.term());
        } else if (m instanceof SnapshotReply r) {
            b.writeByte(SNAPSHOT_REPLY).writeLong(r.term()).writeLong(r.index()).writeLong(r.seq()).writeBoolean(r.ok());
        } else if (m instanceof SnapshotChunk c) {
            byte[] f = c.file().getBytes(StandardCharsets.UTF_8);
            b.writeByte(SNAPSHOT_CHUNK).writeLong(c.term()).writeLong(c.index()).writeLong(c.lastTerm())
                    .writeInt(c.config().length).writeBytes(c.config()).writeLong(c.seq())
                    .writeShort(f.length).writeBytes(f).writeLong(c.offset()).writeInt(c.data().length);
            b.writeBytes(c.data()).writeBoolean(c.done());
        } else {
            b.release();
            throw new IllegalArgumentException("cannot encode " + m);
        }
        b.setInt(0, b.writerIndex() - 4);
        return b;
    }

    private static ByteBuf append(ByteBufAllocator alloc, Append a) {
        int small = 0;
        int frame = 1 + 6 * 8 + 4;
        for (LogEntry e : a.entries()) {
            frame += 21 + e.payload().length;
            if (e.payload().length < WRAP_AT) {
                small += e.payload().length;
            }
        }
        ByteBuf head = alloc.buffer(4 + 1 + 6 * 8 + 4 + 21 * a.entries().size() + small);
        head.writeInt(frame).writeByte(APPEND).writeLong(a.term()).writeLong(a.prevIndex()).writeLong(a.prevTerm())
                .writeLong(a.commit()).writeLong(a.readSeq()).writeLong(a.sentNanos()).writeInt(a.entries().size());
        CompositeByteBuf out = null;
        for (LogEntry e : a.entries()) {
            head.writeLong(e.term()).writeLong(e.index()).writeByte(e.type()).writeInt(e.payload().length);
            if (e.payload().length < WRAP_AT) {
                head.writeBytes(e.payload());
            } else {
                if (out == null) {
                    out = alloc.compositeBuffer(1 + 2 * a.entries().size());
                }
                out.addComponent(true, head);
                out.addComponent(true, Unpooled.wrappedBuffer(e.payload()));
                head = alloc.buffer(21 * a.entries().size() + small);
            }
        }
        if (out == null) {
            return head;
        }
        if (head.isReadable()) {
            out.addComponent(true, head);
        } else {
            head.release();
        }
        return out;
    }

    /** Decodes one frame (the length prefix already removed); a hello is returned as {@link Hello}. */
    static Object decode(ByteBuf b, String from) {
        byte type = b.readByte();
        switch (type) {
            case HELLO: {
                String g = string(b);
                String f = string(b);
                String host = string(b);
                return new Hello(g, f, host, b.readInt());
            }
            case APPEND: {
                long term = b.readLong();
                long prevIndex = b.readLong();
                long prevTerm = b.readLong();
                long commit = b.readLong();
                long readSeq = b.readLong();
                long sent = b.readLong();
                int n = b.readInt();
                List<LogEntry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long t = b.readLong();
                    long idx = b.readLong();
                    byte ty = b.readByte();
                    byte[] p = new byte[b.readInt()];
                    b.readBytes(p);
                    entries.add(new LogEntry(t, idx, ty, p));
                }
                return new Append(term, from, prevIndex, prevTerm, commit, entries, readSeq, sent);
            }
            case APPEND_REPLY:
                return new AppendReply(b.readLong(), from, b.readBoolean(), b.readLong(), b.readLong(), b.readLong());
            case VOTE:
                return new Vote(b.readLong(), from, b.readLong(), b.readLong(), b.readBoolean(), b.readBoolean());
            case VOTE_REPLY:
                return new VoteReply(b.readLong(), from, b.readBoolean(), b.readBoolean());
            case TIMEOUT_NOW:
                return new TimeoutNow(b.readLong(), from);
            case SNAPSHOT_REPLY:
                return new SnapshotReply(b.readLong(), from, b.readLong(), b.readLong(), b.readBoolean());
            case SNAPSHOT_CHUNK: {
                long term = b.readLong();
                long index = b.readLong();
                long lastTerm = b.readLong();
                byte[] cfg = new byte[b.readInt()];
                b.readBytes(cfg);
                long seq = b.readLong();
                String file = string(b);
                long offset = b.readLong();
                byte[] data = new byte[b.readInt()];
                b.readBytes(data);
                boolean done = b.readBoolean();
                return new SnapshotChunk(term, from, index, lastTerm, cfg, seq, file, offset, data, done);
            }
            default:
                throw new IllegalArgumentException("unknown Raft message type " + type);
        }
    }

    private static String string(ByteBuf b) {
        int n = b.readUnsignedShort();
        byte[] s = new byte[n];
        b.readBytes(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
