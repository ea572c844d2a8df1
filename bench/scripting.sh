#!/usr/bin/env bash
# Scripts and pub/sub, same run against a real redis-server: redis-benchmark with EVAL, EVALSHA,
# FCALL (an INCR inside a script / function) and PUBLISH, at -P 1 and -P 16, -c 50; prints rps per
# server and the Basalt/Redis ratio.
#
#   bench/scripting.sh                  N=200000
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

N="${N:-200000}"
REDIS_PORT="${REDIS_PORT:-16620}"
BASALT_PORT="${BASALT_PORT:-16621}"
need java redis-server redis-benchmark redis-cli
build_if_missing
OUT="$ROOT/bench/out"
TS="$(date +%Y%m%d-%H%M%S)"
DATA_DIR="$OUT/scripting-$TS"
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

SCRIPT="return redis.call('incr', KEYS[1])"
LIB=$'#!lua name=bench\nredis.register_function(\'incr1\', function(keys) return redis.call(\'incr\', keys[1]) end)'
for p in "$REDIS_PORT" "$BASALT_PORT"; do
  redis-cli -p "$p" SCRIPT LOAD "$SCRIPT" >/dev/null
  redis-cli -p "$p" FUNCTION LOAD REPLACE "$LIB" >/dev/null
done
SHA="$(redis-cli -p "$REDIS_PORT" SCRIPT LOAD "$SCRIPT")"

rps() { # PORT PIPELINE ARGS...
  local port=$1 pipe=$2
  shift 2
  redis-benchmark -p "$port" -n "$N" -c 50 -P "$pipe" -r 100000 --csv "$@" 2>/dev/null | tail -1 \
    | python3 -c 'import csv, sys; print(next(csv.reader(sys.stdin))[1])'
}

printf '%-32s %4s %12s %12s %7s\n' test P redis basalt ratio
for pipe in 1 16; do
  for test in "EVAL" "EVALSHA" "FCALL" "PUBLISH"; do
    case "$test" in
      EVAL) args=(EVAL "$SCRIPT" 1 "key:__rand_int__") ;;
      EVALSHA) args=(EVALSHA "$SHA" 1 "key:__rand_int__") ;;
      FCALL) args=(FCALL incr1 1 "key:__rand_int__") ;;
      PUBLISH) args=(PUBLISH chan hello) ;;
    esac
    r=$(rps "$REDIS_PORT" "$pipe" "${args[@]}")
    b=$(rps "$BASALT_PORT" "$pipe" "${args[@]}")
    printf '%-32s %4s %12s %12s %7s\n' "$test incr (random key)" "$pipe" "$r" "$b" \
      "$(awk -v b="$b" -v r="$r" 'BEGIN { printf "%.2f", b / r }')"
  done
done
