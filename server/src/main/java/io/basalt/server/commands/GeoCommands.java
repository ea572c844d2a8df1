package io.basalt.server.commands;

import io.basalt.server.commands.geo.GeoHash;
import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.storage.types.KeyspaceTxn;
import io.basalt.server.storage.types.SortedSet;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** GEO commands: positions stored as 52-bit geohash scores in a sorted set, as Redis does. */
public final class GeoCommands {
    private GeoCommands() {}

    public static void register(CommandRegistry r) {
        r.write("geoadd", GeoCommands::geoadd, (a, c) -> parseAdd(a));
        r.read("geodist", GeoCommands::geodist);
        r.read("geohash", ctx -> {
            SortedSet z = ZSetCommands.zset(ctx.keyspace(), ctx.args().bytes(1));
            List<Reply> out = new ArrayList<>();
            for (int i = 2; i < ctx.args().size(); i++) {
                Double s = z.score(ctx.args().bytes(i));
                out.add(s == null ? Reply.NULL : Reply.bulk(GeoHash.toBase32((long) (double) s)));
            }
            return Reply.array(out);
        });
        r.read("geopos", ctx -> {
            SortedSet z = ZSetCommands.zset(ctx.keyspace(), ctx.args().bytes(1));
            List<Reply> out = new ArrayList<>();
            for (int i = 2; i < ctx.args().size(); i++) {
                Double s = z.score(ctx.args().bytes(i));
                out.add(s == null ? Reply.NULL_ARRAY : coord(GeoHash.decode((long) (double) s)));
            }
            return Reply.array(out);
        });
        r.read("geosearch", ctx -> search(ctx.keyspace(), ctx.args(), Form.SEARCH, ctx.session().proto()));
        r.write("geosearchstore", ctx -> search(ctx.keyspace(), ctx.args(), Form.SEARCHSTORE, 2),
                (a, c) -> Query.parse(a, Form.SEARCHSTORE));
        r.write("georadius", ctx -> search(ctx.keyspace(), ctx.args(), Form.RADIUS, 2), (a, c) -> Query.parse(a, Form.RADIUS));
        r.write("georadiusbymember", ctx -> search(ctx.keyspace(), ctx.args(), Form.BYMEMBER, 2),
                (a, c) -> Query.parse(a, Form.BYMEMBER));
        r.read("georadius_ro", ctx -> search(ctx.keyspace(), ctx.args(), Form.RADIUS_RO, ctx.session().proto()));
        r.read("georadiusbymember_ro", ctx -> search(ctx.keyspace(), ctx.args(), Form.BYMEMBER_RO, ctx.session().proto()));
    }

    static Reply coord(double[] xy) {
        return Reply.array(new Reply.DoubleText(human(xy[0])), new Reply.DoubleText(human(xy[1])));
    }

    /** Redis's "%.17Lf" with trailing zeros removed. */
    static String human(double d) {
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s.equals("-0") ? "0" : s;
    }

    static String fixed4(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }

    // ---- GEOADD ----

    record AddArgs(boolean nx, boolean xx, boolean ch, int first) {}

    static AddArgs parseAdd(Args a) {
        boolean nx = false;
        boolean xx = false;
        boolean ch = false;
        int i = 2;
        for (; i < a.size(); i++) {
            if (a.is(i, "NX")) {
                nx = true;
            } else if (a.is(i, "XX")) {
                xx = true;
            } else if (a.is(i, "CH")) {
                ch = true;
            } else {
                break;
            }
        }
        if ((a.size() - i) % 3 != 0 || a.size() == i) {
            throw Errors.syntax();
        }
        if (nx && xx) {
            throw Errors.syntax();
        }
        for (int j = i; j < a.size(); j += 3) {
            lonLat(a, j);
        }
        return new AddArgs(nx, xx, ch, i);
    }

