#!/usr/bin/env bash
# The issue-4 figure: cost of QUORUM writes and reads on 3 real nodes (replication factor 3) against a
# single node, with the same client load. Starts a 1-node and a 3-node cluster on free loopback ports,
# runs `memdb bench` against each in turn (interleaved, ROUNDS rounds), stops every node by PID, and
# prints the median ops/s of each figure and the ratios 3-node / 1-node.
#
# Usage: bench/quorum-cost.sh [ROUNDS] [OUT_DIR]      (jar: memdb-cli/target/memdb.jar, or $MEMDB_JAR)
set -euo pipefail
ROUNDS=${1:-3}
OUT=${2:-$(mktemp -d /tmp/memdb-quorum-cost.XXXXXX)}
JAR=${MEMDB_JAR:-$(cd "$(dirname "$0")/.." && pwd)/memdb-cli/target/memdb.jar}
KEY=bench-key
LOAD=(-n 100000 -c 50 -r 100000 --warmup 20000)
mkdir -p "$OUT"
source "$(dirname "$0")/nodes.sh"

SINGLE_PORT=$(free_port)
start_node single 1 "$SINGLE_PORT" "" --fsync no
C1=$(free_port); C2=$(free_port); C3=$(free_port)
CLUSTER="127.0.0.1:$C1,127.0.0.1:$C2,127.0.0.1:$C3"
start_node c1 1 "$C1" "$CLUSTER" --fsync no; start_node c2 2 "$C2" "$CLUSTER" --fsync no; start_node c3 3 "$C3" "$CLUSTER" --fsync no
await_cluster_up c1 3

bench() { java -jar "$JAR" bench -a "$KEY" "${LOAD[@]}" --json "$@"; }
for round in $(seq "$ROUNDS"); do
  for target in single cluster; do
    if [ $target = single ]; then seeds="127.0.0.1:$SINGLE_PORT"; else seeds="$CLUSTER"; fi
    echo "round $round: $target" >&2
    bench -s "$seeds" -t set,get --consistency QUORUM >"$OUT/$target-quorum-$round.json"
    bench -s "$seeds" -t get --consistency ONE >"$OUT/$target-one-$round.json"
  done
done

python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def runs(target, kind, test):
    values = []
    for r in range(1, rounds + 1):
        report = json.load(open(f"{out}/{target}-{kind}-{r}.json"))
        t = next(t for t in report["tests"] if t["test"] == test)
        assert t["errors"] == 0 and t["complete"], t
        values.append(t)
    return values
print(f"{'figure':<16} {'target':<8} {'ops/s per round':<36} {'median':>9} {'p50 ms':>7} {'p99 ms':>7}")
medians = {}
for figure, kind, test in [("QUORUM set", "quorum", "set"), ("QUORUM get", "quorum", "get"), ("ONE get", "one", "get")]:
    for target in ("single", "cluster"):
        v = runs(target, kind, test)
        ops = [t["ops_per_sec"] for t in v]
        m = statistics.median(ops); medians[(figure, target)] = m
        print(f"{figure:<16} {target:<8} {' '.join(f'{x:.0f}' for x in ops):<36} {m:>9.0f} "
              f"{statistics.median(t['p50_ms'] for t in v):>7.2f} {statistics.median(t['p99_ms'] for t in v):>7.2f}")
for figure in ("QUORUM set", "QUORUM get", "ONE get"):
    print(f"ratio 3-node/1-node, {figure}: {medians[(figure, 'cluster')] / medians[(figure, 'single')]:.2f}")
PY
echo "raw reports in $OUT" >&2
