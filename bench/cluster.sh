#!/usr/bin/env bash
# The benchmark a new user runs first, all in one run on this machine:
#   - a real `./basalt local` cluster (one group of 3 replicas, then 2 groups), driven by
#     redis-benchmark (`--cluster -p 7001` from two groups on; redis-benchmark refuses a cluster of
#     one master, so one group is benchmarked at its leader's port): SET and GET at -c 1 -P 1 (latency) and at -c 50 -P 16
#     -r 1000000 -d 128 (throughput), with the servers' CPU seconds per million requests summed over
#     every replica of every group (utime+stime from /proc);
#   - the same tests against a real redis-server (plain, one node) for the ratios;
#   - a standalone Basalt node under the same -P 16 SET load, for the replicated/standalone CPU ratio;
#   - the Java SDK's load generator (it/…/SdkLoad: 4 synchronous threads, then 64 async in flight)
#     against the cluster through ZooKeeper.
# Prints a Markdown table per cluster size and writes it to bench/out/cluster-<ts>.md.
#
#   bench/cluster.sh
#   GROUPS_LIST=1 N=300000 bench/cluster.sh      # one group only, quicker
# Environment: GROUPS_LIST="1 2"  N=1000000 (requests of the -P 16 tests)  N1=10000 (-c 1 tests)
#   WARMUP=300000  SDK_SECONDS=5  REDIS_PORT=16700  STANDALONE_PORT=16701  MVN_OFFLINE= (set: mvn -o)
#   BASALT_SET="name=value ..." (settings for every Basalt server, e.g. latency-stages=yes)
# Needs ./basalt local's ports free: 2181 (ZooKeeper), 8080 (coordinator), 7001.. (servers).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

GROUPS_LIST="${GROUPS_LIST:-1 2}"
N="${N:-1000000}"
N1="${N1:-10000}"
WARMUP="${WARMUP:-300000}"
SDK_SECONDS="${SDK_SECONDS:-5}"
REDIS_PORT="${REDIS_PORT:-16700}"
STANDALONE_PORT="${STANDALONE_PORT:-16701}"
BASALT_SET="${BASALT_SET:-}"
need java mvn redis-server redis-benchmark redis-cli awk curl
OUT="$ROOT/bench/out"
TS="$(date +%Y%m%d-%H%M%S)"
WORK="$OUT/cluster-$TS"
RESULTS="$OUT/cluster-$TS.md"
mkdir -p "$WORK"

REDIS_PID=""
STANDALONE_PID=""
LOCAL_PID=""
stop_local() {
  [ -n "$LOCAL_PID" ] || return 0
  kill -TERM "$LOCAL_PID" 2>/dev/null || true   # ./basalt local stops its servers and coordinator
  for _ in $(seq 1 300); do kill -0 "$LOCAL_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$LOCAL_PID" 2>/dev/null || true
  wait "$LOCAL_PID" 2>/dev/null || true
  LOCAL_PID=""
}
cleanup() {
  local rc=$?
  stop_local
  stop_pid "$STANDALONE_PID" "standalone basalt"
  stop_pid "$REDIS_PID" redis-server
  rm -rf "$WORK/data"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for p in 2181 8080 7001 7002 7003 7004 7005 7006 "$REDIS_PORT" "$STANDALONE_PORT"; do
  port_free "$p" || die "port $p is busy (a running ./basalt local? stop it first)"
done

log "building (server, coordinator, SDK and the SDK load generator)"
mvnq=(mvn -B -q ${MVN_OFFLINE:+-o})
(cd "$ROOT" && "${mvnq[@]}" -DskipTests install -pl server,coordinator,client-sdk -am && touch "$SERVER_JAR" \
  && "${mvnq[@]}" -DskipTests test-compile -pl it \
  && "${mvnq[@]}" dependency:build-classpath -pl it -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/it.classpath") >&2 \
  || die "build failed"
SDK_CP="$ROOT/it/target/test-classes:$(cat "$WORK/it.classpath")"

log "starting redis-server on $REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --logfile "$WORK/redis.log" &
REDIS_PID=$!
wait_ping "$REDIS_PORT" "$REDIS_PID" 10 || die "redis-server did not start"
set_args=()
for s in $BASALT_SET; do set_args+=(--set "$s"); done
log "starting a standalone Basalt node on $STANDALONE_PORT"
mkdir -p "$WORK/data/standalone"
java -Xms256m -Xmx1g -XX:+UseParallelGC -jar "$SERVER_JAR" --port "$STANDALONE_PORT" --dir "$WORK/data/standalone" \
  ${set_args[@]+"${set_args[@]}"} >"$WORK/standalone.log" 2>&1 &
STANDALONE_PID=$!
wait_ping "$STANDALONE_PORT" "$STANDALONE_PID" 60 || die "standalone Basalt did not start"

# rb [redis-benchmark args...] -> the CSV data line of one test ("SET","rps",avg,min,p50,p95,p99,max)
# (in cluster mode it lists the masters before the CSV header)
rb() { redis-benchmark "$@" --csv 2>>"$WORK/bench-stderr.log" | awk -F'","' '/^"/ && !/^"test"/ && NF >= 8 { print; exit }'; }
field() { awk -F'","' -v f="$2" '{ gsub(/^"|"$/, ""); print $f }' <<<"$1"; }
sum_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(cpu_ticks "$p"))); done; echo "$t"; }
per_million() { awk -v a="$1" -v b="$2" -v n="$3" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz / n * 1000000 }'; }
ratio() { awk -v b="$1" -v r="$2" 'BEGIN { if (b+0 > 0 && r+0 > 0) printf "%.2f", b / r; else print "n/a" }'; }

