#!/usr/bin/env bash
# Runs every Jazzer fuzz target of MemDB with fuzzing on, one after another, for DURATION each
# (Jazzer's duration syntax: 30s, 10m, 1h; default 10m), and prints the executions per target.
#
#   tools/fuzz.sh [DURATION] [TARGET...]      e.g. tools/fuzz.sh 10m   or   tools/fuzz.sh 1m OpLogFuzzTest#directory
#
# A crashing input is written by Jazzer into the target's saved inputs
# (src/test/resources/<package>/<TestClass>Inputs/<method>/crash-*), which plain `mvn test` replays:
# fix the bug, keep the input. The growing corpus Jazzer generates stays in <module>/.cifuzz-corpus
# (not committed). Logs: target/fuzz/<target>.log. Exit status: 0 when no target found anything.
# See docs/reliability.md, "Fuzzing".
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION="${1:-10m}"
shift || true

ALL=(
  "memdb-client EnvelopeDecoderFuzzTest#decoder"
  "memdb-client EnvelopeDecoderFuzzTest#frameBody"
  "memdb-daemon OpLogFuzzTest#directory"
  "memdb-daemon AdminFuzzTest#requests"
  "memdb-daemon ConfigFuzzTest#settings"
)
TARGETS=()
if [ $# -eq 0 ]; then
  TARGETS=("${ALL[@]}")
else
  for wanted in "$@"; do
    found=""
    for entry in "${ALL[@]}"; do
      [ "${entry#* }" = "$wanted" ] && found="$entry"
    done
    [ -n "$found" ] || { echo "unknown target $wanted; known: ${ALL[*]#* }" >&2; exit 2; }
    TARGETS+=("$found")
  done
fi

mkdir -p target/fuzz
failed=0
summary=()
for entry in "${TARGETS[@]}"; do
  module="${entry%% *}"
  target="${entry#* }"
  log="target/fuzz/${target/\#/-}.log"
  echo "fuzzing $target for $DURATION (log: $log; load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'))"
  status=ok
  if ! JAZZER_FUZZ=1 mvn -B -o -pl "$module" -am test -Dtest="$target" -Djazzer.max_duration="$DURATION" \
      -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    status="FAILED (finding or build error: see $log)"
    failed=1
  fi
  done_line="$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)"
  summary+=("$target: ${done_line:-no fuzzing summary} — $status")
done

echo
echo "Fuzzing summary ($DURATION per target):"
printf '  %s\n' "${summary[@]}"
exit $failed
