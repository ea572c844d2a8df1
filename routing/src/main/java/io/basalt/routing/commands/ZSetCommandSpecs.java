package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.BLOCKING;
import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.NOSCRIPT;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the sorted-set commands (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */
final class ZSetCommandSpecs {
    private ZSetCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("zadd", -4).flags(WRITE, DENYOOM, FAST).acl("write", "sortedset", "fast")
                        .group("sorted-set").since("1.2.0")
                        .summary("Add one or more members to a sorted set, or update its score if it already exists")
                        .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set.")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build(),
                CommandSpec.builder("zincrby", 4).flags(WRITE, DENYOOM, FAST).acl("write", "sortedset", "fast")
                        .group("sorted-set").since("1.2.0")
                        .summary("Increment the score of a member in a sorted set")
                        .complexity("O(log(N)) where N is the number of elements in the sorted set.")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")).build(),
                CommandSpec.builder("zrem", -3).flags(WRITE, FAST).acl("write", "sortedset", "fast")
                        .group("sorted-set").since("1.2.0")
                        .summary("Remove one or more members from a sorted set")
                        .complexity("O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.")
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).build(),
                CommandSpec.builder("zcard", 2).flags(READONLY, FAST).acl("read", "sortedset", "fast")
                        .group("sorted-set").since("1.2.0")
                        .summary("Get the number of members in a sorted set")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RO")).build(),
                CommandSpec.builder("zcount", 4).flags(READONLY, FAST).acl("read", "sortedset", "fast")
                        .group("sorted-set").since("2.0.0")
                        .summary("Count the members in a sorted set with scores within the given values")
                        .complexity("O(log(N)) with N being the number of elements in the sorted set.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zlexcount", 4).flags(READONLY, FAST).acl("read", "sortedset", "fast")
                        .group("sorted-set").since("2.8.9")
                        .summary("Count the number of members in a sorted set between a given lexicographical range")
                        .complexity("O(log(N)) with N being the number of elements in the sorted set.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zscore", 3).flags(READONLY, FAST).acl("read", "sortedset", "fast")
                        .group("sorted-set").since("1.2.0")
                        .summary("Get the score associated with the given member in a sorted set")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zmscore", -3).flags(READONLY, FAST).acl("read", "sortedset", "fast")
                        .group("sorted-set").since("6.2.0")
                        .summary("Get the score associated with the given members in a sorted set")
                        .complexity("O(N) where N is the number of members being requested.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zrank", -3).flags(READONLY, FAST).acl("read", "sortedset", "fast")
                        .group("sorted-set").since("2.0.0")
                        .summary("Determine the index of a member in a sorted set")
                        .complexity("O(log(N))")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zrevrank", -3).flags(READONLY, FAST).acl("read", "sortedset", "fast")
                        .group("sorted-set").since("2.0.0")
                        .summary("Determine the index of a member in a sorted set, with scores ordered from high to low")
                        .complexity("O(log(N))")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zrange", -4).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("1.2.0")
                        .summary("Return a range of members in a sorted set")
                        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zrangestore", -5).flags(WRITE, DENYOOM).acl("write", "sortedset", "slow")
                        .group("sorted-set").since("6.2.0")
                        .summary("Store a range of members from sorted set into another key")
                        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.")
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.range(2, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zrevrange", -4).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("1.2.0")
                        .summary("Return a range of members in a sorted set, by index, with scores ordered from high to low")
                        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zrangebyscore", -4).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("1.0.5")
                        .summary("Return a range of members in a sorted set, by score")
                        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zrevrangebyscore", -4).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("2.2.0")
                        .summary("Return a range of members in a sorted set, by score, with scores ordered from high to low")
                        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zrangebylex", -4).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("2.8.9")
                        .summary("Return a range of members in a sorted set, by lexicographical range")
                        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zrevrangebylex", -4).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("2.8.9")
                        .summary("Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.")
                        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zremrangebyrank", 4).flags(WRITE).acl("write", "sortedset", "slow")
                        .group("sorted-set").since("2.0.0")
                        .summary("Remove all members in a sorted set within the given indexes")
                        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.")
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).build(),
                CommandSpec.builder("zremrangebyscore", 4).flags(WRITE).acl("write", "sortedset", "slow")
                        .group("sorted-set").since("1.2.0")
                        .summary("Remove all members in a sorted set within the given scores")
                        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.")
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).build(),
                CommandSpec.builder("zremrangebylex", 4).flags(WRITE).acl("write", "sortedset", "slow")
                        .group("sorted-set").since("2.8.9")
                        .summary("Remove all members in a sorted set between the given lexicographical range")
                        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.")
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).build(),
                CommandSpec.builder("zpopmin", -2).flags(WRITE, FAST).acl("write", "sortedset", "fast")
                        .group("sorted-set").since("5.0.0")
                        .summary("Remove and return members with the lowest scores in a sorted set")
                        .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("zpopmax", -2).flags(WRITE, FAST).acl("write", "sortedset", "fast")
                        .group("sorted-set").since("5.0.0")
                        .summary("Remove and return members with the highest scores in a sorted set")
                        .complexity("O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("bzpopmin", -3).flags(WRITE, NOSCRIPT, BLOCKING, FAST).acl("write", "sortedset", "fast", "blocking")
                        .group("sorted-set").since("5.0.0")
                        .summary("Remove and return the member with the lowest score from one or more sorted sets, or block until one is available")
                        .complexity("O(log(N)) with N being the number of elements in the sorted set.")
                        .key(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("bzpopmax", -3).flags(WRITE, NOSCRIPT, BLOCKING, FAST).acl("write", "sortedset", "fast", "blocking")
                        .group("sorted-set").since("5.0.0")
                        .summary("Remove and return the member with the highest score from one or more sorted sets, or block until one is available")
                        .complexity("O(log(N)) with N being the number of elements in the sorted set.")
                        .key(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("zmpop", -4).flags(WRITE).acl("write", "sortedset", "slow")
                        .group("sorted-set").since("7.0.0")
                        .summary("Remove and return members with scores in a sorted set")
                        .complexity("O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.")
                        .key(KeySpec.keyNum(1, 0, 1, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("bzmpop", -5).flags(WRITE, BLOCKING).acl("write", "sortedset", "slow", "blocking")
                        .group("sorted-set").since("7.0.0")
                        .summary("Remove and return members with scores in a sorted set or block until one is available")
                        .complexity("O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.")
                        .key(KeySpec.keyNum(2, 0, 1, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("zrandmember", -2).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("6.2.0")
                        .summary("Get one or multiple random elements from a sorted set")
                        .complexity("O(N) where N is the number of elements returned").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zunion", -3).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("6.2.0")
                        .summary("Add multiple sorted sets")
                        .complexity("O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.")
                        .key(KeySpec.keyNum(1, 0, 1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zunionstore", -4).flags(WRITE, DENYOOM).acl("write", "sortedset", "slow")
                        .group("sorted-set").since("2.0.0")
                        .summary("Add multiple sorted sets and store the resulting sorted set in a new key")
                        .complexity("O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.")
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.keyNum(2, 0, 1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zinter", -3).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("6.2.0")
                        .summary("Intersect multiple sorted sets")
                        .complexity("O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.")
                        .key(KeySpec.keyNum(1, 0, 1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zinterstore", -4).flags(WRITE, DENYOOM).acl("write", "sortedset", "slow")
                        .group("sorted-set").since("2.0.0")
                        .summary("Intersect multiple sorted sets and store the resulting sorted set in a new key")
                        .complexity("O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.")
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.keyNum(2, 0, 1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zintercard", -3).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("7.0.0")
                        .summary("Intersect multiple sorted sets and return the cardinality of the result")
                        .complexity("O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.")
                        .key(KeySpec.keyNum(1, 0, 1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zdiff", -3).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("6.2.0")
                        .summary("Subtract multiple sorted sets")
                        .complexity("O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.")
                        .key(KeySpec.keyNum(1, 0, 1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zdiffstore", -4).flags(WRITE, DENYOOM).acl("write", "sortedset", "slow")
                        .group("sorted-set").since("6.2.0")
                        .summary("Subtract multiple sorted sets and store the resulting sorted set in a new key")
                        .complexity("O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.")
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.keyNum(2, 0, 1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("zscan", -3).flags(READONLY).acl("read", "sortedset", "slow")
                        .group("sorted-set").since("2.8.0")
                        .summary("Incrementally iterate sorted sets elements and associated scores")
                        .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build());
    }
}
