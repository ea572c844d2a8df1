#!/usr/bin/env python3
"""Emits a routing/*CommandSpecs.java family from a running redis-server 7.0's COMMAND INFO/DOCS.

Usage: gen_specs.py PORT ClassName "description" cmd1 cmd2 ...
The generated file is a starting point that is committed and reviewed like hand-written code.
"""
import socket, sys

def resp(sock, args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    sock.sendall(out)
    f = sock.makefile("rb")
    return read(f)

def read(f):
    line = f.readline()[:-2]
    t, rest = chr(line[0]), line[1:]
    if t in "+": return rest.decode()
    if t == "-": raise RuntimeError(rest.decode())
    if t == ":": return int(rest)
    if t == "$":
        n = int(rest)
        if n < 0: return None
        d = f.read(n + 2)[:-2]
        return d.decode()
    if t == "*":
        n = int(rest)
        if n < 0: return None
        return [read(f) for _ in range(n)]
    raise RuntimeError("type " + t)

def kv(lst):
    return {lst[i]: lst[i + 1] for i in range(0, len(lst), 2)} if lst else {}

def jstr(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def keyspec(ks):
    d = kv(ks)
    flags = ", ".join(jstr(f.upper()) for f in d["flags"])
    flags = (", " + flags) if flags else ""
    bs = kv(d["begin_search"][3]) if False else None
    btype = d["begin_search"][1]
    bspec = kv(d["begin_search"][3])
    ftype = d["find_keys"][1]
    fspec = kv(d["find_keys"][3])
    if btype == "index" and ftype == "range":
        if fspec["limit"] != 0:
            raise RuntimeError("limit with index")
        return f"KeySpec.range({bspec['index']}, {fspec['lastkey']}, {fspec['keystep']}{flags})"
    if btype == "index" and ftype == "keynum":
        return f"KeySpec.keyNum({bspec['index']}, {fspec['keynumidx']}, {fspec['firstkey']}, {fspec['keystep']}{flags})"
    if btype == "keyword" and ftype == "range":
        return f"KeySpec.keyword({jstr(bspec['keyword'])}, {bspec['startfrom']}, {fspec['lastkey']}, {fspec['keystep']}, {fspec['limit']}{flags})"
    raise RuntimeError(f"unsupported key spec {btype}/{ftype}")

def spec(info, docs, indent):
    name, arity, flags, first, last, step, acl, tips, kspecs, subs = info[:10]
    d = kv(docs)
    fl = [f.upper().replace("-", "_") for f in flags if f != "movablekeys"]
    s = f"CommandSpec.builder({jstr(name)}, {arity})"
    if fl:
        s += ".flags(" + ", ".join(fl) + ")"
    s += ".acl(" + ", ".join(jstr(a.lstrip("@")) for a in acl) + ")"
    s += f"\n{indent}                .group({jstr(d.get('group', 'generic'))}).since({jstr(d.get('since', '1.0.0'))})"
    s += f"\n{indent}                .summary({jstr(d.get('summary', ''))})"
    if d.get("complexity"):
        s += f"\n{indent}                .complexity({jstr(d['complexity'])})"
    if tips:
        s += ".tips(" + ", ".join(jstr(t) for t in tips) + ")"
    for k in kspecs:
        s += f"\n{indent}                .key({keyspec(k)})"
    return s

def main():
    port, cls, desc = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    cmds = sys.argv[4:]
    sock = socket.create_connection(("127.0.0.1", port))
    infos = resp(sock, ["COMMAND", "INFO"] + cmds)
    docs = kv(resp(sock, ["COMMAND", "DOCS"] + cmds))
    flags_used = set()
    entries = []
    for c, info in zip(cmds, infos):
        if info is None:
            raise RuntimeError("unknown command " + c)
        for f in info[2]:
            if f != "movablekeys":
                flags_used.add(f.upper().replace("-", "_"))
        entries.append(spec(info, docs[c], "        ") + ".build()")
    print("package io.basalt.routing.commands;\n")
    for f in sorted(flags_used):
        print(f"import static io.basalt.routing.commands.CommandFlag.{f};")
    print("\nimport java.util.List;\n")
    print(f"/** {desc} (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */")
    print(f"final class {cls} {{\n    private {cls}() {{}}\n\n    static List<CommandSpec> all() {{\n        return List.of(")
    print(",\n".join("                " + e for e in entries) + ");")
    print("    }\n}")

main()