log "standalone reference: warm-up, then SET -c 50 -P 16 -r 1000000 -d 128 -n $N"
rb -p "$STANDALONE_PORT" -t set,get -c 50 -P 16 -r 1000000 -d 128 -n "$WARMUP" >/dev/null
c0=$(cpu_ticks "$STANDALONE_PID")
SA_LINE="$(rb -p "$STANDALONE_PORT" -t set -c 50 -P 16 -r 1000000 -d 128 -n "$N")"
c1=$(cpu_ticks "$STANDALONE_PID")
SA_CPU=$(per_million "$c0" "$c1" "$N")
SA_RPS=$(field "$SA_LINE" 2)
log "  standalone SET: $SA_RPS ops/s, $SA_CPU CPU s per million"
stop_pid "$STANDALONE_PID" "standalone basalt"
STANDALONE_PID=""

TESTS=("set 1 1 $N1" "get 1 1 $N1" "set 50 16 $N" "get 50 16 $N")
{
  echo "# bench/cluster.sh ($TS)"
  echo
  echo "- machine: $(machine_summary)"
  echo "- command: \`GROUPS_LIST=\"$GROUPS_LIST\" N=$N N1=$N1 WARMUP=$WARMUP SDK_SECONDS=$SDK_SECONDS${BASALT_SET:+ BASALT_SET=\"$BASALT_SET\"} bench/cluster.sh\`"
  echo "- Basalt: \`./basalt local --groups G\` (3 replicas per group, fsync on, read index); \`redis-benchmark --cluster -p 7001\` for 2+ groups, \`redis-benchmark -p <leader>\` for one (redis-benchmark refuses a cluster of one master);"
  echo "  Redis: \`redis-server --save '' --appendonly no\`, plain \`redis-benchmark -p $REDIS_PORT\`; -P 16 tests use \`-r 1000000 -d 128\`"
  echo "- CPU s/M: utime+stime of every Basalt server process (all replicas, all groups) per million requests"
  echo "- standalone Basalt node, same run, SET -c 50 -P 16 -r 1000000 -d 128: $(printf '%.0f' "$SA_RPS") ops/s, **$SA_CPU CPU s per million SETs**"
} >"$RESULTS"

