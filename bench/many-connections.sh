#!/usr/bin/env bash
# Issue-9 figure: 1,000 concurrent connections held for 5 minutes against one node — throughput, latency, and
# whether the node's heap stays flat (docs/reliability.md, "1,000 concurrent connections held for 5 minutes").
#
#   bench/many-connections.sh [CONNECTIONS] [SECONDS]      default 1000 connections, 300 s
#   env: SKIP_BUILD=1 (memdb.jar already built), MEMDB_JAR=path, KEEP=1 (keep the data directory)
#
# Starts one node (-Xmx1g, fsync everysec, default limits) on free loopback ports, then
#   memdb bench -t set -r 100000 -d 100 -c CONNECTIONS --connections CONNECTIONS --duration SECONDS
# (one client per connection, one request in flight each; all connections on the bench client's one I/O
# thread). Samples the node at start, every quarter of the run and after it: established connections on its
# port (ss), its live heap (jcmd GC.class_histogram: a full collection, then the reachable objects' bytes) and memdb_store_bytes. Prints
# the bench report and the samples; stops the node by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
CONNECTIONS=${1:-1000}
SECONDS_RUN=${2:-300}
J=${MEMDB_JAR:-memdb-cli/target/memdb.jar}
AUTH=bench-key

if [[ -z ${SKIP_BUILD:-} ]]; then
    log "building memdb.jar"
    mvn -B -o -q -pl memdb-cli -am package -DskipTests -Dmemdb.cds.skip
fi
work_dirs many-connections
PORT=$(free_port)
ADMIN=$(free_port)
log "$(machine)"
java -Xmx1g -jar "$J" server --port "$PORT" --admin-port "$ADMIN" --data-dir "$WORK/db" --auth-key "$AUTH" \
    >"$WORK/node.stdout" 2>"$WORK/node.stderr" &
NODE=$!
PIDS+=("$NODE")
for ((i = 0; i < 600; i++)); do
    grep -q listening "$WORK/node.stderr" 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break
    kill -0 "$NODE" 2>/dev/null || { cat "$WORK/node.stderr" >&2; exit 1; }
    sleep 0.1
done

# sample LABEL: connections on the node's port, live heap after a full GC, the store's own bytes
sample() {
    local conns heap store
    conns=$(ss -Htn state established "( sport = :$PORT )" | wc -l)
    # GC.class_histogram runs a full collection and counts what is reachable: the live set. (GC.run followed by
    # GC.heap_info would also count what the node allocated between the two jcmd calls, tens of MB under load.)
    heap=$(jcmd "$NODE" GC.class_histogram | awk '$1 == "Total" {print int($3 / 1024)}')
    store=$(curl -s -H "Authorization: Bearer $AUTH" "http://127.0.0.1:$ADMIN/metrics" \
        | awk '$1 == "memdb_store_bytes" {print $2}')
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$conns" "$heap" "${store:-?}" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/samples.tsv"
}
printf 'when\tconnections\tlive_heap_KiB\tmemdb_store_bytes\tload\n' >"$OUT/samples.tsv"
sample start

log "bench: $CONNECTIONS connections for $SECONDS_RUN s"
java -Xmx1g -jar "$J" bench -s "127.0.0.1:$PORT" -a "$AUTH" --timeout-ms 30000 -t set -r 100000 -d 100 \
    -c "$CONNECTIONS" --connections "$CONNECTIONS" --duration "$SECONDS_RUN" --time-limit-s $((SECONDS_RUN + 100)) \
    >"$OUT/bench.txt" 2>"$OUT/bench.stderr" &
BENCH=$!
PIDS+=("$BENCH")
QUARTER=$((SECONDS_RUN / 4))
for q in 1 2 3; do
    sleep "$QUARTER"
    sample "t+$((q * QUARTER))s"
done
wait "$BENCH" || log "bench exited with $?"
sample after
stop_pid "$NODE"
log "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$OUT/bench.txt" "$OUT/bench.stderr"
column -t -s $'\t' "$OUT/samples.tsv"
log "results: $OUT"
