#!/usr/bin/env bash
# Issue-8 side-by-side: 3 Hazelcast members (an IMap with 2 synchronous backups) against 3 MemDB nodes
# (N=3, write QUORUM), the same client load against each, in the same run (docs/performance.md,
# "3 nodes against Hazelcast").
#
#   bench/compare-hazelcast.sh [ROUNDS]            default 3 rounds (medians need >= 3)
#   env: N=100000 (measured requests per test), WARMUP=20000 (unmeasured requests first, same client JVM),
#        CLIENTS=50, KEYS=100000 (random keys key:%012d), SIZE=3 (value bytes: memdb bench's default),
#        SINGLE=0 (leave out the 1 member / 1 node pair), WARM_ROUND=0 (no unmeasured round 0 first), ASYNC=1 (Hazelcast client: async closed loop
#        instead of a blocking thread per client), SKIP_BUILD=1 (memdb.jar already built),
#        MEMDB_JAR=path (another memdb.jar), HAZELCAST_JAR=path (else ~/.m2, fetched with mvn if missing),
#        HAZELCAST_VERSION=5.7.0, KEEP=1 (keep the work directory), OUT=dir (results),
#        PROFILE=1 (after the rounds: one more set run against each 3-server target with the CPU time of every
#        server thread recorded (bench/thread-cpu.py), then one more MemDB QUORUM set run with JFR, settings=profile,
#        on node c1 and on the bench client, their samples aggregated per thread and top frame by bench/jfr-top.py)
#
# Started on free loopback ports, all at once, and stopped by their PID on exit:
#   hz3: 3 Hazelcast members (bench/HazelcastMember.java, default JVM flags), maps sync2 (backup-count 2: a write
#        waits for all 3 copies, stronger than QUORUM) and sync1async1 (backup-count 1 + async-backup-count 1: a
#        write waits for 2 of 3 copies, the third follows: the equivalent of N=3 write QUORUM);
#   memdb3: 3 MemDB nodes seeded with each other (replication factor 3), --fsync no (Hazelcast keeps no disk copy);
#   hz1, memdb1 (unless SINGLE=0): one Hazelcast member, one MemDB node.
# First an unmeasured round 0 (the servers' JVMs compile their hot paths: a cold cluster's first run is 2-3x slower),
# then in each round every figure runs once, Hazelcast and MemDB in turn, the order alternating by round; each run is
# one client JVM for one test (warm-up, then the measured requests):
#   java HazelcastLoad --members ... --map MAP -t TEST -n N --warmup WARMUP -c CLIENTS -r KEYS -d SIZE
#   memdb bench -s SEEDS -t TEST -n N --warmup WARMUP -c CLIENTS -r KEYS -d SIZE --consistency QUORUM|ONE --json
# Hazelcast reads go to the key's owner only: one copy answers, as in MemDB's ONE read; MemDB's QUORUM read
# asks two of three. Around each run the CPU time of the target's server JVMs (from /proc) and of the client
# JVM (all of it: start-up, warm-up and measured requests) is recorded.
# Output: a table of medians (ops/s, p50/p99 ms, server CPU per request) and the ratios MemDB / Hazelcast, and the
# raw rows in $OUT/results.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
N=${N:-100000}
WARMUP=${WARMUP:-20000}
CLIENTS=${CLIENTS:-50}
KEYS=${KEYS:-100000}
SIZE=${SIZE:-3}
SINGLE=${SINGLE:-1}
WARM_ROUND=${WARM_ROUND:-1}
HAZELCAST_VERSION=${HAZELCAST_VERSION:-5.7.0}
HZ_JAR=${HAZELCAST_JAR:-$HOME/.m2/repository/com/hazelcast/hazelcast/$HAZELCAST_VERSION/hazelcast-$HAZELCAST_VERSION.jar}
JAR=${MEMDB_JAR:-$(pwd)/memdb-cli/target/memdb.jar}
KEY=bench-key
source bench/nodes.sh
work_dirs compare-hazelcast
RESULTS=$OUT/results.tsv
TICK=$(getconf CLK_TCK)
# Hazelcast's own start script (bin/hz) opens these to the member on Java 9+; without them it logs warnings
HZ_JAVA_OPTS=${HZ_JAVA_OPTS:---add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED}

