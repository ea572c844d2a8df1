package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the geo commands (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */
final class GeoCommandSpecs {
    private GeoCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("geoadd", -5).flags(WRITE, DENYOOM).acl("write", "geo", "slow")
                        .group("geo").since("3.2.0")
                        .summary("Add one or more geospatial items in the geospatial index represented using a sorted set")
                        .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set.")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build(),
                CommandSpec.builder("geodist", -4).flags(READONLY).acl("read", "geo", "slow")
                        .group("geo").since("3.2.0")
                        .summary("Returns the distance between two members of a geospatial index")
                        .complexity("O(log(N))")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("geohash", -2).flags(READONLY).acl("read", "geo", "slow")
                        .group("geo").since("3.2.0")
                        .summary("Returns members of a geospatial index as standard geohash strings")
                        .complexity("O(log(N)) for each member requested, where N is the number of elements in the sorted set.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("geopos", -2).flags(READONLY).acl("read", "geo", "slow")
                        .group("geo").since("3.2.0")
                        .summary("Returns longitude and latitude of members of a geospatial index")
                        .complexity("O(N) where N is the number of members requested.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("geosearch", -7).flags(READONLY).acl("read", "geo", "slow")
                        .group("geo").since("6.2.0")
                        .summary("Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.")
                        .complexity("O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("geosearchstore", -8).flags(WRITE, DENYOOM).acl("write", "geo", "slow")
                        .group("geo").since("6.2.0")
                        .summary("Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.")
                        .complexity("O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape")
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.range(2, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("georadius", -6).flags(WRITE, DENYOOM).acl("write", "geo", "slow")
                        .group("geo").since("3.2.0")
                        .summary("Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point")
                        .complexity("O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .key(KeySpec.keyword("STORE", 6, 0, 1, 0, "OW", "UPDATE"))
                        .key(KeySpec.keyword("STOREDIST", 6, 0, 1, 0, "OW", "UPDATE")).build(),
                CommandSpec.builder("georadiusbymember", -5).flags(WRITE, DENYOOM).acl("write", "geo", "slow")
                        .group("geo").since("3.2.0")
                        .summary("Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member")
                        .complexity("O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .key(KeySpec.keyword("STORE", 5, 0, 1, 0, "OW", "UPDATE"))
                        .key(KeySpec.keyword("STOREDIST", 5, 0, 1, 0, "OW", "UPDATE")).build(),
                CommandSpec.builder("georadius_ro", -6).flags(READONLY).acl("read", "geo", "slow")
                        .group("geo").since("3.2.10")
                        .summary("A read-only variant for GEORADIUS")
                        .complexity("O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("georadiusbymember_ro", -5).flags(READONLY).acl("read", "geo", "slow")
                        .group("geo").since("3.2.10")
                        .summary("A read-only variant for GEORADIUSBYMEMBER")
                        .complexity("O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build());
    }
}
