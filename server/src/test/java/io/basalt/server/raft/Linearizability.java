package io.basalt.server.raft;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A small Wing-Gong-Lowe style linearizability checker for one register (a Redis key used with
 * SET, GET and INCR). An operation that failed or timed out may or may not have taken effect: it has
 * no completion time (it may be linearized anywhere after its invocation, or never), and its result
 * is unknown. Reads that failed are left out of the history (they change nothing).
 */
public final class Linearizability {
    private Linearizability() {}

    public enum Kind { SET, GET, INCR }

    /**
     * One operation: {@code value} is the written value (SET), the value read (GET, null = no key) or
     * the value INCR returned; {@code end} is {@link Long#MAX_VALUE} when the outcome is unknown.
     */
    public record Op(Kind kind, String value, long start, long end) {
        public boolean known() {
            return end != Long.MAX_VALUE;
        }
    }

    /** Whether some order of the operations, consistent with real time, explains every known result. */
    public static boolean check(List<Op> history, String initial) {
        List<Op> ops = new ArrayList<>(history);
        ops.sort((a, b) -> Long.compare(a.start(), b.start()));
        return search(ops, new BitSet(ops.size()), initial, new HashSet<>());
    }

    private record State(BitSet done, String value) {}

    private static boolean search(List<Op> ops, BitSet done, String value, Set<State> seen) {
        boolean allKnownDone = true;
        long horizon = Long.MAX_VALUE; // the earliest completion among operations not yet linearized
        for (int i = 0; i < ops.size(); i++) {
            if (!done.get(i)) {
                Op o = ops.get(i);
                if (o.known()) {
                    allKnownDone = false;
                }
                horizon = Math.min(horizon, o.end());
            }
        }
        if (allKnownDone) {
            return true; // the unknown ones left may never have happened
        }
        if (!seen.add(new State((BitSet) done.clone(), value))) {
            return false;
        }
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            if (done.get(i) || o.start() > horizon) {
                continue; // must come after an operation that completed before it started
            }
            String next = apply(o, value);
            if (next == null && o.kind() != Kind.GET) {
                continue; // its known result contradicts the state
            }
            if (o.kind() == Kind.GET && !(o.known() && Objects.equals(o.value(), value))) {
                continue;
            }
            done.set(i);
            if (search(ops, done, o.kind() == Kind.GET ? value : next, seen)) {
                return true;
            }
            done.clear(i);
        }
        return false;
    }

    /** The register's value after {@code o}, or null if o's known result is impossible here. */
    private static String apply(Op o, String value) {
        switch (o.kind()) {
            case SET:
                return o.value();
            case INCR: {
                long now;
                try {
                    now = value == null ? 0 : Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return null;
                }
                String after = Long.toString(now + 1);
                return !o.known() || after.equals(o.value()) ? after : null;
            }
            default:
                return value;
        }
    }
}
