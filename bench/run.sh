#!/usr/bin/env bash
# Same-run throughput comparison: Basalt against a real redis-server started beside it.
#
#   bench/run.sh                      the issue's run: -t set,get,incr,mset -c 50 -n 1000000 -d 128, -P 1 and -P 16
#   N=200000 bench/run.sh             quicker run
#
# Environment (all optional):
#   N=1000000          requests per test (redis-benchmark -n)
#   TESTS=set,get,incr,mset   tests, run one redis-benchmark per test so a failing test is reported as n/a
#   PIPELINES="1 16"   pipeline depths (-P)
#   CLIENTS=50         connections (-c)
#   DATA_SIZE=128      value size in bytes (-d)
#   KEYSPACE=          if set, passed as -r (random keys); default: none, as in the issue's command
#   REDIS_PORT=16600 BASALT_PORT=16601
#   BASALT_JAVA_OPTS="-Xmx1g"  JVM options for Basalt
#   BASALT_SET=""      extra Basalt settings, e.g. "appendfsync=no rocksdb-block-cache-size=512mb"
#   WARMUP=100000      requests of SET and GET (-P 16) sent to both servers before measuring (JIT warm-up); 0 = none
#   JFR=1              record a Java Flight Recording of Basalt to bench/out/basalt-<ts>.jfr
#   BENCH_TIMEOUT=900  seconds after which one redis-benchmark run is abandoned (reported n/a)
#
# Output: a Markdown table on stdout and in bench/out/results-<ts>.md; raw CSV in bench/out/raw-<ts>.csv.
# Both servers are stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

N="${N:-1000000}"
TESTS="${TESTS:-set,get,incr,mset}"
PIPELINES="${PIPELINES:-1 16}"
CLIENTS="${CLIENTS:-50}"
DATA_SIZE="${DATA_SIZE:-128}"
KEYSPACE="${KEYSPACE:-}"
REDIS_PORT="${REDIS_PORT:-16600}"
BASALT_PORT="${BASALT_PORT:-16601}"
BASALT_JAVA_OPTS="${BASALT_JAVA_OPTS:--Xmx1g}"
BASALT_SET="${BASALT_SET:-}"
WARMUP="${WARMUP:-100000}"
JFR="${JFR:-0}"
BENCH_TIMEOUT="${BENCH_TIMEOUT:-900}"

need java redis-server redis-benchmark redis-cli awk timeout
OUT="$ROOT/bench/out"
TS="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
DATA_DIR="$OUT/data-$TS"
RESULTS="$OUT/results-$TS.md"
RAW="$OUT/raw-$TS.csv"
BASALT_LOG="$OUT/basalt-$TS.log"
REDIS_LOG="$OUT/redis-$TS.log"

