package io.basalt.server.commands.geo;

/**
 * The 52-bit geohash Redis stores as a GEO member's sorted-set score: latitude and longitude each
 * quantised to 26 bits over Redis's Mercator-safe ranges and interleaved (latitude on even bits).
 * All math is {@link StrictMath}, so every replica computes the same bits and distances.
 */
public final class GeoHash {
    public static final double LON_MIN = -180;
    public static final double LON_MAX = 180;
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;
    public static final int STEP = 26;
    public static final double EARTH_RADIUS = 6372797.560856;

    private GeoHash() {}

    public static boolean valid(double lon, double lat) {
        return lon >= LON_MIN && lon <= LON_MAX && lat >= LAT_MIN && lat <= LAT_MAX;
    }

    /** Cell indices (26 bits each) of a coordinate in the given ranges. */
    static long encode(double lon, double lat, double latMin, double latMax, int step) {
        double latOffset = (lat - latMin) / (latMax - latMin);
        double lonOffset = (lon - LON_MIN) / (LON_MAX - LON_MIN);
        latOffset *= (1L << step);
        lonOffset *= (1L << step);
        return interleave((long) latOffset, (long) lonOffset);
    }

    public static long encode(double lon, double lat) {
        return encode(lon, lat, LAT_MIN, LAT_MAX, STEP);
    }

    static long interleave(long x, long y) {
        return spread(x) | (spread(y) << 1);
    }

    private static long spread(long v) {
        v &= 0xFFFFFFFFL;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        v = (v | (v << 1)) & 0x5555555555555555L;
        return v;
    }

    private static long squash(long v) {
        v &= 0x5555555555555555L;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
        return v;
    }

    /** The centre of the cell of a 52-bit hash: {lon, lat}, clamped to the valid ranges as Redis does. */
    public static double[] decode(long bits) {
        long latIdx = squash(bits);
        long lonIdx = squash(bits >>> 1);
        double latScale = LAT_MAX - LAT_MIN;
        double lonScale = LON_MAX - LON_MIN;
        double latMin = LAT_MIN + (latIdx * 1.0 / (1L << STEP)) * latScale;
        double latMax = LAT_MIN + ((latIdx + 1) * 1.0 / (1L << STEP)) * latScale;
        double lonMin = LON_MIN + (lonIdx * 1.0 / (1L << STEP)) * lonScale;
        double lonMax = LON_MIN + ((lonIdx + 1) * 1.0 / (1L << STEP)) * lonScale;
        double lon = (lonMin + lonMax) / 2;
        double lat = (latMin + latMax) / 2;
        lon = Math.max(LON_MIN, Math.min(LON_MAX, lon));
        lat = Math.max(LAT_MIN, Math.min(LAT_MAX, lat));
        return new double[] {lon, lat};
    }

    private static final char[] BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz".toCharArray();

    /** GEOHASH's 11-character string: the position re-encoded over the standard ±90 latitude range. */
    public static String toBase32(long bits) {
        double[] xy = decode(bits);
        long std = encode(xy[0], xy[1], -90, 90, STEP);
        char[] out = new char[11];
        for (int i = 0; i < 11; i++) {
            int idx = i == 10 ? 0 : (int) ((std >>> (52 - (i + 1) * 5)) & 0x1F);
            out[i] = BASE32[idx];
        }
        return new String(out);
    }

    static double degRad(double d) {
        return d * (Math.PI / 180.0);
    }

    static double radDeg(double r) {
        return r / (Math.PI / 180.0);
    }

    public static double latDistance(double lat1, double lat2) {
        return EARTH_RADIUS * Math.abs(degRad(lat2) - degRad(lat1));
    }

    /** Haversine distance in meters, as Redis 7.0 computes it. */
    public static double distance(double lon1, double lat1, double lon2, double lat2) {
        double lon1r = degRad(lon1);
        double lon2r = degRad(lon2);
        double v = StrictMath.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1, lat2);
        }
        double lat1r = degRad(lat1);
        double lat2r = degRad(lat2);
        double u = StrictMath.sin((lat2r - lat1r) / 2);
        double a = u * u + StrictMath.cos(lat1r) * StrictMath.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS * StrictMath.asin(StrictMath.sqrt(a));
    }

    /**
     * Score ranges [min, max) that together hold every point within {@code halfWidth} ×
     * {@code halfHeight} meters of the centre: the 3×3 block of geohash cells around it at the
     * finest level whose cells are at least as large as the search box. Null = scan everything.
     */
    public static long[][] ranges(double lon, double lat, double halfWidth, double halfHeight) {
        double latDelta = radDeg(halfHeight / EARTH_RADIUS);
        double maxLat = Math.min(90, Math.abs(lat) + latDelta);
        if (maxLat >= 89.9) {
            return null;
        }
        double lonDelta = radDeg(halfWidth / EARTH_RADIUS / StrictMath.cos(degRad(maxLat)));
        if (lonDelta >= 90) {
            return null;
        }
        int step = STEP;
        while (step > 1) {
            double latCell = (LAT_MAX - LAT_MIN) / (1L << step);
            double lonCell = (LON_MAX - LON_MIN) / (1L << step);
            if (latCell >= latDelta && lonCell >= lonDelta) {
                break;
            }
            step--;
        }
        if (step <= 1) {
            return null;
        }
        double clampedLat = Math.max(LAT_MIN, Math.min(LAT_MAX, lat));
        long cells = 1L << step;
        long latIdx = Math.min(cells - 1, (long) ((clampedLat - LAT_MIN) / (LAT_MAX - LAT_MIN) * cells));
        long lonIdx = Math.min(cells - 1, (long) ((lon - LON_MIN) / (LON_MAX - LON_MIN) * cells));
        java.util.List<long[]> out = new java.util.ArrayList<>();
        int shift = 52 - 2 * step;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long dy = -1; dy <= 1; dy++) {
            long y = latIdx + dy;
            if (y < 0 || y >= cells) {
                continue;
            }
            for (long dx = -1; dx <= 1; dx++) {
                long x = Math.floorMod(lonIdx + dx, cells);
                long h = interleave(y, x);
                if (seen.add(h)) {
                    out.add(new long[] {h << shift, (h + 1) << shift});
                }
            }
        }
        return out.toArray(new long[0][]);
    }
}