if [[ ! -f $HZ_JAR ]]; then
    log "fetching com.hazelcast:hazelcast:$HAZELCAST_VERSION into ~/.m2 (a bench-only tool, in no pom)"
    mvn -B -q dependency:get -Dartifact="com.hazelcast:hazelcast:$HAZELCAST_VERSION" -Dtransitive=false
fi
if [[ -z ${SKIP_BUILD:-} && -z ${MEMDB_JAR:-} ]]; then
    log "building memdb.jar"
    mvn -B -o -q -pl memdb-cli -am package -DskipTests -Dmemdb.cds.skip
fi
javac -d "$WORK/classes" -cp "$HZ_JAR" bench/HazelcastMember.java bench/HazelcastLoad.java
HZ_CP=$WORK/classes:$HZ_JAR

# start_hz_member NAME CLUSTER PORT MEMBERS: a member in the background, waits until it listens (60 s at most)
start_hz_member() {
    local name=$1 cluster=$2 port=$3 members=$4 dir=$OUT/$1
    mkdir -p "$dir"
    # shellcheck disable=SC2086
    java $HZ_JAVA_OPTS -cp "$HZ_CP" HazelcastMember "$cluster" "$port" "$members" >"$dir/stdout" 2>"$dir/stderr" &
    PIDS+=($!); echo $! >"$dir/pid"
    for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0; sleep 0.2; done
    echo "Hazelcast member $name did not listen on $port" >&2; exit 1
}

# cpu_ticks PID...: their user + system CPU time so far, in clock ticks
cpu_ticks() {
    local pid total=0 stat
    for pid in "$@"; do read -r -a stat <"/proc/$pid/stat"; total=$((total + stat[13] + stat[14])); done
    echo "$total"
}

declare -A SERVER_PIDS=()   # target -> its server PIDs
H1=$(free_port); H2=$(free_port); H3=$(free_port)
HZ3="127.0.0.1:$H1,127.0.0.1:$H2,127.0.0.1:$H3"
for i in 1 2 3; do
    port_var=H$i
    start_hz_member "hz3-$i" bench3 "${!port_var}" "$HZ3"
    SERVER_PIDS[hz3]+="$(cat "$OUT/hz3-$i/pid") "
done
C1=$(free_port); C2=$(free_port); C3=$(free_port)
MEMDB3="127.0.0.1:$C1,127.0.0.1:$C2,127.0.0.1:$C3"
for i in 1 2 3; do
    port_var=C$i
    start_node "c$i" "$i" "${!port_var}" "$MEMDB3" --fsync no
    SERVER_PIDS[memdb3]+="${PIDS[-1]} "
done
if [[ $SINGLE == 1 ]]; then
    HZ1="127.0.0.1:$(free_port)"
    start_hz_member hz1 bench1 "${HZ1#*:}" "$HZ1"
    SERVER_PIDS[hz1]="$(cat "$OUT/hz1/pid")"
    MEMDB1="127.0.0.1:$(free_port)"
    start_node single 1 "${MEMDB1#*:}" "" --fsync no
    SERVER_PIDS[memdb1]=${PIDS[-1]}
fi
await_cluster_up c1 3

printf 'round\tsystem\ttarget\tfigure\tops_per_sec\tp50_ms\tp99_ms\terrors\tcomplete\trequests\tserver_cpu_s\tclient_cpu_s\n' >"$RESULTS"