    static double[] lonLat(Args a, int i) {
        Double lon = Args.parseDouble(a.bytes(i));
        Double lat = Args.parseDouble(a.bytes(i + 1));
        if (lon == null || lat == null) {
            throw Errors.notFloat();
        }
        if (!GeoHash.valid(lon, lat)) {
            throw new RedisException(String.format(Locale.ROOT, "ERR invalid longitude,latitude pair %f,%f", lon, lat));
        }
        return new double[] {lon, lat};
    }

    static Reply geoadd(ApplyContext ctx) {
        Args a = ctx.args();
        AddArgs o = parseAdd(a);
        SortedSet z = ZSetCommands.zset(ctx.keyspace(), a.bytes(1));
        long added = 0;
        long changed = 0;
        for (int j = o.first(); j < a.size(); j += 3) {
            double[] xy = lonLat(a, j);
            double score = GeoHash.encode(xy[0], xy[1]);
            byte[] member = a.bytes(j + 2);
            Double cur = z.score(member);
            if (cur == null) {
                if (o.xx()) {
                    continue;
                }
                z.put(member, score);
                added++;
            } else if (!o.nx() && cur != score) {
                z.put(member, score);
                changed++;
            }
        }
        z.save();
        return Reply.integer(o.ch() ? added + changed : added);
    }

    static double unit(Args a, int i) {
        String u = a.string(i).toLowerCase(Locale.ROOT);
        return switch (u) {
            case "m" -> 1;
            case "km" -> 1000;
            case "ft" -> 0.3048;
            case "mi" -> 1609.34;
            default -> throw new RedisException("ERR unsupported unit provided. please use M, KM, FT, MI");
        };
    }

    static Reply geodist(CommandContext ctx) {
        Args a = ctx.args();
        double unit = 1;
        if (a.size() == 5) {
            unit = GeoCommands.unit(a, 4);
        } else if (a.size() > 5) {
            throw Errors.syntax();
        }
        SortedSet z = ZSetCommands.zset(ctx.keyspace(), a.bytes(1));
        Double s1 = z.score(a.bytes(2));
        Double s2 = z.score(a.bytes(3));
        if (s1 == null || s2 == null) {
            return Reply.NULL;
        }
        double[] p1 = GeoHash.decode((long) (double) s1);
        double[] p2 = GeoHash.decode((long) (double) s2);
        return Reply.bulk(fixed4(GeoHash.distance(p1[0], p1[1], p2[0], p2[1]) / unit));
    }

    // ---- searches ----

    enum Form { SEARCH, SEARCHSTORE, RADIUS, BYMEMBER, RADIUS_RO, BYMEMBER_RO }

