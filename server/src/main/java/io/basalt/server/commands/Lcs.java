package io.basalt.server.commands;

import io.basalt.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/** Longest common subsequence for LCS: a dynamic-programming table, then one walk back from the end. */
final class Lcs {
    private Lcs() {}

    static Reply reply(byte[] x, byte[] y, boolean lenOnly, boolean idx, boolean withMatchLen, long minLen) {
        int n = x.length;
        int m = y.length;
        int[] t = new int[(n + 1) * (m + 1)];
        int w = m + 1;
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                t[i * w + j] = x[i - 1] == y[j - 1] ? t[(i - 1) * w + j - 1] + 1 : Math.max(t[(i - 1) * w + j], t[i * w + j - 1]);
            }
        }
        int total = t[n * w + m];
        if (lenOnly) {
            return Reply.integer(total);
        }
        byte[] common = new byte[total];
        List<Reply> matches = new ArrayList<>();
        int k = total;
        int i = n;
        int j = m;
        // current run of consecutive matches, as inclusive ranges in x and y; -1 = no run
        int xs = -1;
        int xe = -1;
        int ys = -1;
        int ye = -1;
        while (i > 0 && j > 0) {
            boolean close = false;
            if (x[i - 1] == y[j - 1]) {
                common[--k] = x[i - 1];
                if (xs < 0) {
                    xs = xe = i - 1;
                    ys = ye = j - 1;
                } else {
                    xs = i - 1; // walking back one step on both sides extends the run
                    ys = j - 1;
                }
                if (xs == 0 || ys == 0) {
                    close = true;
                }
                i--;
                j--;
            } else {
                if (t[(i - 1) * w + j] > t[i * w + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                close = xs >= 0;
            }
            if (close && xs >= 0) {
                int len = xe - xs + 1;
                if (minLen == 0 || len >= minLen) {
                    List<Reply> one = new ArrayList<>(3);
                    one.add(Reply.array(Reply.integer(xs), Reply.integer(xe)));
                    one.add(Reply.array(Reply.integer(ys), Reply.integer(ye)));
                    if (withMatchLen) {
                        one.add(Reply.integer(len));
                    }
                    matches.add(Reply.array(one));
                }
                xs = -1;
            }
        }
        if (!idx) {
            return Reply.bulk(common);
        }
        return new Reply.MapReply(List.of(Reply.bulk("matches"), Reply.array(matches), Reply.bulk("len"), Reply.integer(total)));
    }
}