# run ROUND SYSTEM TARGET FIGURE TEST CLIENT_COMMAND...: one client JVM, its report and CPU times appended to the results
run() {
    local round=$1 system=$2 target=$3 figure=$4 test=$5; shift 5
    local json=$WORK/$target-$figure-$round.json before after TIMEFORMAT='%3U %3S' user sys
    # shellcheck disable=SC2086
    before=$(cpu_ticks ${SERVER_PIDS[$target]})
    { time "$@" >"$json" 2>"$WORK/client.err"; } 2>"$WORK/time" || { cat "$WORK/client.err" >&2; exit 1; }
    # shellcheck disable=SC2086
    after=$(cpu_ticks ${SERVER_PIDS[$target]})
    read -r user sys <"$WORK/time"
    cp "$json" "$OUT/"
    python3 - "$json" "$test" "$round" "$system" "$target" "$figure" "$((after - before))" "$TICK" "$user" "$sys" "$((N + WARMUP))" >>"$RESULTS" <<'EOF'
import json, sys
path, test, round_, system, target, figure, ticks, tick, user, sys_, requests = sys.argv[1:]
report = [line for line in open(path) if line.startswith("{")][-1]  # a JFR start-up line may come first
t = next(t for t in json.loads(report)["tests"] if t["test"] == test)
print("\t".join(map(str, [round_, system, target, figure, t["ops_per_sec"], t["p50_ms"], t["p99_ms"], t["errors"], t["complete"],
                          requests, int(ticks) / int(tick), float(user) + float(sys_)])))
EOF
    log "  round $round $target $figure: $(tail -1 "$RESULTS" | cut -f5-7 | tr '\t' ' ') (ops/s p50 p99)"
}

LOAD=(-n "$N" --warmup "$WARMUP" -c "$CLIENTS" -r "$KEYS" -d "$SIZE")
HZ_ASYNC=(); [[ -z ${ASYNC:-} ]] || HZ_ASYNC=(--async)
hazelcast() { # hazelcast ROUND TARGET MEMBERS EXPECT MAP TEST
    run "$1" hazelcast "$2" "$5 $6" "$6" java -cp "$HZ_CP" HazelcastLoad --members "$3" --cluster "bench${4}" --expect "$4" \
        --map "$5" -t "$6" "${LOAD[@]}" "${HZ_ASYNC[@]}"
}
memdb() { # memdb ROUND TARGET SEEDS CONSISTENCY TEST
    run "$1" memdb "$2" "$4 $5" "$5" java -jar "$JAR" bench -s "$3" -a "$KEY" -t "$5" "${LOAD[@]}" --consistency "$4" --json
}
round_of() { # round_of ROUND SYSTEM: every figure of that system in this round
    local round=$1 test
    if [[ $2 == hazelcast ]]; then
        for test in set get; do hazelcast "$round" hz3 "$HZ3" 3 sync2 "$test"; done
        hazelcast "$round" hz3 "$HZ3" 3 sync1async1 set
        if [[ $SINGLE == 1 ]]; then for test in set get; do hazelcast "$round" hz1 "$HZ1" 1 sync2 "$test"; done; fi
    else
        for test in set get; do memdb "$round" memdb3 "$MEMDB3" QUORUM "$test"; done
        memdb "$round" memdb3 "$MEMDB3" ONE get
        if [[ $SINGLE == 1 ]]; then for test in set get; do memdb "$round" memdb1 "$MEMDB1" QUORUM "$test"; done; fi
    fi
}

log "$(machine)"
log "work directory $WORK, results in $OUT; $ROUNDS rounds; load: ${LOAD[*]}; Hazelcast client: ${HZ_ASYNC[*]:-blocking threads}"
for ((round = WARM_ROUND ? 0 : 1; round <= ROUNDS; round++)); do
    log "round $round$( ((round)) || echo ' (warm-up, not counted)'); uptime: $(uptime)"
    if ((round % 2)); then order=(hazelcast memdb); else order=(memdb hazelcast); fi
    for system in "${order[@]}"; do round_of "$round" "$system"; done
done
log "after the rounds; uptime: $(uptime)"

