#!/usr/bin/env bash
# The fault harness's long run (docs/reliability.md, "Fault harness"): five real memdb nodes behind their
# proxies, rounds of one fault each (kill -9, pauses, partitions, black hole, delay, loss, clock skew, log
# damage, kill -9 of every node) with the CAS, unique-append, quorum-write, counter and convergence checkers,
# for DURATION seconds (default 600). Writes memdb-chaos/target/chaos-report.md. Needs libfaketime
# (apt-get install faketime). Extra Maven flags in MVN_FLAGS (e.g. MVN_FLAGS=-o), a seed with CHAOS_SEED, only
# some faults in turn with CHAOS_FAULTS (e.g. CHAOS_FAULTS=KILL_ALL,PARTITION_ONE; names of memdb.chaos.Fault).
# Every cas-register history is saved with its verdict under memdb-chaos/target/chaos-histories.
#   tools/chaos.sh 600
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-600}"
case "$duration" in ''|*[!0-9]*) echo "usage: tools/chaos.sh [SECONDS]" >&2; exit 2;; esac
# shellcheck disable=SC2086
mvn -B ${MVN_FLAGS:-} -Pchaos -pl memdb-chaos -am verify -Dmemdb.cds.skip \
  -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=LongChaosRun -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dchaos.duration="$duration" -Dchaos.seed="${CHAOS_SEED:-}" -Dchaos.faults="${CHAOS_FAULTS:-}"
echo "report: memdb-chaos/target/chaos-report.md"
