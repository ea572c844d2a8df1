#!/usr/bin/env bash
# Larger-than-heap run: Basalt with a small heap and block cache, loaded until the data on disk is at
# least TARGET_BYTES (default 10x the heap), printing RSS as it goes; then GET throughput over the
# whole key space after a restart (empty block cache).
#
#   bench/large.sh                         default: -Xmx256m, 64 MB block cache, >= 2.5 GiB on disk
#   TARGET_BYTES=500000000 bench/large.sh  quick run
#
# Environment (all optional):
#   HEAP=256m                  JVM -Xmx
#   TARGET_BYTES=<10 x HEAP>   stop loading once `du -sb` of the data dir reaches this
#   BASALT_SET="rocksdb-block-cache-size=64mb rocksdb-write-buffer-size=8mb"   settings (--set each)
#   VALUE_SIZE=128             bytes per value (random, incompressible)
#   CHUNK=1000000              keys per loader run (progress is printed after each)
#   MAX_KEYS=100000000         safety stop
#   GET_N=200000               requests per GET pass: redis-benchmark -t get -r <keys> -n GET_N -c 50 -P 16
#   PORT=16601
#   KEEP_DATA=0                1 keeps bench/out/large-<ts>/data
#   DROP_CACHES=0              1 drops the OS page cache before the GET passes (root; affects the whole machine)
#
# Keys are `key:%012d` (redis-benchmark's -r naming), values random bytes: see bench/load_keys.py.
# Output: progress on stderr, a Markdown summary on stdout and in bench/out/large-<ts>.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

HEAP="${HEAP:-256m}"
to_bytes() { awk -v s="$1" 'BEGIN { n = s + 0; u = tolower(substr(s, length(n "") + 1));
  m = (u ~ /^k/) ? 1024 : (u ~ /^m/) ? 1048576 : (u ~ /^g/) ? 1073741824 : 1; printf "%d", n * m }'; }
HEAP_BYTES="$(to_bytes "$HEAP")"
TARGET_BYTES="${TARGET_BYTES:-$((HEAP_BYTES * 10))}"
BASALT_SET="${BASALT_SET:-rocksdb-block-cache-size=64mb rocksdb-write-buffer-size=8mb}"
VALUE_SIZE="${VALUE_SIZE:-128}"
CHUNK="${CHUNK:-1000000}"
MAX_KEYS="${MAX_KEYS:-100000000}"
GET_N="${GET_N:-200000}"
PORT="${PORT:-16601}"
KEEP_DATA="${KEEP_DATA:-0}"
DROP_CACHES="${DROP_CACHES:-0}"

need java python3 redis-benchmark redis-cli awk du
TS="$(date +%Y%m%d-%H%M%S)"
WORK="$ROOT/bench/out/large-$TS"
DATA_DIR="$WORK/data"
REPORT="$ROOT/bench/out/large-$TS.md"
RSS_LOG="$WORK/rss.log"
mkdir -p "$DATA_DIR"

