package io.basalt.server.storage.types;

/** Bytes one element takes in a Redis listpack (encoding plus back length), for the stream node model. */
public final class ListpackSize {
    private ListpackSize() {}

    public static long ofInt(long v) {
        int enc;
        if (v >= 0 && v <= 127) {
            enc = 1;
        } else if (v >= -4096 && v <= 4095) {
            enc = 2;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            enc = 3;
        } else if (v >= -(1 << 23) && v < (1 << 23)) {
            enc = 4;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            enc = 5;
        } else {
            enc = 9;
        }
        return enc + 1;
    }

    public static long of(byte[] s) {
        if (s.length <= 20) {
            Long v = io.basalt.server.dispatch.Args.parseLong(s);
            if (v != null) {
                return ofInt(v);
            }
        }
        long enc = s.length < 64 ? 1 + s.length : s.length < 4096 ? 2 + s.length : 5 + s.length;
        return enc + backlen(enc);
    }

    static long backlen(long l) {
        return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    }
}
