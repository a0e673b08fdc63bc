#!/usr/bin/env bash
# Issue-3 figures, MemDB and Redis side by side in one run (docs/oplog-benchmark.md).
#
#   bench/oplog-vs-redis.sh [RECORDS [ROUNDS]]      defaults: 1000000 records, 3 rounds
#   env: MEMDB_JAR=path (another memdb.jar), BOOT_ROUNDS=N (boot rounds, default ROUNDS), SKIP_BUILD=1 (jar and test classes already built), KEEP=1 (keep the work directory),
#        WRITE_N=20000 (records per write-throughput run through the node), SKIP_WRITES=1, SKIP_OPLOGBENCH=1,
#        LAUNCHER=1 (start the node with bin/memdb, i.e. with the launcher's JVM flags and CDS archive, not java -jar),
#        REUSE=DIR (the work directory of an earlier run, kept with KEEP=1: the data sets already there are not
#        loaded again, only what is missing; the directory is kept),
#        MEMDB_JAR_B=path (a second memdb.jar, e.g. main's build, booted in every round on the same logs right
#        after the first, recorded as system memdb-b: two builds side by side in one run; with LAUNCHER=1 its
#        CDS archive must lie next to it, memdb.jar -> memdb.jsa, built for that path)
#
# 1. Loads RECORDS SETs (key:%012d = 16 bytes, 100-byte values, identical bytes for both systems) into a
#    real MemDB node (--fsync everysec, pipelined client) and into redis-server (appendonly yes,
#    appendfsync everysec, redis-cli --pipe).
# 2. ROUNDS interleaved rounds of boot-to-ready: MemDB on its raw log and on the log compacted offline
#    (memdb log-compact: LZ4 snapshot), Redis on its raw AOF (SET commands) and after BGREWRITEAOF
#    (RDB preamble). `uptime` before each round. Besides the wall-clock time, each boot records the CPU time
#    (user + system, all threads) the server process had used when it became ready: on a loaded machine
#    the wall clock mostly measures the scheduler, the CPU time much less so.
# 3. Write throughput through the node per --fsync policy (64 concurrent writers, and 1 pipelined writer),
#    redis-benchmark per appendfsync for reference, and OpLogBenchmark (in-process) per round.
# Everything listens on 127.0.0.1 on free ports; every process started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RECORDS=${1:-1000000}
ROUNDS=${2:-3}
BOOT_ROUNDS=${BOOT_ROUNDS:-$ROUNDS}
WRITE_N=${WRITE_N:-20000}
J=${MEMDB_JAR:-memdb-cli/target/memdb.jar}
AUTH=bench-key

need_redis
if [[ -z ${SKIP_BUILD:-} ]]; then
    log "building"
    mvn -B -o -q -DskipTests package
    mvn -B -o -q -pl memdb-daemon -am test-compile
