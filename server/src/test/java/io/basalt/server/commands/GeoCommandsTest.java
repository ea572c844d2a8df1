package io.basalt.server.commands;

import io.basalt.server.testing.DifferentialHarness;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GEO commands against a real Redis: scores, positions, hashes, distances and searches byte for byte. */
class GeoCommandsTest {
    static DifferentialHarness diff;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start();
    }

    @AfterAll
    static void stop() throws Exception {
        diff.close();
    }

    static final String SICILY = "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 12.758489 38.788135 edge1 "
            + "17.241510 38.788135 edge2 13.583333 37.316667 Agrigento";

    @Test
    void basicsMatchRedis() throws Exception {
        diff.same(SICILY, "ZRANGE Sicily 0 -1 WITHSCORES", "GEOPOS Sicily Palermo Catania nope", "GEOPOS nope a",
                "GEOHASH Sicily Palermo Catania nope", "GEODIST Sicily Palermo Catania", "GEODIST Sicily Palermo Catania km",
                "GEODIST Sicily Palermo Catania mi", "GEODIST Sicily Palermo Catania ft", "GEODIST Sicily Palermo nope",
                "GEODIST Sicily Palermo Catania parsec", "GEOADD Sicily 181 10 bad", "GEOADD Sicily 10 86 bad", "GEOADD Sicily x 1 bad",
                "GEOADD Sicily 1 2", "GEOADD Sicily NX 13.361389 38.115556 Palermo 1 1 new", "GEOADD Sicily XX CH 2 2 new 3 3 newer",
                "GEOADD Sicily NX XX 1 1 a", "GEOPOS Sicily new", "GEOADD poles -180 -85.05112878 sw 180 85.05112878 ne 0 0 zero",
                "GEOPOS poles sw ne zero", "GEOHASH poles sw ne zero", "ZRANGE poles 0 -1 WITHSCORES");
    }

    @Test
    void searchesMatchRedis() throws Exception {
        diff.same(SICILY, "GEORADIUS Sicily 15 37 200 km ASC", "GEORADIUS Sicily 15 37 200 km WITHDIST WITHCOORD WITHHASH DESC",
                "GEORADIUS Sicily 15 37 200 km COUNT 1", "GEORADIUS Sicily 15 37 200 km COUNT 2 DESC WITHDIST",
                "GEORADIUS Sicily 15 37 1 m", "GEORADIUS Sicily 15 37 -1 m", "GEORADIUS Sicily 15 37 200 parsec",
                "GEORADIUS Sicily 15 37 200 km ANY", "GEORADIUS Sicily 15 37 200 km COUNT 0",
                "GEORADIUSBYMEMBER Sicily Agrigento 100 km WITHDIST ASC", "GEORADIUSBYMEMBER Sicily nope 100 km",
                "GEORADIUS_RO Sicily 15 37 200 km WITHDIST ASC", "GEORADIUS_RO Sicily 15 37 200 km ASC STORE x",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC", "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 400 400 km ASC WITHCOORD WITHDIST",
                "GEOSEARCH Sicily FROMMEMBER Palermo BYBOX 200 100 km DESC WITHDIST", "GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 1000 km COUNT 3 ASC",
                "GEOSEARCH Sicily FROMLONLAT 15 37 FROMMEMBER Palermo BYRADIUS 200 km", "GEOSEARCH Sicily BYRADIUS 200 km",
                "GEOSEARCH Sicily FROMLONLAT 15 37", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 1 km BYBOX 1 1 km",
                "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX -1 1 km", "GEOSEARCH nope FROMLONLAT 15 37 BYRADIUS 1 km",
                "GEORADIUS Sicily 15 37 200 km STORE dst", "ZRANGE dst 0 -1 WITHSCORES", "GEORADIUS Sicily 15 37 200 km STOREDIST dst",
                "ZRANGE dst 0 -1 WITHSCORES", "GEORADIUS Sicily 15 37 200 km WITHDIST STORE dst",
                "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYBOX 400 400 km ASC COUNT 3", "ZRANGE dst 0 -1 WITHSCORES",
                "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST", "ZRANGE dst 0 -1 WITHSCORES",
                "GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km WITHDIST", "GEOSEARCHSTORE dst Sicily FROMLONLAT 0 0 BYRADIUS 1 m",
                "EXISTS dst");
    }

    @Test
    void randomSearchesMatchRedis() throws Exception {
        Random rnd = new Random(42);
        StringBuilder add = new StringBuilder("GEOADD pts");
        for (int i = 0; i < 400; i++) {
            add.append(String.format(java.util.Locale.ROOT, " %.6f %.6f p%d", rnd.nextDouble() * 20 - 10, rnd.nextDouble() * 20 + 40, i));
        }
        String[] script = new String[41];
        script[0] = add.toString();
        for (int i = 1; i < script.length; i++) {
            double lon = rnd.nextDouble() * 20 - 10;
            double lat = rnd.nextDouble() * 20 + 40;
            int r = 10 + rnd.nextInt(500);
            script[i] = i % 2 == 0
                    ? String.format(java.util.Locale.ROOT, "GEOSEARCH pts FROMLONLAT %.5f %.5f BYRADIUS %d km ASC WITHDIST", lon, lat, r)
                    : String.format(java.util.Locale.ROOT, "GEOSEARCH pts FROMLONLAT %.5f %.5f BYBOX %d %d km DESC WITHDIST WITHHASH", lon, lat, r, r / 2 + 5);
        }
        diff.same(script);
    }
}