for G in $GROUPS_LIST; do
  DATA="$WORK/data/local-$G"
  log "starting ./basalt local --groups $G (data in $DATA)"
  BASALT_JAVA_OPTS="${BASALT_JAVA_OPTS:-}" setsid "$ROOT/basalt" local --groups "$G" --dir "$DATA" >"$WORK/local-$G.log" 2>&1 &
  LOCAL_PID=$!
  # the redis-benchmark target: the cluster through 7001, or one group's leader
  leader_port() {
    local p
    for p in 7001 7002 7003; do
      redis-cli -p "$p" info replication 2>/dev/null | grep -q '^role:master' && { echo "$p"; return 0; }
    done
    return 1
  }
  ok=0
  for _ in $(seq 1 600); do
    kill -0 "$LOCAL_PID" 2>/dev/null || die "./basalt local exited (see $WORK/local-$G.log)"
    if grep -q 'Basalt local cluster' "$WORK/local-$G.log"; then
      if [ "$G" -gt 1 ]; then TARGET=(--cluster -p 7001); else TARGET=(-p "$(leader_port || echo 7001)"); fi
      if redis-benchmark "${TARGET[@]}" -t set -n 2000 -c 10 -r 100000 -q 2>/dev/null | grep -q 'requests per second'; then
        ok=1; break
      fi
    fi
    sleep 0.2
  done
  [ $ok = 1 ] || die "the cluster did not take writes (see $WORK/local-$G.log)"
  if [ -n "$BASALT_SET" ]; then
    for n in $(seq 1 $((3 * G))); do
      for s in $BASALT_SET; do redis-cli -p $((7000 + n)) config set "${s%%=*}" "${s#*=}" >/dev/null; done
    done
  fi
  mapfile -t SERVER_PIDS < <(pgrep -f -- "--dir $DATA/n")
  [ "${#SERVER_PIDS[@]}" -eq $((3 * G)) ] || die "expected $((3 * G)) server processes, found ${#SERVER_PIDS[@]}"
  # JIT warm-up on a small keyspace first (the latency tests should not run into the compactions of a
  # million fresh keys), the big keyspace before the throughput tests
  log "warm-up: $WARMUP SET and GET at -c 50 -P 16 -r 100000"
  rb "${TARGET[@]}" -t set,get -c 50 -P 16 -r 100000 -n "$WARMUP" >/dev/null
  rb -p "$REDIS_PORT" -t set,get -c 50 -P 16 -r 100000 -n "$WARMUP" >/dev/null

  rows=()
  for spec in "${TESTS[@]}"; do
    read -r t c p n <<<"$spec"
    if [ "$t $p" = "set 16" ]; then
      log "loading the 1 000 000 keys of the -P 16 tests into both"
      rb "${TARGET[@]}" -t set -c 50 -P 16 -r 1000000 -d 128 -n "$WARMUP" >/dev/null
      rb -p "$REDIS_PORT" -t set -c 50 -P 16 -r 1000000 -d 128 -n "$WARMUP" >/dev/null
    fi
    extra=(-c "$c" -P "$p" -n "$n")
    [ "$p" -gt 1 ] && extra+=(-r 1000000 -d 128) || extra+=(-r 100000)
    log "$t -c $c -P $p -n $n: redis"
    rl="$(rb -p "$REDIS_PORT" -t "$t" "${extra[@]}")"
    log "$t -c $c -P $p -n $n: basalt ($G group(s))"
    c0=$(sum_ticks "${SERVER_PIDS[@]}")
    bl="$(rb "${TARGET[@]}" -t "$t" "${extra[@]}")"
    c1=$(sum_ticks "${SERVER_PIDS[@]}")
    cpu=$(per_million "$c0" "$c1" "$n")
    rows+=("| ${t^^} | $c | $p | $(printf '%.0f' "$(field "$rl" 2)") | $(field "$rl" 5) | $(field "$rl" 7) | $(printf '%.0f' "$(field "$bl" 2)") | $(field "$bl" 5) | $(field "$bl" 7) | $(ratio "$(field "$bl" 2)" "$(field "$rl" 2)") | $cpu |")
    log "  redis $(field "$rl" 2) ops/s p50 $(field "$rl" 5) p99 $(field "$rl" 7); basalt $(field "$bl" 2) ops/s p50 $(field "$bl" 5) p99 $(field "$bl" 7), $cpu CPU s/M"
    if [ "$t" = set ] && [ "$p" -gt 1 ]; then
      SET_CPU=$cpu
    fi
  done
  log "SDK load generator (4 sync threads, then 64 async in flight), $SDK_SECONDS s per run"
  sdk="$(java -Xmx1g -cp "$SDK_CP" io.basalt.it.SdkLoad 127.0.0.1:2181 local "$SDK_SECONDS" 4 64 2>>"$WORK/sdk-$G.log" | grep '^SDKLOAD' || true)"
  {
    echo
    echo "## $G group(s) of 3 replicas"
    echo
    echo "| test | -c | -P | Redis ops/s | Redis p50 ms | Redis p99 ms | Basalt ops/s | Basalt p50 ms | Basalt p99 ms | Basalt/Redis | Basalt CPU s/M (all replicas) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Replicated SET CPU per million / standalone SET CPU per million: **$(ratio "$SET_CPU" "$SA_CPU")×** ($SET_CPU / $SA_CPU)."
    echo
    echo "SDK (\`it/…/SdkLoad\`, through ZooKeeper, keys sdk:0..9999, 16-byte values):"
    echo
    echo "| op | mode | ops/s | p50 ms | p99 ms | errors |"
    echo "|---|---|---:|---:|---:|---:|"
    awk '{ printf "| %s | %s | %s | %s | %s | %s |\n", $2, ($3 == "sync" ? "sync, 4 threads" : "async, 64 in flight"), $4, $5, $6, $7 }' <<<"$sdk"
  } >>"$RESULTS"
  stop_local
done

cat "$RESULTS"
log "results: $RESULTS (logs in $WORK)"
