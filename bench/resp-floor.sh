#!/usr/bin/env bash
# What a RESP request costs a server at -P 1, against its floors (docs/performance.md, "Session 10"): a bare Netty
# epoll server that answers without parsing or storing (bench/BareNettyResp.java), Redis, and a MemDB node
# (--persistence off, as Redis without persistence), each warmed up, then the same redis-benchmark against each in
# turn; per server its throughput and CPU per request (all its threads, user and system, from /proc), and beside
# it what the same requests cost the load generator (redis-benchmark's user and system CPU) and the whole machine
# (all cores, from /proc/stat: user, system with the kernel's interrupt work, and idle): how much of a request's
# cost is the server's own code, and so how far a faster server could move the throughput at all.
#
#   bench/resp-floor.sh [ROUNDS]        default 3
#   env: N=400000 (requests per test), P=1 (pipeline), MEMDB_JAR=path, SKIP_BUILD=1,
#        BASE_JAR=path (also measures a node of that build, "base", in each round: a change side by side),
#        NODE_OPTS, BASE_OPTS (JVM flags of either node, after -XX:MaxTenuringThreshold=1, e.g. another collector)
# Every process started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
need_redis
ROUNDS=${1:-3}
N=${N:-400000}
P=${P:-1}
J=${MEMDB_JAR:-memdb-cli/target/memdb.jar}
AUTH=bench-floor
[[ -n ${SKIP_BUILD:-} ]] || { log "building memdb.jar"; mvn -B -o -q -DskipTests -Dmemdb.cds.skip package; }
work_dirs resp-floor
log "$(machine)"
javac -cp "$J" -d "$WORK/bare" bench/BareNettyResp.java
TICK=$(getconf CLK_TCK)

measure() { # NAME PID PORT [AUTH]: warm-up, then the measured run, and the CPU of the server, load generator and machine over it
    local auth=() u0 s0 u1 s1 mu0 ms0 mi0 mu1 ms1 mi1 cu cs out
    [[ -n ${4:-} ]] && auth=(-a "$4")
    redis-benchmark -p "$3" "${auth[@]}" -t set,get -n 300000 -c 50 -d 16 -P "$P" -q >/dev/null 2>&1
    read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$2/stat")
    read -r mu0 ms0 mi0 < <(machine_cpu)
    measured redis-benchmark -p "$3" "${auth[@]}" -t set,get -n "$N" -c 50 -d 16 -P "$P" -q >"$WORK/bench.out" 2>/dev/null
    read -r mu1 ms1 mi1 < <(machine_cpu)
    read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$2/stat")
    read -r cu cs <"$WORK/gen.cpu"
    out=$(tr '\r' '\n' <"$WORK/bench.out" | awk '/per second/ {printf "%s %.0f/s  ", $1, $2}')
    awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v n=$((2 * N)) -v t="$TICK" -v name="$1" -v o="$out" -v cu="$cu" -v cs="$cs" \
        -v mu=$((mu1 - mu0)) -v ms=$((ms1 - ms0)) -v mi=$((mi1 - mi0)) 'BEGIN {
            f = 1e6 / t / n
            printf "%-6s %s server CPU us/request: user %.2f system %.2f total %.2f | load generator user %.2f system %.2f | machine user %.2f system %.2f idle %.2f\n",
                name, o, u * f, s * f, (u + s) * f, cu * 1e6 / n, cs * 1e6 / n, mu * f, ms * f, mi * f }'
}

BARE_PORT=$(free_port); java -cp "$J:$WORK/bare" BareNettyResp "$BARE_PORT" 2>"$WORK/bare.stderr" & BARE=$!; PIDS+=("$BARE")
REDIS_PORT=$(free_port); redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 & REDIS=$!; PIDS+=("$REDIS")
start_node() { # NAME JAR [JVM FLAGS]: a node without persistence; sets PORT and PID
    PORT=$(free_port)
    # shellcheck disable=SC2086 # the flags are words
    java -XX:MaxTenuringThreshold=1 ${3:-} -jar "$2" server --bind 127.0.0.1 --port "$(free_port)" --admin-port "$(free_port)" \
        --resp-port "$PORT" --data-dir "$WORK/$1-db" --persistence off --auth-key $AUTH >/dev/null 2>"$WORK/$1.stderr" &
    PID=$!; PIDS+=("$PID")
    wait_resp "$PORT" "$PID" "$WORK/$1.stderr" $AUTH
}
wait_resp "$REDIS_PORT" "$REDIS" /dev/null
start_node node "$J" "${NODE_OPTS:-}"; NODE_PORT=$PORT; NODE=$PID
[[ -z ${BASE_JAR:-} ]] || { start_node base "$BASE_JAR" "${BASE_OPTS:-}"; BASE_PORT=$PORT; BASE=$PID; }
until (exec 3<>/dev/tcp/127.0.0.1/"$BARE_PORT") 2>/dev/null; do kill -0 "$BARE" || { cat "$WORK/bare.stderr" >&2; exit 1; }; sleep 0.1; done
for round in $(seq "$ROUNDS"); do
    log "round $round; $(uptime)"
    measure bare "$BARE" "$BARE_PORT"
    measure redis "$REDIS" "$REDIS_PORT"
    measure node "$NODE" "$NODE_PORT" $AUTH
    [[ -z ${BASE_JAR:-} ]] || measure base "$BASE" "$BASE_PORT" $AUTH
done
