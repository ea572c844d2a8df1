package io.basalt.server.resp;

import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Renders {@link Reply} values as RESP2 or RESP3 bytes. Stateless. */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY2 = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] SMALL_INTS = new byte[1025][];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private RespWriter() {}

    public static void write(Reply reply, ByteBuf out, int proto) {
        if (reply instanceof Reply.Bulk b) {
            writeBulk(out, b.value());
        } else if (reply instanceof Reply.BulkSlice b) {
            writeLength(out, '$', b.length());
            out.writeBytes(b.array(), b.offset(), b.length());
            out.writeBytes(CRLF);
        } else if (reply instanceof Reply.Simple s) {
            if (s == Reply.OK) {
                out.writeBytes(OK);
            } else {
                out.writeByte('+');
                writeLine(out, s.text());
            }
        } else if (reply instanceof Reply.Int i) {
            writeInt(out, ':', i.value());
        } else if (reply instanceof Reply.Error e) {
            out.writeByte('-');
            writeLine(out, e.text());
        } else if (reply instanceof Reply.Null) {
            out.writeBytes(proto >= 3 ? NULL3 : NULL2);
        } else if (reply instanceof Reply.NullArray) {
            out.writeBytes(proto >= 3 ? NULL3 : NULL_ARRAY2);
        } else if (reply instanceof Reply.Array a) {
            writeAggregate(out, '*', a.items(), proto);
        } else if (reply instanceof Reply.SetReply s) {
            writeAggregate(out, proto >= 3 ? '~' : '*', s.items(), proto);
        } else if (reply instanceof Reply.Many m) {
            for (Reply r : m.replies()) {
                write(r, out, proto);
            }
        } else if (reply instanceof Reply.Push p) {
            writeAggregate(out, proto >= 3 ? '>' : '*', p.items(), proto);
        } else if (reply instanceof Reply.MapReply m) {
            if (proto >= 3) {
                writeLength(out, '%', m.keysAndValues().size() / 2);
            } else {
                writeLength(out, '*', m.keysAndValues().size());
            }
            for (Reply r : m.keysAndValues()) {
                write(r, out, proto);
            }
        } else if (reply instanceof Reply.KeyedArrays m) {
            List<Reply> items = m.keysAndValues();
            if (proto >= 3) {
                writeLength(out, '%', items.size() / 2);
                for (Reply r : items) {
                    write(r, out, proto);
                }
            } else {
                writeLength(out, '*', items.size() / 2);
                for (int i = 0; i < items.size(); i += 2) {
                    writeLength(out, '*', 2);
                    write(items.get(i), out, proto);
                    write(items.get(i + 1), out, proto);
                }
            }
        } else if (reply instanceof Reply.Pairs p) {
            List<Reply> items = p.flat();
            if (proto >= 3) {
                writeLength(out, '*', items.size() / 2);
                for (int i = 0; i < items.size(); i += 2) {
                    writeLength(out, '*', 2);
                    write(items.get(i), out, proto);
                    write(items.get(i + 1), out, proto);
                }
            } else {
                writeLength(out, '*', items.size());
                for (Reply r : items) {
                    write(r, out, proto);
                }
            }
        } else if (reply instanceof Reply.DoubleText t) {
            if (proto >= 3) {
                out.writeByte(',');
                writeLine(out, t.text());
            } else {
                writeBulk(out, t.text().getBytes(StandardCharsets.US_ASCII));
            }
        } else if (reply instanceof Reply.DoubleReply d) {
            String text = formatDouble(d.value());
            if (proto >= 3) {
                out.writeByte(',');
                writeLine(out, text);
            } else {
                writeBulk(out, text.getBytes(StandardCharsets.US_ASCII));
            }
        } else if (reply instanceof Reply.Bool b) {
            if (proto >= 3) {
                out.writeByte('#');
                out.writeByte(b.value() ? 't' : 'f');
                out.writeBytes(CRLF);
            } else {
                writeInt(out, ':', b.value() ? 1 : 0);
            }
        } else if (reply instanceof Reply.Verbatim v) {
            if (proto >= 3) {
                writeLength(out, '=', v.value().length + 4);
                out.writeCharSequence(v.format(), StandardCharsets.US_ASCII);
                out.writeByte(':');
                out.writeBytes(v.value());
                out.writeBytes(CRLF);
            } else {
                writeBulk(out, v.value());
            }
        } else {
            throw new IllegalArgumentException("unknown reply " + reply);
        }
    }

    private static void writeAggregate(ByteBuf out, char type, List<Reply> items, int proto) {
        writeLength(out, type, items.size());
        for (Reply r : items) {
            write(r, out, proto);
        }
    }

    public static void writeBulk(ByteBuf out, byte[] value) {
        writeLength(out, '$', value.length);
        out.writeBytes(value);
        out.writeBytes(CRLF);
    }

    private static void writeInt(ByteBuf out, char type, long v) {
        if (type == ':' && v >= 0 && v < SMALL_INTS.length) {
            out.writeBytes(SMALL_INTS[(int) v]);
            return;
        }
        writeLength(out, type, v);
    }

    private static void writeLength(ByteBuf out, char type, long n) {
        out.writeByte(type);
        writeDecimal(out, n);
        out.writeBytes(CRLF);
    }

    private static void writeDecimal(ByteBuf out, long n) {
        if (n == Long.MIN_VALUE) {
            out.writeCharSequence(Long.toString(n), StandardCharsets.US_ASCII);
            return;
        }
        if (n < 0) {
            out.writeByte('-');
            n = -n;
        }
        if (n < 10) {
            out.writeByte((int) ('0' + n));
            return;
        }
        int digits = 0;
        for (long t = n; t > 0; t /= 10) {
            digits++;
        }
        int start = out.writerIndex();
        out.ensureWritable(digits);
        for (int i = digits - 1; i >= 0; i--) {
            out.setByte(start + i, (int) ('0' + n % 10));
            n /= 10;
        }
        out.writerIndex(start + digits);
    }

    private static void writeLine(ByteBuf out, String text) {
        // Simple strings and errors cannot carry CR/LF; Redis replaces them with spaces.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                text = text.replace('\r', ' ').replace('\n', ' ');
                break;
            }
        }
        out.writeCharSequence(text, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    /**
     * Formats a double the way Redis 7.0's addReplyDouble does: C's {@code %.17g} (17 significant
     * digits, trailing zeros dropped, exponent form outside 1e-5..1e17), {@code inf}/{@code -inf}.
     */
    public static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return g17(d);
    }

    /** C's {@code printf("%.17g", d)} for a finite double. */
    public static String g17(double d) {
        return g(d, 17);
    }

    /** C's {@code printf("%.<p>g", d)} for a finite double ({@code p} ≥ 1). */
    public static String g(double d, int p) {
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(d).round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN));
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        // pad to 17 significant digits, then drop trailing zeros (no '#' flag)
        StringBuilder m = new StringBuilder(digits);
        while (m.length() < p) {
            m.append('0');
        }
        String sig = m.toString();
        StringBuilder sb = new StringBuilder();
        if (d < 0) {
            sb.append('-');
        }
        if (exp < -4 || exp >= p) {
            sb.append(sig.charAt(0));
            String rest = stripZeros(sig.substring(1));
            if (!rest.isEmpty()) {
                sb.append('.').append(rest);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) {
                sb.append('0');
            }
            sb.append(ae);
        } else if (exp >= 0) {
            sb.append(sig, 0, exp + 1);
            String frac = stripZeros(sig.substring(exp + 1));
            if (!frac.isEmpty()) {
                sb.append('.').append(frac);
            }
        } else {
            sb.append("0.");
            for (int i = -1; i > exp; i--) {
                sb.append('0');
            }
            sb.append(stripZeros(sig));
        }
        return sb.toString();
    }

    private static String stripZeros(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '0') {
            end--;
        }
        return s.substring(0, end);
    }
}
