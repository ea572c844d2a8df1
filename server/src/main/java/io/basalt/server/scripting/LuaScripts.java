package io.basalt.server.scripting;

import io.basalt.server.dispatch.CommandRunner;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lua scripting (EVAL and friends) on LuaJ, an interpreter in Java: a script cannot reach the JVM
 * (no {@code luajava}, {@code os}, {@code io}, {@code package}), cannot load bytecode, cannot create
 * globals, and a watchdog inside the interpreter loop lets {@code SCRIPT KILL} and shutdown stop it.
 *
 * <p>Scripts run on the applier, inside the EVAL's apply, through the same {@link CommandRunner} as
 * MULTI/EXEC: replicas run the same script on the same state at the leader's fixed time, and
 * {@code math.random} starts from a seed the leader drew for this call, so the effects are
 * identical everywhere. One Lua world per node, used only by the applier thread.
 */
public final class LuaScripts {
    private static final Logger log = LoggerFactory.getLogger(LuaScripts.class);
    public static final String BUSY_TEXT = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, Prototype> compiled = new ConcurrentHashMap<>();
    private final LongSupplier busyThresholdMs;

    // the running script (written by the applier thread, read by connections)
    private volatile long startedNanos;
    private volatile boolean busy;
    private volatile int killRequest; // 0 none, 1 SCRIPT KILL, 2 shutdown (even after writes)
    private volatile CommandRunner running;
    private volatile String runningName;

    private Globals world;
    /** The script running now (applier thread only), for the redis.* functions. */
    RedisLib.State state;
    private final MathRandom random = new MathRandom();
    private LuaTable real;
    private LuaTable envMeta;
    private Watchdog watchdog;

    public LuaScripts(LongSupplier busyThresholdMs) {
        this.busyThresholdMs = busyThresholdMs;
    }

    public static String sha1hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles (once per body) and remembers the script for EVALSHA; returns its SHA1. */
    public String load(byte[] body) {
        String sha = sha1hex(body);
        if (!compiled.containsKey(sha)) {
            compiled.put(sha, compile(body));
        }
        bodies.putIfAbsent(sha, body);
        return sha;
    }

    private static Prototype compile(byte[] body) {
        if (body.length > 0 && body[0] == 27) {
            throw new RedisException("ERR Error compiling script (new function): user_script: cannot load precompiled code");
        }
        try {
            return LuaC.instance.compile(new ByteArrayInputStream(body), "user_script");
        } catch (LuaError e) {
            throw new RedisException("ERR Error compiling script (new function): " + oneLine(e.getMessage()));
        } catch (IOException e) {
            throw new RedisException("ERR Error compiling script (new function): " + e.getMessage());
        }
    }

    /** The body of a loaded script, or {@code null} (EVALSHA replies NOSCRIPT). */
    public byte[] body(String sha) {
        return bodies.get(sha.toLowerCase(java.util.Locale.ROOT));
    }

    public boolean exists(String sha) {
        return bodies.containsKey(sha.toLowerCase(java.util.Locale.ROOT));
    }

    public void flush() {
        bodies.clear();
        compiled.clear();
    }

    /** Whether other clients must get {@code BUSY}: a script has run longer than busy-reply-threshold. */
    public boolean busy() {
        return busy;
    }

    /** SCRIPT KILL. */
    public Reply kill() {
        CommandRunner r = running;
        if (r == null || startedNanos == 0) {
            return Reply.error("NOTBUSY No scripts in execution right now.");
        }
        if (r.wrote()) {
            return Reply.error("UNKILLABLE Sorry the script already executed write commands against the dataset. You can"
                    + " either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.");
        }
        killRequest = 1;
        return Reply.OK;
    }

    /**
     * Stops a running script even after it wrote (server shutdown): its effects are rolled back with
     * its batch, so nothing of it is half-applied.
     */
    public void abort() {
        if (running != null) {
            killRequest = 2;
        }
    }

    /**
     * Runs a script inside the EVAL being applied. A Lua error becomes the error reply (Redis keeps
     * writes made before the error, and so do we); a killed script's writes are undone by the caller.
     */
    public Reply run(CommandRunner runner, byte[] body, List<byte[]> keys, List<byte[]> argv, boolean readOnly) {
        String sha = sha1hex(body);
        Prototype proto = compiled.get(sha);
        if (proto == null) {
            proto = compile(body);
            compiled.put(sha, proto);
            bodies.putIfAbsent(sha, body);
        }
        synchronized (lua) {
            if (world == null) {
                init();
            }
        }
        LuaTable env = newEnv();
        env.rawset("KEYS", strings(keys));
        env.rawset("ARGV", strings(argv));
        Prototype p = proto;
        return execute(runner, sha, "user_script", readOnly, () -> new LuaClosure(p, env).invoke(LuaValue.NONE));
    }

