package io.basalt.server.commands;

import io.basalt.server.dispatch.Args;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.util.Glob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HSCAN / SSCAN / ZSCAN arguments and cursors. A cursor names the member to resume from, kept in a
 * bounded table; an unknown cursor restarts the walk (elements may repeat, as SCAN allows; none
 * present throughout is skipped).
 */
final class MemberScan {
    private static final int MAX = 65_536;
    private static final Map<Long, byte[]> RESUME = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > MAX;
        }
    };

    final byte[] from;
    final byte[] pattern;
    final long count;

    private MemberScan(byte[] from, byte[] pattern, long count) {
        this.from = from;
        this.pattern = pattern;
        this.count = count;
    }

    /** Parses {@code KEY cursor [MATCH p] [COUNT n]} starting at argument 2. */
    static MemberScan parse(Args a) {
        Long cursor = Args.parseUnsigned(a.bytes(2));
        if (cursor == null) {
            throw new RedisException("ERR invalid cursor");
        }
        byte[] pattern = null;
        long count = 10;
        for (int i = 3; i < a.size(); i++) {
            if (a.is(i, "MATCH") && i + 1 < a.size()) {
                pattern = a.bytes(++i);
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else if (a.is(i, "COUNT") && i + 1 < a.size()) {
                count = a.longValue(++i);
                if (count < 1) {
                    throw Errors.syntax();
                }
            } else {
                throw Errors.syntax();
            }
        }
        byte[] from = null;
        if (cursor != 0) {
            synchronized (RESUME) {
                from = RESUME.get(cursor);
            }
        }
        return new MemberScan(from, pattern, Math.min(count, 100_000));
    }

    boolean matches(byte[] member) {
        return pattern == null || Glob.matches(pattern, member, false);
    }

    /** The reply: next cursor (0 when {@code next} is null) and the page. */
    static Reply reply(byte[] next, List<Reply> page) {
        long cursor = 0;
        if (next != null) {
            do {
                cursor = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            } while (cursor == 0);
            synchronized (RESUME) {
                RESUME.put(cursor, next);
            }
        }
        return Reply.array(Reply.bulk(Long.toUnsignedString(cursor)), Reply.array(page));
    }
}
