#!/usr/bin/env bash
# A 3-replica Basalt group (three processes on this machine, formed with --id/--group/--peers) vs a
# real redis-server in the same run: SET/GET/INCR/LPUSH at -P 1 and -P 16 with -c 50, plus SET at
# -c 1 -P 1 for latency; rps and p50/p99 (ms) per server and the Basalt/Redis throughput ratio.
# Also measures failover: SIGKILL the leader, time until the first successful write.
#
# Basalt is warmed up first (WARM requests of each test at -P 16: the JVMs' JIT compilers need a few
# hundred thousand requests before Ratis's and Basalt's paths run compiled; Redis needs none).
#
#   bench/raft.sh                       N=50000 WARM=200000 LEASE=no UNSAFE_FLUSH=no
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

N="${N:-50000}"
WARM="${WARM:-200000}"
LEASE="${LEASE:-no}"
UNSAFE_FLUSH="${UNSAFE_FLUSH:-no}"
REDIS_PORT="${REDIS_PORT:-16630}"
P=(16631 16632 16633)
R=(16641 16642 16643)
need java redis-server redis-benchmark redis-cli python3
build_if_missing
OUT="$ROOT/bench/out"
TS="$(date +%Y%m%d-%H%M%S)"
DATA_DIR="$OUT/raft-$TS"
mkdir -p "$DATA_DIR"
REDIS_PID=""
PIDS=("" "" "")
cleanup() {
  local rc=$? i
  for i in 0 1 2; do stop_pid "${PIDS[$i]}" "basalt n$((i + 1))"; done
  stop_pid "$REDIS_PID" redis-server
  rm -rf "$DATA_DIR"
  exit $rc
}
trap cleanup EXIT INT TERM

redis-server --port "$REDIS_PORT" --save '' --appendonly no --daemonize no >"$DATA_DIR/redis.log" 2>&1 &
REDIS_PID=$!
PEERS="n1=127.0.0.1:${R[0]}:${P[0]},n2=127.0.0.1:${R[1]}:${P[1]},n3=127.0.0.1:${R[2]}:${P[2]}"
for i in 0 1 2; do
  java -Xmx1g -jar "$SERVER_JAR" --id "n$((i + 1))" --group bench --peers "$PEERS" --dir "$DATA_DIR/n$((i + 1))" \
    --set "raft-leader-lease=$LEASE" --set "raft-unsafe-flush=$UNSAFE_FLUSH" >"$DATA_DIR/n$((i + 1)).log" 2>&1 &
  PIDS[$i]=$!
done
wait_ping "$REDIS_PORT" "$REDIS_PID" 30 || die "redis-server did not start"
for i in 0 1 2; do wait_ping "${P[$i]}" "${PIDS[$i]}" 60 || die "basalt n$((i + 1)) did not start"; done

leader() {
  local i
  for ((t = 0; t < 300; t++)); do
    for i in 0 1 2; do
      kill -0 "${PIDS[$i]}" 2>/dev/null || continue
      if redis-cli -p "${P[$i]}" info replication 2>/dev/null | grep -q '^role:master'; then echo "$i"; return 0; fi
    done
    sleep 0.1
  done
  return 1
}
L=$(leader) || die "no leader elected"
LPORT=${P[$L]}
log "leader: n$((L + 1)) on port $LPORT (leader lease: $LEASE, unsafe flush: $UNSAFE_FLUSH)"

row() { # PORT CLIENTS PIPELINE TEST (one client: N/50 requests, it is a latency probe)
  local n=$N
  [ "$2" -gt 1 ] || n=$((N / 50))
  redis-benchmark -p "$1" -n "$n" -c "$2" -P "$3" -r 100000 -t "$4" --csv 2>/dev/null | tail -1 \
    | python3 -c 'import csv, sys; r = next(csv.reader(sys.stdin)); print(r[1], r[4], r[6])'
}
if [ "$WARM" -gt 0 ]; then
  log "warming up Basalt: $WARM requests each of set,get,incr,lpush at -P 16"
  redis-benchmark -p "$LPORT" -n "$WARM" -c 50 -P 16 -r 100000 -t set,get,incr,lpush --csv >/dev/null 2>&1
fi
printf '%-7s %3s %3s | %10s %6s %6s | %10s %6s %6s | %6s\n' test c P redis p50 p99 basalt p50 p99 ratio
for spec in "set 50 1" "get 50 1" "incr 50 1" "lpush 50 1" "set 50 16" "get 50 16" "incr 50 16" "lpush 50 16" "set 1 1"; do
  read -r t c p <<<"$spec"
  read -r rr rp50 rp99 <<<"$(row "$REDIS_PORT" "$c" "$p" "$t")"
  read -r br bp50 bp99 <<<"$(row "$LPORT" "$c" "$p" "$t")"
  printf '%-7s %3s %3s | %10s %6s %6s | %10s %6s %6s | %6s\n' "$t" "$c" "$p" "$rr" "$rp50" "$rp99" "$br" "$bp50" "$bp99" \
    "$(awk -v b="$br" -v r="$rr" 'BEGIN { printf "%.2f", b / r }')"
done

# failover: kill the leader, time until a write succeeds on the new leader
start=$(date +%s%N)
kill -KILL "${PIDS[$L]}"
wait "${PIDS[$L]}" 2>/dev/null || true
PIDS[$L]=""
while true; do
  for i in 0 1 2; do
    [ -n "${PIDS[$i]}" ] || continue
    if [ "$(redis-cli -p "${P[$i]}" set failover ok 2>/dev/null)" = "OK" ]; then
      echo "failover: first successful write $(( ($(date +%s%N) - start) / 1000000 )) ms after SIGKILL of the leader"
      exit 0
    fi
  done
  sleep 0.02
done
