#!/usr/bin/env python3
"""Load random-valued keys into a RESP server as fast as one pipelined connection allows.

    load_keys.py PORT START COUNT [VALUE_SIZE]     (host 127.0.0.1)
    load_keys.py check PORT KEYS VALUE_SIZE SAMPLES
                 GET SAMPLES random keys below KEYS; prints how many had a VALUE_SIZE-byte value

Sends `SET key:<n> <value>` for n in [START, START+COUNT), keys named exactly like
redis-benchmark's `key:__rand_int__` with `-r` (`key:` + the number zero-padded to 12 digits), so
`redis-benchmark -t get -r <keys>` hits them. Values are random bytes (os.urandom): compression
cannot shrink them. A writer thread streams commands while the main thread counts the replies, with
at most WINDOW commands in flight. Prints `replies=<n> errors=<n> seconds=<s>`; exit status 1 if any
reply was an error or the connection closed early.

(`redis-cli --pipe` would do the same, but it ends with an ECHO that a server without ECHO never
answers.)
"""
import os
import socket
import sys
import threading
import time

WINDOW = 20000  # commands in flight


def check(port: int, keys: int, size: int, samples: int) -> int:
    import random
    sock = socket.create_connection(("127.0.0.1", port))
    f = sock.makefile("rb")
    hits = 0
    for _ in range(samples):
        sock.sendall(b"*2\r\n$3\r\nGET\r\n$16\r\nkey:%012d\r\n" % random.randrange(keys))
        line = f.readline()
        if line.startswith(b"$") and int(line[1:]) >= 0:
            n = int(line[1:])
            f.read(n + 2)
            hits += n == size
    print(f"checked={samples} hits={hits}")
    return 0 if hits == samples else 1


def main() -> int:
    if sys.argv[1] == "check":
        return check(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    port = int(sys.argv[1])
    start = int(sys.argv[2])
    count = int(sys.argv[3])
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 128
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    credit = threading.Semaphore(0)
    batch = 1000
    for _ in range(WINDOW // batch):
        credit.release()
    head = b"*3\r\n$3\r\nSET\r\n$16\r\nkey:"
    vhead = b"\r\n$%d\r\n" % size
    failure = []

    def writer() -> None:
        try:
            n, end = start, start + count
            while n < end:
                credit.acquire()
                k = min(batch, end - n)
                rnd = os.urandom(size * k)
                parts = []
                for i in range(k):
                    parts += (head, b"%012d" % (n + i), vhead, rnd[i * size:(i + 1) * size], b"\r\n")
                sock.sendall(b"".join(parts))
                n += k
        except OSError as e:
            failure.append(e)

    t0 = time.time()
    w = threading.Thread(target=writer, daemon=True)
    w.start()
    replies = errors = 0
    first_error = None
    buf = b""
    released = 0
    while replies < count:
        data = sock.recv(1 << 20)
        if not data:
            break
        buf += data
        # every reply to SET is one line: +OK or -ERR ...
        last = buf.rfind(b"\r\n")
        if last < 0:
            continue
        lines = buf[:last].split(b"\r\n")
        buf = buf[last + 2:]
        replies += len(lines)
        for ln in lines:
            if ln[:1] != b"+":
                errors += 1
                if first_error is None:
                    first_error = ln[:200]
        while released < replies // batch:
            credit.release()
            released += 1
    secs = time.time() - t0
    print(f"replies={replies} errors={errors} seconds={secs:.2f}")
    if first_error is not None:
        print(f"first error: {first_error!r}", file=sys.stderr)
    if failure:
        print(f"write failed: {failure[0]}", file=sys.stderr)
    return 0 if replies == count and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