REDIS_PID=""
BASALT_PID=""
cleanup() {
  local rc=$?
  stop_pid "$BASALT_PID" basalt
  stop_pid "$REDIS_PID" redis-server
  rm -rf "$DATA_DIR"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_if_missing
port_free "$REDIS_PORT" || die "port $REDIS_PORT is busy (set REDIS_PORT)"
port_free "$BASALT_PORT" || die "port $BASALT_PORT is busy (set BASALT_PORT)"

log "starting redis-server on $REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  --logfile "$REDIS_LOG" &
REDIS_PID=$!
wait_ping "$REDIS_PORT" "$REDIS_PID" 10 || die "redis-server did not start (see $REDIS_LOG)"

# shellcheck disable=SC2206
java_opts=($BASALT_JAVA_OPTS)
if [ "$JFR" = 1 ]; then
  java_opts+=("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$OUT/basalt-$TS.jfr")
fi
set_args=()
for s in $BASALT_SET; do set_args+=(--set "$s"); done
log "starting Basalt on $BASALT_PORT (java ${java_opts[*]}, data in $DATA_DIR)"
mkdir -p "$DATA_DIR"
java "${java_opts[@]}" -jar "$SERVER_JAR" --port "$BASALT_PORT" --dir "$DATA_DIR" ${set_args[@]+"${set_args[@]}"} \
  >"$BASALT_LOG" 2>&1 &
BASALT_PID=$!
wait_ping "$BASALT_PORT" "$BASALT_PID" 60 || die "Basalt did not start (see $BASALT_LOG)"

rargs=()
[ -n "$KEYSPACE" ] && rargs=(-r "$KEYSPACE")

# bench PORT TEST P N -> prints the CSV data line ("TEST","rps",...) or nothing on failure
bench() {
  local port=$1 test=$2 p=$3 n=$4 out
  out="$(timeout "$BENCH_TIMEOUT" redis-benchmark -h 127.0.0.1 -p "$port" -t "$test" -c "$CLIENTS" -n "$n" \
          -d "$DATA_SIZE" -P "$p" ${rargs[@]+"${rargs[@]}"} --csv 2>>"$OUT/bench-stderr-$TS.log")" || return 0
  # line 1 is the header, line 2 the result
  awk -F'","' 'NR == 2 && NF >= 8 { print; exit }' <<<"$out"
}

if [ "$WARMUP" -gt 0 ]; then
  log "warm-up: $WARMUP x SET and GET at -P 16 against both servers"
  for port in "$REDIS_PORT" "$BASALT_PORT"; do
    bench "$port" set 16 "$WARMUP" >/dev/null
    bench "$port" get 16 "$WARMUP" >/dev/null
  done
fi

echo 'server,test,pipeline,n,rps,avg_ms,min_ms,p50_ms,p95_ms,p99_ms,max_ms,cpu_s' >"$RAW"
declare -A RPS P50 P99 CPU
field() { awk -F'","' -v f="$2" '{ gsub(/^"|"$/, ""); print $f }' <<<"$1"; }

IFS=',' read -r -a test_list <<<"$TESTS"
for p in $PIPELINES; do
  for t in "${test_list[@]}"; do
    for srv in redis basalt; do
      if [ $srv = redis ]; then port=$REDIS_PORT; pid=$REDIS_PID; else port=$BASALT_PORT; pid=$BASALT_PID; fi
      kill -0 "$pid" 2>/dev/null || die "$srv (pid $pid) is gone"
      log "$srv: $t -P $p -n $N"
      c0=$(cpu_ticks "$pid")
      line="$(bench "$port" "$t" "$p" "$N")"
      c1=$(cpu_ticks "$pid")
      cpu_s=$(awk -v a="$c0" -v b="$c1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz }')
      k="$srv|$t|$p"
      if [ -n "$line" ]; then
        RPS[$k]=$(field "$line" 2); P50[$k]=$(field "$line" 5); P99[$k]=$(field "$line" 7)
        CPU[$k]=$(awk -v c="$cpu_s" -v n="$N" 'BEGIN { printf "%.2f", c / n * 1000000 }')
        log "  ${RPS[$k]} ops/s, p50 ${P50[$k]} ms, p99 ${P99[$k]} ms, ${cpu_s} s CPU"
        echo "$srv,$t,$p,$N,$(awk -F'","' '{ gsub(/^"|"$/, ""); OFS=","; $1=$1; print $2,$3,$4,$5,$6,$7,$8 }' <<<"$line"),$cpu_s" >>"$RAW"
      else
        RPS[$k]=n/a; P50[$k]=n/a; P99[$k]=n/a; CPU[$k]=n/a
        log "  failed (n/a); see $OUT/bench-stderr-$TS.log"
        echo "$srv,$t,$p,$N,,,,,,,,$cpu_s" >>"$RAW"
      fi
    done
  done
done

ratio() { awk -v b="$1" -v r="$2" 'BEGIN { if (b+0 > 0 && r+0 > 0) printf "%.2f", b / r; else print "n/a" }'; }
fmt_int() { awk -v x="$1" 'BEGIN { if (x ~ /^[0-9.]+$/) printf "%d", x + 0.5; else print x }'; }

{
  echo "# Basalt vs Redis, same run ($TS)"
  echo
  echo "- machine: $(machine_summary)"
  echo "- command per test and server: \`redis-benchmark -t <test> -c $CLIENTS -n $N -d $DATA_SIZE -P <p>${KEYSPACE:+ -r $KEYSPACE} --csv\`"
  echo "- Redis: \`redis-server --port $REDIS_PORT --save '' --appendonly no\`"
  echo "- Basalt: \`java $BASALT_JAVA_OPTS -jar server/target/basalt-server-0.1.0-SNAPSHOT.jar --port $BASALT_PORT --dir <fresh dir>$(for s in $BASALT_SET; do printf ' --set %s' "$s"; done)\`"
  echo "- warm-up before measuring: $WARMUP SET + $WARMUP GET at -P 16 per server"
  echo "- CPU s/M ops: server process utime+stime (/proc/<pid>/stat) during the test, per million requests"
  echo
  echo "| test | -P | Redis ops/s | Basalt ops/s | Basalt/Redis | Redis p50 ms | Basalt p50 ms | Redis p99 ms | Basalt p99 ms | Redis CPU s/M ops | Basalt CPU s/M ops |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for p in $PIPELINES; do
    for t in "${test_list[@]}"; do
      r="redis|$t|$p"; b="basalt|$t|$p"
      echo "| $t | $p | $(fmt_int "${RPS[$r]}") | $(fmt_int "${RPS[$b]}") | $(ratio "${RPS[$b]}" "${RPS[$r]}") | ${P50[$r]} | ${P50[$b]} | ${P99[$r]} | ${P99[$b]} | ${CPU[$r]} | ${CPU[$b]} |"
    done
  done
} >"$RESULTS"

cat "$RESULTS"
log "results: $RESULTS, raw: $RAW, Basalt log: $BASALT_LOG"
