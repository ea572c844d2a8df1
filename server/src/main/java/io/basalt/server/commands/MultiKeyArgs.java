package io.basalt.server.commands;

import io.basalt.server.dispatch.Args;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;

/** The numkeys-style arguments shared by LMPOP/BLMPOP/ZMPOP/BZMPOP and SINTERCARD/ZINTERCARD. */
final class MultiKeyArgs {
    private MultiKeyArgs() {}

    /** {@code numkeys key… FIRST|SECOND [COUNT n]} from argument {@code at}; {@code first} tells which side. */
    record Pop(int firstKey, int numKeys, boolean first, long count) {
        static Pop parse(Args a, int at, String firstWord, String secondWord) {
            long numkeys = a.longValue(at, "ERR numkeys should be greater than 0");
            if (numkeys <= 0) {
                throw new RedisException("ERR numkeys should be greater than 0");
            }
            if (numkeys > a.size() - at - 2) {
                throw Errors.syntax();
            }
            int i = at + 1 + (int) numkeys;
            boolean first;
            if (a.is(i, firstWord)) {
                first = true;
            } else if (a.is(i, secondWord)) {
                first = false;
            } else {
                throw Errors.syntax();
            }
            long count = -1;
            for (i++; i < a.size(); i++) {
                if (a.is(i, "COUNT") && i + 1 < a.size() && count == -1) {
                    count = a.longValue(++i, "ERR count should be greater than 0");
                    if (count <= 0) {
                        throw new RedisException("ERR count should be greater than 0");
                    }
                } else {
                    throw Errors.syntax();
                }
            }
            return new Pop(at + 1, (int) numkeys, first, count == -1 ? 1 : count);
        }
    }

    /** {@code numkeys key… [LIMIT n]} from argument 1 (SINTERCARD, ZINTERCARD). */
    record Card(int numKeys, long limit) {
        static Card parse(Args a, String numkeysError) {
            long numkeys = a.longValue(1, numkeysError);
            if (numkeys <= 0) {
                throw new RedisException(numkeysError);
            }
            if (numkeys > a.size() - 2) {
                throw new RedisException("ERR Number of keys can't be greater than number of args");
            }
            long limit = 0;
            for (int i = 2 + (int) numkeys; i < a.size(); i++) {
                if (a.is(i, "LIMIT") && i + 1 < a.size()) {
                    limit = a.longValue(++i, "ERR LIMIT can't be negative");
                    if (limit < 0) {
                        throw new RedisException("ERR LIMIT can't be negative");
                    }
                } else {
                    throw Errors.syntax();
                }
            }
            return new Card((int) numkeys, limit);
        }
    }
}
