package io.basalt.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Frames client requests: RESP multibulk ({@code *N\r\n$len\r\n…}) and inline commands
 * ({@code SET a b\r\n}). Emits one {@link Request} per command, or one {@link ProtocolError} after
 * which it discards everything (the handler replies and closes). Bulk payloads are copied out as they
 * arrive, so a large value is never held twice.
 *
 * <p>Limits follow Redis: inline requests and length lines up to 64 KB; bulk lengths up to
 * {@code proto-max-bulk-len}; a client not yet authenticated may send at most 10 arguments of at most
 * 16 KB; the bytes of one unfinished request may not exceed {@code client-query-buffer-limit}
 * (the connection is then closed without a reply, as Redis does).
 */
public final class RespDecoder extends ByteToMessageDecoder {
    /** One complete command. */
    public record Request(List<byte[]> args) {}

    /** A framing error; {@code message} is the text after "ERR Protocol error: ". */
    public record ProtocolError(String message) {}

    /** The query buffer limit was exceeded: close without a reply. */
    public record QueryBufferOverflow(long bytes) {}

    static final int INLINE_MAX = 64 * 1024;
    private static final int UNAUTH_MAX_ARGS = 10;
    private static final int UNAUTH_MAX_BULK = 16 * 1024;
    private static final int DIRECT_ALLOC_LIMIT = 1 << 20;

    private final LongSupplier maxBulkLen;
    private final LongSupplier queryBufferLimit;
    private final BooleanSupplier authRequired;

    private boolean failed;
    private int multibulkRemaining = -1;
    private List<byte[]> args;
    private long bulkLen = -1;
    private byte[] bulk;
    private int bulkFilled;
    private long requestBytes;

