#!/usr/bin/env bash
# CPU per request of a node's threads under pipelined redis-benchmark, by thread name (user and system
# microseconds per request, from /proc/PID/task/*/stat), for one or more jars or JVM-option sets in turn:
# the event-loop thread ("memdb-core-...") is the one that bounds a single node's throughput
# (docs/performance.md, "Session 7: node allocation and p99").
#
#   bench/loop-cpu.sh JAR...            e.g. bench/loop-cpu.sh /tmp/base.jar memdb-cli/target/memdb.jar
#   env: N=1000000 (requests per test), T=set,get, P=16 (pipeline), FSYNC=no, ROUNDS=1 (the jars alternate
#        within a round), OPTS_A / OPTS_B (JVM options: with OPTS_B set, each jar runs twice per round, with
#        OPTS_A then OPTS_B, e.g. OPTS_B=-Dio.netty.buffer.checkAccessible=true to A/B one flag on one jar),
#        ARGS_A / ARGS_B (server options, in place of --fsync $FSYNC; with ARGS_B set, each run is made with ARGS_A
#        then ARGS_B, e.g. ARGS_A="--fsync no" ARGS_B="--persistence off"), WARMUP=300000 (requests first sent
#        unmeasured; a few million also warm up the op-log compactor, which runs once per ~920,000 SETs)
# Per run: a node on free ports, the warm-up, the measured run; the threads' CPU before and after.
# Every node started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
command -v redis-benchmark >/dev/null || need_redis
AUTH=bench-loop-cpu
work_dirs loop-cpu
log "$(machine)"
TICK=$(getconf CLK_TCK)

threads_cpu() { # PID -> "name user_ticks sys_ticks" per thread name, summed over threads of one name
    local t
    for t in /proc/"$1"/task/*; do
        echo "$(tr ' ' '_' <"$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print $12, $13}')"
    done | awk '{u[$1] += $2; s[$1] += $3} END {for (k in u) print k, u[k], s[k]}' | sort
}

run() { # run JAR OPTS [SERVER_ARGS]
    local jar=$1 opts=$2 args=${3:---fsync ${FSYNC:-no}} dir port pid tests
    dir=$WORK/run$((++RUN)); mkdir -p "$dir"
    port=$(free_port)
    # shellcheck disable=SC2086
    java $opts -jar "$jar" server --bind 127.0.0.1 --port "$(free_port)" --admin-port "$(free_port)" --resp-port "$port" \
        --data-dir "$dir/db" --auth-key $AUTH $args >/dev/null 2>"$dir/stderr" &
    pid=$!; PIDS+=("$pid")
    wait_resp "$port" "$pid" "$dir/stderr" $AUTH
    redis-benchmark -p "$port" -a $AUTH -t set,get -n "${WARMUP:-300000}" -c 50 -d 16 -P "${P:-16}" -q >/dev/null 2>&1
    threads_cpu "$pid" >"$dir/before"
    local rates
    rates=$(redis-benchmark -p "$port" -a $AUTH -t "${T:-set,get}" -n "${N:-1000000}" -c 50 -d 16 -P "${P:-16}" --csv 2>/dev/null \
        | tail -n +2 | tr -d '"' | awk -F, '{printf "%s %.0f/s p99 %s ms; ", $1, $2, $7}')
    threads_cpu "$pid" >"$dir/after"
    stop_pid "$pid"
    tests=$(tr ',' '\n' <<<"${T:-set,get}" | wc -l)
    echo "$(basename "$jar") ${opts:-(no options)} $args: $rates$(uptime | sed 's/.*load/load/')"
    join "$dir/before" "$dir/after" | awk -v n=$((${N:-1000000} * tests)) -v tick="$TICK" '
        { du = $4 - $2; ds = $5 - $3; if (du + ds > 0) printf "  %-28s user %.2f sys %.2f us/request\n", $1, du * 1e6 / tick / n, ds * 1e6 / tick / n }'
}

RUN=0
for round in $(seq "${ROUNDS:-1}"); do
    for jar in "$@"; do
        run "$jar" "${OPTS_A:-}" "${ARGS_A:-}"
        if [[ -n ${ARGS_B:-} ]]; then run "$jar" "${OPTS_A:-}" "$ARGS_B"; fi
        if [[ -n ${OPTS_B:-} ]]; then run "$jar" "$OPTS_B" "${ARGS_A:-}"; fi
    done
done
