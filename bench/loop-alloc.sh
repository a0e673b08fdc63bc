#!/usr/bin/env bash
# Bytes allocated per request by a node's event-loop thread (the one that runs the core and serves the client
# and RESP channels), for one or more jars in turn: a figure that hardly depends on the machine's load, unlike
# CPU time on shared cores (docs/performance.md, "Session 6: the node's request path").
#
#   bench/loop-alloc.sh JAR...        e.g. bench/loop-alloc.sh /tmp/base.jar memdb-cli/target/memdb.jar
#   env: N=500000 (requests per test), T=set,get (redis-benchmark tests), P=16 (pipeline), FSYNC=no, PORT=17000
#        (uses PORT..PORT+2), NATIVE=1 (the load on the native port instead: `memdb bench` of LOAD_JAR, default the
#        first JAR, the same for every jar, in a JVM of its own; its warm-up is the same 300,000 requests)
# Per jar: a node with a JFR recording, a 300,000-request warm-up, a JFR dump, the measured run
# (redis-benchmark -t T -n N -c 50 -d 16 -P P), another dump; the loop thread's jdk.ThreadAllocationStatistics
# before and after, divided by the requests. Every node started here is stopped by its PID.
set -euo pipefail
PORT=${PORT:-17000}
AUTH=bench-loop-alloc
command -v redis-benchmark >/dev/null || { echo "needs redis-benchmark (apt-get install redis-tools)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/loop-alloc.XXXXXX)
PID=
trap '[[ -z $PID ]] || kill "$PID" 2>/dev/null || true' EXIT

loop_bytes() { # JFR_FILE -> the loop thread's allocated bytes
    jfr print --json --events jdk.ThreadAllocationStatistics "$1" | python3 -c '
import json, sys
events = json.load(sys.stdin)["recording"]["events"]
print(max(e["values"]["allocated"] for e in events
          if "memdb-core" in ((e["values"].get("thread") or {}).get("javaName") or "")))'
}

FIRST_JAR=$1
for jar in "$@"; do
    dir=$WORK/$(basename "$jar" .jar)
    mkdir -p "$dir"
    java -XX:StartFlightRecording=filename="$dir/r.jfr",settings=default -jar "$jar" server --bind 127.0.0.1 \
        --port "$PORT" --admin-port $((PORT + 1)) --resp-port $((PORT + 2)) --data-dir "$dir/db" --auth-key $AUTH \
        --fsync "${FSYNC:-no}" >/dev/null 2>"$dir/stderr" &
    PID=$!
    for _ in $(seq 100); do
        redis-cli -p $((PORT + 2)) -a $AUTH ping 2>/dev/null | grep -q PONG && break
        sleep 0.2
    done
    if [[ -n ${NATIVE:-} ]]; then
        bench() { # bench -t TESTS -n N, on the native port
            java -jar "${LOAD_JAR:-$FIRST_JAR}" bench -s 127.0.0.1:"$PORT" -a $AUTH -c 50 -d 16 -P "${P:-16}" "$@" >/dev/null 2>&1
        }
    else
        bench() { redis-benchmark -p $((PORT + 2)) -a $AUTH -c 50 -d 16 -P "${P:-16}" -q "$@" >/dev/null 2>&1; }
    fi
    bench -t set,get -n 300000
    jcmd "$PID" JFR.dump filename="$dir/before.jfr" >/dev/null
    bench -t "${T:-set,get}" -n "${N:-500000}"
    jcmd "$PID" JFR.dump filename="$dir/after.jfr" >/dev/null
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
    tests=$(tr ',' '\n' <<<"${T:-set,get}" | wc -l)
    awk -v a="$(loop_bytes "$dir/before.jfr")" -v b="$(loop_bytes "$dir/after.jfr")" -v n=$((${N:-500000} * tests)) \
        -v j="$jar" 'BEGIN { printf "%s: %.0f bytes allocated per request by the loop thread\n", j, (b - a) / n }'
done
rm -rf "$WORK"
