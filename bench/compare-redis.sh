#!/usr/bin/env bash
# Issue-8 side-by-side: the same redis-benchmark against Redis and against a MemDB node's RESP port
# (docs/performance.md, "MemDB against Redis through redis-benchmark").
#
#   bench/compare-redis.sh [ROUNDS]                 default 3 rounds (medians need >= 3)
#   env: N=200000 (requests per test), CLIENTS=50, SIZE=16 (value bytes), PIPELINE=16,
#        MODES="aof none", SKIP_BUILD=1 (memdb.jar already built), KEEP=1 (keep the work directory),
#        MEMDB_JAVA_OPTS="..." (extra JVM options for the node, e.g. a JFR recording),
#        MEMDB_JAR=path (another memdb.jar, e.g. a copy, so that a rebuild cannot change the jar under the node),
#        BASE_JAR=path (a second MemDB node from this jar runs side by side as system "base", e.g. the build before
#        a change: the table then also gives MemDB / base, which means something even when the load does not),
#        PING=0 (leave out the PING test),
#        NATIVE=1 (after each MemDB run, the same test through `memdb bench` on the node's native port, as system
#        "native": the issue's "memdb bench on the native protocol >= the RESP figure", in the same run),
#        NATIVE_CONNECTIONS=1 (memdb bench --connections; memdb bench runs through bin/memdb, MEMDB_JAVA_OPTS apply), NATIVE_WARMUP=auto (memdb bench --warmup: auto = each
#        test first sends unmeasured until the bench client's JIT has settled, or N requests; C2 since session 7)
# CPU: every run also records the CPU time the server (from /proc) and the load generator (bash's time) used,
# in microseconds per request (both tests of a run together); the table gives it for MemDB RESP and native:
# on a 2-core machine shared by server and load generator, it says what the throughput is bound by. And the whole
# machine's busy time per request over the run (both cores, /proc/stat): a server's CPU per request that moves
# while the machine's does too is the machine (other tenants, the hypervisor), not the server; a second table.
#
# Durability modes, each with both servers running side by side on free loopback ports:
#   aof : Redis appendonly yes, appendfsync everysec  vs  MemDB --fsync everysec
#   none: Redis appendonly no, save ""                vs  MemDB --persistence off (no op log: nothing on disk);
#         a jar from before that option (e.g. an older BASE_JAR) runs with --fsync no instead: it still writes every
#         record to the OS and compacts, it just never fsyncs
# Per mode: a warm-up of WARMUP_S=20 seconds of passes (unpipelined and pipelined) and WARMUP_CONNECTIONS=200 rounds of
# CLIENTS new connections against each (not counted: the JVM compiles its hot paths; see warm_up), then ROUNDS rounds;
# in each round every test runs against Redis and against MemDB in turn, the order alternating by round:
#   redis-benchmark -t set,get -n N -c CLIENTS -d SIZE [-P PIPELINE]   and   -t ping -n N -c CLIENTS
# Both servers need the same auth (requirepass = MemDB's auth key). Every process started here is stopped by
# its PID on exit. Output: a table of medians (ops/s, p50, p99 in ms) and the ratios MemDB / Redis, and the
# raw rows in $OUT/results.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROUNDS=${1:-3}
N=${N:-200000}
CLIENTS=${CLIENTS:-50}
SIZE=${SIZE:-16}
PIPELINE=${PIPELINE:-16}
MODES=${MODES:-aof none}
J=${MEMDB_JAR:-memdb-cli/target/memdb.jar}
AUTH=bench-key

need_redis
if [[ -z ${SKIP_BUILD:-} ]]; then
    log "building memdb.jar"
    mvn -B -o -q -pl memdb-cli -am package -DskipTests -Dmemdb.cds.skip
fi

