#!/usr/bin/env bash
# Issue-8 memory figure: bytes per key at RECORDS keys (key:%07d, 100-byte values), MemDB and Redis
# loaded with byte-identical data in the same run (docs/performance.md, "Memory").
#
#   bench/memory-vs-redis.sh [RECORDS]          default 1000000
#   env: SKIP_BUILD=1 (jar already built), JAVA_OPTS (extra JVM flags for the MemDB node)
#
# Redis: no persistence, loaded with redis-cli --pipe; per key = (used_memory after - before) / RECORDS,
# and the same for RSS. MemDB: no persistence either (PERSISTENCE=off, the default; PERSISTENCE=on keeps the op
# log with fsync no, whose online compaction of the load's log then holds heap of its own), loaded through the node with the
# pipelined Java client; per key = memdb_store_bytes / RECORDS (the node's own metric), the live heap
# (jcmd GC.class_histogram: a full GC, then every live object) minus the empty node's, and RSS after minus
# before (the JVM keeps the heap it grew to during the load: RSS says more about the GC than the data).
# Everything listens on 127.0.0.1 on free ports; every process started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RECORDS=${1:-1000000}
J=${MEMDB_JAR:-memdb-cli/target/memdb.jar}
AUTH=bench-key
export KEY_FORMAT='key:%07d'

need_redis
[[ -n ${SKIP_BUILD:-} ]] || { log "building"; mvn -B -o -q -DskipTests -Dmemdb.cds.skip package; }

WORK=$(mktemp -d /tmp/memory-vs-redis.XXXXXX)
rss_bytes() { echo $(($(awk '/VmRSS/{print $2}' "/proc/$1/status") * 1024)); }
per_key() { awk -v b="$1" -v n="$RECORDS" 'BEGIN { printf "%.1f", b / n }'; }
javac -cp $J -d "$WORK/loader" bench/MemDbLoad.java

# ---- Redis ----------------------------------------------------------------------------------------
RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --dir "$WORK" --save '' --appendonly no --daemonize no \
    --logfile "$WORK/redis.log" &
RPID=$!; PIDS+=("$RPID")
until [[ $(redis-cli -p "$RPORT" ping 2>/dev/null) == PONG ]]; do sleep 0.05; done
redis_mem() { redis-cli -p "$RPORT" info memory | tr -d '\r' | awk -F: -v k="$1" '$1 == k { print $2 }'; }
r_used0=$(redis_mem used_memory); r_rss0=$(rss_bytes "$RPID")
log "redis: loading $RECORDS keys"
java -cp $J:$WORK/loader MemDbLoad resp "$RECORDS" | redis-cli -p "$RPORT" --pipe >/dev/null
r_keys=$(redis-cli -p "$RPORT" dbsize)
r_used=$(($(redis_mem used_memory) - r_used0)); r_rss=$(($(rss_bytes "$RPID") - r_rss0))
redis_version=$(redis-server --version | awk '{print $3}')

# ---- MemDB ----------------------------------------------------------------------------------------
MPORT=$(free_port); APORT=$(free_port)
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -jar $J server --port "$MPORT" --admin-port "$APORT" --bind 127.0.0.1 --data-dir "$WORK/memdb" \
    --auth-key $AUTH $([[ ${PERSISTENCE:-off} == off ]] && echo --persistence off || echo --fsync no) 2>"$WORK/memdb.stderr" &
MPID=$!; PIDS+=("$MPID")
until grep -q listening "$WORK/memdb.stderr" 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/"$MPORT") 2>/dev/null; do
    kill -0 "$MPID" 2>/dev/null || { cat "$WORK/memdb.stderr" >&2; exit 1; }
    sleep 0.05
done
heap_used() { # bytes of live objects: the class histogram runs a full GC first and sums every class;
    local i t min=  # a thread in a JNI critical section can make the JVM skip that GC: take the least of 3
    for ((i = 0; i < 3; i++)); do
        t=$(jcmd "$MPID" GC.class_histogram | awk '$1 == "Total" { print $3 }')
        if [[ -z $min || $t -lt $min ]]; then min=$t; fi
        sleep 1
    done
    echo "$min"
}
metric() { curl -s -H "Authorization: Bearer $AUTH" "http://127.0.0.1:$APORT/metrics" | awk -v k="$1" '$1 == k { print $2 }'; }
m_heap0=$(heap_used); m_rss0=$(rss_bytes "$MPID")
log "memdb: loading $RECORDS keys"
java -cp $J:$WORK/loader MemDbLoad load 127.0.0.1 "$MPORT" $AUTH "$RECORDS" 1 1000 >&2
m_keys=$(metric memdb_keys); m_store=$(metric memdb_store_bytes)
m_store=$(printf '%.0f' "$m_store")
m_heap=$(($(heap_used) - m_heap0)); m_rss=$(($(rss_bytes "$MPID") - m_rss0))
# what the RSS is made of (anonymous memory: heap, direct buffers, the JVM's own; file pages mapped), and the heap committed
log "memdb RSS at the end: $(grep -E '^(RssAnon|RssFile|RssShmem)' "/proc/$MPID/status" | tr -s ' \t\n' ' ')"
log "memdb heap: $(jcmd "$MPID" GC.heap_info | grep -iE 'total|committed' | head -2 | tr -s ' \n' ' ')"

printf '\n%s keys of key:%%07d = 100 bytes, %s, %s cores\n' "$RECORDS" "$(date -u +%F)" "$(nproc)"
printf '%-28s %14s %14s %10s\n' "" "bytes" "per key" "vs Redis"
printf '%-28s %14s %14s %10s\n' "redis $redis_version used_memory ($r_keys keys)" "$r_used" "$(per_key "$r_used")" "1.00"
printf '%-28s %14s %14s %10s\n' "redis RSS" "$r_rss" "$(per_key "$r_rss")" ""
printf '%-28s %14s %14s %10s\n' "memdb store ($m_keys keys)" "$m_store" "$(per_key "$m_store")" \
    "$(awk -v a="$m_store" -v b="$r_used" 'BEGIN { printf "%.2f", a / b }')"
printf '%-28s %14s %14s %10s\n' "memdb live heap" "$m_heap" "$(per_key "$m_heap")" \
    "$(awk -v a="$m_heap" -v b="$r_used" 'BEGIN { printf "%.2f", a / b }')"
printf '%-28s %14s %14s %10s\n' "memdb RSS" "$m_rss" "$(per_key "$m_rss")" \
    "$(awk -v a="$m_rss" -v b="$r_rss" 'BEGIN { printf "%.2f", a / b }')"