if [[ -n ${PROFILE:-} ]]; then
    # CPU per thread of the 3 servers of each system during one more set run (exact, from /proc)
    # shellcheck disable=SC2086
    for target in hz3 memdb3; do
        python3 bench/thread-cpu.py snap ${SERVER_PIDS[$target]} >"$WORK/threads-before.json"
        if [[ $target == hz3 ]]; then hazelcast profile hz3 "$HZ3" 3 sync2 set; else memdb profile memdb3 "$MEMDB3" QUORUM set; fi
        python3 bench/thread-cpu.py snap ${SERVER_PIDS[$target]} >"$WORK/threads-after.json"
        python3 bench/thread-cpu.py diff "$WORK/threads-before.json" "$WORK/threads-after.json" >"$OUT/$target-threads.txt"
    done
    c1_pid=$(echo "${SERVER_PIDS[memdb3]}" | cut -d' ' -f1)
    log "profile: JFR (settings=profile) on node c1 (pid $c1_pid) and on the bench client, during a QUORUM set run"
    jcmd "$c1_pid" JFR.start name=compare-hazelcast settings=profile filename="$OUT/node-c1.jfr" >/dev/null
    run profile memdb memdb3 "QUORUM set (JFR)" set java -XX:StartFlightRecording=settings=profile,filename="$OUT/client.jfr" \
        -jar "$JAR" bench -s "$MEMDB3" -a "$KEY" -t set "${LOAD[@]}" --consistency QUORUM --json
    jcmd "$c1_pid" JFR.stop name=compare-hazelcast >/dev/null
    for recording in node-c1 client; do python3 bench/jfr-top.py "$OUT/$recording.jfr" >"$OUT/$recording-top.txt"; done
    log "profile: $OUT/{hz3,memdb3}-threads.txt (CPU per server thread), $OUT/{node-c1,client}-top.txt (JFR samples)"
fi

# ---- the table: medians per (target, figure) and the ratios MemDB / Hazelcast --------------------------------
python3 - "$RESULTS" <<'EOF'
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]), delimiter='\t') if r['round'] not in ('0', 'profile')]
groups = {}
for r in rows:
    assert r['errors'] == '0' and r['complete'] == 'True', r
    groups.setdefault((r['target'], r['figure']), []).append(r)
med = lambda rs, f: statistics.median(float(r[f]) for r in rs)
names = {'hz3': 'Hazelcast, 3 members', 'memdb3': 'MemDB, 3 nodes', 'hz1': 'Hazelcast, 1 member', 'memdb1': 'MemDB, 1 node'}
figures = {'sync2 set': 'set, 2 sync backups', 'sync2 get': 'get', 'sync1async1 set': 'set, 1 sync + 1 async backup',
           'QUORUM set': 'set, QUORUM', 'QUORUM get': 'get, QUORUM', 'ONE get': 'get, ONE'}
print("| target | figure | ops/s per round | median ops/s | p50 ms | p99 ms | server CPU µs/request | client CPU s/run |")
print("|---|---|---|---:|---:|---:|---:|---:|")
medians = {}
for (target, figure), rs in groups.items():
    ops = med(rs, 'ops_per_sec'); medians[(target, figure)] = ops
    cpu_us = statistics.median(float(r['server_cpu_s']) * 1e6 / int(r['requests']) for r in rs)
    label = figures.get(figure, figure) if not target.endswith('1') else figure.split()[-1]
    print(f"| {names[target]} | {label} | {' '.join(str(round(float(r['ops_per_sec']))) for r in rs)} | {ops:,.0f} "
          f"| {med(rs, 'p50_ms'):.2f} | {med(rs, 'p99_ms'):.2f} | {cpu_us:.0f} | {med(rs, 'client_cpu_s'):.1f} |")
print()
ratios = [("MemDB QUORUM set / Hazelcast set, 2 sync backups (goal >= 2)", ('memdb3', 'QUORUM set'), ('hz3', 'sync2 set')),
          ("MemDB QUORUM set / Hazelcast set, 1 sync + 1 async backup", ('memdb3', 'QUORUM set'), ('hz3', 'sync1async1 set')),
          ("MemDB QUORUM get / Hazelcast get (goal >= 1)", ('memdb3', 'QUORUM get'), ('hz3', 'sync2 get')),
          ("MemDB ONE get / Hazelcast get (goal >= 1)", ('memdb3', 'ONE get'), ('hz3', 'sync2 get')),
          ("1 node: MemDB set / Hazelcast set", ('memdb1', 'QUORUM set'), ('hz1', 'sync2 set')),
          ("1 node: MemDB get / Hazelcast get", ('memdb1', 'QUORUM get'), ('hz1', 'sync2 get'))]
for text, mine, theirs in ratios:
    if mine in medians and theirs in medians:
        print(f"ratio {text}: {medians[mine] / medians[theirs]:.2f}")
EOF
log "raw results: $RESULTS"
