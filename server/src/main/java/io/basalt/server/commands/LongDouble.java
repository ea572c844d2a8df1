package io.basalt.server.commands;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Emulates x87 80-bit {@code long double} rounding (64-bit mantissa, round half to even) on exact
 * decimals, so INCRBYFLOAT produces the very digits Redis prints — e.g. 0.3 + 5.0e3 is
 * "5000.29999999999999982" in Redis, which neither double nor exact decimal arithmetic reproduce.
 */
final class LongDouble {
    private static final int MANTISSA_BITS = 64;

    private LongDouble() {}

    /** The long double nearest to {@code v}, as an exact decimal. */
    static BigDecimal round(BigDecimal v) {
        if (v.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal abs = v.abs();
        int e = floorLog2(abs) - (MANTISSA_BITS - 1);
        BigInteger m = scaleByPow2(abs, -e).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        if (m.bitLength() > MANTISSA_BITS) { // rounding carried into a new bit
            m = m.shiftRight(1);
            e++;
        }
        BigDecimal r = scaleByPow2(new BigDecimal(m), e);
        return v.signum() < 0 ? r.negate() : r;
    }

    /** v × 2^k, exactly. */
    private static BigDecimal scaleByPow2(BigDecimal v, int k) {
        if (k >= 0) {
            return v.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(k)));
        }
        // 2^-k = 5^k / 10^k: exact in decimal
        return v.multiply(new BigDecimal(BigInteger.valueOf(5).pow(-k))).scaleByPowerOfTen(k);
    }

    /** floor(log2(v)) for v > 0. */
    private static int floorLog2(BigDecimal v) {
        // bitLength(unscaled) - scale*log2(10) is a close estimate; correct it exactly.
        int est = (int) Math.floor(v.unscaledValue().bitLength() - 1 - v.scale() * (Math.log(10) / Math.log(2)));
        while (scaleByPow2(BigDecimal.ONE, est).compareTo(v) > 0) {
            est--;
        }
        while (scaleByPow2(BigDecimal.ONE, est + 1).compareTo(v) <= 0) {
            est++;
        }
        return est;
    }
}
