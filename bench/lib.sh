# Shared by the bench scripts (source it at the start, after `cd` to the checkout): logging, free loopback
# ports, Redis's tools, a work directory, and the processes a script starts, remembered in PIDS and stopped
# by their PID on exit (normal end, error or Ctrl-C).
#
#   log TEXT...            a timestamped line on stderr
#   free_port              a free TCP port on 127.0.0.1
#   now_ms                 wall-clock milliseconds
#   machine                one line: cores, JDK, Redis (if installed), uptime
#   machine_cpu            the machine's user, system (with the kernel's interrupt work) and idle ticks so far, over all
#                          cores (/proc/stat): around a run, what it cost the whole machine
#   need_redis             installs redis-server and redis-tools from Debian when one is missing
#   work_dirs NAME         WORK=/tmp/NAME.XXXXXX (removed on exit unless KEEP=1) and OUT (the results, kept;
#                          $OUT if set, else /tmp/NAME-results.XXXXXX)
#   PIDS+=("$!")           after starting a process in the background: stopped on exit
#   stop_pid PID           stop one of them now (SIGTERM, SIGKILL after 60 s) and wait for it
#   wait_resp PORT PID ERR [AUTH]  wait (up to 60 s) until the server PID answers PING on PORT; if it exits or never
#                          answers, print its stderr (file ERR) and fail: redis-benchmark against a port nobody
#                          listens on spins forever instead of failing

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

now_ms() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )); }

machine() {
    local redis=; if command -v redis-server >/dev/null; then redis="; $(redis-server --version | cut -d' ' -f1-3)"; fi
    echo "machine: nproc $(nproc); $(java -version 2>&1 | head -1)$redis; $(uptime)"
}

machine_cpu() { awk '$1 == "cpu" {print $2 + $3, $4 + $7 + $8, $5 + $6}' /proc/stat; }

need_redis() {
    if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null || ! command -v redis-benchmark >/dev/null; then
        log "installing redis-server and redis-tools from Debian"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server redis-tools >/dev/null
        service redis-server stop >/dev/null 2>&1 || true   # no system instance: the scripts start their own
    fi
}

work_dirs() {
    WORK=$(mktemp -d "/tmp/$1.XXXXXX")
    OUT=${OUT:-$(mktemp -d "/tmp/$1-results.XXXXXX")}   # results survive the cleanup
    mkdir -p "$OUT"
}

# measured CMD...: runs CMD (its output and errors go where the caller sends them) and leaves its user and system
# CPU seconds in $WORK/gen.cpu (bash's time keyword: nothing to install); returns CMD's status
measured() {
    local TIMEFORMAT='%3U %3S'
    { time "$@" 2>&3; } 3>&2 2>"$WORK/gen.cpu"
}

stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 600; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

wait_resp() {
    local port=$1 pid=$2 err=$3 auth=${4:-} i
    for ((i = 0; i < 300; i++)); do
        redis-cli -p "$port" --no-auth-warning ${auth:+-a "$auth"} ping 2>/dev/null | grep -q PONG && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            log "the server (pid $pid) exited before it answered on port $port; its stderr:"; cat "$err" >&2; exit 1
        fi
        sleep 0.2
    done
    log "the server (pid $pid) did not answer on port $port within 60 s; its stderr:"; cat "$err" >&2; exit 1
}

PIDS=()
stop_started() {
    local pid
    for pid in "${PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; fi
    done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [[ -n ${WORK:-} ]]; then
        if [[ -z ${KEEP:-} ]]; then rm -rf "$WORK"; else log "work directory kept: $WORK"; fi
    fi
}
trap stop_started EXIT
trap 'exit 130' INT TERM