    /** A parsed GEOSEARCH / GEORADIUS query. */
    record Query(int keyIdx, byte[] fromMember, double[] fromLonLat, boolean box, double radius, double width, double height,
            double unit, boolean withCoord, boolean withDist, boolean withHash, long count, boolean any, int sort,
            byte[] store, boolean storeDist) {

        static Query parse(Args a, Form form) {
            int keyIdx = form == Form.SEARCHSTORE ? 2 : 1;
            byte[] fromMember = null;
            double[] fromLonLat = null;
            boolean box = false;
            boolean byGiven = false;
            double radius = 0;
            double width = 0;
            double height = 0;
            double unit = 1;
            int i;
            boolean search = form == Form.SEARCH || form == Form.SEARCHSTORE;
            if (form == Form.RADIUS || form == Form.RADIUS_RO) {
                fromLonLat = lonLat(a, 2);
                radius = radiusArg(a, 4);
                unit = GeoCommands.unit(a, 5);
                byGiven = true;
                i = 6;
            } else if (form == Form.BYMEMBER || form == Form.BYMEMBER_RO) {
                fromMember = a.bytes(2);
                radius = radiusArg(a, 3);
                unit = GeoCommands.unit(a, 4);
                byGiven = true;
                i = 5;
            } else {
                i = keyIdx + 1;
            }
            boolean withCoord = false;
            boolean withDist = false;
            boolean withHash = false;
            long count = 0;
            boolean any = false;
            int sort = 0;
            byte[] store = null;
            boolean storeDist = false;
            boolean canStore = form == Form.RADIUS || form == Form.BYMEMBER;
            for (; i < a.size(); i++) {
                int left = a.size() - i - 1;
                if (a.is(i, "WITHDIST")) {
                    withDist = true;
                } else if (a.is(i, "WITHHASH")) {
                    withHash = true;
                } else if (a.is(i, "WITHCOORD")) {
                    withCoord = true;
                } else if (a.is(i, "ANY")) {
                    any = true;
                } else if (a.is(i, "ASC")) {
                    sort = 1;
                } else if (a.is(i, "DESC")) {
                    sort = 2;
                } else if (a.is(i, "COUNT") && left >= 1) {
                    count = a.longValue(++i);
                    if (count <= 0) {
                        throw new RedisException("ERR COUNT must be > 0");
                    }
                } else if (canStore && a.is(i, "STORE") && left >= 1) {
                    store = a.bytes(++i);
                    storeDist = false;
                } else if (canStore && a.is(i, "STOREDIST") && left >= 1) {
                    store = a.bytes(++i);
                    storeDist = true;
                } else if (form == Form.SEARCHSTORE && a.is(i, "STOREDIST")) {
                    storeDist = true;
                } else if (search && a.is(i, "FROMMEMBER") && left >= 1) {
                    if (fromLonLat != null) {
                        throw Errors.syntax();
                    }
                    fromMember = a.bytes(++i);
                } else if (search && a.is(i, "FROMLONLAT") && left >= 2) {
                    if (fromMember != null) {
                        throw Errors.syntax();
                    }
                    fromLonLat = lonLat(a, i + 1);
                    i += 2;
                } else if (search && a.is(i, "BYRADIUS") && left >= 2) {
                    if (byGiven) {
                        throw Errors.syntax();
                    }
                    radius = radiusArg(a, i + 1);
                    unit = GeoCommands.unit(a, i + 2);
                    byGiven = true;
                    i += 2;
                } else if (search && a.is(i, "BYBOX") && left >= 3) {
                    if (byGiven) {
                        throw Errors.syntax();
                    }
                    Double w = Args.parseDouble(a.bytes(i + 1));
                    Double h = Args.parseDouble(a.bytes(i + 2));
                    if (w == null || h == null) {
                        throw new RedisException("ERR need numeric width and height");
                    }
                    if (w < 0 || h < 0) {
                        throw new RedisException("ERR height or width cannot be negative");
                    }
                    unit = GeoCommands.unit(a, i + 3);
                    width = w;
                    height = h;
                    box = true;
                    byGiven = true;
                    i += 3;
                } else {
                    throw Errors.syntax();
                }
            }
            if (search) {
                if (fromMember == null && fromLonLat == null) {
                    throw new RedisException("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + a.name());
                }
                if (!byGiven) {
                    throw new RedisException("ERR exactly one of BYRADIUS and BYBOX can be specified for " + a.name());
                }
            }
            if (any && count == 0) {
                throw new RedisException("ERR the ANY argument requires COUNT argument");
            }
            if (store != null && (withDist || withHash || withCoord)) {
                throw new RedisException("ERR STORE option in " + a.name().toUpperCase(Locale.ROOT)
                        + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
            }
            if (form == Form.SEARCHSTORE) {
                if (withDist || withHash || withCoord) {
                    throw new RedisException("ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
                }
                store = a.bytes(1);
            }
            return new Query(keyIdx, fromMember, fromLonLat, box, radius, width, height, unit, withCoord, withDist, withHash,
                    count, any, sort, store, storeDist);
        }

        private static double radiusArg(Args a, int i) {
            Double r = Args.parseDouble(a.bytes(i));
            if (r == null) {
                throw new RedisException("ERR need numeric radius");
            }
            if (r < 0) {
                throw new RedisException("ERR radius cannot be negative");
            }
            return r;
        }
    }

    private record Hit(byte[] member, double score, double dist, double[] xy) {}

    static Reply search(Keyspace ks, Args a, Form form, int proto) {
        Query q = Query.parse(a, form);
        SortedSet z = ZSetCommands.zset(ks, a.bytes(q.keyIdx()));
        List<Hit> hits = new ArrayList<>();
        if (z.exists()) {
            double[] center;
            if (q.fromMember() != null) {
                Double s = z.score(q.fromMember());
                if (s == null) {
                    throw new RedisException("ERR could not decode requested zset member");
                }
                center = GeoHash.decode((long) (double) s);
            } else {
                center = q.fromLonLat();
            }
            double halfW = q.box() ? q.width() * q.unit() / 2 : q.radius() * q.unit();
            double halfH = q.box() ? q.height() * q.unit() / 2 : q.radius() * q.unit();
            long[][] ranges = GeoHash.ranges(center[0], center[1], halfW, halfH);
            long limit = q.any() ? q.count() : 0;
            if (ranges == null) {
                ranges = new long[][] {{0, 1L << 52}};
            }
            outer:
            for (long[] r : ranges) {
                List<SortedSet.Item> items = new ArrayList<>();
                z.walk(false, (double) r[0], null, 0, (m, s) -> {
                    if (s >= r[1]) {
                        return false;
                    }
                    items.add(new SortedSet.Item(m, s));
                    return true;
                });
                for (SortedSet.Item it : items) {
                    double[] xy = GeoHash.decode((long) it.score());
                    double dist;
                    if (q.box()) {
                        if (GeoHash.latDistance(xy[1], center[1]) > halfH) {
                            continue;
                        }
                        if (GeoHash.distance(xy[0], xy[1], center[0], xy[1]) > halfW) {
                            continue;
                        }
                        dist = GeoHash.distance(center[0], center[1], xy[0], xy[1]);
                    } else {
                        dist = GeoHash.distance(center[0], center[1], xy[0], xy[1]);
                        if (dist > halfW) {
                            continue;
                        }
                    }
                    hits.add(new Hit(it.member(), it.score(), dist, xy));
                    if (limit > 0 && hits.size() >= limit) {
                        break outer;
                    }
                }
            }
        }
        int sort = q.sort();
        if (sort == 0 && q.count() > 0 && !q.any()) {
            sort = 1; // COUNT without ANY returns the nearest ones
        }
        if (sort != 0) {
            Comparator<Hit> byDist = Comparator.comparingDouble(Hit::dist);
            hits.sort(sort == 1 ? byDist : byDist.reversed());
        }
        if (q.count() > 0 && hits.size() > q.count()) {
            hits = new ArrayList<>(hits.subList(0, (int) q.count()));
        }
        if (q.store() != null) {
            List<SortedSet.Item> items = new ArrayList<>();
            for (Hit h : hits) {
                items.add(new SortedSet.Item(h.member(), q.storeDist() ? h.dist() / q.unit() : h.score()));
            }
            items.sort((x, y) -> {
                int c = Double.compare(x.score(), y.score());
                return c != 0 ? c : java.util.Arrays.compareUnsigned(x.member(), y.member());
            });
            return Reply.integer(ZSetCommands.storeItems((KeyspaceTxn) ks, q.store(), items));
        }
        List<Reply> out = new ArrayList<>(hits.size());
        boolean plain = !q.withCoord() && !q.withDist() && !q.withHash();
        for (Hit h : hits) {
            if (plain) {
                out.add(Reply.bulk(h.member()));
                continue;
            }
            List<Reply> row = new ArrayList<>(4);
            row.add(Reply.bulk(h.member()));
            if (q.withDist()) {
                row.add(Reply.bulk(fixed4(h.dist() / q.unit())));
            }
            if (q.withHash()) {
                row.add(Reply.integer((long) h.score()));
            }
            if (q.withCoord()) {
                row.add(coord(h.xy()));
            }
            out.add(Reply.array(row));
        }
        return Reply.array(out);
    }
}
