# Shared helpers for bench/run.sh and bench/large.sh (sourced, not run).
# Expects ROOT to be set to the repository root.

SERVER_JAR="$ROOT/server/target/basalt-server-0.1.0-SNAPSHOT.jar"
CLK_TCK="$(getconf CLK_TCK)"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

need() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "'$c' not found on PATH"; done
}

# Build the server jar (package, not install: never touch ~/.m2 artifacts others use).
build_if_missing() {
  if [ ! -f "$SERVER_JAR" ] || [ ! -d "$ROOT/server/target/lib" ]; then
    log "building $SERVER_JAR (mvn -B -q -DskipTests package -pl server -am)"
    (cd "$ROOT" && mvn -B -q -DskipTests package -pl server -am) >&2 || die "build failed"
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# owns_port PORT PID: PID is the process listening on 127.0.0.1:PORT (not some other server).
owns_port() {
  ss -ltnpH "sport = :$1" 2>/dev/null | grep -q "pid=$2,"
}

# wait_ping PORT PID SECONDS: wait until the server answers PING, fail if its process died or if
# another process holds the port.
wait_ping() {
  local port=$1 pid=$2 secs=$3 i
  for ((i = 0; i < secs * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    if [ "$(redis-cli -p "$port" ping 2>/dev/null)" = "PONG" ]; then
      owns_port "$port" "$pid" && kill -0 "$pid" 2>/dev/null && return 0
      log "port $port answers PING but is not held by pid $pid"
      return 1
    fi
    sleep 0.1
  done
  return 1
}

# stop_pid PID NAME: SIGTERM, wait up to 20 s, then SIGKILL. Only for processes this script started.
stop_pid() {
  local pid=$1 name=$2 i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  log "$name did not stop in 20 s; SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# cpu_ticks PID: utime+stime (fields 14 and 15 of /proc/PID/stat), in clock ticks, all threads.
# The comm field (2) may contain spaces, so split after the last ')'.
cpu_ticks() {
  local stat rest
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  rest="${stat##*) }"            # fields 3.. ; utime is field 14 -> 12th here, stime 13th
  awk '{ print $12 + $13 }' <<<"$rest"
}

# rss_mb PID: VmRSS in MiB.
rss_mb() {
  awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"
}

machine_summary() {
  local cpu mem
  cpu="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  mem="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "$(nproc) CPUs ($cpu), $mem RAM, $(uname -sr), $(java -version 2>&1 | head -1), $(redis-server --version | awk '{print $1, $2, $3}')"
}
