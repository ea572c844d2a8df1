package io.basalt.server.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code math.random}/{@code math.randomseed} as Redis defines them for scripts: the 48-bit linear
 * congruential generator of {@code lrand48} (Redis's), seeded for every script from the seed the
 * leader fixed for the call: different numbers on every call, the same ones on every replica. One
 * per Lua world (per node): nodes in one JVM never share a generator.
 */
final class MathRandom {

    private static final long MASK = (1L << 48) - 1;
    private long state;

    void seed(int seed) {
        state = (((long) seed & 0xFFFFFFFFL) << 16 | 0x330E) & MASK;
    }

    int next() {
        state = (state * 0x5DEECE66DL + 0xB) & MASK;
        return (int) (state >>> 17);
    }

    void install(LuaTable math) {
        math.rawset("random", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                double r = (double) (MathRandom.this.next() % Integer.MAX_VALUE) / Integer.MAX_VALUE;
                switch (a.narg()) {
                    case 0:
                        return LuaValue.valueOf(r);
                    case 1: {
                        int u = a.checkint(1);
                        if (u < 1) {
                            throw new LuaError("bad argument #1 to 'random' (interval is empty)");
                        }
                        return LuaValue.valueOf(Math.floor(r * u) + 1);
                    }
                    case 2: {
                        int l = a.checkint(1);
                        int u = a.checkint(2);
                        if (l > u) {
                            throw new LuaError("bad argument #2 to 'random' (interval is empty)");
                        }
                        return LuaValue.valueOf(Math.floor(r * (u - l + 1)) + l);
                    }
                    default:
                        throw new LuaError("wrong number of arguments");
                }
            }
        });
        math.rawset("randomseed", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                MathRandom.this.seed(a.checkint(1));
                return LuaValue.NONE;
            }
        });
    }
}
