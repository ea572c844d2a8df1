package io.basalt.server.scripting;

import io.basalt.server.resp.RespWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Number formatting as Redis's Lua 5.1 does it (LuaJ's own differs): {@code tostring} of a number
 * is C's {@code %.14g}, and {@code string.format} follows C's printf.
 */
final class LuaFormat {
    private LuaFormat() {}

    /** Lua 5.1's number-to-string: {@code %.14g}, with {@code inf}, {@code -inf}, {@code nan}. */
    static String number(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return RespWriter.g(d, 14);
    }

    /** A Lua value as {@code tostring} shows it, numbers as Lua 5.1 does. */
    static LuaValue tostring(LuaValue v) {
        if (v.type() == LuaValue.TNUMBER) {
            return LuaValue.valueOf(number(v.todouble()));
        }
        return v.type() == LuaValue.TSTRING ? v : LuaValue.valueOf(v.tojstring());
    }

    /** {@code string.format} with C printf semantics for d i u c x X o e E f g G q s %. */
    static LuaString format(Varargs args) {
        LuaString fmt = args.checkstring(1);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int arg = 1;
        int n = fmt.length();
        for (int i = 0; i < n; i++) {
            int c = fmt.luaByte(i);
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            if (++i >= n) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            if (fmt.luaByte(i) == '%') {
                bytes.write('%');
                continue;
            }
            int start = i;
            while (i < n && "-+ #0".indexOf(fmt.luaByte(i)) >= 0) {
                i++;
            }
            while (i < n && Character.isDigit(fmt.luaByte(i))) {
                i++;
            }
            if (i < n && fmt.luaByte(i) == '.') {
                i++;
                while (i < n && Character.isDigit(fmt.luaByte(i))) {
                    i++;
                }
            }
            if (i >= n) {
                throw new LuaError("invalid option to 'format'");
            }
            String spec = fmt.substring(start, i).tojstring();
            char conv = (char) fmt.luaByte(i);
            arg++;
            String piece;
            switch (conv) {
                case 'd', 'i' -> piece = cFormat(spec, 'd', (long) args.checkdouble(arg));
                case 'u' -> piece = cFormat(spec, 'd', (long) args.checkdouble(arg));
                case 'c' -> {
                    bytes.write((int) args.checkdouble(arg) & 0xFF);
                    continue;
                }
                case 'x', 'X', 'o' -> piece = cFormat(spec, conv, (long) args.checkdouble(arg));
                case 'e', 'E', 'f', 'F', 'g', 'G' -> piece = floatFormat(spec, conv, args.checkdouble(arg));
                case 'q' -> {
                    quote(args.checkstring(arg), bytes);
                    continue;
                }
                case 's' -> {
                    LuaValue v = args.arg(arg);
                    if (v.isnil() && args.narg() < arg) {
                        throw new LuaError("bad argument #" + arg + " to 'format' (string expected, got no value)");
                    }
                    LuaString s = tostring(v).checkstring();
                    if (spec.isEmpty()) {
                        bytes.write(s.m_bytes, s.m_offset, s.m_length);
                        continue;
                    }
                    piece = pad(spec, precisionCut(spec, s.tojstring()));
                }
                default -> throw new LuaError("invalid option '%" + conv + "' to 'format'");
            }
            byte[] b = piece.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            bytes.write(b, 0, b.length);
        }
        return LuaString.valueOf(bytes.toByteArray());
    }

    private static String precisionCut(String spec, String s) {
        int dot = spec.indexOf('.');
        if (dot < 0) {
            return s;
        }
        int p = dot + 1 < spec.length() ? Integer.parseInt(spec.substring(dot + 1)) : 0;
        return s.length() > p ? s.substring(0, p) : s;
    }