fi
LZ4=$(ls ~/.m2/repository/at/yawk/lz4/lz4-java/*/lz4-java-*.jar | head -1)
CP=memdb-client/target/classes:memdb-daemon/target/classes:memdb-daemon/target/test-classes:$LZ4

work_dirs oplog-vs-redis
if [[ -n ${REUSE:-} ]]; then rmdir "$WORK"; WORK=$(realpath "$REUSE"); KEEP=1; fi
RESULTS=$OUT/results.tsv
record() { printf '%s\n' "$*" | tr ' ' '\t' >>"$RESULTS"; }   # round system variant value unit
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"; }   # user + system CPU of a PID
# memdb_server JAR: the command that starts a node of that jar
memdb_server() {
    if [[ -n ${LAUNCHER:-} ]]; then MEMDB_SERVER=(env MEMDB_JAR="$(realpath "$1")" bin/memdb server); else MEMDB_SERVER=(java -jar "$1" server); fi
}
memdb_server "$J"

# start_memdb DIR FSYNC -> sets MPID MPORT BOOT_MS (process start to the "listening" line with the port
# accepting connections). Compaction threshold 0: the node never compacts by itself here.
start_memdb() {
    local dir=$1 fsync=$2 t0 deadline
    MPORT=$(free_port); local aport; aport=$(free_port)
    t0=$(now_ms); deadline=$((t0 + 300000))
    MEMDB_COMPACTION_THRESHOLD_BYTES=0 "${MEMDB_SERVER[@]}" --port "$MPORT" --admin-port "$aport" --bind 127.0.0.1 \
        --data-dir "$dir" --auth-key $AUTH --fsync "$fsync" 2>"$dir.stderr" &
    MPID=$!; PIDS+=("$MPID")
    until grep -q "listening" "$dir.stderr" 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/"$MPORT") 2>/dev/null; do
        kill -0 "$MPID" 2>/dev/null || { cat "$dir.stderr" >&2; echo "memdb node died" >&2; exit 1; }
        (($(now_ms) < deadline)) || { echo "memdb node not ready in 300 s" >&2; exit 1; }
        sleep 0.01
    done
    BOOT_MS=$(($(now_ms) - t0))
    BOOT_CPU_MS=$(cpu_ms "$MPID")
}

# start_redis DIR [extra args] -> sets RPID RPORT BOOT_MS (process start to PING answering PONG and
# INFO persistence saying loading:0).
start_redis() {
    local dir=$1; shift
    local t0 deadline
    RPORT=$(free_port)
    t0=$(now_ms); deadline=$((t0 + 300000))
    redis-server --port "$RPORT" --bind 127.0.0.1 --dir "$dir" --appendonly yes --appendfsync everysec --save '' \
        --daemonize no --logfile "$dir/redis.log" "$@" &
    RPID=$!; PIDS+=("$RPID")
    until [[ $(redis-cli -p "$RPORT" ping 2>/dev/null) == PONG ]] \
        && redis-cli -p "$RPORT" info persistence 2>/dev/null | grep -q '^loading:0'; do
        kill -0 "$RPID" 2>/dev/null || { cat "$dir/redis.log" >&2; echo "redis died" >&2; exit 1; }
        (($(now_ms) < deadline)) || { echo "redis not ready in 300 s" >&2; exit 1; }
        sleep 0.01
    done
    BOOT_MS=$(($(now_ms) - t0))
    BOOT_CPU_MS=$(cpu_ms "$RPID")
}

log "$(machine)"
log "work directory $WORK, results in $OUT; $RECORDS records, $ROUNDS rounds"

javac -cp $J -d "$WORK/loader" bench/MemDbLoad.java

# ---- 1. load the same data into both (each step skipped when REUSE's directory already has its result) --
mkdir -p "$WORK/memdb-raw" "$WORK/redis-raw"
if [[ ! -f $WORK/memdb-last ]]; then
    log "load: memdb node, fsync everysec, 1 writer x 1000 in flight; uptime: $(uptime)"
    start_memdb "$WORK/memdb-raw" everysec
    java -cp $J:$WORK/loader MemDbLoad load 127.0.0.1 "$MPORT" $AUTH "$RECORDS" 1 1000 | tee "$WORK/memdb-load.txt" >&2
    for ((i = 0; i < 3; i++)); do   # the CLI gives up after 5 s: retry, a loaded machine can be that slow
        MEMDB_LAST=$(java -jar $J get "key:$(printf %012d $((RECORDS - 1)))" -s 127.0.0.1:"$MPORT" -a $AUTH) && break
    done
    stop_pid "$MPID"
    printf '%s' "$MEMDB_LAST" >"$WORK/memdb-last"
    record 0 memdb load "$(awk '{print $(NF-1)}' "$WORK/memdb-load.txt")" records/s
fi
MEMDB_LAST=$(cat "$WORK/memdb-last")

if [[ ! -f $WORK/redis-last ]]; then
    log "load: redis, appendfsync everysec, redis-cli --pipe"
    java -cp $J:$WORK/loader MemDbLoad resp "$RECORDS" >"$WORK/set.resp"
    start_redis "$WORK/redis-raw" --auto-aof-rewrite-percentage 0   # the raw AOF stays all SET commands
    t0=$(now_ms)
    redis-cli -p "$RPORT" --pipe <"$WORK/set.resp" >&2
    t1=$(now_ms)
    record 0 redis load "$((RECORDS * 1000 / (t1 - t0)))" records/s
    REDIS_LAST=$(redis-cli -p "$RPORT" get "key:$(printf %012d $((RECORDS - 1)))")
    [[ $(redis-cli -p "$RPORT" dbsize) == "$RECORDS" ]] || { echo "redis dbsize wrong" >&2; exit 1; }
    stop_pid "$RPID"   # SIGTERM: redis fsyncs the AOF and exits
    printf '%s' "$REDIS_LAST" >"$WORK/redis-last"
    rm -f "$WORK/set.resp"
fi
REDIS_LAST=$(cat "$WORK/redis-last")
[[ $MEMDB_LAST == "$REDIS_LAST" ]] || { echo "last value differs: memdb '$MEMDB_LAST' redis '$REDIS_LAST'" >&2; exit 1; }
log "both hold $RECORDS keys; last value identical: $REDIS_LAST"

if [[ ! -d $WORK/memdb-compacted ]]; then
    cp -r "$WORK/memdb-raw" "$WORK/memdb-compacted"
    rm -f "$WORK/memdb-compacted/LOCK"
    java -jar $J log-compact "$WORK/memdb-compacted" >&2
fi
if [[ ! -d $WORK/redis-rewritten ]]; then
    cp -r "$WORK/redis-raw" "$WORK/redis-rewritten"
    start_redis "$WORK/redis-rewritten"
    redis-cli -p "$RPORT" bgrewriteaof >/dev/null
    until redis-cli -p "$RPORT" info persistence | grep -q '^aof_rewrite_in_progress:0' \
        && ! redis-cli -p "$RPORT" info persistence | grep -q '^aof_rewrite_scheduled:1'; do sleep 0.1; done
    sleep 0.5
    stop_pid "$RPID"
fi
{
    echo "on-disk sizes (bytes):"
    for d in memdb-raw memdb-compacted redis-raw redis-rewritten; do
        printf '  %-16s %s\n' "$d" "$(find "$WORK/$d" -type f \( -name '*.seg' -o -path '*appendonlydir*' \) -printf '%s\n' | awk '{s+=$1} END {print s}')"
    done
    ls -l "$WORK"/memdb-raw "$WORK"/memdb-compacted "$WORK"/redis-raw/appendonlydir "$WORK"/redis-rewritten/appendonlydir
} >&2

# ---- 2. boot to ready, interleaved rounds ----------------------------------------------------------
boot_memdb() { # round variant [system jar]
    local system=${3:-memdb}
    memdb_server "${4:-$J}"
    start_memdb "$WORK/memdb-$2" everysec
    local n i   # data check (the CLI gives up after 5 s: retry, a loaded machine can be that slow)
    for ((i = 0; i < 3; i++)); do
        n=$(java -jar $J get "key:$(printf %012d $((RECORDS - 1)))" -s 127.0.0.1:"$MPORT" -a $AUTH 2>&1) && break
    done
    [[ $n == "$MEMDB_LAST" ]] || log "WARNING memdb-$2: last key not checked or different: $n"
    stop_pid "$MPID"
    log "round $1 $system $2: boot to ready $BOOT_MS ms, CPU $BOOT_CPU_MS ms ($(grep -o -m1 'boot:.*' "$WORK/memdb-$2.stderr" || true))"
    record "$1" "$system" "boot-$2" "$BOOT_MS" ms
    record "$1" "$system" "boot-cpu-$2" "$BOOT_CPU_MS" ms
    memdb_server "$J"
}
# boot_memdb_b round variant: the same boot with MEMDB_JAR_B, if given
boot_memdb_b() { if [[ -n ${MEMDB_JAR_B:-} ]]; then boot_memdb "$1" "$2" memdb-b "$MEMDB_JAR_B"; fi; }
boot_redis() {
    start_redis "$WORK/redis-$2"
    [[ $(redis-cli -p "$RPORT" dbsize) == "$RECORDS" ]] || { echo "redis-$2 lost data" >&2; exit 1; }
    stop_pid "$RPID"
    local own; own=$(grep -o 'DB loaded from append only file: [0-9.]* seconds' "$WORK/redis-$2/redis.log" | tail -1 | grep -o '[0-9.]*' | head -1 || true)
    log "round $1 redis $2: boot to ready $BOOT_MS ms, CPU $BOOT_CPU_MS ms (redis log: loaded in $own s)"
    record "$1" redis "boot-$2" "$BOOT_MS" ms
    record "$1" redis "boot-cpu-$2" "$BOOT_CPU_MS" ms
    record "$1" redis "own-load-$2" "$(awk -v s="$own" 'BEGIN {print int(s * 1000 + 0.5)}')" ms
}
for ((r = 1; r <= BOOT_ROUNDS; r++)); do
    up=$(uptime); log "round $r uptime: $up"; echo "boot round $r: $up" >>"$OUT/uptime.txt"
    if ((r % 2)); then
        boot_memdb $r raw; boot_memdb_b $r raw; boot_redis $r raw; boot_memdb_b $r compacted; boot_memdb $r compacted; boot_redis $r rewritten
    else
        boot_redis $r raw; boot_memdb_b $r raw; boot_memdb $r raw; boot_redis $r rewritten; boot_memdb $r compacted; boot_memdb_b $r compacted
    fi
done

# ---- 3. write throughput per fsync policy -----------------------------------------------------------
WRITE_ROUNDS=$ROUNDS; [[ -z ${SKIP_WRITES:-} ]] || WRITE_ROUNDS=0
for ((r = 1; r <= WRITE_ROUNDS; r++)); do
    up=$(uptime); log "write round $r uptime: $up"; echo "write round $r: $up" >>"$OUT/uptime.txt"
    for f in no everysec always; do
        d=$WORK/write-$f-$r; mkdir -p "$d"
        start_memdb "$d" $f
        out=$(java -cp $J:$WORK/loader MemDbLoad load 127.0.0.1 "$MPORT" $AUTH "$WRITE_N" 64 1)
        log "round $r memdb fsync=$f: $out"
        record "$r" memdb "write64-$f" "$(awk '{print $(NF-1)}' <<<"$out")" records/s
        out=$(java -cp $J:$WORK/loader MemDbLoad load 127.0.0.1 "$MPORT" $AUTH "$WRITE_N" 1 1000)
        log "round $r memdb fsync=$f: $out"
        record "$r" memdb "write-pipelined-$f" "$(awk '{print $(NF-1)}' <<<"$out")" records/s
        stop_pid "$MPID"; rm -rf "$d"
        mkdir -p "$d"
        start_redis "$d" --appendfsync $f
        out=$(redis-benchmark -p "$RPORT" -q -t set -c 64 -n $((WRITE_N * 5)) -d 100 -r 1000000 2>/dev/null | tr '\r' '\n' | grep 'requests per second' | tail -1)
        log "round $r redis appendfsync=$f, redis-benchmark -c 64: $out"
        record "$r" redis "write64-$f" "$(grep -o '^SET: [0-9.]*' <<<"$out" | grep -o '[0-9.]*')" records/s
        stop_pid "$RPID"; rm -rf "$d"
    done
done

# ---- 4. OpLogBenchmark (in-process: fsync policies, pure replay, compaction) -------------------------
if [[ -z ${SKIP_OPLOGBENCH:-} ]]; then
    for ((r = 1; r <= ROUNDS; r++)); do
        up=$(uptime); log "OpLogBenchmark round $r uptime: $up"; echo "OpLogBenchmark round $r: $up" >>"$OUT/uptime.txt"
        java -Xmx2g -cp "$CP" memdb.oplog.OpLogBenchmark "$WORK/oplogbench" "$RECORDS" | tee "$WORK/oplogbench-$r.txt" >&2
        awk -v r="$r" '
            /^write fsync=/ { split($2, a, "="); for (i = 1; i <= NF; i++) if ($i == "records/s,") v = $(i-1); gsub(",", "", v); print r "\toplogbench\twrite-" a[2] "\t" v "\trecords/s" }
            /^replay/ { for (i = 1; i <= NF; i++) if ($i == "records/s") v = $(i-1); gsub(",", "", v); print r "\toplogbench\treplay\t" v "\trecords/s";
                        for (i = 1; i <= NF; i++) if ($i == "s:") s = $(i-1); print r "\toplogbench\treplay-time\t" s * 1000 "\tms" }
            /^compaction in/ { print r "\toplogbench\tcompaction-time\t" $3 * 1000 "\tms" }
        ' "$WORK/oplogbench-$r.txt" >>"$RESULTS"
        rm -rf "$WORK/oplogbench"
    done
fi

# ---- summary: medians ---------------------------------------------------------------------------------
echo "== uptime before each round"
cat "$OUT/uptime.txt"
echo "== raw results (round, system, measure, value, unit)"
cat "$RESULTS"
echo "== medians over rounds"
awk -F'\t' '{ k = $2 " " $3 " (" $5 ")"; v[k] = v[k] " " $4 }
    END { for (k in v) { n = split(substr(v[k], 2), a, " "); 
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
            m = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2; printf "%-42s %12s   (rounds: %s)\n", k, m, substr(v[k], 2) } }' "$RESULTS" | sort
