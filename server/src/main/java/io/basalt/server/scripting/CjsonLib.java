package io.basalt.server.scripting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code cjson} library as Redis bundles it (lua-cjson 2.1 behaviour): {@code encode},
 * {@code decode}, {@code null}, and the configuration functions (accepted, defaults kept).
 */
final class CjsonLib {
    private CjsonLib() {}

    /** JSON null: a unique userdata, as lua-cjson's lightuserdata NULL. */
    static final LuaValue NULL = new LuaUserdata(new Object()) {
        @Override
        public String tojstring() {
            return "userdata: NULL";
        }
    };

    private static final int MAX_DEPTH = 1000;

    static LuaTable create() {
        LuaTable t = new LuaTable();
        t.set("null", NULL);
        t.set("encode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                encode(v, out, 1);
                return LuaString.valueOf(out.toByteArray());
            }
        });
        t.set("decode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                LuaString s = v.checkstring();
                Decoder d = new Decoder(s);
                LuaValue r = d.value(1);
                d.skipSpace();
                if (d.pos < d.end) {
                    throw d.error("the end");
                }
                return r;
            }
        });
        VarArgFunction config = new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return a;
            }
        };
        for (String name : new String[] {"encode_sparse_array", "encode_max_depth", "decode_max_depth",
            "encode_number_precision", "encode_keep_buffer", "encode_invalid_numbers", "decode_invalid_numbers"}) {
            t.set(name, config);
        }
        t.set("_NAME", "cjson");
        t.set("_VERSION", "2.1.0");
        return t;
    }

    static void encode(LuaValue v, ByteArrayOutputStream out, int depth) {
        switch (v.type()) {
            case LuaValue.TNIL -> out.writeBytes(bytes("null"));
            case LuaValue.TBOOLEAN -> out.writeBytes(bytes(v.toboolean() ? "true" : "false"));
            case LuaValue.TNUMBER -> {
                double d = v.todouble();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new LuaError("Cannot serialise number: must not be NaN or Inf");
                }
                out.writeBytes(bytes(LuaFormat.number(d)));
            }
            case LuaValue.TSTRING -> string(v.checkstring(), out);
            case LuaValue.TTABLE -> table((LuaTable) v, out, depth);
            default -> {
                if (v == NULL) {
                    out.writeBytes(bytes("null"));
                } else {
                    throw new LuaError("Cannot serialise " + v.typename() + ": type not supported");
                }
            }
        }
    }

    private static void table(LuaTable t, ByteArrayOutputStream out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
        }
        // an array if every key is a positive integer and it is not excessively sparse
        LuaScripts.TableShape shape = LuaScripts.TableShape.of(t);
        int items = shape.items();
        long max = shape.maxIndex();
        boolean array = shape.onlyPositiveIntegers();
        if (array && items > 0) {
            if (max > items * 2 && max > 10) {
                throw new LuaError("Cannot serialise table: excessively sparse array");
            }
            out.write('[');
            for (long i = 1; i <= max; i++) {
                if (i > 1) {
                    out.write(',');
                }
                encode(t.get((int) i), out, depth + 1);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            if (k.type() == LuaValue.TSTRING) {
                string(k.checkstring(), out);
            } else if (k.type() == LuaValue.TNUMBER) {
                string(LuaValue.valueOf(LuaFormat.number(k.todouble())), out);
            } else {
                throw new LuaError("Cannot serialise table: table key must be a number or string");
            }
            out.write(':');
            encode(n.arg(2), out, depth + 1);
        }
        out.write('}');
    }

    private static void string(LuaString s, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < s.m_length; i++) {
            int c = s.m_bytes[s.m_offset + i] & 0xFF;
            switch (c) {
                case '"' -> out.writeBytes(bytes("\\\""));
                case '\\' -> out.writeBytes(bytes("\\\\"));
                case '/' -> out.writeBytes(bytes("\\/"));
                case '\b' -> out.writeBytes(bytes("\\b"));
                case '\f' -> out.writeBytes(bytes("\\f"));
                case '\n' -> out.writeBytes(bytes("\\n"));
                case '\r' -> out.writeBytes(bytes("\\r"));
                case '\t' -> out.writeBytes(bytes("\\t"));
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.writeBytes(bytes(String.format("\\u%04x", c)));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static final class Decoder {
        final byte[] b;
        int pos;
        final int end;
        final int start;

        Decoder(LuaString s) {
            b = s.m_bytes;
            pos = s.m_offset;
            start = s.m_offset;
            end = s.m_offset + s.m_length;
        }

        LuaError error(String expected) {
            skipSpace();
            String found;
            if (pos >= end) {
                found = "T_END";
            } else {
                char c = (char) b[pos];
                found = switch (c) {
                    case '{' -> "T_OBJ_BEGIN";
                    case '}' -> "T_OBJ_END";
                    case '[' -> "T_ARR_BEGIN";
                    case ']' -> "T_ARR_END";
                    case '"' -> "T_STRING";
                    case ':' -> "T_COLON";
                    case ',' -> "T_COMMA";
                    case 't', 'f' -> "T_BOOLEAN";
                    case 'n' -> "T_NULL";
                    default -> c == '-' || Character.isDigit(c) ? "T_NUMBER" : "invalid token";
                };
            }
            return new LuaError("Expected " + expected + " but found " + found + " at character " + (pos - start + 1));
        }

        void skipSpace() {
            while (pos < end && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r')) {
                pos++;
            }
        }

        LuaValue value(int depth) {
            if (depth > MAX_DEPTH) {
                throw new LuaError("Found too many nested data structures (" + depth + ") at character " + (pos - start + 1));
            }
            skipSpace();
            if (pos >= end) {
                throw error("value");
            }
            byte c = b[pos];
            if (c == '{') {
                pos++;
                LuaTable t = new LuaTable();
                skipSpace();
                if (pos < end && b[pos] == '}') {
                    pos++;
                    return t;
                }
                while (true) {
                    skipSpace();
                    if (pos >= end || b[pos] != '"') {
                        throw error("object key string");
                    }
                    LuaValue k = string();
                    skipSpace();
                    if (pos >= end || b[pos] != ':') {
                        throw error("colon");
                    }
                    pos++;
                    t.set(k, value(depth + 1));
                    skipSpace();
                    if (pos < end && b[pos] == ',') {
                        pos++;
                        continue;
                    }
                    if (pos < end && b[pos] == '}') {
                        pos++;
                        return t;
                    }
                    throw error("comma or object end");
                }
            }
            if (c == '[') {
                pos++;
                LuaTable t = new LuaTable();
                skipSpace();
                if (pos < end && b[pos] == ']') {
                    pos++;
                    return t;
                }
                for (int i = 1; ; i++) {
                    t.set(i, value(depth + 1));
                    skipSpace();
                    if (pos < end && b[pos] == ',') {
                        pos++;
                        continue;
                    }
                    if (pos < end && b[pos] == ']') {
                        pos++;
                        return t;
                    }
                    throw error("comma or array end");
                }
            }
            if (c == '"') {
                return string();
            }
            if (match("true")) {
                return LuaValue.TRUE;
            }
            if (match("false")) {
                return LuaValue.FALSE;
            }
            if (match("null")) {
                return NULL;
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                int s = pos;
                pos++;
                while (pos < end && "0123456789+-.eE".indexOf(b[pos]) >= 0) {
                    pos++;
                }
                try {
                    return LuaValue.valueOf(Double.parseDouble(new String(b, s, pos - s, StandardCharsets.US_ASCII)));
                } catch (NumberFormatException e) {
                    pos = s;
                    throw error("value");
                }
            }
            throw error("value");
        }

        boolean match(String word) {
            int n = word.length();
            if (end - pos < n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (b[pos + i] != word.charAt(i)) {
                    return false;
                }
            }
            pos += n;
            return true;
        }

        LuaValue string() {
            int s = pos;
            pos++; // opening quote
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (pos >= end) {
                    pos = s;
                    throw new LuaError("Expected value but found unexpected end of string at character " + (pos - start + 1));
                }
                byte c = b[pos++];
                if (c == '"') {
                    break;
                }
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (pos >= end) {
                    continue;
                }
                byte e = b[pos++];
                switch (e) {
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> {
                        if (end - pos < 4) {
                            throw new LuaError("Expected value but found invalid unicode escape code at character " + (s - start + 1));
                        }
                        int cp = Integer.parseInt(new String(b, pos, 4, StandardCharsets.US_ASCII), 16);
                        pos += 4;
                        if (cp >= 0xD800 && cp <= 0xDBFF && end - pos >= 6 && b[pos] == '\\' && b[pos + 1] == 'u') {
                            int lo = Integer.parseInt(new String(b, pos + 2, 4, StandardCharsets.US_ASCII), 16);
                            pos += 6;
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        }
                        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                    }
                    default -> out.write(e);
                }
            }
            return LuaString.valueOf(out.toByteArray());
        }
    }
}
