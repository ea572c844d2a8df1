package io.basalt.server.scripting;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** The {@code cmsgpack} library as Redis bundles it: {@code pack}, {@code unpack}, {@code unpack_one}, {@code unpack_limit}. */
final class CmsgpackLib {
    private CmsgpackLib() {}

    private static final int MAX_NESTING = 16;

    static LuaTable create() {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() == 0) {
                    throw new LuaError("MessagePack pack needs input.");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 1; i <= a.narg(); i++) {
                    pack(a.arg(i), out, 0);
                }
                return LuaString.valueOf(out.toByteArray());
            }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(a.checkstring(1), 0, 0, false);
            }
        });
        t.rawset("unpack_one", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(a.checkstring(1), 1, a.optint(2, 0), true);
            }
        });
        t.rawset("unpack_limit", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(a.checkstring(1), a.checkint(2), a.optint(3, 0), true);
            }
        });
        t.rawset("_NAME", "cmsgpack");
        t.rawset("_VERSION", "lua-cmsgpack 0.4.0");
        return t;
    }

    private static void be(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    static void pack(LuaValue v, ByteArrayOutputStream out, int depth) {
        switch (v.type()) {
            case LuaValue.TNIL -> out.write(0xc0);
            case LuaValue.TBOOLEAN -> out.write(v.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> number(v.todouble(), out);
            case LuaValue.TSTRING -> {
                LuaString s = (LuaString) v;
                int n = s.m_length;
                if (n < 32) {
                    out.write(0xa0 | n);
                } else if (n <= 0xff) {
                    out.write(0xd9);
                    be(out, n, 1);
                } else if (n <= 0xffff) {
                    out.write(0xda);
                    be(out, n, 2);
                } else {
                    out.write(0xdb);
                    be(out, n, 4);
                }
                out.write(s.m_bytes, s.m_offset, n);
            }
            case LuaValue.TTABLE -> {
                if (depth >= MAX_NESTING) {
                    out.write(0xc0);
                    return;
                }
                LuaTable t = (LuaTable) v;
                LuaScripts.TableShape shape = LuaScripts.TableShape.of(t);
                int count = shape.items();
                boolean array = shape.onlyPositiveIntegers() && shape.maxIndex() == count;
                if (array) {
                    header(out, count, 0x90, 0xdc, 0xdd);
                    for (int i = 1; i <= count; i++) {
                        pack(t.get(i), out, depth + 1);
                    }
                } else {
                    header(out, count, 0x80, 0xde, 0xdf);
                    LuaValue k = LuaValue.NIL;
                    while (true) {
                        Varargs n = t.next(k);
                        if ((k = n.arg1()).isnil()) {
                            break;
                        }
                        pack(k, out, depth + 1);
                        pack(n.arg(2), out, depth + 1);
                    }
                }
            }
            default -> out.write(0xc0);
        }
    }

    private static void header(ByteArrayOutputStream out, int n, int fix, int b16, int b32) {
        if (n < 16) {
            out.write(fix | n);
        } else if (n <= 0xffff) {
            out.write(b16);
            be(out, n, 2);
        } else {
            out.write(b32);
            be(out, n, 4);
        }
    }

    private static void number(double d, ByteArrayOutputStream out) {
        if (d == Math.floor(d) && !Double.isInfinite(d) && Math.abs(d) < 9.2e18) {
            long n = (long) d;
            if (n >= 0) {
                if (n <= 127) {
                    out.write((int) n);
                } else if (n <= 0xff) {
                    out.write(0xcc);
                    be(out, n, 1);
                } else if (n <= 0xffff) {
                    out.write(0xcd);
                    be(out, n, 2);
                } else if (n <= 0xffffffffL) {
                    out.write(0xce);
                    be(out, n, 4);
                } else {
                    out.write(0xcf);
                    be(out, n, 8);
                }
            } else if (n >= -32) {
                out.write((int) n & 0xff);
            } else if (n >= -128) {
                out.write(0xd0);
                be(out, n, 1);
            } else if (n >= -32768) {
                out.write(0xd1);
                be(out, n, 2);
            } else if (n >= Integer.MIN_VALUE) {
                out.write(0xd2);
                be(out, n, 4);
            } else {
                out.write(0xd3);
                be(out, n, 8);
            }
        } else if ((float) d == d) {
            out.write(0xca);
            be(out, Float.floatToIntBits((float) d) & 0xFFFFFFFFL, 4);
        } else {
            out.write(0xcb);
            be(out, Double.doubleToLongBits(d), 8);
        }
    }

    private static final class Reader {
        final byte[] b;
        int pos;
        final int end;
        final int start;

        Reader(LuaString s, int offset) {
            b = s.m_bytes;
            start = s.m_offset;
            pos = s.m_offset + offset;
            end = s.m_offset + s.m_length;
        }

        long u(int n) {
            if (end - pos < n) {
                throw new LuaError("Missing bytes in input.");
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (b[pos++] & 0xFF);
            }
            return v;
        }

        LuaValue str(int n) {
            if (n < 0 || end - pos < n) {
                throw new LuaError("Missing bytes in input.");
            }
            LuaString s = LuaString.valueOf(java.util.Arrays.copyOfRange(b, pos, pos + n));
            pos += n;
            return s;
        }

        LuaValue value() {
            int c = (int) u(1);
            if (c <= 0x7f) {
                return LuaValue.valueOf(c);
            }
            if (c >= 0xe0) {
                return LuaValue.valueOf(c - 256);
            }
            if ((c & 0xe0) == 0xa0) {
                return str(c & 0x1f);
            }
            if ((c & 0xf0) == 0x90) {
                return array(c & 0x0f);
            }
            if ((c & 0xf0) == 0x80) {
                return map(c & 0x0f);
            }
            return switch (c) {
                case 0xc0 -> LuaValue.NIL;
                case 0xc2 -> LuaValue.FALSE;
                case 0xc3 -> LuaValue.TRUE;
                case 0xcc -> LuaValue.valueOf((double) u(1));
                case 0xcd -> LuaValue.valueOf((double) u(2));
                case 0xce -> LuaValue.valueOf((double) u(4));
                case 0xcf -> LuaValue.valueOf((double) u(8));
                case 0xd0 -> LuaValue.valueOf((double) (byte) u(1));
                case 0xd1 -> LuaValue.valueOf((double) (short) u(2));
                case 0xd2 -> LuaValue.valueOf((double) (int) u(4));
                case 0xd3 -> LuaValue.valueOf((double) u(8));
                case 0xca -> LuaValue.valueOf((double) Float.intBitsToFloat((int) u(4)));
                case 0xcb -> LuaValue.valueOf(Double.longBitsToDouble(u(8)));
                case 0xc4, 0xd9 -> str((int) u(1));
                case 0xc5, 0xda -> str((int) u(2));
                case 0xc6, 0xdb -> str((int) u(4));
                case 0xdc -> array((int) u(2));
                case 0xdd -> array((int) u(4));
                case 0xde -> map((int) u(2));
                case 0xdf -> map((int) u(4));
                default -> throw new LuaError("Bad data format in input.");
            };
        }

        LuaValue array(int n) {
            LuaTable t = new LuaTable();
            for (int i = 1; i <= n; i++) {
                t.rawset(i, value());
            }
            return t;
        }

        LuaValue map(int n) {
            LuaTable t = new LuaTable();
            for (int i = 0; i < n; i++) {
                LuaValue k = value();
                LuaValue v = value();
                if (!k.isnil()) {
                    t.rawset(k, v);
                }
            }
            return t;
        }
    }

    /** Up to {@code limit} objects (0 = all); with {@code offsetFirst} the next offset (or -1) comes first. */
    private static Varargs unpack(LuaString s, int limit, int offset, boolean offsetFirst) {
        if (offset < 0 || limit < 0) {
            throw new LuaError("Invalid request to unpack with offset of " + offset + " and limit of " + limit + ".");
        }
        if (offset > s.m_length) {
            throw new LuaError("Start offset " + offset + " greater than input length " + s.m_length + ".");
        }
        Reader r = new Reader(s, offset);
        java.util.List<LuaValue> out = new java.util.ArrayList<>();
        while (r.pos < r.end && (limit == 0 || out.size() < limit)) {
            out.add(r.value());
        }
        if (offsetFirst) {
            out.add(0, LuaValue.valueOf(r.pos >= r.end ? -1 : r.pos - r.start));
        }
        return LuaValue.varargsOf(out.toArray(new LuaValue[0]));
    }
}
