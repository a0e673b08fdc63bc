#!/usr/bin/env bash
# The RESP path's cost on the node, side by side: a node's CPU time (from /proc, server only) per request
# under redis-benchmark -t set,get -n N -c 50 -d 16 -P 16, for two (or more) jars in turn, ROUNDS times,
# alternating, then the median per jar. The steadiest figure on a shared machine (docs/performance.md,
# "Session 6: the RESP path").
#
#   bench/resp-cpu.sh ROUNDS JAR...          e.g. bench/resp-cpu.sh 3 /tmp/base.jar /tmp/resp.jar
#   env: N=1000000, PIPELINE=16, PORT=17100 (uses PORT..PORT+2), FSYNC=no, JFR=1 (record each run with
#        JFR's profile settings into $OUT/<round>-<jar>.jfr), OUT=work directory (default: a fresh temp one)
# Every node started here is stopped by its PID.
set -euo pipefail
ROUNDS=$1; shift
N=${N:-1000000}; PIPELINE=${PIPELINE:-16}; PORT=${PORT:-17100}; FSYNC=${FSYNC:-no}
OUT=${OUT:-$(mktemp -d /tmp/resp-cpu.XXXXXX)}
RESP=$((PORT + 2))
declare -A FIGURES
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true' EXIT
echo "load before: $(uptime)"
for round in $(seq "$ROUNDS"); do
  for jar in "$@"; do
    name=$(basename "$jar" .jar)
    dir=$OUT/$round-$name; rm -rf "$dir"; mkdir -p "$dir"
    opts=()
    [ "${JFR:-0}" = 1 ] && opts=(-XX:StartFlightRecording=filename=$dir.jfr,settings=profile)
    java "${opts[@]}" -jar "$jar" server --bind 127.0.0.1 --port "$PORT" --admin-port $((PORT + 1)) --resp-port "$RESP" \
      --data-dir "$dir/db" --auth-key k --fsync "$FSYNC" 2>"$dir/stderr" &
    PID=$!
    for _ in $(seq 100); do redis-cli -p "$RESP" -a k ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
    redis-benchmark -p "$RESP" -a k -t set,get -n 200000 -c 50 -d 16 -P "$PIPELINE" -q >/dev/null 2>&1 # warm-up
    c0=$(awk '{print $14+$15}' /proc/$PID/stat)
    rates=$(redis-benchmark -p "$RESP" -a k -t set,get -n "$N" -c 50 -d 16 -P "$PIPELINE" -q 2>/dev/null \
      | tr '\r' '\n' | grep 'requests per second' | awk '{printf "%s %s  ", $1, $2}')
    c1=$(awk '{print $14+$15}' /proc/$PID/stat)
    tick=$(getconf CLK_TCK)
    us=$(awk -v t=$((c1 - c0)) -v n="$N" -v hz="$tick" 'BEGIN{printf "%.3f", t * 1e6 / hz / (2 * n)}')
    [ "${JFR:-0}" = 1 ] && jcmd "$PID" JFR.dump filename="$dir.jfr" >/dev/null
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
    echo "round $round $name: server CPU us/request $us   $rates  load $(cut -d' ' -f1-3 /proc/loadavg)"
    FIGURES[$name]="${FIGURES[$name]:-} $us"
  done
done
for jar in "$@"; do
  name=$(basename "$jar" .jar)
  echo "$name median CPU us/request: $(printf '%s\n' ${FIGURES[$name]} | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')   (runs:${FIGURES[$name]})"
done
echo "load after: $(uptime)"
