package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.BLOCKING;
import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.NOSCRIPT;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the list commands (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */
final class ListCommandSpecs {
    private ListCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("lpush", -3).flags(WRITE, DENYOOM, FAST).acl("write", "list", "fast")
                        .group("list").since("1.0.0")
                        .summary("Prepend one or multiple elements to a list")
                        .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
                        .key(KeySpec.range(1, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("rpush", -3).flags(WRITE, DENYOOM, FAST).acl("write", "list", "fast")
                        .group("list").since("1.0.0")
                        .summary("Append one or multiple elements to a list")
                        .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
                        .key(KeySpec.range(1, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("lpushx", -3).flags(WRITE, DENYOOM, FAST).acl("write", "list", "fast")
                        .group("list").since("2.2.0")
                        .summary("Prepend an element to a list, only if the list exists")
                        .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
                        .key(KeySpec.range(1, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("rpushx", -3).flags(WRITE, DENYOOM, FAST).acl("write", "list", "fast")
                        .group("list").since("2.2.0")
                        .summary("Append an element to a list, only if the list exists")
                        .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
                        .key(KeySpec.range(1, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("lpop", -2).flags(WRITE, FAST).acl("write", "list", "fast")
                        .group("list").since("1.0.0")
                        .summary("Remove and get the first elements in a list")
                        .complexity("O(N) where N is the number of elements returned")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("rpop", -2).flags(WRITE, FAST).acl("write", "list", "fast")
                        .group("list").since("1.0.0")
                        .summary("Remove and get the last elements in a list")
                        .complexity("O(N) where N is the number of elements returned")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("llen", 2).flags(READONLY, FAST).acl("read", "list", "fast")
                        .group("list").since("1.0.0")
                        .summary("Get the length of a list")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RO")).build(),
                CommandSpec.builder("lindex", 3).flags(READONLY).acl("read", "list", "slow")
                        .group("list").since("1.0.0")
                        .summary("Get an element from a list by its index")
                        .complexity("O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("lrange", 4).flags(READONLY).acl("read", "list", "slow")
                        .group("list").since("1.0.0")
                        .summary("Get a range of elements from a list")
                        .complexity("O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("lset", 4).flags(WRITE, DENYOOM).acl("write", "list", "slow")
                        .group("list").since("1.0.0")
                        .summary("Set the value of an element in a list by its index")
                        .complexity("O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build(),
                CommandSpec.builder("linsert", 5).flags(WRITE, DENYOOM).acl("write", "list", "slow")
                        .group("list").since("2.2.0")
                        .summary("Insert an element before or after another element in a list")
                        .complexity("O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).")
                        .key(KeySpec.range(1, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("lrem", 4).flags(WRITE).acl("write", "list", "slow")
                        .group("list").since("1.0.0")
                        .summary("Remove elements from a list")
                        .complexity("O(N+M) where N is the length of the list and M is the number of elements removed.")
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).build(),
                CommandSpec.builder("ltrim", 4).flags(WRITE).acl("write", "list", "slow")
                        .group("list").since("1.0.0")
                        .summary("Trim a list to the specified range")
                        .complexity("O(N) where N is the number of elements to be removed by the operation.")
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).build(),
                CommandSpec.builder("lpos", -3).flags(READONLY).acl("read", "list", "slow")
                        .group("list").since("6.0.6")
                        .summary("Return the index of matching elements on a list")
                        .complexity("O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("lmove", 5).flags(WRITE, DENYOOM).acl("write", "list", "slow")
                        .group("list").since("6.2.0")
                        .summary("Pop an element from a list, push it to another list and return it")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("rpoplpush", 3).flags(WRITE, DENYOOM).acl("write", "list", "slow")
                        .group("list").since("1.2.0")
                        .summary("Remove the last element in a list, prepend it to another list and return it")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("lmpop", -4).flags(WRITE).acl("write", "list", "slow")
                        .group("list").since("7.0.0")
                        .summary("Pop elements from a list")
                        .complexity("O(N+M) where N is the number of provided keys and M is the number of elements returned.")
                        .key(KeySpec.keyNum(1, 0, 1, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("blpop", -3).flags(WRITE, NOSCRIPT, BLOCKING).acl("write", "list", "slow", "blocking")
                        .group("list").since("2.0.0")
                        .summary("Remove and get the first element in a list, or block until one is available")
                        .complexity("O(N) where N is the number of provided keys.")
                        .key(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("brpop", -3).flags(WRITE, NOSCRIPT, BLOCKING).acl("write", "list", "slow", "blocking")
                        .group("list").since("2.0.0")
                        .summary("Remove and get the last element in a list, or block until one is available")
                        .complexity("O(N) where N is the number of provided keys.")
                        .key(KeySpec.range(1, -2, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("blmove", 6).flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING).acl("write", "list", "slow", "blocking")
                        .group("list").since("6.2.0")
                        .summary("Pop an element from a list, push it to another list and return it; or block until one is available")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("brpoplpush", 4).flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING).acl("write", "list", "slow", "blocking")
                        .group("list").since("2.2.0")
                        .summary("Pop an element from a list, push it to another list and return it; or block until one is available")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("blmpop", -5).flags(WRITE, BLOCKING).acl("write", "list", "slow", "blocking")
                        .group("list").since("7.0.0")
                        .summary("Pop elements from a list, or block until one is available")
                        .complexity("O(N+M) where N is the number of provided keys and M is the number of elements returned.")
                        .key(KeySpec.keyNum(2, 0, 1, 1, "RW", "ACCESS", "DELETE")).build());
    }
}
