package io.basalt.server.scripting;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** The {@code bit} library (LuaBitOp's API, as Redis bundles it): 32-bit operations on numbers. */
final class BitLib {
    private BitLib() {}

    /** A number's low 32 bits, rounding like LuaBitOp (to nearest, ties to even). */
    static int tobit(double d) {
        return (int) (long) Math.rint(d % 4294967296.0);
    }

    private interface Op {
        int apply(Varargs a);
    }

    private static void fn(LuaTable t, String name, Op op) {
        t.set(name, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return LuaValue.valueOf(op.apply(a));
            }
        });
    }

    private static int bit(Varargs a, int i) {
        return tobit(a.checkdouble(i));
    }

    static LuaTable create() {
        LuaTable t = new LuaTable();
        fn(t, "tobit", a -> bit(a, 1));
        fn(t, "bnot", a -> ~bit(a, 1));
        fn(t, "band", a -> {
            int r = bit(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r &= bit(a, i);
            }
            return r;
        });
        fn(t, "bor", a -> {
            int r = bit(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r |= bit(a, i);
            }
            return r;
        });
        fn(t, "bxor", a -> {
            int r = bit(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r ^= bit(a, i);
            }
            return r;
        });
        fn(t, "lshift", a -> bit(a, 1) << (bit(a, 2) & 31));
        fn(t, "rshift", a -> bit(a, 1) >>> (bit(a, 2) & 31));
        fn(t, "arshift", a -> bit(a, 1) >> (bit(a, 2) & 31));
        fn(t, "rol", a -> Integer.rotateLeft(bit(a, 1), bit(a, 2) & 31));
        fn(t, "ror", a -> Integer.rotateRight(bit(a, 1), bit(a, 2) & 31));
        fn(t, "bswap", a -> Integer.reverseBytes(bit(a, 1)));
        t.set("tohex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                int x = bit(a, 1);
                int n = a.isnoneornil(2) ? 8 : bit(a, 2);
                boolean upper = n < 0;
                n = Math.min(Math.abs(n), 8);
                String hex = String.format(upper ? "%08X" : "%08x", x);
                return LuaValue.valueOf(hex.substring(8 - n));
            }
        });
        return t;
    }
}
