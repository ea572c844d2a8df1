package io.basalt.server.resp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A protocol-neutral binary form of a {@link Reply}, for replies kept in storage (the replies of
 * deduplicated writes): the same stored reply is later written in RESP2 or RESP3 as the asking
 * connection speaks. {@link Reply.Blocked} is not storable.
 */
public final class ReplyCodec {
    private ReplyCodec() {}

    public static byte[] encode(Reply r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(r, out);
        return out.toByteArray();
    }

    public static Reply decode(byte[] bytes) {
        return read(ByteBuffer.wrap(bytes));
    }

    private static void write(Reply r, ByteArrayOutputStream out) {
        if (r instanceof Reply.Simple s) {
            text(out, 'S', s.text());
        } else if (r instanceof Reply.Error e) {
            text(out, 'E', e.text());
        } else if (r instanceof Reply.Int i) {
            out.write('I');
            out.writeBytes(ByteBuffer.allocate(8).putLong(i.value()).array());
        } else if (r instanceof Reply.Bulk b) {
            bytes(out, 'B', b.value(), 0, b.value().length);
        } else if (r instanceof Reply.BulkSlice b) {
            bytes(out, 'B', b.array(), b.offset(), b.length());
        } else if (r instanceof Reply.Null) {
            out.write('N');
        } else if (r instanceof Reply.NullArray) {
            out.write('n');
        } else if (r instanceof Reply.Array a) {
            list(out, 'A', a.items());
        } else if (r instanceof Reply.MapReply m) {
            list(out, 'M', m.keysAndValues());
        } else if (r instanceof Reply.SetReply s) {
            list(out, 'T', s.items());
        } else if (r instanceof Reply.KeyedArrays k) {
            list(out, 'K', k.keysAndValues());
        } else if (r instanceof Reply.Pairs p) {
            list(out, 'P', p.flat());
        } else if (r instanceof Reply.Push p) {
            list(out, 'U', p.items());
        } else if (r instanceof Reply.Many m) {
            list(out, 'Y', m.replies());
        } else if (r instanceof Reply.DoubleReply d) {
            out.write('D');
            out.writeBytes(ByteBuffer.allocate(8).putDouble(d.value()).array());
        } else if (r instanceof Reply.DoubleText d) {
            text(out, 'd', d.text());
        } else if (r instanceof Reply.Bool b) {
            out.write(b.value() ? 't' : 'f');
        } else if (r instanceof Reply.Verbatim v) {
            text(out, 'V', v.format());
            bytes(out, 'B', v.value(), 0, v.value().length);
        } else {
            throw new IllegalArgumentException("not storable: " + r.getClass().getSimpleName());
        }
    }

    private static void text(ByteArrayOutputStream out, char tag, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        bytes(out, tag, b, 0, b.length);
    }

    private static void bytes(ByteArrayOutputStream out, char tag, byte[] b, int off, int len) {
        out.write(tag);
        out.writeBytes(ByteBuffer.allocate(4).putInt(len).array());
        out.write(b, off, len);
    }

    private static void list(ByteArrayOutputStream out, char tag, List<Reply> items) {
        out.write(tag);
        out.writeBytes(ByteBuffer.allocate(4).putInt(items.size()).array());
        for (Reply r : items) {
            write(r, out);
        }
    }

    private static byte[] bytes(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return b;
    }

    private static String text(ByteBuffer in) {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    private static List<Reply> list(ByteBuffer in) {
        int n = in.getInt();
        List<Reply> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(read(in));
        }
        return items;
    }

    private static Reply read(ByteBuffer in) {
        char tag = (char) in.get();
        return switch (tag) {
            case 'S' -> new Reply.Simple(text(in));
            case 'E' -> new Reply.Error(text(in));
            case 'I' -> new Reply.Int(in.getLong());
            case 'B' -> new Reply.Bulk(bytes(in));
            case 'N' -> Reply.NULL;
            case 'n' -> Reply.NULL_ARRAY;
            case 'A' -> new Reply.Array(list(in));
            case 'M' -> new Reply.MapReply(list(in));
            case 'T' -> new Reply.SetReply(list(in));
            case 'K' -> new Reply.KeyedArrays(list(in));
            case 'P' -> new Reply.Pairs(list(in));
            case 'U' -> new Reply.Push(list(in));
            case 'Y' -> new Reply.Many(list(in));
            case 'D' -> new Reply.DoubleReply(in.getDouble());
            case 'd' -> new Reply.DoubleText(text(in));
            case 't' -> new Reply.Bool(true);
            case 'f' -> new Reply.Bool(false);
            case 'V' -> {
                String format = text(in);
                in.get(); // 'B'
                yield new Reply.Verbatim(format, bytes(in));
            }
            default -> throw new IllegalArgumentException("bad stored reply tag " + tag);
        };
    }
}
