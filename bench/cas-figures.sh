#!/usr/bin/env bash
# The issue-6 figures (docs/cas.md): linearizable CAS ops/s and p99 on a 3-node loopback cluster
# (replication factor 3, default fsync policy: Paxos promises and accepts are fsynced anyway), with 1, 8
# and 64 concurrent clients, on distinct keys (-r 1000000) and on one hot key (-r 0). Stops every node
# by PID. Prints one CSV line per figure.
#
# Usage: bench/cas-figures.sh [REQUESTS] [OUT_DIR]      (jar: memdb-cli/target/memdb.jar, or $MEMDB_JAR)
set -euo pipefail
REQUESTS=${1:-3000}
OUT=${2:-$(mktemp -d /tmp/memdb-cas-figures.XXXXXX)}
JAR=${MEMDB_JAR:-$(cd "$(dirname "$0")/.." && pwd)/memdb-cli/target/memdb.jar}
KEY=bench-key
mkdir -p "$OUT"
source "$(dirname "$0")/nodes.sh"
C1=$(free_port); C2=$(free_port); C3=$(free_port)
CLUSTER="127.0.0.1:$C1,127.0.0.1:$C2,127.0.0.1:$C3"
start_node c1 1 "$C1" "$CLUSTER"; start_node c2 2 "$C2" "$CLUSTER"; start_node c3 3 "$C3" "$CLUSTER"
for _ in $(seq 60); do
  rc=0; java -jar "$JAR" get warm-up --serial -s "$CLUSTER" -a "$KEY" >/dev/null 2>&1 || rc=$?
  [ "$rc" -le 1 ] && break; sleep 0.5 # 1: not found, served
done
sleep 3 # gossip: every node knows the other two
echo "keys,clients,requests,errors,ops_per_sec,p50_ms,p99_ms"
for keys in 1000000 0; do
  for clients in 1 8 64; do
    java -jar "$JAR" bench -a "$KEY" -s "$CLUSTER" -t cas -n "$REQUESTS" -c "$clients" -r "$keys" \
        --warmup $((REQUESTS / 5)) --csv >"$OUT/cas-$keys-$clients.csv"
    tail -1 "$OUT/cas-$keys-$clients.csv" | awk -F, -v k="$keys" -v c="$clients" \
        '{ print (k == 0 ? "hot" : "distinct") "," c "," $2 "," $3 "," $5 "," $6 "," $7 }'
  done
done
