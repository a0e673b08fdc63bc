# Shared by the bench scripts (source it after setting OUT, JAR and KEY): start loopback nodes of the
# memdb jar in the background, and wait for a cluster of them; bench/lib.sh remembers their PIDs and stops
# exactly those on exit.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# start_node NAME NODE_ID PORT SEEDS [SERVER OPTIONS...]: waits until it listens (60 s at most); its admin port in $OUT/NAME/admin-port
start_node() {
  local name=$1 id=$2 port=$3 seeds=$4; shift 4
  local dir="$OUT/$name" admin; admin=$(free_port); mkdir -p "$dir"
  HOME="$dir" java -jar "$JAR" server --node-id "$id" --port "$port" --admin-port "$admin" --data-dir "$dir/db" \
      --auth-key "$KEY" ${seeds:+--seeds "$seeds"} "$@" >"$dir/stdout" 2>"$dir/stderr" &
  PIDS+=($!)
  echo "$admin" >"$dir/admin-port"
  for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0; sleep 0.2; done
  echo "node $name did not listen on $port" >&2; exit 1
}

# await_cluster_up NAME COUNT: until node NAME (started by start_node) reports COUNT nodes UP (50 s at most)
await_cluster_up() {
  local name=$1 count=$2 up=0
  for _ in $(seq 100); do
    up=$(java -jar "$JAR" cluster status --json --admin "127.0.0.1:$(cat "$OUT/$name/admin-port")" -a "$KEY" 2>/dev/null \
         | python3 -c 'import json,sys; print(sum(n["state"]=="UP" for n in json.load(sys.stdin)["nodes"]))' || echo 0)
    [ "$up" = "$count" ] && return 0
    sleep 0.5
  done
  echo "the cluster of node $name did not come up: $up of $count nodes UP" >&2; exit 1
}