work_dirs compare-redis
RESULTS=$OUT/results.tsv
printf 'mode\tround\ttest\tpipeline\tsystem\trps\tp50_ms\tp99_ms\tserver_cpu_us\tgen_cpu_us\tmachine_busy_us\n' >"$RESULTS"
TICK=$(getconf CLK_TCK)
# machine_busy_per_request "USER0 SYSTEM0" REQUESTS -> the machine's busy microseconds per request since then
machine_busy_per_request() {
    local u0 s0 u1 s1 _
    read -r u0 s0 _ <<<"$1"
    read -r u1 s1 _ < <(machine_cpu)
    awk -v b=$((u1 - u0 + s1 - s0)) -v t="$TICK" -v n="$2" 'BEGIN {printf "%.2f", b * 1e6 / t / n}'
}
cpu_s() { awk -v t="$TICK" '{printf "%.2f", ($14+$15)/t}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# cpu_per_request SERVER_CPU_BEFORE SERVER_PID REQUESTS -> "server_us gen_us" per request
cpu_per_request() {
    local after; after=$(cpu_s "$2")
    python3 -c "import sys; b,a,n=float(sys.argv[1]),float(sys.argv[2]),int(sys.argv[3]); u,s=map(float,open(sys.argv[4]).read().split()[-2:]); print(f'{(a-b)*1e6/n:.2f} {(u+s)*1e6/n:.2f}')" \
        "$1" "$after" "$3" "$WORK/gen.cpu"
}

await_pong() { # await_pong PORT PID NAME LOGFILE: until PING with the auth key answers PONG (120 s at most)
    local port=$1 pid=$2 name=$3 logfile=$4 i
    for ((i = 0; i < 1200; i++)); do
        [[ $(redis-cli -p "$port" --no-auth-warning -a $AUTH ping 2>/dev/null) == PONG ]] && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$logfile" >&2; echo "$name died" >&2; exit 1; }
        sleep 0.1
    done
    echo "$name not answering PING in 120 s" >&2; exit 1
}

# start_redis MODE -> RPID RPORT
start_redis() {
    local dir=$WORK/redis-$1 persistence
    mkdir -p "$dir"
    if [[ $1 == aof ]]; then persistence=(--appendonly yes --appendfsync everysec); else persistence=(--appendonly no); fi
    RPORT=$(free_port)
    redis-server --port "$RPORT" --bind 127.0.0.1 --dir "$dir" --save '' "${persistence[@]}" --requirepass $AUTH \
        --daemonize no --logfile "$dir/redis.log" &
    RPID=$!; PIDS+=("$RPID")
    await_pong "$RPORT" "$RPID" redis "$dir/redis.log"
}

# start_memdb MODE [JAR NAME] -> MPID MPORT (the RESP port)
start_memdb() {
    local jar=${2:-$J} name=${3:-memdb}
    local dir=$WORK/$name-$1
    mkdir -p "$dir"
    local durability=(--fsync everysec)
    if [[ $1 == none ]]; then
        if unzip -p "$jar" memdb/cli/ServerOptions.class 2>/dev/null | grep -aq -- --persistence; then
            durability=(--persistence off)
        else
            durability=(--fsync no)
        fi
    fi
    MPORT=$(free_port)
    MNPORT=$(free_port)
    # through the launcher, with a production node's JVM flags (bin/memdb; MEMDB_JAVA_OPTS is added last)
    MEMDB_JAR=$jar bin/memdb server --bind 127.0.0.1 --port "$MNPORT" --admin-port "$(free_port)" \
        --resp-port "$MPORT" --data-dir "$dir/db" --auth-key $AUTH "${durability[@]}" 2>"$dir/stderr" &
    MPID=$!; PIDS+=("$MPID")
    await_pong "$MPORT" "$MPID" "$name node" "$dir/stderr"
}

# bench MODE ROUND SYSTEM PORT TEST_ARGS... : one redis-benchmark run, its CSV rows appended to the results
bench() {
    local mode=$1 round=$2 system=$3 port=$4; shift 4
    local pipeline=1 args=("$@") i tests=1 before cpu busy machine_before
    for ((i = 0; i < ${#args[@]}; i++)); do
        [[ ${args[i]} == -P ]] && pipeline=${args[i + 1]}
        [[ ${args[i]} == -t ]] && tests=$(tr ',' '\n' <<<"${args[i + 1]}" | wc -l)
    done
    before=$(cpu_s "${PID_OF[$system]}"); machine_before=$(machine_cpu)
    measured redis-benchmark -h 127.0.0.1 -p "$port" -a $AUTH -c "$CLIENTS" -n "$N" --csv "${args[@]}" >"$WORK/bench.csv" 2>"$WORK/bench.err"
    busy=$(machine_busy_per_request "$machine_before" $((N * tests)))
    cpu=$(cpu_per_request "$before" "${PID_OF[$system]}" $((N * tests)))
    tail -n +2 "$WORK/bench.csv" | tr -d '"' \
        | while IFS=, read -r test rps _avg _min p50 _p95 p99 _max; do
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$round" "$test" "$pipeline" "$system" "$rps" "$p50" "$p99" ${cpu} "$busy" >>"$RESULTS"
            log "  $mode round $round $system $test -P $pipeline: $rps ops/s, p50 $p50 ms, p99 $p99 ms; CPU us/request server, generator: $cpu; machine busy: $busy"
        done
    if [[ -s $WORK/bench.err ]]; then cat "$WORK/bench.err" >&2; fi
}

# bench_native MODE ROUND PORT TEST_ARGS... : the same test through memdb bench on the native port, as system "native"
bench_native() {
    local mode=$1 round=$2 port=$3; shift 3
    local pipeline=1 tests= size=3 args=("$@") i before cpu busy machine_before sent warmup=${NATIVE_WARMUP:-auto}
    for ((i = 0; i < ${#args[@]}; i++)); do
        case ${args[i]} in -P) pipeline=${args[i + 1]} ;; -t) tests=${args[i + 1]} ;; -d) size=${args[i + 1]} ;; esac
    done
    [[ $tests == *ping* ]] && return 0 # memdb bench has no PING test
    before=$(cpu_s "$MPID"); machine_before=$(machine_cpu)
    # through the bin/memdb launcher, as a user runs it (for bench: C2, serial GC; the auto warm-up waits for the
    # JIT to settle: docs/performance.md, "Session 7: native bench")
    MEMDB_JAR=$J measured bin/memdb bench -s "127.0.0.1:$port" -a $AUTH -t "$tests" -n "$N" -c "$CLIENTS" -d "$size" -P "$pipeline" \
        --warmup "$warmup" --connections "${NATIVE_CONNECTIONS:-1}" --csv >"$WORK/bench.csv" 2>"$WORK/bench.err" \
        || { log "  $mode round $round native -P $pipeline: memdb bench failed (no row): $(cat "$WORK/bench.err")"; return 0; }
    # the warm-up requests count too: the node served them and the client spent CPU on them (the CSV's own
    # warmup_requests column since session 7, else the fixed --warmup)
    sent=$(awk -F, -v fixed="$warmup" 'NR > 1 {n += $2 + (NF >= 13 ? $11 : fixed)} END {print n}' "$WORK/bench.csv")
    cpu=$(cpu_per_request "$before" "$MPID" "$sent")
    busy=$(machine_busy_per_request "$machine_before" "$sent")
    tail -n +2 "$WORK/bench.csv" \
        | while IFS=, read -r test _requests _errors _seconds rps p50 p99 _rest; do
            test=${test^^}
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$round" "$test" "$pipeline" native "$rps" "$p50" "$p99" ${cpu} "$busy" >>"$RESULTS"
            log "  $mode round $round native $test -P $pipeline: $rps ops/s, p50 $p50 ms, p99 $p99 ms; CPU us/request node, memdb bench: $cpu; machine busy: $busy"
        done
    if [[ -s $WORK/bench.err ]]; then cat "$WORK/bench.err" >&2; fi
}

# warm_up PORT: redis-benchmark passes against it, unpipelined and pipelined, for at least WARMUP_S seconds. A JVM's
# C2 compiler goes on recompiling the node's hot paths for the first few million requests (measured in session 6:
# 1.4 us of compiler CPU per request after 600,000 pipelined requests, about none after 4,000,000), CPU it would
# otherwise take from the measured runs on 2 shared cores; every system gets the same warm-up.
warm_up() {
    local port=$1 until=$((SECONDS + ${WARMUP_S:-20})) pipeline i
    while ((SECONDS < until)); do
        for pipeline in 1 "$PIPELINE" "$PIPELINE" "$PIPELINE"; do
            redis-benchmark -h 127.0.0.1 -p "$port" -a $AUTH -c "$CLIENTS" -n "$N" --csv -t set,get,ping -d "$SIZE" -P "$pipeline" >/dev/null 2>&1
        done
    done
    # Every measured test opens CLIENTS new connections: warm the connection set-up too (WARMUP_CONNECTIONS rounds
    # of CLIENTS connections, one PING each), or a JVM still compiles it during the measured runs, whose first
    # milliseconds weigh 1% of a 200,000-request run (docs/performance.md, "Session 12", 5)
    for ((i = 0; i < ${WARMUP_CONNECTIONS:-200}; i++)); do
        redis-benchmark -h 127.0.0.1 -p "$port" -a $AUTH -c "$CLIENTS" -n "$CLIENTS" -t ping_mbulk -q >/dev/null 2>&1
    done
}

TESTS=("-t set,get -d $SIZE" "-t set,get -d $SIZE -P $PIPELINE")
[[ ${PING:-1} == 0 ]] || TESTS+=("-t ping")
SYSTEMS=(redis memdb)
[[ -z ${BASE_JAR:-} ]] || SYSTEMS+=(base)

log "$(machine)"
log "work directory $WORK, results in $OUT; $ROUNDS rounds of: ${TESTS[*]} (-n $N -c $CLIENTS)"
for mode in $MODES; do
    start_redis "$mode"
    declare -A PORT_OF=([redis]=$RPORT) PID_OF=([redis]=$RPID)
    if [[ -n ${BASE_JAR:-} ]]; then
        start_memdb "$mode" "$BASE_JAR" base
        BPID=$MPID; PORT_OF[base]=$MPORT; PID_OF[base]=$MPID
        log "mode $mode: base pid $BPID RESP port $MPORT ($BASE_JAR)"
    fi
    start_memdb "$mode"
    PORT_OF[memdb]=$MPORT; PID_OF[memdb]=$MPID; NATIVE_PORT=$MNPORT
    log "mode $mode: redis pid $RPID port $RPORT, memdb pid $MPID RESP port $MPORT; warming up"
    for system in "${SYSTEMS[@]}"; do warm_up "${PORT_OF[$system]}"; done
    for ((round = 1; round <= ROUNDS; round++)); do
        log "mode $mode round $round; uptime: $(uptime)"
        order=("${SYSTEMS[@]:round % ${#SYSTEMS[@]}}" "${SYSTEMS[@]:0:round % ${#SYSTEMS[@]}}") # rotates by round
        for test in "${TESTS[@]}"; do
            for system in "${order[@]}"; do
                port=${PORT_OF[$system]}
                # shellcheck disable=SC2086
                bench "$mode" "$round" "$system" "$port" $test
                # shellcheck disable=SC2086
                if [[ $system == memdb && ${NATIVE:-} == 1 ]]; then bench_native "$mode" "$round" "$NATIVE_PORT" $test; fi
            done
        done
    done
    kill -0 "$MPID" 2>/dev/null || { cat "$WORK/memdb-$mode/stderr" >&2; echo "memdb node died" >&2; exit 1; }
    stop_pid "$MPID"
    [[ -z ${BASE_JAR:-} ]] || stop_pid "$BPID"
    stop_pid "$RPID"
done

# ---- the table: medians per (mode, test, pipeline, system) and the ratios MemDB / Redis ------------------
python3 - "$RESULTS" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
groups = {}
for r in rows:
    groups.setdefault((r['mode'], r['test'], r['pipeline']), {}).setdefault(r['system'], []).append(r)
def med(rs, field):
    return statistics.median(float(r[field]) for r in rs)
with_base = any(r['system'] == 'base' for r in rows)
with_native = any(r['system'] == 'native' for r in rows)
extra_head, extra_rule = (" base ops/s | base p50/p99 ms | MemDB / base ops/s |", "---:|---:|---:|") if with_base else ("", "")
if with_native:
    extra_head += " native ops/s | native p50/p99 ms | native / RESP ops/s | CPU us/req RESP: node + redis-benchmark | CPU us/req native: node + memdb bench |"
    extra_rule += "---:|---:|---:|---:|---:|"
print("| durability | test | -P | Redis ops/s | MemDB ops/s | ops/s ratio | Redis p50/p99 ms | MemDB p50/p99 ms | p99 ratio | runs |" + extra_head)
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|" + extra_rule)
for (mode, test, pipeline), by in groups.items():
    redis, memdb = by.get('redis', []), by.get('memdb', [])
    if not redis or not memdb:
        continue
    r_rps, m_rps = med(redis, 'rps'), med(memdb, 'rps')
    r50, r99, m50, m99 = med(redis, 'p50_ms'), med(redis, 'p99_ms'), med(memdb, 'p50_ms'), med(memdb, 'p99_ms')
    extra = ""
    base = by.get('base', [])
    if with_base and base:
        b_rps = med(base, 'rps')
        extra = f" {b_rps:,.0f} | {med(base, 'p50_ms'):.3f} / {med(base, 'p99_ms'):.3f} | {m_rps / b_rps:.2f}x |"
    elif with_base:
        extra = " | | |"
    native = by.get('native', [])
    if with_native and native:
        n_rps = med(native, 'rps')
        extra += f" {n_rps:,.0f} | {med(native, 'p50_ms'):.3f} / {med(native, 'p99_ms'):.3f} | {n_rps / m_rps:.2f}x |"
        extra += f" {med(memdb, 'server_cpu_us'):.2f} + {med(memdb, 'gen_cpu_us'):.2f} | {med(native, 'server_cpu_us'):.2f} + {med(native, 'gen_cpu_us'):.2f} |"
    print(f"| {mode} | {test} | {pipeline} | {r_rps:,.0f} | {m_rps:,.0f} | {m_rps / r_rps:.2f}x | {r50:.3f} / {r99:.3f} "
          f"| {m50:.3f} / {m99:.3f} | {m99 / r99 if r99 else float('inf'):.2f}x | {len(memdb)} |{extra}")

# CPU a request, medians over the rounds (SET and GET of one run share their figures): each server's own, and the
# whole machine's over the same runs; rows written before this column existed have none
print()
print("| durability | -P | Redis CPU us/req | MemDB CPU us/req | MemDB / Redis | machine busy us/req under Redis | under MemDB |")
print("|---|---|---:|---:|---:|---:|---:|")
for (mode, pipeline) in dict.fromkeys((m, p) for (m, _, p) in groups):
    by = {s: [r for r in rows if r['mode'] == mode and r['pipeline'] == pipeline and r['system'] == s] for s in ('redis', 'memdb')}
    if not by['redis'] or not by['memdb']:
        continue
    rc, mc = med(by['redis'], 'server_cpu_us'), med(by['memdb'], 'server_cpu_us')
    busy = [[r for r in by[s] if r.get('machine_busy_us')] for s in ('redis', 'memdb')]
    rb, mb = (f"{med(b, 'machine_busy_us'):.2f}" if b else "" for b in busy)
    print(f"| {mode} | {pipeline} | {rc:.2f} | {mc:.2f} | {mc / rc if rc else float('inf'):.2f}x | {rb} | {mb} |")
EOF
log "raw results: $RESULTS"
