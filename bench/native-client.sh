#!/usr/bin/env bash
# Issue 8, the native load generator side by side (docs/performance.md, "Session 6: the native bench client"):
# ONE MemDB node (from NODE_JAR), and against it, in each round, in an order rotating by round:
#   memdb bench of BASE_JAR (if given) and of MEMDB_JAR, both through this checkout's bin/memdb as a user runs
#     them (serial GC; MEMDB_JAVA_OPTS apply), -t set,get -n N -c CLIENTS -d SIZE -P P --csv, MEMDB_JAR with
#     --warmup MEMDB_WARMUP (default auto: until the JIT settles; C2, as bin/memdb runs bench since session 7),
#     BASE_JAR with --warmup WARMUP and BASE_JAVA_OPTS (default -XX:TieredStopAtLevel=1: C1 only, as the
#     launcher of session 6 ran every bench)
#   redis-benchmark on the same node's RESP port, -t set,get -n N -c CLIENTS -d SIZE -P P (the anchor)
# for P in 1 and PIPELINE. Every run records ops/s per test and the load generator's CPU (user+system, from
# /usr/bin/time) per request sent (startup and warm-up included). Prints the medians over the rounds,
# the ratios to redis-benchmark's figure of the same round set, and the load average; raw rows in $OUT/results.tsv.
#
#   bench/native-client.sh [ROUNDS]        default 3
#   env: NODE_JAR (default MEMDB_JAR), MEMDB_JAR (default memdb-cli/target/memdb.jar), BASE_JAR (optional),
#        N=200000 CLIENTS=50 SIZE=16 PIPELINE=16 WARMUP=N/10 MEMDB_WARMUP=auto BASE_JAVA_OPTS=-XX:TieredStopAtLevel=1,
#        NODE_WARMUP_S=20 (redis-benchmark passes against the node first, not counted), KEEP=1 (keep the work directory)
# The node runs with --fsync no; it and everything else started here are stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROUNDS=${1:-3}
: "${N:=200000}" "${CLIENTS:=50}" "${SIZE:=16}" "${PIPELINE:=16}"
WARMUP=${WARMUP:-$((N / 10))}
MEMDB_WARMUP=${MEMDB_WARMUP:-auto}
BASE_JAVA_OPTS=${BASE_JAVA_OPTS--XX:TieredStopAtLevel=1}
MEMDB_JAR=${MEMDB_JAR:-memdb-cli/target/memdb.jar}
NODE_JAR=${NODE_JAR:-$MEMDB_JAR}
AUTH=bench-key
command -v redis-benchmark >/dev/null || need_redis
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

work_dirs native-client
RESULTS=$OUT/results.tsv
printf 'round\tpipeline\tsystem\ttest\trps\tp50_ms\tgen_cpu_us\tload1\n' >"$RESULTS"

PORT=$(free_port); ADMIN=$(free_port); RESP=$(free_port)
java -jar "$NODE_JAR" server --bind 127.0.0.1 --port "$PORT" --admin-port "$ADMIN" --resp-port "$RESP" \
    --data-dir "$WORK/node" --auth-key $AUTH --fsync no >"$WORK/node.log" 2>&1 &
PIDS+=("$!")
for ((i = 0; i < 1200; i++)); do
    [[ $(redis-cli -p "$RESP" --no-auth-warning -a $AUTH ping 2>/dev/null) == PONG ]] && break
    sleep 0.1
done
[[ $(redis-cli -p "$RESP" --no-auth-warning -a $AUTH ping 2>/dev/null) == PONG ]] || { cat "$WORK/node.log" >&2; exit 1; }
log "$(machine)"
log "node pid ${PIDS[0]} native port $PORT RESP port $RESP ($NODE_JAR); work $WORK, results $OUT"

SYSTEMS=(redis-benchmark memdb)
[[ -z ${BASE_JAR:-} ]] || SYSTEMS+=(base)
declare -A JAR_OF=([memdb]=$MEMDB_JAR [base]=${BASE_JAR:-})
declare -A WARMUP_OF=([memdb]=$MEMDB_WARMUP [base]=$WARMUP)
declare -A JAVA_OPTS_OF=([memdb]=${MEMDB_JAVA_OPTS:-} [base]="${BASE_JAVA_OPTS} ${MEMDB_JAVA_OPTS:-}")
load1() { cut -d' ' -f1 /proc/loadavg; }
cpu_us() { awk -v n="$1" '{printf "%.2f", ($1 + $2) * 1e6 / n}' "$WORK/gen.cpu"; }

