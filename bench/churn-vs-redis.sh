#!/usr/bin/env bash
# A node holding a million keys under write churn, against Redis doing the same (docs/performance.md,
# "Session 9"): where the issue's redis-benchmark shape (-n 200000, one key) keeps the data set tiny, this
# fills and overwrites RECORDS keys of 100 bytes, so the GC has real data to live with (the compactor's and
# the store's), and the op log seals and compacts while clients wait.
#
#   bench/churn-vs-redis.sh [ROUNDS]        default 3; one fresh MemDB node and one fresh Redis per round,
#                                           in turn (MemDB first in odd rounds, Redis first in even ones)
#   env: RECORDS=1000000 (the keyspace), N=4000000 (SETs per run), P=16 (pipeline), CLIENTS=50,
#        FSYNC=everysec (MemDB fsync; Redis appendonly yes + appendfsync everysec; "no" for neither to
#        fsync: MemDB fsync no, Redis appendonly no), WARMUP_S=15 (GETs over the keyspace first: the JIT
#        warms up without writing), MEMDB_JAR=path, SKIP_BUILD=1, KEEP=1
# The node runs through bin/memdb (a production node's JVM flags), with -Xlog:gc to a file. Per run:
# ops/s, p50/p99/max (ms) from redis-benchmark, RSS at the end; for MemDB its young GC pauses (median,
# max, sum) and compactions. Then the medians and ratios. Every process started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
need_redis
ROUNDS=${1:-3}
RECORDS=${RECORDS:-1000000}
N=${N:-4000000}
FSYNC=${FSYNC:-everysec}
AUTH=bench-churn
J=${MEMDB_JAR:-memdb-cli/target/memdb.jar}
[[ -n ${SKIP_BUILD:-} ]] || { log "building memdb.jar"; mvn -B -o -q -DskipTests -Dmemdb.cds.skip package; }
work_dirs churn-vs-redis
log "$(machine)"
RESULTS=$OUT/results.tsv
printf 'round\tsystem\tops\tp50\tp99\tmax\trss_mb\tgc_median\tgc_max\tgc_sum\tcompactions\n' >"$RESULTS"

# run SYSTEM PORT PID: warm-up, then the churn; appends a row
run() {
    local system=$1 port=$2 pid=$3 dir=$4 auth=() end csv rss gc compactions
    [[ $system == memdb ]] && auth=(-a "$AUTH")
    end=$((SECONDS + ${WARMUP_S:-15}))
    while ((SECONDS < end)); do
        redis-benchmark -p "$port" "${auth[@]}" -c "${CLIENTS:-50}" -t get -r "$RECORDS" -n 300000 -P "${P:-16}" -q >/dev/null 2>&1
        redis-benchmark -p "$port" "${auth[@]}" -c "${CLIENTS:-50}" -t get -n 20000 -q >/dev/null 2>&1
    done
    local gc_lines=0
    if [[ $system == memdb ]]; then gc_lines=$(wc -l <"$dir/gc.log"); fi
    csv=$(redis-benchmark -p "$port" "${auth[@]}" -c "${CLIENTS:-50}" -d 100 -t set -r "$RECORDS" -n "$N" -P "${P:-16}" \
        --csv 2>/dev/null | tail -1 | tr -d '"')
    rss=$(($(awk '/VmRSS/{print $2}' "/proc/$pid/status") / 1024))
    gc="-	-	-"; compactions=-
    if [[ $system == memdb ]]; then
        gc=$(tail -n +$((gc_lines + 1)) "$dir/gc.log" | python3 -c '
import re, sys
p = sorted(float(m.group(1)) for l in sys.stdin if "Pause Young" in l and (m := re.search(r"(\d+\.\d+)ms$", l.strip())))
print("%.1f\t%.1f\t%.0f" % (p[len(p) // 2], p[-1], sum(p)) if p else "0\t0\t0")')
        compactions=$(grep -c "compaction wrote" "$dir/stderr" || true)
    fi
    echo "$csv" | awk -F, -v r="$ROUND" -v s="$system" -v rss="$rss" -v gc="$gc" -v c="$compactions" \
        '{printf "%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\n", r, s, $2, $5, $7, $8, rss, gc, c}' | tee -a "$RESULTS" >&2
}

memdb_round() {
    local dir=$WORK/memdb-$ROUND port pid durability=(--fsync "$FSYNC")
    mkdir -p "$dir"
    port=$(free_port)
    MEMDB_JAR=$J MEMDB_JAVA_OPTS="${MEMDB_JAVA_OPTS:-} -Xlog:gc:file=$dir/gc.log:uptime" bin/memdb server --bind 127.0.0.1 \
        --port "$(free_port)" --admin-port "$(free_port)" --resp-port "$port" --data-dir "$dir/db" --auth-key $AUTH \
        "${durability[@]}" >/dev/null 2>"$dir/stderr" &
    pid=$!; PIDS+=("$pid")
    wait_resp "$port" "$pid" "$dir/stderr" $AUTH
    run memdb "$port" "$pid" "$dir"
    stop_pid "$pid"
}

redis_round() {
    local dir=$WORK/redis-$ROUND port pid aof=(--appendonly yes --appendfsync everysec)
    [[ $FSYNC == no ]] && aof=(--appendonly no)
    mkdir -p "$dir"
    port=$(free_port)
    redis-server --bind 127.0.0.1 --port "$port" --save '' --dir "$dir" "${aof[@]}" >"$dir/stderr" 2>&1 &
    pid=$!; PIDS+=("$pid")
    wait_resp "$port" "$pid" "$dir/stderr"
    run redis "$port" "$pid" "$dir"
    stop_pid "$pid"
}

log "round system ops/s p50 p99 max rss_MB | memdb young GC pauses: median max sum (ms), compactions"
for ROUND in $(seq "$ROUNDS"); do
    if ((ROUND % 2)); then memdb_round; redis_round; else redis_round; memdb_round; fi
done

python3 - "$RESULTS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def med(system, field):
    return statistics.median(float(r[field]) for r in rows if r["system"] == system)
print("\nmedians of %d rounds        MemDB      Redis   MemDB/Redis" % (len(rows) // 2))
for field, label in (("ops", "SET ops/s"), ("p50", "p50 ms"), ("p99", "p99 ms"), ("max", "max ms"), ("rss_mb", "RSS MB")):
    m, r = med("memdb", field), med("redis", field)
    print("%-22s %10.1f %10.1f %9.2fx" % (label, m, r, m / r))
print("MemDB young GC pauses: median %.1f ms, max %.1f ms, sum %.0f ms per run (medians); compactions per run %.0f"
      % (med("memdb", "gc_median"), med("memdb", "gc_max"), med("memdb", "gc_sum"), med("memdb", "compactions")))
PY
log "results: $RESULTS"