    public RespDecoder(LongSupplier maxBulkLen, LongSupplier queryBufferLimit, BooleanSupplier authRequired) {
        this.maxBulkLen = maxBulkLen;
        this.queryBufferLimit = queryBufferLimit;
        this.authRequired = authRequired;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed && in.isReadable()) {
            int before = in.readerIndex();
            Object msg = multibulkRemaining < 0 ? startRequest(in) : continueMultibulk(in);
            if (msg != null) {
                out.add(msg);
                if (!(msg instanceof Request)) {
                    failed = true;
                    in.skipBytes(in.readableBytes());
                    return;
                }
                requestBytes = 0;
                continue;
            }
            requestBytes += in.readerIndex() - before;
            if (multibulkRemaining >= 0 || in.isReadable()) {
                // Unfinished request: count what we hold for it, then wait for more bytes.
                if (requestBytes + in.readableBytes() > queryBufferLimit.getAsLong()) {
                    out.add(new QueryBufferOverflow(requestBytes + in.readableBytes()));
                    failed = true;
                    in.skipBytes(in.readableBytes());
                }
                return;
            }
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    private Object startRequest(ByteBuf in) {
        if (in.getByte(in.readerIndex()) == '*') {
            int eol = findCrlf(in);
            if (eol < 0) {
                return in.readableBytes() > INLINE_MAX ? new ProtocolError("too big mbulk count string") : null;
            }
            long n = parseLong(in, in.readerIndex() + 1, eol);
            in.readerIndex(eol + 2);
            if (n == NAN || n > Integer.MAX_VALUE) {
                return new ProtocolError("invalid multibulk length");
            }
            if (n > UNAUTH_MAX_ARGS && authRequired.getAsBoolean()) {
                return new ProtocolError("invalid multibulk length");
            }
            if (n <= 0) {
                return null; // "*0\r\n" or "*-1\r\n": nothing to run, as in Redis
            }
            multibulkRemaining = (int) n;
            args = new ArrayList<>(Math.min((int) n, 1024));
            return continueMultibulk(in);
        }
        return inline(in);
    }

    private Object continueMultibulk(ByteBuf in) {
        while (multibulkRemaining > 0) {
            if (bulkLen < 0) {
                if (!in.isReadable()) {
                    return null;
                }
                int eol = findCrlf(in);
                if (eol < 0) {
                    return in.readableBytes() > INLINE_MAX ? new ProtocolError("too big bulk count string") : null;
                }
                byte first = in.getByte(in.readerIndex());
                if (first != '$') {
                    return new ProtocolError("expected '$', got '" + (char) (first & 0xFF) + "'");
                }
                long len = parseLong(in, in.readerIndex() + 1, eol);
                in.readerIndex(eol + 2);
                if (len == NAN || len < 0 || len > maxBulkLen.getAsLong()) {
                    return new ProtocolError("invalid bulk length");
                }
                if (len > UNAUTH_MAX_BULK && authRequired.getAsBoolean()) {
                    return new ProtocolError("invalid bulk length");
                }
                bulkLen = len;
                bulk = new byte[(int) Math.min(len, DIRECT_ALLOC_LIMIT)];
                bulkFilled = 0;
            }
            int need = (int) (bulkLen - bulkFilled);
            int take = Math.min(need, in.readableBytes());
            if (take > 0) {
                if (bulkFilled + take > bulk.length) {
                    long grown = Math.min(bulkLen, Math.max((long) bulk.length * 2, bulkFilled + (long) take));
                    bulk = java.util.Arrays.copyOf(bulk, (int) grown);
                }
                in.readBytes(bulk, bulkFilled, take);
                bulkFilled += take;
            }
            if (bulkFilled < bulkLen || in.readableBytes() < 2) {
                return null;
            }
            // The payload must be followed by CRLF; Redis does not check it, it just skips two bytes.
            in.skipBytes(2);
            args.add(bulk);
            bulk = null;
            bulkLen = -1;
            multibulkRemaining--;
        }
        List<byte[]> done = args;
        args = null;
        multibulkRemaining = -1;
        return new Request(done);
    }

    private Object inline(ByteBuf in) {
        int nl = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (nl < 0) {
            return in.readableBytes() > INLINE_MAX ? new ProtocolError("too big inline request") : null;
        }
        int end = nl;
        if (end > in.readerIndex() && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - in.readerIndex()];
        in.getBytes(in.readerIndex(), line);
        in.readerIndex(nl + 1);
        List<byte[]> parsed = splitArgs(line);
        if (parsed == null) {
            return new ProtocolError("unbalanced quotes in request");
        }
        if (parsed.isEmpty()) {
            return null; // empty line: ignored, as redis-cli users expect
        }
        return new Request(parsed);
    }

    private static int findCrlf(ByteBuf in) {
        int limit = Math.min(in.writerIndex(), in.readerIndex() + INLINE_MAX + 2);
        int i = in.indexOf(in.readerIndex(), limit, (byte) '\r');
        while (i >= 0) {
            if (i + 1 >= in.writerIndex()) {
                return -1;
            }
            if (in.getByte(i + 1) == '\n') {
                return i;
            }
            i = in.indexOf(i + 1, limit, (byte) '\r');
        }
        return -1;
    }

    /** Sentinel for "not a number" from {@link #parseLong}; lengths are never this value. */
    private static final long NAN = Long.MIN_VALUE;

    /**
     * Parses a decimal length between {@code from} and {@code to} with Netty's bulk byte visitor
     * (no per-byte bounds checks). Returns {@link #NAN} when it is not a number.
     */
    private long parseLong(ByteBuf in, int from, int to) {
        if (from >= to || to - from > 20) {
            return NAN;
        }
        digits.reset(in.getByte(from) == '-');
        int start = digits.negative ? from + 1 : from;
        if (start >= to) {
            return NAN;
        }
        in.forEachByte(start, to - start, digits);
        return digits.ok ? (digits.negative ? -digits.value : digits.value) : NAN;
    }

    private final DigitParser digits = new DigitParser();

    private static final class DigitParser implements io.netty.util.ByteProcessor {
        long value;
        boolean ok;
        boolean negative;

        void reset(boolean neg) {
            value = 0;
            ok = true;
            negative = neg;
        }

        @Override
        public boolean process(byte b) {
            int d = b - '0';
            if (d < 0 || d > 9 || value > (Long.MAX_VALUE - d) / 10) {
                ok = false;
                return false;
            }
            value = value * 10 + d;
            return true;
        }
    }

    /**
     * Splits an inline request line the way redis-cli and Redis do: whitespace separates arguments,
     * "double quotes" understand \n \r \t \b \a \\ \" and \xHH, 'single quotes' understand \'.
     * A closing quote must be followed by a space or the end. Returns null on unbalanced quotes.
     */
    public static List<byte[]> splitArgs(byte[] line) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        int n = line.length;
        java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
        while (true) {
            while (i < n && isSpace(line[i])) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            cur.reset();
            boolean inDq = false;
            boolean inSq = false;
            boolean done = false;
            while (!done) {
                if (inDq) {
                    if (i >= n) {
                        return null;
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
                        cur.write(hex(line[i + 2]) * 16 + hex(line[i + 3]));
                        i += 3;
                    } else if (c == '\\' && i + 1 < n) {
                        i++;
                        byte e = line[i];
                        cur.write(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (i + 1 < n && !isSpace(line[i + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else if (inSq) {
                    if (i >= n) {
                        return null;
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
                        i++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (i + 1 < n && !isSpace(line[i + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else {
                    if (i >= n) {
                        done = true;
                        continue;
                    }
                    byte c = line[i];
                    if (isSpace(c)) {
                        done = true;
                    } else if (c == '"') {
                        inDq = true;
                    } else if (c == '\'') {
                        inSq = true;
                    } else {
                        cur.write(c);
                    }
                }
                if (i < n) {
                    i++;
                }
            }
            out.add(cur.toByteArray());
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