    /** FCALL: runs a registered function with its keys and arguments. */
    public Reply fcall(CommandRunner runner, Function fn, List<byte[]> keys, List<byte[]> argv, boolean readOnly) {
        return execute(runner, fn.name(), "user_function", readOnly || fn.flags().contains("no-writes"),
                () -> fn.callback().invoke(LuaValue.varargsOf(strings(keys), strings(argv))));
    }

    private Reply execute(CommandRunner runner, String name, String chunk, boolean readOnly,
            java.util.function.Supplier<Varargs> body) {
        synchronized (lua) {
            return executeLocked(runner, name, chunk, readOnly, body);
        }
    }

    /** One Lua world: scripts (applier) and library loads (also FUNCTION LIST after a restart) take turns. */
    private final Object lua = new Object();

    private Reply executeLocked(CommandRunner runner, String name, String chunk, boolean readOnly,
            java.util.function.Supplier<Varargs> body) {
        RedisLib.State state = new RedisLib.State(runner,
                readOnly ? CommandRunner.Mode.READONLY_SCRIPT : CommandRunner.Mode.SCRIPT);
        this.state = state;
        random.seed(runner.random().nextInt()); // the leader's seed: varies per call, same on replicas
        running = runner;
        runningName = name;
        killRequest = 0;
        startedNanos = System.nanoTime();
        watchdog.arm();
        try {
            Varargs result = body.get();
            return RedisLib.toReply(result.arg1(), state.resp);
        } catch (LuaError e) {
            if (killRequest != 0) {
                throw new Killed(name, chunk);
            }
            return Reply.error(errorText(e, name, chunk));
        } catch (StackOverflowError e) {
            return Reply.error("ERR " + chunk + ": stack overflow script: " + name + ", on @" + chunk + ":0.");
        } finally {
            this.state = null;
            running = null;
            runningName = null;
            startedNanos = 0;
            busy = false;
            killRequest = 0;
        }
    }

    /** The function or script running now ({@code null} if none), and for how long (FUNCTION STATS). */
    public String runningName() {
        return runningName;
    }

    public long runningMs() {
        long t = startedNanos;
        return t == 0 ? 0 : (System.nanoTime() - t) / 1_000_000;
    }

    /**
     * The error redis.call raises for a failed command: a string (pcall gets the command's error text
     * as is), reported at the top level as the command's error plus where it happened.
     */
    static final class CallError extends LuaError {
        CallError(String text) {
            super(LuaValue.valueOf(text));
        }
    }

    /** The script was stopped by SCRIPT KILL or shutdown: the caller rolls its effects back. */
    public static final class Killed extends RuntimeException {
        private final String name;
        private final String chunk;

        Killed(String name, String chunk) {
            super("killed", null, false, false);
            this.name = name;
            this.chunk = chunk;
        }

        public Reply.Error reply() {
            return new Reply.Error("ERR Script killed by user with SCRIPT KILL... script: " + name + ", on @" + chunk + ":1.");
        }
    }

    private static LuaTable strings(List<byte[]> items) {
        LuaTable t = new LuaTable(items.size(), 0);
        for (int i = 0; i < items.size(); i++) {
            t.rawset(i + 1, LuaString.valueOf(items.get(i)));
        }
        return t;
    }

    /** Redis 7's error reply for a failed script: the message, then where it failed. */
    private String errorText(LuaError e, String sha, String chunk) {
        LuaValue obj = message(e, chunk);
        String line = Integer.toString(watchdog.line);
        String fileline = fileline(e);
        if (fileline != null) {
            int colon = fileline.lastIndexOf(':');
            line = fileline.substring(colon + 1).trim();
        }
        String where = " script: " + sha + ", on @" + chunk + ":" + line + ".";
        if (e instanceof CallError) {
            return oneLine(e.getMessageObject().tojstring()) + where;
        }
        if (obj != null && obj.istable()) {
            LuaValue err = obj.get("err");
            if (err.isstring()) {
                return oneLine(err.tojstring()) + where;
            }
        }
        String msg = obj == null || obj.isnil() ? "unknown error" : oneLine(obj.tojstring());
        return "ERR " + msg + where;
    }

