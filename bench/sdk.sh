#!/usr/bin/env bash
# The Java SDK vs plain Lettuce: a 2-group × 3-replica Basalt cluster (in-process ZooKeeper and
# coordinator, six server processes) and a real redis-server, all started by the load generator
# it/src/test/java/io/basalt/it/SdkBenchmark.java; SET/GET sync (BENCH_THREADS threads), async
# (BENCH_WINDOW in flight) and pipelined (auto-flush off, BENCH_BATCH per flush), BENCH_SECONDS per
# run, BENCH_ROUNDS rounds alternating the clients; then the failover pause (SIGKILL of a leader →
# first acknowledged SDK write). Prints the BENCH lines.
#
# Part 2 isolates the client's own cost: the SDK (and "sdk-lean": no latency timers, no in-flight
# tracking) vs plain Lettuce against one real Redis Cluster node (redis-server --cluster-enabled,
# described in ZooKeeper as a one-member group), where the client's CPU is the limit.
#
#   bench/sdk.sh                 BENCH_SECONDS=3 BENCH_ROUNDS=2 BENCH_THREADS=4 BENCH_WINDOW=64 BENCH_BATCH=100
#   BENCH_ONLY=overhead BENCH_MODES=pipelined bench/sdk.sh      # part 2 only (no Basalt processes), one mode
#   MVN_OFFLINE=1 bench/sdk.sh   # maven -o
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v redis-server >/dev/null || { echo "redis-server not found (apt-get install redis-server)" >&2; exit 1; }
cd "$ROOT"
# reactor build of the modules it needs (package/verify only: never install into ~/.m2)
BASALT_BENCH=1 mvn -B ${MVN_OFFLINE:+-o} verify -pl it -am -Dtest=SdkBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  > "$ROOT/it/target/sdk-bench-maven.log" 2>&1 || { tail -50 "$ROOT/it/target/sdk-bench-maven.log" >&2; exit 1; }
grep '^BENCH' "$ROOT/it/target/surefire-reports/io.basalt.it.SdkBenchmark-output.txt"
