package io.basalt.server.scripting;

import io.basalt.routing.commands.CommandSpec;
import io.basalt.server.dispatch.CommandRunner;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.RespWriter;
import io.basalt.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code redis} table scripts see, and Redis's exact conversions between RESP replies and Lua
 * values (RESP2 by default, RESP3 after {@code redis.setresp(3)}).
 */
final class RedisLib {
    private static final Logger log = LoggerFactory.getLogger("io.basalt.server.scripting.user_script");


    static final class State {
        final CommandRunner runner;
        final CommandRunner.Mode mode;
        int resp = 2;

        State(CommandRunner runner, CommandRunner.Mode mode) {
            this.runner = runner;
            this.mode = mode;
        }
    }

    private RedisLib() {}

    private interface Fn {
        Varargs call(Varargs a);
    }

    private static void fn(LuaTable t, String name, Fn f) {
        t.rawset(name, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return f.call(a);
            }
        });
    }

    static LuaTable create(LuaScripts scripts) {
        java.util.function.Supplier<State> current = () -> scripts.state;
        LuaTable t = new LuaTable();
        fn(t, "call", a -> call(current.get(), a, true));
        fn(t, "pcall", a -> call(current.get(), a, false));
        fn(t, "error_reply", a -> {
            LuaTable e = new LuaTable();
            String msg = a.checkjstring(1);
            e.rawset("err", msg.startsWith("-") ? msg.substring(1) : msg);
            return e;
        });
        fn(t, "status_reply", a -> {
            LuaTable e = new LuaTable();
            e.rawset("ok", a.checkstring(1));
            return e;
        });
        fn(t, "sha1hex", a -> {
            if (a.narg() != 1) {
                throw new LuaError("wrong number of arguments");
            }
            LuaString s = a.checkstring(1);
            byte[] b = new byte[s.m_length];
            System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
            return LuaValue.valueOf(LuaScripts.sha1hex(b));
        });
        fn(t, "log", a -> {
            if (a.narg() < 2) {
                throw new LuaError("redis.log() requires two arguments or more.");
            }
            int level = a.checkint(1);
            if (level < 0 || level > 3) {
                throw new LuaError("Invalid debug level.");
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 2; i <= a.narg(); i++) {
                if (i > 2) {
                    sb.append(' ');
                }
                sb.append(LuaFormat.tostring(a.arg(i)).tojstring());
            }
            switch (level) {
                case 3 -> log.warn("{}", sb);
                case 2 -> log.info("{}", sb);
                default -> log.debug("{}", sb);
            }
            return LuaValue.NONE;
        });
        fn(t, "setresp", a -> {
            if (a.narg() != 1) {
                throw new LuaScripts.CallError("ERR " + "redis.setresp() requires one argument.");
            }
            int v = a.checkint(1);
            if (v != 2 && v != 3) {
                throw new LuaScripts.CallError("ERR " + "RESP version must be 2 or 3.");
            }
            current.get().resp = v;
            return LuaValue.NONE;
        });
        fn(t, "set_repl", a -> {
            if (a.narg() != 1) {
                throw new LuaScripts.CallError("ERR " + "redis.set_repl() requires one argument.");
            }
            int v = a.checkint(1);
            if ((v & ~3) != 0) {
                throw new LuaScripts.CallError("ERR " + "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
            }
            return LuaValue.NONE; // every effect of a script is replicated with it: accepted, no-op
        });
        fn(t, "replicate_commands", a -> LuaValue.TRUE);
        fn(t, "breakpoint", a -> LuaValue.NONE);
        fn(t, "debug", a -> LuaValue.NONE);
        fn(t, "acl_check_cmd", a -> {
            List<byte[]> argv = args(a, "acl_check_cmd");
            try {
                current.get().runner.resolve(argv, CommandRunner.Mode.TRANSACTION);
            } catch (RedisException e) {
                throw new LuaError("Invalid command passed to redis.acl_check_cmd()");
            }
            return LuaValue.TRUE;
        });
        t.rawset("LOG_DEBUG", 0);
        t.rawset("LOG_VERBOSE", 1);
        t.rawset("LOG_NOTICE", 2);
        t.rawset("LOG_WARNING", 3);
        t.rawset("REPL_NONE", 0);
        t.rawset("REPL_AOF", 1);
        t.rawset("REPL_SLAVE", 2);
        t.rawset("REPL_REPLICA", 2);
        t.rawset("REPL_ALL", 3);
        t.rawset("REDIS_VERSION", "7.0.15");
        t.rawset("REDIS_VERSION_NUM", 0x07000f);
        return t;
    }

    private static List<byte[]> args(Varargs a, String what) {
        int n = a.narg();
        if (n == 0) {
            throw new LuaScripts.CallError("ERR " + "Please specify at least one argument for this redis lib call");
        }
        List<byte[]> argv = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            LuaValue v = a.arg(i);
            if (v.type() == LuaValue.TSTRING) {
                LuaString s = (LuaString) v;
                byte[] b = new byte[s.m_length];
                System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
                argv.add(b);
            } else if (v.type() == LuaValue.TNUMBER) {
                argv.add(LuaFormat.number(v.todouble()).getBytes(StandardCharsets.US_ASCII));
            } else {
                throw new LuaScripts.CallError("ERR " + "Lua redis lib command arguments must be strings or integers");
            }
        }
        return argv;
    }

    /** redis.call (raise) / redis.pcall (return the error as a table). */
    private static Varargs call(State st, Varargs a, boolean raise) {
        List<byte[]> argv = args(a, "call");
        st.runner.protocol(st.resp);
        Reply reply;
        try {
            CommandSpec spec = st.runner.resolve(argv, st.mode);
            reply = st.runner.call(spec, argv);
        } catch (RedisException e) {
            reply = e.reply();
        }
        if (reply instanceof Reply.Error e) {
            if (raise) {
                throw new LuaScripts.CallError(e.text());
            }
            LuaTable err = new LuaTable();
            err.rawset("err", e.text());
            return err;
        }
        return toLua(reply, st.resp);
    }

    // ---- RESP -> Lua ----------------------------------------------------------------------------

    static LuaValue toLua(Reply r, int resp) {
        if (r instanceof Reply.Bulk b) {
            return LuaString.valueOf(b.value());
        } else if (r instanceof Reply.BulkSlice b) {
            return LuaString.valueOf(b.toBytes());
        } else if (r instanceof Reply.Int i) {
            return LuaValue.valueOf((double) i.value());
        } else if (r instanceof Reply.Simple s) {
            LuaTable t = new LuaTable();
            t.rawset("ok", s.text());
            return t;
        } else if (r instanceof Reply.Error e) {
            LuaTable t = new LuaTable();
            t.rawset("err", e.text());
            return t;
        } else if (r instanceof Reply.Null || r instanceof Reply.NullArray) {
            return resp == 2 ? LuaValue.FALSE : LuaValue.NIL;
        } else if (r instanceof Reply.Array a) {
            return array(a.items(), resp);
        } else if (r instanceof Reply.Push p) {
            return array(p.items(), resp);
        } else if (r instanceof Reply.SetReply s) {
            if (resp == 2) {
                return array(s.items(), resp);
            }
            LuaTable set = new LuaTable();
            for (Reply item : s.items()) {
                set.set(toLua(item, resp), LuaValue.TRUE);
            }
            LuaTable t = new LuaTable();
            t.rawset("set", set);
            return t;
        } else if (r instanceof Reply.MapReply m) {
            if (resp == 2) {
                return array(m.keysAndValues(), resp);
            }
            return map(m.keysAndValues(), resp);
        } else if (r instanceof Reply.KeyedArrays k) {
            if (resp == 3) {
                return map(k.keysAndValues(), resp);
            }
            LuaTable t = new LuaTable();
            for (int i = 0; i + 1 < k.keysAndValues().size(); i += 2) {
                t.rawset(i / 2 + 1, array(k.keysAndValues().subList(i, i + 2), resp));
            }
            return t;
        } else if (r instanceof Reply.Many m) {
            return array(m.replies(), resp);
        } else if (r instanceof Reply.Pairs p) {
            if (resp == 2) {
                return array(p.flat(), resp);
            }
            LuaTable t = new LuaTable();
            for (int i = 0; i + 1 < p.flat().size(); i += 2) {
                t.rawset(i / 2 + 1, array(p.flat().subList(i, i + 2), resp));
            }
            return t;
        } else if (r instanceof Reply.DoubleReply d) {
            return dbl(RespWriter.formatDouble(d.value()), d.value(), resp);
        } else if (r instanceof Reply.DoubleText d) {
            return dbl(d.text(), Double.parseDouble(d.text().replace("inf", "Infinity")), resp);
        } else if (r instanceof Reply.Bool b) {
            if (resp == 2) {
                return b.value() ? LuaValue.valueOf(1) : LuaValue.FALSE;
            }
            return LuaValue.valueOf(b.value());
        } else if (r instanceof Reply.Verbatim v) {
            if (resp == 2) {
                return LuaString.valueOf(v.value());
            }
            LuaTable inner = new LuaTable();
            inner.rawset("format", v.format());
            inner.rawset("string", LuaString.valueOf(v.value()));
            LuaTable t = new LuaTable();
            t.rawset("verbatim_string", inner);
            return t;
        }
        return LuaValue.NIL;
    }

    private static LuaValue dbl(String text, double value, int resp) {
        if (resp == 2) {
            return LuaValue.valueOf(text);
        }
        LuaTable t = new LuaTable();
        t.rawset("double", value);
        return t;
    }

    private static LuaTable array(List<Reply> items, int resp) {
        LuaTable t = new LuaTable(items.size(), 0);
        for (int i = 0; i < items.size(); i++) {
            t.rawset(i + 1, toLua(items.get(i), resp));
        }
        return t;
    }

    private static LuaTable map(List<Reply> kv, int resp) {
        LuaTable m = new LuaTable();
        for (int i = 0; i + 1 < kv.size(); i += 2) {
            m.set(toLua(kv.get(i), resp), toLua(kv.get(i + 1), resp));
        }
        LuaTable t = new LuaTable();
        t.rawset("map", m);
        return t;
    }

    // ---- Lua -> RESP ----------------------------------------------------------------------------

    static Reply toReply(LuaValue v, int resp) {
        return toReply(v, resp, 0);
    }

    private static Reply toReply(LuaValue v, int resp, int depth) {
        switch (v.type()) {
            case LuaValue.TSTRING: {
                LuaString s = (LuaString) v;
                byte[] b = new byte[s.m_length];
                System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
                return new Reply.Bulk(b);
            }
            case LuaValue.TBOOLEAN:
                if (resp == 3) {
                    return new Reply.Bool(v.toboolean());
                }
                return v.toboolean() ? Reply.ONE : Reply.NULL;
            case LuaValue.TNUMBER:
                return Reply.integer((long) v.todouble());
            case LuaValue.TTABLE: {
                if (depth > 1000) {
                    return Reply.error("ERR reached lua stack limit");
                }
                LuaTable t = (LuaTable) v;
                LuaValue err = t.rawget("err");
                if (err.type() == LuaValue.TSTRING) {
                    return Reply.error(LuaScripts.oneLine(err.tojstring()));
                }
                LuaValue ok = t.rawget("ok");
                if (ok.type() == LuaValue.TSTRING) {
                    return Reply.simple(LuaScripts.oneLine(ok.tojstring()));
                }
                if (resp == 3) {
                    LuaValue dbl = t.rawget("double");
                    if (dbl.type() == LuaValue.TNUMBER) {
                        return new Reply.DoubleReply(dbl.todouble());
                    }
                    LuaValue map = t.rawget("map");
                    if (map.istable()) {
                        List<Reply> kv = new ArrayList<>();
                        LuaValue k = LuaValue.NIL;
                        while (true) {
                            Varargs n = map.next(k);
                            if ((k = n.arg1()).isnil()) {
                                break;
                            }
                            kv.add(toReply(k, resp, depth + 1));
                            kv.add(toReply(n.arg(2), resp, depth + 1));
                        }
                        return new Reply.MapReply(kv);
                    }
                    LuaValue set = t.rawget("set");
                    if (set.istable()) {
                        List<Reply> items = new ArrayList<>();
                        LuaValue k = LuaValue.NIL;
                        while (true) {
                            Varargs n = set.next(k);
                            if ((k = n.arg1()).isnil()) {
                                break;
                            }
                            items.add(toReply(k, resp, depth + 1));
                        }
                        return new Reply.SetReply(items);
                    }
                    LuaValue big = t.rawget("big_number");
                    if (big.type() == LuaValue.TSTRING) {
                        return Reply.bulk(big.tojstring()); // no big-number reply type: sent as its digits
                    }
                    LuaValue verb = t.rawget("verbatim_string");
                    if (verb.istable()) {
                        LuaValue s = verb.get("string");
                        return new Reply.Verbatim(verb.get("format").optjstring("txt"), s.tojstring().getBytes(StandardCharsets.UTF_8));
                    }
                }
                List<Reply> items = new ArrayList<>();
                for (int i = 1; ; i++) {
                    LuaValue item = t.rawget(i);
                    if (item.isnil()) {
                        break;
                    }
                    items.add(toReply(item, resp, depth + 1));
                }
                return Reply.array(items);
            }
            default:
                return Reply.NULL;
        }
    }
}
