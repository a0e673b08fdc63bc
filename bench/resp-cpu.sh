#!/usr/bin/env bash
# The RESP path's cost on the node, side by side: a node's CPU time (from /proc, server only) per request
# under redis-benchmark -t set,get -n N -c 50 -d 16 -P 16, for two (or more) jars in turn, ROUNDS times,
# alternating, then the median per jar. The steadiest figure on a shared machine (docs/performance.md,
# "Session 6: the RESP path"). Also the bytes the node allocated per request over the same window (from its
# GC log: the heap's growth between collections), which hardly depends on the machine's load at all.
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
declare -A FIGURES ALLOCATED
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true' EXIT
echo "load before: $(uptime)"
for round in $(seq "$ROUNDS"); do
  for jar in "$@"; do
    name=$(basename "$jar" .jar)
    dir=$OUT/$round-$name; rm -rf "$dir"; mkdir -p "$dir"
    opts=()
    [ "${JFR:-0}" = 1 ] && opts=(-XX:StartFlightRecording=filename=$dir.jfr,settings=profile)
    java "${opts[@]}" -Xlog:gc:file="$dir/gc.log" -jar "$jar" server --bind 127.0.0.1 --port "$PORT" --admin-port $((PORT + 1)) --resp-port "$RESP" \
      --data-dir "$dir/db" --auth-key k --fsync "$FSYNC" 2>"$dir/stderr" &
    PID=$!
    for _ in $(seq 100); do redis-cli -p "$RESP" -a k ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
    redis-benchmark -p "$RESP" -a k -t set,get -n 200000 -c 50 -d 16 -P "$PIPELINE" -q >/dev/null 2>&1 # warm-up
    used() { jcmd "$PID" GC.heap_info | grep -o 'used [0-9]*K' | head -1 | tr -dc 0-9; }
    u0=$(used); g0=$(wc -l < "$dir/gc.log")
    c0=$(awk '{print $14+$15}' /proc/$PID/stat)
    rates=$(redis-benchmark -p "$RESP" -a k -t set,get -n "$N" -c 50 -d 16 -P "$PIPELINE" -q 2>/dev/null \
      | tr '\r' '\n' | grep 'requests per second' | awk '{printf "%s %s  ", $1, $2}')
    c1=$(awk '{print $14+$15}' /proc/$PID/stat)
    g1=$(wc -l < "$dir/gc.log"); u1=$(used)
    # Allocated = the heap's growth from the start to the first collection ("GC(n) Pause ... 24M->3M(256M)": 24M
    # before it, 3M after), from each collection to the next, and from the last one to the end.
    bytes=$(awk -v g0="$g0" -v g1="$g1" -v u0="$u0" -v u1="$u1" -v n="$N" 'BEGIN { last = u0 / 1024 }
        NR > g0 && NR <= g1 && match($0, /[0-9]+M->[0-9]+M/) { split(substr($0, RSTART, RLENGTH), m, /M->|M/); sum += m[1] - last; last = m[2] }
        END { sum += u1 / 1024 - last; printf "%.0f", sum * 1048576 / (2 * n) }' "$dir/gc.log")
    tick=$(getconf CLK_TCK)
    us=$(awk -v t=$((c1 - c0)) -v n="$N" -v hz="$tick" 'BEGIN{printf "%.3f", t * 1e6 / hz / (2 * n)}')
    [ "${JFR:-0}" = 1 ] && jcmd "$PID" JFR.dump filename="$dir.jfr" >/dev/null
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
    echo "round $round $name: server CPU us/request $us  allocated bytes/request $bytes   $rates  load $(cut -d' ' -f1-3 /proc/loadavg)"
    FIGURES[$name]="${FIGURES[$name]:-} $us"
    ALLOCATED[$name]="${ALLOCATED[$name]:-} $bytes"
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
for jar in "$@"; do
  name=$(basename "$jar" .jar)
  echo "$name median CPU us/request: $(median ${FIGURES[$name]}) (runs:${FIGURES[$name]})   allocated bytes/request: $(median ${ALLOCATED[$name]}) (runs:${ALLOCATED[$name]})"
done
echo "load after: $(uptime)"