    private static String cFormat(String spec, char conv, long v) {
        String body = switch (conv) {
            case 'x' -> Long.toHexString(v);
            case 'X' -> Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
            case 'o' -> Long.toOctalString(v);
            default -> Long.toString(Math.abs(v));
        };
        String sign = "";
        if (conv == 'd') {
            sign = v < 0 ? "-" : spec.contains("+") ? "+" : spec.contains(" ") ? " " : "";
        }
        int dot = spec.indexOf('.');
        if (dot >= 0) {
            int p = dot + 1 < spec.length() ? Integer.parseInt(spec.substring(dot + 1)) : 0;
            while (body.length() < p) {
                body = "0" + body;
            }
        }
        if (spec.contains("#") && conv != 'd' && v != 0) {
            body = (conv == 'o' ? "0" : conv == 'x' ? "0x" : "0X") + body;
        }
        return padNumber(spec, sign, body, dot < 0);
    }

    private static String floatFormat(String spec, char conv, double v) {
        int dot = spec.indexOf('.');
        int p = dot < 0 ? 6 : dot + 1 < spec.length() ? Integer.parseInt(spec.substring(dot + 1)) : 0;
        String sign = v < 0 || (v == 0 && 1 / v < 0) ? "-" : spec.contains("+") ? "+" : spec.contains(" ") ? " " : "";
        double a = Math.abs(v);
        String body;
        if (Double.isNaN(v)) {
            body = "nan";
            sign = "-".equals(sign) ? "-" : sign;
        } else if (Double.isInfinite(v)) {
            body = "inf";
        } else {
            switch (conv) {
                case 'f', 'F' -> body = new BigDecimal(a).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
                case 'e', 'E' -> body = exp(a, p);
                default -> body = RespWriter.g(a, p == 0 ? 1 : p);
            }
        }
        if (Character.isUpperCase(conv)) {
            body = body.toUpperCase(java.util.Locale.ROOT);
        }
        return padNumber(spec, sign, body, !Double.isNaN(v) && !Double.isInfinite(v));
    }

    private static String exp(double a, int p) {
        if (a == 0) {
            return "0" + (p > 0 ? "." + "0".repeat(p) : "") + "e+00";
        }
        BigDecimal bd = new BigDecimal(a).round(new java.math.MathContext(p + 1, RoundingMode.HALF_EVEN));
        String digits = bd.unscaledValue().toString();
        int e = digits.length() - 1 - bd.scale();
        StringBuilder m = new StringBuilder(digits);
        while (m.length() < p + 1) {
            m.append('0');
        }
        String sig = m.substring(0, p + 1);
        String s = sig.charAt(0) + (p > 0 ? "." + sig.substring(1) : "");
        return s + "e" + (e < 0 ? "-" : "+") + (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
    }

    private static String padNumber(String spec, String sign, String body, boolean zeroPadAllowed) {
        int width = width(spec);
        boolean left = spec.contains("-");
        boolean zero = zeroPadAllowed && !left && flags(spec).contains("0");
        StringBuilder sb = new StringBuilder();
        int len = sign.length() + body.length();
        if (zero) {
            sb.append(sign);
            for (int k = len; k < width; k++) {
                sb.append('0');
            }
            sb.append(body);
            return sb.toString();
        }
        return pad(spec, sign + body);
    }

    private static String flags(String spec) {
        int k = 0;
        while (k < spec.length() && "-+ #0".indexOf(spec.charAt(k)) >= 0) {
            k++;
        }
        return spec.substring(0, k);
    }

    private static int width(String spec) {
        String rest = spec.substring(flags(spec).length());
        int dot = rest.indexOf('.');
        String w = dot < 0 ? rest : rest.substring(0, dot);
        return w.isEmpty() ? 0 : Integer.parseInt(w);
    }

    private static String pad(String spec, String s) {
        int width = width(spec);
        if (s.length() >= width) {
            return s;
        }
        String fill = " ".repeat(width - s.length());
        return spec.contains("-") ? s + fill : fill + s;
    }

    private static void quote(LuaString s, java.io.ByteArrayOutputStream out) {
        out.write('"');
        for (int k = 0; k < s.m_length; k++) {
            int c = s.m_bytes[s.m_offset + k] & 0xFF;
            switch (c) {
                case '"', '\\' -> {
                    out.write('\\');
                    out.write(c);
                }
                case '\n' -> {
                    out.write('\\');
                    out.write('\n');
                }
                case '\r' -> out.writeBytes("\\r".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                case 0 -> out.writeBytes("\\000".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                default -> out.write(c);
            }
        }
        out.write('"');
    }
}