# run_one ROUND PIPELINE SYSTEM: one run, its rows appended to RESULTS
run_one() {
    local round=$1 pipeline=$2 system=$3 load test rps p50 requests
    load=$(load1)
    if [[ $system == redis-benchmark ]]; then
        /usr/bin/time -f '%U %S' -o "$WORK/gen.cpu" redis-benchmark -h 127.0.0.1 -p "$RESP" -a $AUTH -t set,get \
            -n "$N" -c "$CLIENTS" -d "$SIZE" -P "$pipeline" --csv >"$WORK/run.csv" 2>/dev/null
        requests=$((2 * N))
        # "SET","123.45","..." -> test rps p50
        tr -d '"' <"$WORK/run.csv" | awk -F, 'NR > 1 {print tolower($1), $2, $5}' >"$WORK/rows"
    else
        MEMDB_JAR=${JAR_OF[$system]} MEMDB_JAVA_OPTS=${JAVA_OPTS_OF[$system]} /usr/bin/time -f '%U %S' -o "$WORK/gen.cpu" \
            bin/memdb bench -s "127.0.0.1:$PORT" -a $AUTH -t set,get -n "$N" -c "$CLIENTS" -d "$SIZE" -P "$pipeline" \
            --warmup "${WARMUP_OF[$system]}" --csv \
            >"$WORK/run.csv" 2>"$WORK/run.err" || { log "  $system -P $pipeline failed: $(cat "$WORK/run.err")"; return 0; }
        # requests sent: measured + warm-up (its own columns since session 7; else the fixed --warmup)
        requests=$(awk -F, -v fixed="${WARMUP_OF[$system]}" 'NR > 1 {n += $2 + (NF >= 13 ? $11 : fixed)} END {print n}' "$WORK/run.csv")
        awk -F, 'NR > 1 {print $1, $5, $6}' "$WORK/run.csv" >"$WORK/rows"
        awk -F, 'NR > 1 && NF >= 13 {printf "%s warm-up %s requests in %s s, %s; ", $1, $11, $12, $13}' "$WORK/run.csv" >"$WORK/warm"
        [[ ! -s $WORK/warm ]] || log "  round $round -P $pipeline $system: $(cat "$WORK/warm")"
    fi
    while read -r test rps p50; do
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$pipeline" "$system" "$test" "$rps" "$p50" \
            "$(cpu_us "$requests")" "$load" >>"$RESULTS"
        log "  round $round -P $pipeline $system $test: $rps ops/s, p50 $p50 ms, CPU $(cpu_us "$requests") us/request, load $load"
    done <"$WORK/rows"
}

# warm-up of the node, not counted: passes for at least NODE_WARMUP_S seconds, as compare-redis.sh does (the node's
# C2 goes on recompiling its hot paths for the first few million requests, CPU taken from the measured runs)
until=$((SECONDS + ${NODE_WARMUP_S:-20}))
while ((SECONDS < until)); do
    for pipeline in 1 "$PIPELINE" "$PIPELINE" "$PIPELINE"; do
        redis-benchmark -h 127.0.0.1 -p "$RESP" -a $AUTH -t set,get -n "$N" -c "$CLIENTS" -d "$SIZE" -P "$pipeline" >/dev/null 2>&1
    done
done
for ((round = 1; round <= ROUNDS; round++)); do
    log "round $round; $(uptime)"
    order=("${SYSTEMS[@]:round % ${#SYSTEMS[@]}}" "${SYSTEMS[@]:0:round % ${#SYSTEMS[@]}}")
    for pipeline in 1 "$PIPELINE"; do
        for system in "${order[@]}"; do run_one "$round" "$pipeline" "$system"; done
    done
done

python3 - "$RESULTS" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
def med(system, test, pipeline, field):
    values = [float(r[field]) for r in rows if r['system'] == system and r['test'] == test and r['pipeline'] == pipeline]
    return statistics.median(values) if values else float('nan')
systems = sorted({r['system'] for r in rows}, key=lambda s: ['redis-benchmark', 'base', 'memdb'].index(s))
label = {'redis-benchmark': 'redis-benchmark (RESP)', 'base': 'base `memdb bench`', 'memdb': 'this `memdb bench`'}
print('| test | -P | ' + ' | '.join(f'{label[s]} ops/s' for s in systems) + ' | '
      + ' | '.join(f'{label[s]} / RESP' for s in systems if s != 'redis-benchmark') + ' | '
      + ' | '.join(f'CPU µs/req {label[s]}' for s in systems) + ' |')
print('|---|---|' + '---:|' * (3 * len(systems) - 1))
for pipeline in sorted({r['pipeline'] for r in rows}, key=int):
    for test in ['set', 'get']:
        anchor = med('redis-benchmark', test, pipeline, 'rps')
        line = [test.upper(), pipeline] + [f"{med(s, test, pipeline, 'rps'):,.0f}" for s in systems]
        line += [f"**{med(s, test, pipeline, 'rps') / anchor:.2f}x**" for s in systems if s != 'redis-benchmark']
        line += [f"{med(s, test, pipeline, 'gen_cpu_us'):.2f}" for s in systems]
        print('| ' + ' | '.join(line) + ' |')
loads = [float(r['load1']) for r in rows]
print(f'\nload average (1 min) during the runs: {min(loads):.1f} to {max(loads):.1f}, median {statistics.median(loads):.1f}')
EOF
