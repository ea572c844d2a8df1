#!/usr/bin/env bash
# Large-key case, same run against a real redis-server: one hash and one sorted set of MEMBERS
# members each; HGET and ZRANGEBYSCORE ... LIMIT 0 10 latency (redis-benchmark, -c 10 -P 1), then
# the time DEL takes on each key.
#
#   bench/large_keys.sh                 MEMBERS=1000000 REQUESTS=100000
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

MEMBERS="${MEMBERS:-1000000}"
REQUESTS="${REQUESTS:-100000}"
REDIS_PORT="${REDIS_PORT:-16610}"
BASALT_PORT="${BASALT_PORT:-16611}"
need java redis-server redis-benchmark redis-cli python3
build_if_missing
OUT="$ROOT/bench/out"
TS="$(date +%Y%m%d-%H%M%S)"
DATA_DIR="$OUT/large-keys-$TS"
mkdir -p "$DATA_DIR"
REDIS_PID=""
BASALT_PID=""
cleanup() {
  local rc=$?
  stop_pid "$BASALT_PID" basalt
  stop_pid "$REDIS_PID" redis-server
  rm -rf "$DATA_DIR"
  exit $rc
}
trap cleanup EXIT INT TERM

redis-server --port "$REDIS_PORT" --save '' --appendonly no --daemonize no >"$DATA_DIR/redis.log" 2>&1 &
REDIS_PID=$!
java -Xmx1g -jar "$SERVER_JAR" --port "$BASALT_PORT" --dir "$DATA_DIR/basalt" >"$DATA_DIR/basalt.log" 2>&1 &
BASALT_PID=$!
wait_ping "$REDIS_PORT" "$REDIS_PID" 30 || die "redis-server did not start"
wait_ping "$BASALT_PORT" "$BASALT_PID" 60 || die "basalt did not start"

# RESP for MEMBERS/1000 HSET and ZADD commands of 1000 members each
python3 - "$MEMBERS" >"$DATA_DIR/load.resp" <<'PY'
import sys
n = int(sys.argv[1])
out = sys.stdout.buffer
def cmd(args):
    out.write(b"*%d\r\n" % len(args))
    for a in args:
        a = a.encode()
        out.write(b"$%d\r\n%s\r\n" % (len(a), a))
for base in range(0, n, 1000):
    h = ["HSET", "bighash"]
    z = ["ZADD", "bigzset"]
    for i in range(base, min(n, base + 1000)):
        h += ["field:%d" % i, "value-%d" % i]
        z += [str(i), "member:%d" % i]
    cmd(h)
    cmd(z)
PY

ms() { echo $(( $(date +%s%N) / 1000000 )); }
echo "| server | load s | HGET ops/s | HGET p50 ms | HGET p99 ms | ZRANGEBYSCORE LIMIT 10 ops/s | p50 ms | p99 ms | DEL hash ms | DEL zset ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for target in redis:$REDIS_PORT basalt:$BASALT_PORT; do
  name=${target%%:*}
  port=${target##*:}
  t0=$(ms)
  redis-cli -p "$port" --pipe <"$DATA_DIR/load.resp" >/dev/null
  t1=$(ms)
  [ "$(redis-cli -p "$port" hlen bighash)" = "$MEMBERS" ] || die "$name: HLEN is not $MEMBERS"
  [ "$(redis-cli -p "$port" zcard bigzset)" = "$MEMBERS" ] || die "$name: ZCARD is not $MEMBERS"
  h=$(redis-benchmark -p "$port" -c 10 -n "$REQUESTS" -r "$MEMBERS" --csv HGET bighash field:__rand_int__ | tail -1)
  z=$(redis-benchmark -p "$port" -c 10 -n "$REQUESTS" -r "$MEMBERS" --csv ZRANGEBYSCORE bigzset __rand_int__ +inf LIMIT 0 10 | tail -1)
  t2=$(ms); redis-cli -p "$port" del bighash >/dev/null; t3=$(ms)
  redis-cli -p "$port" del bigzset >/dev/null; t4=$(ms)
  f() { awk -F'","' -v f="$2" '{ gsub(/^"|"$/, ""); print $f }' <<<"$1"; }
  printf '| %s | %.1f | %s | %s | %s | %s | %s | %s | %d | %d |\n' "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print (b-a)/1000}')" \
    "$(f "$h" 2)" "$(f "$h" 5)" "$(f "$h" 7)" "$(f "$z" 2)" "$(f "$z" 5)" "$(f "$z" 7)" $((t3 - t2)) $((t4 - t3))
done
