package io.basalt.server.scripting;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code struct} library as Redis bundles it: {@code pack}, {@code unpack}, {@code size} with the
 * format letters {@code > < = ! x b B h H l L T i I s f d c} and optional sizes.
 */
final class StructLib {
    private StructLib() {}

    private static final class Fmt {
        final LuaString s;
        int pos;
        boolean little = true;
        int align = 1;

        Fmt(LuaString s) {
            this.s = s;
        }

        boolean more() {
            return pos < s.m_length;
        }

        int next() {
            return s.luaByte(pos++);
        }

        int num(int dflt) {
            if (!more() || !Character.isDigit(s.luaByte(pos))) {
                return dflt;
            }
            int n = 0;
            while (more() && Character.isDigit(s.luaByte(pos))) {
                n = n * 10 + (s.luaByte(pos++) - '0');
            }
            return n;
        }

        /** Size of an item, or -1 for options without one; handles the setting options itself. */
        int size(int opt) {
            switch (opt) {
                case 'b', 'B', 'x' -> {
                    return 1;
                }
                case 'h', 'H' -> {
                    return 2;
                }
                case 'l', 'L', 'T', 'd' -> {
                    return 8;
                }
                case 'f' -> {
                    return 4;
                }
                case 'i', 'I' -> {
                    int n = num(4);
                    if (n < 1 || n > 8) {
                        throw new LuaError("integral size " + n + " is larger than limit of 8");
                    }
                    return n;
                }
                case 'c' -> {
                    return num(1);
                }
                case 's', ' ' -> {
                    return 0;
                }
                case '<', '=' -> {
                    little = true;
                    return 0;
                }
                case '>' -> {
                    little = false;
                    return 0;
                }
                case '!' -> {
                    align = num(8);
                    return 0;
                }
                default -> throw new LuaError("invalid format option '" + (char) opt + "'");
            }
        }

        int pad(int size, int at, int opt) {
            if (size <= 1 || align <= 1 || opt == 'c' || opt == 's') {
                return 0;
            }
            int a = Math.min(size, align);
            return (a - (at & (a - 1))) & (a - 1);
        }
    }

    static LuaTable create() {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return pack(a);
            }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(a);
            }
        });
        t.rawset("size", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                Fmt f = new Fmt(a.checkstring(1));
                int total = 0;
                while (f.more()) {
                    int opt = f.next();
                    int size = f.size(opt);
                    if (opt == 's' || (opt == 'c' && size == 0)) {
                        throw new LuaError("options 'c0' - 's' have undefined sizes");
                    }
                    total += f.pad(size, total, opt) + size;
                }
                return LuaValue.valueOf(total);
            }
        });
        return t;
    }

    private static void put(ByteArrayOutputStream out, long v, int size, boolean little) {
        for (int i = 0; i < size; i++) {
            int shift = 8 * (little ? i : size - 1 - i);
            out.write(shift >= 64 ? 0 : (int) (v >>> shift) & 0xFF);
        }
    }

    private static Varargs pack(Varargs a) {
        Fmt f = new Fmt(a.checkstring(1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        while (f.more()) {
            int opt = f.next();
            int size = f.size(opt);
            for (int p = f.pad(size, out.size(), opt); p > 0; p--) {
                out.write(0);
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double d = a.checkdouble(arg++);
                    put(out, d < 0 ? (long) d : (long) (d >= 9.223372036854775807E18 ? d - 1.8446744073709552E19 : d), size, f.little);
                }
                case 'x' -> out.write(0);
                case 'f' -> put(out, Float.floatToIntBits((float) a.checkdouble(arg++)) & 0xFFFFFFFFL, 4, f.little);
                case 'd' -> put(out, Double.doubleToLongBits(a.checkdouble(arg++)), 8, f.little);
                case 'c', 's' -> {
                    LuaString s = a.checkstring(arg++);
                    int n = s.m_length;
                    if (opt == 'c' && size != 0) {
                        if (n < size) {
                            throw new LuaError("bad argument #" + (arg - 1) + " to 'pack' (string too short)");
                        }
                        n = size;
                    }
                    out.write(s.m_bytes, s.m_offset, n);
                    if (opt == 's') {
                        out.write(0);
                    }
                }
                default -> { }
            }
        }
        return LuaString.valueOf(out.toByteArray());
    }

    private static Varargs unpack(Varargs a) {
        Fmt f = new Fmt(a.checkstring(1));
        LuaString data = a.checkstring(2);
        int pos = a.optint(3, 1) - 1;
        if (pos < 0) {
            throw new LuaError("bad argument #3 to 'unpack' (offset must be 1 or greater)");
        }
        java.util.List<LuaValue> out = new java.util.ArrayList<>();
        long lastInt = 0;
        while (f.more()) {
            int opt = f.next();
            int size = f.size(opt);
            pos += f.pad(size, pos, opt);
            if (opt != 's' && pos + size > data.m_length) {
                throw new LuaError("bad argument #2 to 'unpack' (data string too short)");
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    long v = 0;
                    for (int i = 0; i < size; i++) {
                        int byteIndex = f.little ? size - 1 - i : i;
                        v = (v << 8) | (data.luaByte(pos + byteIndex) & 0xFF);
                    }
                    boolean signed = Character.isLowerCase(opt);
                    if (signed && size < 8 && (v & (1L << (size * 8 - 1))) != 0) {
                        v -= 1L << (size * 8);
                    }
                    double d = (!signed && v < 0) ? v + 1.8446744073709552E19 : v;
                    lastInt = v;
                    out.add(LuaValue.valueOf(d));
                    pos += size;
                }
                case 'x' -> pos += 1;
                case 'f' -> {
                    long v = 0;
                    for (int i = 0; i < 4; i++) {
                        v = (v << 8) | data.luaByte(pos + (f.little ? 3 - i : i));
                    }
                    out.add(LuaValue.valueOf((double) Float.intBitsToFloat((int) v)));
                    pos += 4;
                }
                case 'd' -> {
                    long v = 0;
                    for (int i = 0; i < 8; i++) {
                        v = (v << 8) | data.luaByte(pos + (f.little ? 7 - i : i));
                    }
                    out.add(LuaValue.valueOf(Double.longBitsToDouble(v)));
                    pos += 8;
                }
                case 'c' -> {
                    int n = size == 0 ? (int) lastInt : size;
                    if (pos + n > data.m_length) {
                        throw new LuaError("bad argument #2 to 'unpack' (data string too short)");
                    }
                    out.add(data.substring(pos, pos + n));
                    pos += n;
                }
                case 's' -> {
                    int e = pos;
                    while (e < data.m_length && data.luaByte(e) != 0) {
                        e++;
                    }
                    if (e >= data.m_length) {
                        throw new LuaError("unfinished string in data");
                    }
                    out.add(data.substring(pos, e));
                    pos = e + 1;
                }
                default -> { }
            }
        }
        out.add(LuaValue.valueOf(pos + 1));
        return LuaValue.varargsOf(out.toArray(new LuaValue[0]));
    }
}