    /**
     * The error object as Lua 5.1 would hand it to pcall: a table as raised, or a string with its
     * position as {@code user_script:LINE: message}.
     */
    LuaValue message(LuaError e) {
        return message(e, "user_script");
    }

    LuaValue message(LuaError e, String chunk) {
        LuaValue obj = e.getMessageObject();
        if (obj == null || obj.type() != LuaValue.TSTRING || e instanceof CallError) {
            return obj;
        }
        String text = obj.tojstring();
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        String fl = fileline(e);
        if (fl != null && text.startsWith(fl + " ")) {
            text = fl + ": " + text.substring(fl.length() + 1);
        } else if (fl == null && !text.startsWith(chunk + ":")) {
            // raised by a library function called in tail position: no frame recorded the position
            text = chunk + ":" + watchdog.line + ": " + text;
        }
        return LuaValue.valueOf(text);
    }

    private static String fileline(LuaError e) {
        try {
            java.lang.reflect.Field f = LuaError.class.getDeclaredField("fileline");
            f.setAccessible(true);
            return (String) f.get(e);
        } catch (ReflectiveOperationException x) {
            return null;
        }
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return t.replace('\r', ' ').replace('\n', ' ');
    }

    // ---- the Lua world -------------------------------------------------------------------------

    private void init() {
        Globals g = new Globals();
        g.load(new BaseLib());
        g.load(new PackageLib());
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        LoadState.install(g);
        LuaC.install(g);
        watchdog = new Watchdog();
        g.debuglib = watchdog;

        real = new LuaTable();
        for (String name : new String[] {"assert", "collectgarbage", "error", "getmetatable", "ipairs", "next",
            "pairs", "rawequal", "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber", "type", "_VERSION"}) {
            real.rawset(name, g.get(name));
        }
        real.rawset("_VERSION", "Lua 5.1");
        real.rawset("tostring", new org.luaj.vm2.lib.OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                LuaValue mt = v.getmetatable();
                if (mt != null && !mt.rawget("__tostring").isnil()) {
                    return mt.rawget("__tostring").call(v);
                }
                return LuaFormat.tostring(v);
            }
        });
        real.rawset("unpack", g.get("table").get("unpack"));
        LuaValue rawset = g.get("rawset");
        real.rawset("rawset", new org.luaj.vm2.lib.ThreeArgFunction() {
            @Override
            public LuaValue call(LuaValue t, LuaValue k, LuaValue v) {
                return rawset.call(writable(t), k, v);
            }
        });
        LuaValue setmetatable = g.get("setmetatable");
        real.rawset("setmetatable", new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue t, LuaValue mt) {
                return setmetatable.call(writable(t), mt);
            }
        });
        real.rawset("pcall", new PCall(false));
        real.rawset("xpcall", new PCall(true));
        real.rawset("loadstring", new LoadString());
        real.rawset("load", new LoadString());
        real.rawset("gcinfo", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                Runtime rt = Runtime.getRuntime();
                return LuaValue.valueOf((int) ((rt.totalMemory() - rt.freeMemory()) / 1024));
            }
        });

        LuaTable string = (LuaTable) g.get("string");
        string.rawset("format", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return LuaFormat.format(args);
            }
        });
        LuaTable table = (LuaTable) g.get("table");
        table.rawset("getn", new org.luaj.vm2.lib.OneArgFunction() {
            @Override
            public LuaValue call(LuaValue t) {
                return LuaValue.valueOf(t.checktable().length());
            }
        });
        LuaTable math = (LuaTable) g.get("math");
        random.install(math);
        math.rawset("mod", math.get("fmod"));

        real.rawset("string", readOnly(string));
        real.rawset("table", readOnly(table));
        real.rawset("math", readOnly(math));
        real.rawset("bit", readOnly(BitLib.create()));
        real.rawset("cjson", readOnly(CjsonLib.create()));
        real.rawset("cmsgpack", readOnly(CmsgpackLib.create()));
        real.rawset("struct", readOnly(StructLib.create()));
        real.rawset("redis", readOnly(RedisLib.create(this)));

        // strings index the (read-only) string library; their metatable cannot be reached to change it
        LuaTable smeta = new LuaTable();
        smeta.rawset("__index", real.rawget("string"));
        smeta.rawset("__metatable", readOnly(new LuaTable()));
        LuaString.s_metatable = smeta;

        envMeta = new LuaTable();
        envMeta.rawset("__index", new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue t, LuaValue k) {
                LuaValue v = real.rawget(k);
                if (v.isnil()) {
                    throw new LuaError("Script attempted to access nonexistent global variable '" + k.tojstring() + "'");
                }
                return v;
            }
        });
        envMeta.rawset("__newindex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("Attempt to modify a readonly table");
            }
        });
        envMeta.rawset("__metatable", LuaValue.FALSE);
        envMeta.rawset("__readonly", LuaValue.TRUE);
        world = g;
    }

    /** {@code t}, unless it is one of the read-only tables (globals, libraries): then Redis's error. */
    private static LuaValue writable(LuaValue t) {
        LuaValue meta = t.getmetatable();
        if (meta != null && meta.rawget("__readonly").toboolean()) {
            throw new CallError("ERR Attempt to modify a readonly table");
        }
        return t;
    }

    /** How a table's keys look: cjson and cmsgpack decide array or object/map from it. */
    record TableShape(int items, long maxIndex, boolean onlyPositiveIntegers) {
        static TableShape of(LuaTable t) {
            int items = 0;
            long max = 0;
            boolean ints = true;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                if ((k = n.arg1()).isnil()) {
                    return new TableShape(items, max, ints);
                }
                items++;
                double d = k.type() == LuaValue.TNUMBER ? k.todouble() : 0;
                if (d >= 1 && d == Math.floor(d)) {
                    max = Math.max(max, (long) Math.min(Long.MAX_VALUE, d));
                } else {
                    ints = false;
                }
            }
        }
    }

    /** A proxy whose reads go to {@code t} and whose writes fail, as Redis 7's read-only tables. */
    static LuaTable readOnly(LuaTable t) {
        LuaTable proxy = new LuaTable();
        LuaTable meta = new LuaTable();
        meta.rawset("__index", t);
        meta.rawset("__newindex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                throw new LuaError("Attempt to modify a readonly table");
            }
        });
        meta.rawset("__metatable", LuaValue.FALSE);
        meta.rawset("__readonly", LuaValue.TRUE);
        proxy.setmetatable(meta);
        return proxy;
    }

    /** {@code pcall}/{@code xpcall} that hand back the error object as Lua 5.1 does. */
    private final class PCall extends VarArgFunction {
        private final boolean x;

        PCall(boolean x) {
            this.x = x;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue f = args.checkvalue(1);
            try {
                Varargs r = x ? f.invoke(LuaValue.NONE) : f.invoke(args.subargs(2));
                return LuaValue.varargsOf(LuaValue.TRUE, r);
            } catch (LuaError e) {
                if (killRequest != 0) {
                    throw e; // SCRIPT KILL cannot be caught
                }
                LuaValue m = message(e);
                if (x) {
                    return LuaValue.varargsOf(LuaValue.FALSE, args.arg(2).call(m == null ? LuaValue.NIL : m));
                }
                return LuaValue.varargsOf(LuaValue.FALSE, m == null ? LuaValue.NIL : m);
            } catch (StackOverflowError e) {
                return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("stack overflow"));
            }
        }
    }

    /** {@code loadstring}/{@code load}: text chunks only (no bytecode), in the calling script's globals. */
    private final class LoadString extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue src = args.arg1();
            byte[] code;
            if (src.isfunction()) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                while (true) {
                    LuaValue piece = src.call();
                    if (piece.isnil() || piece.tojstring().isEmpty()) {
                        break;
                    }
                    LuaString s = piece.checkstring();
                    out.write(s.m_bytes, s.m_offset, s.m_length);
                }
                code = out.toByteArray();
            } else {
                LuaString s = src.checkstring();
                code = new byte[s.m_length];
                System.arraycopy(s.m_bytes, s.m_offset, code, 0, s.m_length);
            }
            if (code.length > 0 && code[0] == 27) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("attempt to load a binary chunk"));
            }
            String name = args.optjstring(2, "=(load)");
            try {
                Prototype p = LuaC.instance.compile(new ByteArrayInputStream(code), name);
                LuaValue env = newEnv();
                return new LuaClosure(p, env);
            } catch (LuaError | IOException e) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(oneLine(e.getMessage())));
            }
        }
    }

    /**
     * A fresh global table for one script run: reads fall through to the shared libraries, writes
     * fail, and whatever a script rawsets dies with it. A {@link Globals} so the interpreter calls
     * the watchdog and records error positions.
     */
    private LuaTable newEnv() {
        Globals env = new Globals();
        env.debuglib = watchdog;
        env.setmetatable(envMeta);
        env.rawset("_G", env);
        return env;
    }

    /**
     * The interpreter's hook, called for every instruction: every 1,000 instructions it checks the
     * time (BUSY after busy-reply-threshold) and whether the script must stop.
     */
    private final class Watchdog extends DebugLib {
        private int countdown;
        private LuaClosure[] frames = new LuaClosure[64];
        private int depth;
        /** The line of the last instruction run: where an error is reported ("on @user_script:N"). */
        int line;

        void arm() {
            countdown = 1000;
            depth = 0;
            line = 0;
        }

        @Override
        public void onInstruction(int pc, Varargs v, int top) {
            if (depth > 0) {
                LuaClosure c = frames[depth - 1];
                if (c != null && c.p.lineinfo != null && pc < c.p.lineinfo.length) {
                    line = c.p.lineinfo[pc];
                }
            }
            if (--countdown > 0) {
                return;
            }
            countdown = 1000;
            if (killRequest != 0) {
                countdown = 1; // keep failing: a pcall cannot swallow the kill
                throw new LuaError("Script killed by user with SCRIPT KILL...");
            }
            if (!busy && startedNanos != 0
                    && (System.nanoTime() - startedNanos) / 1_000_000 >= busyThresholdMs.getAsLong()) {
                busy = true;
                log.warn("a script has been running for more than {} ms; other clients get BUSY", busyThresholdMs.getAsLong());
            }
        }

        private void push(LuaClosure c) {
            if (depth == frames.length) {
                frames = java.util.Arrays.copyOf(frames, depth * 2);
            }
            frames[depth++] = c;
        }

        @Override
        public void onCall(LuaFunction f) {
            push(null);
        }

        @Override
        public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
            push(c);
        }

        @Override
        public void onReturn() {
            if (depth > 0) {
                frames[--depth] = null;
            }
        }

        @Override
        public String traceback(int level) {
            return "";
        }
    }

    // ---- function libraries (FUNCTION LOAD, FCALL) --------------------------------------------

    /** A registered function: its callback (closed over its library's globals) and metadata. */
    public record Function(String name, LuaValue callback, String description, List<String> flags) {}

    /** A loaded library: its name, code and functions in registration order. */
    public record Library(String name, byte[] code, Map<String, Function> functions) {}

    private static final java.util.Set<String> FUNCTION_FLAGS =
            java.util.Set.of("no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys");
    private final Map<String, Library> libraries = new ConcurrentHashMap<>();

    /** Parses the {@code #!lua name=…} header (without running anything): the library's name. */
    public static String libraryName(byte[] code) {
        String text = new String(code, StandardCharsets.UTF_8);
        if (!text.startsWith("#!")) {
            throw new RedisException("ERR Missing library metadata");
        }
        int nl = text.indexOf('\n');
        if (nl < 0) {
            throw new RedisException("ERR Invalid library metadata");
        }
        String[] parts = text.substring(2, nl).trim().split(" +");
        if (!parts[0].equalsIgnoreCase("lua")) {
            throw new RedisException("ERR Engine '" + parts[0] + "' not found");
        }
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("name=")) {
                name = parts[i].substring(5);
            } else {
                throw new RedisException("ERR Invalid metadata value given: " + parts[i]);
            }
        }
        if (name == null) {
            throw new RedisException("ERR Library name was not given");
        }
        if (!validName(name)) {
            throw new RedisException("ERR Library names can only contain letters, numbers, or underscores(_) and must be at"
                    + " least one character long");
        }
        return name;
    }

    private static boolean validName(String n) {
        return !n.isEmpty() && n.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '_');
    }

    private final Map<String, Library> byName = new ConcurrentHashMap<>();

    /**
     * The stored library {@code name} with {@code code}, as FCALL and FUNCTION LIST read it on every
     * call: reused while the stored code is unchanged (a byte comparison, no hashing).
     */
    public Library stored(String name, byte[] code) {
        Library lib = byName.get(name);
        if (lib == null || !java.util.Arrays.equals(lib.code(), code)) {
            lib = library(code);
            byName.put(name, lib);
        }
        return lib;
    }

    /** Loads a library (its code runs once, registering functions); cached by code. Throws Redis's errors. */
    public Library library(byte[] code) {
        String sha = sha1hex(code);
        Library lib = libraries.get(sha);
        if (lib != null) {
            return lib;
        }
        String name = libraryName(code);
        synchronized (lua) {
            if (world == null) {
                init();
            }
            lib = loadLibrary(name, code);
        }
        if (libraries.size() > 10_000) {
            libraries.clear();
        }
        libraries.put(sha, lib);
        return lib;
    }

    private Library loadLibrary(String name, byte[] code) {
        Prototype proto;
        try {
            proto = LuaC.instance.compile(new ByteArrayInputStream(code), "user_function");
        } catch (LuaError | IOException e) {
            throw new RedisException("ERR Error compiling function: " + oneLine(e.getMessage()));
        }
        boolean[] loading = {true};
        Map<String, Function> functions = new java.util.LinkedHashMap<>();
        LuaTable loadRedis = new LuaTable();
        loadRedis.rawset("register_function", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                register(a, functions);
                return LuaValue.NONE;
            }
        });
        LuaTable fullRedis = (LuaTable) real.rawget("redis");
        for (String k : new String[] {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION",
            "REDIS_VERSION_NUM", "setresp"}) {
            loadRedis.rawset(k, fullRedis.get(k));
        }
        LuaTable loadMeta = new LuaTable();
        loadMeta.rawset("__index", new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue t, LuaValue k) {
                throw new LuaError("Script attempted to access nonexistent global variable '" + k.tojstring() + "'");
            }
        });
        loadRedis.setmetatable(loadMeta);

        Globals env = new Globals();
        env.debuglib = watchdog;
        LuaTable meta = new LuaTable();
        meta.rawset("__index", new TwoArgFunction() {
            @Override
            public LuaValue call(LuaValue t, LuaValue k) {
                if (k.tojstring().equals("redis")) {
                    return loading[0] ? loadRedis : fullRedis;
                }
                return envMeta.rawget("__index").call(t, k);
            }
        });
        meta.rawset("__newindex", envMeta.rawget("__newindex"));
        meta.rawset("__metatable", LuaValue.FALSE);
        meta.rawset("__readonly", LuaValue.TRUE);
        env.setmetatable(meta);
        env.rawset("_G", env);
        watchdog.arm();
        startedNanos = System.nanoTime();
        try {
            new LuaClosure(proto, env).invoke(LuaValue.NONE);
        } catch (LuaError e) {
            String msg = e instanceof CallError ? e.getMessageObject().tojstring() : "ERR " + oneLine(message(e, "user_function").tojstring());
            throw new RedisException("ERR Error registering functions: " + msg);
        } finally {
            loading[0] = false;
            startedNanos = 0;
            busy = false;
        }
        if (functions.isEmpty()) {
            throw new RedisException("ERR No functions registered");
        }
        return new Library(name, code, java.util.Collections.unmodifiableMap(functions));
    }

    private static void register(Varargs a, Map<String, Function> functions) {
        String name;
        LuaValue callback;
        String description = null;
        List<String> flags = new ArrayList<>();
        if (a.narg() == 1 && a.arg1().istable()) {
            LuaTable t = (LuaTable) a.arg1();
            LuaValue k = LuaValue.NIL;
            LuaValue fname = LuaValue.NIL;
            callback = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                LuaValue v = n.arg(2);
                switch (k.tojstring()) {
                    case "function_name" -> fname = v;
                    case "callback" -> callback = v;
                    case "description" -> description = v.tojstring();
                    case "flags" -> {
                        if (!v.istable()) {
                            throw new CallError("ERR flags argument to redis.register_function must be a table representing function flags");
                        }
                        for (int i = 1; !v.get(i).isnil(); i++) {
                            String f = v.get(i).tojstring();
                            if (!FUNCTION_FLAGS.contains(f)) {
                                throw new CallError("ERR unknown flag given");
                            }
                            flags.add(f);
                        }
                    }
                    default -> throw new CallError("ERR unknown argument given to redis.register_function");
                }
            }
            if (!fname.isstring()) {
                throw new CallError("ERR redis.register_function must get a function name argument");
            }
            if (!callback.isfunction()) {
                throw new CallError("ERR redis.register_function must get a callback argument");
            }
            name = fname.tojstring();
        } else {
            if (a.narg() != 2) {
                throw new CallError("ERR wrong number of arguments to redis.register_function");
            }
            name = a.checkjstring(1);
            callback = a.checkfunction(2);
        }
        if (!validName(name)) {
            throw new CallError("ERR Library names can only contain letters, numbers, or underscores(_) and must be at"
                    + " least one character long");
        }
        if (functions.containsKey(name)) {
            throw new CallError("ERR Function already exists in the library");
        }
        functions.put(name, new Function(name, callback, description, List.copyOf(flags)));
    }
}
