#!/usr/bin/env bash
# Where a node's p99 goes under pipelined redis-benchmark (docs/performance.md, "Session 7: node allocation and
# p99"): per run, next to redis-benchmark's ops/s and p99, what else happened during that run on the node —
# its GC pauses (from -Xlog:gc), the op log's online compactions (from its log), and the event-loop thread's
# time on a CPU against its time runnable but waiting for one (from /proc/PID/task/TID/schedstat: the
# scheduler's run-queue wait, which on a shared machine is what a request waits for most).
#
#   bench/loop-p99.sh JAR...      e.g. bench/loop-p99.sh /tmp/base.jar memdb-cli/target/memdb.jar
#   env: ROUNDS=5, N=200000 (requests per test), P=16 (pipeline), FSYNC="everysec no" (one node per jar and
#        mode, in turn), WARMUP_S=20 (seconds of unpipelined and pipelined passes first, not counted),
#        MEMDB_JAVA_OPTS="..." (extra JVM options for the node, e.g. -XX:ParallelGCThreads=1),
#        SERVER_ARGS="..." (extra server options, e.g. --compaction-threshold-bytes 16777216 for a compaction
#        about every 230,000 SETs: every run then holds one)
# Needs Linux's schedstat (CONFIG_SCHEDSTATS) and redis-benchmark. Every node started here is stopped by its PID.
# After each node's rounds: the loop thread's file writes of 1 ms or more (a JFR recording of file I/O), and how
# many began while the op log's writer was fsyncing: a write to the log file during its fsync can wait for it.
# Output per run: SET and GET ops/s, p50, p99, max (ms) | GC pauses: count, sum, max | compactions | loop thread
# on a CPU / waiting for one / wall time (ms). A GC pause's own work is in the GC log's phases (gc+phases=debug
# is on: KEEP=1 keeps the log): "Object Copy" and "Ext Root Scanning" are the work, "Termination" a GC worker
# waiting for the other, which on a loaded machine is mostly a worker waiting for a CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
command -v redis-benchmark >/dev/null || need_redis
AUTH=bench-loop-p99
work_dirs loop-p99
log "$(machine)"

loop_thread() { # PID -> /proc/PID/task/TID of the core's event loop
    local t
    for t in /proc/"$1"/task/*; do
        if grep -q memdb-core "$t/comm" 2>/dev/null; then echo "$t"; return; fi
    done
}
stat_field() { cut -d' ' -f"$2" "$1/schedstat"; }

# A JFR recording of the node's file I/O only: writes of 1 ms or more, and every fsync.
cat >"$WORK/io.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.FileWrite"><setting name="enabled">true</setting><setting name="threshold">1 ms</setting></event>
  <event name="jdk.FileForce"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
</configuration>
JFC

# slow_writes JFR_FILE: the loop thread's writes of 1 ms or more during the measured rounds, and how many of them
# began while the op log was fsyncing its live segment (the everysec fsync or a seal's, on the writer or the fsync thread)
slow_writes() {
    jfr print --json --events jdk.FileWrite,jdk.FileForce "$1" | python3 -c '
import datetime, json, sys
def t(s): return datetime.datetime.fromisoformat(s[:26].rstrip("Z")).replace(tzinfo=datetime.timezone.utc).timestamp()
def ms(d): return float(d[2:-1]) * 1000
events = json.load(sys.stdin)["recording"]["events"]
start = float(sys.argv[1]) / 1000
fsyncs = [(t(e["values"]["startTime"]), ms(e["values"]["duration"])) for e in events
          if e["type"] == "jdk.FileForce" and any(t in (e["values"]["eventThread"] or {}).get("javaName", "") for t in ("oplog-writer", "oplog-fsync"))]
writes = [(t(e["values"]["startTime"]), ms(e["values"]["duration"])) for e in events if e["type"] == "jdk.FileWrite"
          and "memdb-core" in (e["values"]["eventThread"] or {}).get("javaName", "") and t(e["values"]["startTime"]) >= start]
during = sum(1 for w, _ in writes if any(f <= w <= f + d / 1000 for f, d in fsyncs))
measured = [d for f, d in fsyncs if f >= start]
print("  loop-thread writes >= 1 ms in the rounds: %d (max %.1f ms), %d of them begun during an op-log fsync; fsyncs: %d, max %.1f ms"
      % (len(writes), max((d for _, d in writes), default=0), during, len(measured), max(measured, default=0)))' "$2"
}

for fsync in ${FSYNC:-everysec no}; do
    for jar in "$@"; do
        dir=$WORK/$(basename "$jar" .jar)-$fsync
        mkdir -p "$dir"
        port=$(free_port)
        # shellcheck disable=SC2086
        java ${MEMDB_JAVA_OPTS:-} -Xlog:gc,gc+phases=debug:file="$dir/gc.log":uptime \
            -XX:StartFlightRecording=filename="$dir/io.jfr",settings="$WORK/io.jfc" -jar "$jar" server --bind 127.0.0.1 \
            --port "$(free_port)" --admin-port "$(free_port)" --resp-port "$port" --data-dir "$dir/db" --auth-key $AUTH \
            --fsync "$fsync" ${SERVER_ARGS:-} >/dev/null 2>"$dir/stderr" &
        pid=$!; PIDS+=("$pid")
        wait_resp "$port" "$pid" "$dir/stderr" $AUTH
        bench() { redis-benchmark -p "$port" -a $AUTH -c 50 -d 16 "$@"; }
        end=$((SECONDS + ${WARMUP_S:-20}))
        while ((SECONDS < end)); do
            bench -t set,get -n 200000 -P "${P:-16}" -q >/dev/null 2>&1
            bench -t set,get -n 20000 -q >/dev/null 2>&1
        done
        log "$(basename "$jar") fsync=$fsync, $(uptime | sed 's/.*load/load/')"
        loop=$(loop_thread "$pid")
        rounds_start=$(date +%s%3N)
        for round in $(seq "${ROUNDS:-5}"); do
            gc_lines=$(wc -l <"$dir/gc.log")
            compactions=$(grep -c "compaction wrote" "$dir/stderr" || true)
            ran=$(stat_field "$loop" 1); waited=$(stat_field "$loop" 2); t0=$(now_ms)
            line=$(bench -t set,get -n "${N:-200000}" -P "${P:-16}" --csv 2>/dev/null | tail -n +2 | tr -d '"' \
                | awk -F, '{printf "%s %.0f ops/s p50 %s p99 %s max %s | ", $1, $2, $5, $7, $8}')
            t1=$(now_ms)
            pauses=$(tail -n +$((gc_lines + 1)) "$dir/gc.log" | python3 -c '
import re, sys
p = [float(m.group(1)) for l in sys.stdin if "Pause" in l and (m := re.search(r"(\d+\.\d+)ms$", l.strip()))]
print("GC pauses %d, %.1f ms, max %.1f ms" % (len(p), sum(p), max(p) if p else 0))')
            now_compactions=$(grep -c "compaction wrote" "$dir/stderr" || true)
            printf '%s fsync=%s round %d: %s%s | compactions %d | loop thread: on a CPU %d ms, waiting for one %d ms, of %d ms\n' \
                "$(basename "$jar")" "$fsync" "$round" "$line" "$pauses" $((now_compactions - compactions)) \
                $((($(stat_field "$loop" 1) - ran) / 1000000)) $((($(stat_field "$loop" 2) - waited) / 1000000)) $((t1 - t0))
        done
        jcmd "$pid" JFR.dump filename="$dir/io-dump.jfr" >/dev/null
        slow_writes "$dir/io-dump.jfr" "$rounds_start"
        stop_pid "$pid"
    done
done