BASALT_PID=""
SAMPLER_PID=""
cleanup() {
  local rc=$?
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null && wait "$SAMPLER_PID" 2>/dev/null
  stop_pid "$BASALT_PID" basalt
  [ "$KEEP_DATA" = 1 ] || rm -rf "$DATA_DIR"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_if_missing
port_free "$PORT" || die "port $PORT is busy (set PORT)"

set_args=()
for s in $BASALT_SET; do set_args+=(--set "$s"); done
BASALT_CMD=(java "-Xmx$HEAP" -jar "$SERVER_JAR" --port "$PORT" --dir "$DATA_DIR" "${set_args[@]}")

start_basalt() {
  local t0 t1
  t0=$(date +%s.%N)
  "${BASALT_CMD[@]}" >>"$WORK/basalt.log" 2>&1 &
  BASALT_PID=$!
  wait_ping "$PORT" "$BASALT_PID" 300 || die "Basalt did not start (see $WORK/basalt.log)"
  t1=$(date +%s.%N)
  STARTUP_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
}

disk_bytes() { du -sb "$DATA_DIR" | awk '{ print $1 }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }

# Wait (at most $1 s) until Basalt's CPU use drops below 10% of a core over 5 s (compactions done).
wait_quiet() {
  local limit=$1 waited=0 c0 c1
  while [ "$waited" -lt "$limit" ]; do
    c0=$(cpu_ticks "$BASALT_PID"); sleep 5; c1=$(cpu_ticks "$BASALT_PID")
    waited=$((waited + 5))
    [ $((c1 - c0)) -lt $((CLK_TCK / 2)) ] && break
  done
  echo "$waited"
}

log "starting Basalt: ${BASALT_CMD[*]}"
start_basalt
RSS_START=$(rss_mb "$BASALT_PID")
log "started in ${STARTUP_S}s, RSS ${RSS_START} MiB; loading until $(mib "$TARGET_BYTES") MiB on disk"

# RSS every 2 s while loading
( while kill -0 "$BASALT_PID" 2>/dev/null; do echo "$(date +%s) $(rss_mb "$BASALT_PID")"; sleep 2; done ) >"$RSS_LOG" 2>/dev/null &
SAMPLER_PID=$!

progress="$WORK/progress.md"
echo "| keys loaded | elapsed s | chunk keys/s | disk MiB | RSS MiB |" >"$progress"
echo "|---:|---:|---:|---:|---:|" >>"$progress"
keys=0
load_t0=$(date +%s.%N)
while :; do
  kill -0 "$BASALT_PID" 2>/dev/null || die "Basalt (pid $BASALT_PID) is gone"
  c_t0=$(date +%s.%N)
  if ! python3 "$ROOT/bench/load_keys.py" "$PORT" "$keys" "$CHUNK" "$VALUE_SIZE" >"$WORK/load.out" 2>&1; then
    cat "$WORK/load.out" >&2
    die "loading failed at key $keys"
  fi
  keys=$((keys + CHUNK))
  now=$(date +%s.%N)
  disk=$(disk_bytes)
  rss=$(rss_mb "$BASALT_PID")
  rate=$(awk -v a="$c_t0" -v b="$now" -v n="$CHUNK" 'BEGIN { printf "%.0f", n / (b - a) }')
  el=$(awk -v a="$load_t0" -v b="$now" 'BEGIN { printf "%.0f", b - a }')
  echo "| $keys | $el | $rate | $(mib "$disk") | $rss |" >>"$progress"
  log "keys $keys, ${el}s, $rate keys/s, disk $(mib "$disk") MiB, RSS $rss MiB"
  if [ "$disk" -ge "$TARGET_BYTES" ]; then
    # du overshoots while compactions still hold their inputs: confirm once they settle
    log "target reached; waiting for compactions to settle (max 180 s) before confirming"
    q=$(wait_quiet 180)
    disk=$(disk_bytes)
    log "after ${q}s: disk $(mib "$disk") MiB"
    [ "$disk" -ge "$TARGET_BYTES" ] && break
  fi
  [ "$keys" -ge "$MAX_KEYS" ] && { log "MAX_KEYS reached"; break; }
done
load_t1=$(date +%s.%N)
LOAD_S=$(awk -v a="$load_t0" -v b="$load_t1" 'BEGIN { printf "%.0f", b - a }')
DISK_AT_END=$(disk_bytes)
RSS_AT_END=$(rss_mb "$BASALT_PID")
log "load done: $keys keys in ${LOAD_S}s (including waits for compactions)"
QUIET_S=$(wait_quiet 180)
DISK_SETTLED=$(disk_bytes)
RSS_SETTLED=$(rss_mb "$BASALT_PID")
kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
RSS_MIN=$(awk 'NR > 1 { if (min == "" || $2 < min) min = $2 } END { print min }' "$RSS_LOG")
RSS_MAX=$(awk '{ if ($2 > max) max = $2 } END { print max }' "$RSS_LOG")
log "settled after ${QUIET_S}s: disk $(mib "$DISK_SETTLED") MiB, RSS $RSS_SETTLED MiB (load: min $RSS_MIN, max $RSS_MAX MiB)"

log "restarting Basalt (empty block cache)"
stop_pid "$BASALT_PID" basalt
BASALT_PID=""
if [ "$DROP_CACHES" = 1 ]; then sync; echo 3 >/proc/sys/vm/drop_caches; log "dropped the OS page cache"; fi
start_basalt
RSS_RESTART=$(rss_mb "$BASALT_PID")
log "restarted in ${STARTUP_S}s, RSS $RSS_RESTART MiB"

CHECK="$(python3 "$ROOT/bench/load_keys.py" check "$PORT" "$keys" "$VALUE_SIZE" 1000)" || die "spot check failed: $CHECK"
log "spot check: $CHECK"

get_pass() {
  local out
  out="$(redis-benchmark -h 127.0.0.1 -p "$PORT" -t get -r "$keys" -n "$GET_N" -c 50 -P 16 --csv 2>>"$WORK/bench-stderr.log")" || true
  awk -F'","' 'NR == 2 && NF >= 8 { gsub(/^"|"$/, ""); printf "| %s | %s | %s | %s |", $2, $5, $7, $8; exit }' <<<"$out"
}
c0=$(cpu_ticks "$BASALT_PID")
GET1="$(get_pass)"; RSS_GET1=$(rss_mb "$BASALT_PID")
c1=$(cpu_ticks "$BASALT_PID")
GET2="$(get_pass)"; RSS_GET2=$(rss_mb "$BASALT_PID")
c2=$(cpu_ticks "$BASALT_PID")
cpu_per_m() { awk -v t="$1" -v hz="$CLK_TCK" -v n="$GET_N" 'BEGIN { printf "%.2f", t / hz / n * 1000000 }'; }
log "GET pass 1: $GET1 RSS $RSS_GET1 MiB; pass 2: $GET2 RSS $RSS_GET2 MiB"
DISK_FINAL=$(disk_bytes)

{
  echo "# Basalt larger-than-heap run ($TS)"
  echo
  echo "- machine: $(machine_summary)"
  echo "- server: \`java -Xmx$HEAP -jar server/target/basalt-server-0.1.0-SNAPSHOT.jar --port $PORT --dir <fresh dir>$(for s in $BASALT_SET; do printf ' --set %s' "$s"; done)\`"
  echo "- load: \`bench/load_keys.py\` (one pipelined connection, \`SET key:%012d <$VALUE_SIZE random bytes>\`) in chunks of $CHUNK keys until \`du -sb\` ≥ $TARGET_BYTES bytes"
  echo "- GET: \`redis-benchmark -t get -r $keys -n $GET_N -c 50 -P 16\`, twice, after a restart"
  echo
  echo "| figure | value |"
  echo "|---|---:|"
  echo "| keys | $keys |"
  echo "| load time | ${LOAD_S} s ($(awk -v k="$keys" -v s="$LOAD_S" 'BEGIN { printf "%.0f", k / s }') keys/s) |"
  echo "| disk at end of load | $DISK_AT_END B ($(mib "$DISK_AT_END") MiB) |"
  echo "| disk after compactions settled (${QUIET_S} s) | $DISK_SETTLED B ($(mib "$DISK_SETTLED") MiB) |"
  echo "| disk bytes per key (settled) | $(awk -v d="$DISK_SETTLED" -v k="$keys" 'BEGIN { printf "%.1f", d / k }') |"
  echo "| disk / heap | $(awk -v d="$DISK_SETTLED" -v h="$HEAP_BYTES" 'BEGIN { printf "%.1f", d / h }')x |"
  echo "| RSS at start | $RSS_START MiB |"
  echo "| RSS during load (2 s samples) | min $RSS_MIN, max $RSS_MAX MiB |"
  echo "| RSS at end of load / settled | $RSS_AT_END / $RSS_SETTLED MiB |"
  echo "| restart time with this data | ${STARTUP_S} s, RSS $RSS_RESTART MiB |"
  echo "| spot check (1000 random GETs) | $CHECK |"
  echo "| disk after GET passes | $(mib "$DISK_FINAL") MiB |"
  echo
  echo "| GET pass | ops/s | p50 ms | p99 ms | max ms | RSS after MiB | CPU s/M ops |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  echo "| 1 (just restarted) ${GET1:-| n/a | n/a | n/a | n/a |} $RSS_GET1 | $(cpu_per_m $((c1 - c0))) |"
  echo "| 2 ${GET2:-| n/a | n/a | n/a | n/a |} $RSS_GET2 | $(cpu_per_m $((c2 - c1))) |"
  echo
  echo "Load progress:"
  echo
  cat "$progress"
} >"$REPORT"
cat "$REPORT"
log "report: $REPORT"
