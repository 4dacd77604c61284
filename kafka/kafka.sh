#!/usr/bin/env bash
# Bluepost local Kafka broker (single-node KRaft, broker + controller in one JVM) - see kafka/README.md.
# Works from any current directory; everything it writes lives in kafka/lib/ and kafka/data/ (git-ignored).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: kafka/kafka.sh <command>

Commands:
  start        Start the local broker in the background and wait until it accepts connections.
               First run: copies the broker jars into kafka/lib/ with the project's Maven wrapper
               and formats the KRaft storage in kafka/data/kraft-logs/ (once; data survives restarts).
               Exits 0 if a broker started by this script is already running.
  stop         Stop the broker (SIGTERM, up to 30 s, then SIGKILL). Idempotent.
  status       Print running/stopped. Exit code 0 = running, 3 = stopped.
  logs [-f] [N]
               Print the last N (default 100) lines of kafka/data/kafka.log; -f follows it.
  cluster start|stop|status
               A local three-node cluster (each node broker + controller, replication factor 3,
               min.insync.replicas 2) on localhost:9192, :9202, :9212 (controllers one port higher),
               data in kafka/data/cluster/node-N/. One node alone: KAFKA_NODE=N kafka/kafka.sh stop|start|status|logs.

Environment (read by `start`; a running broker keeps the values it was started with):
  KAFKA_PORT             PLAINTEXT (client) port on localhost          default 9092
  KAFKA_CONTROLLER_PORT  KRaft controller port on localhost            default 9093
  KAFKA_HEAP             max JVM heap (-Xmx), e.g. 512m, 1g            default 768m
  KAFKA_START_TIMEOUT    seconds to wait for readiness                 default 60
  JAVA_HOME              JDK/JRE 17+ to use (else `java` on PATH)
  KAFKA_CLUSTER_PORT     first client port of the three-node cluster   default 9192
  KAFKA_NODE             1, 2 or 3: the cluster node a command is for

Files:
  kafka/config/server.properties   broker config template (kafka.sh writes kafka/data/server.properties from it)
  kafka/config/log4j2.properties   logging config
  kafka/data/kafka.log             broker log (previous run: kafka/data/kafka.log.1)
  kafka/data/kafka.pid             pid of the running broker
  kafka/data/kraft-logs/           topic data + KRaft metadata. Reset: kafka.sh stop && rm -rf kafka/data
EOF
}

# ---------------------------------------------------------------------------------------------- paths
SCRIPT_PATH="$(readlink -f "${BASH_SOURCE[0]}" 2>/dev/null || echo "${BASH_SOURCE[0]}")"
KAFKA_DIR="$(cd "$(dirname "$SCRIPT_PATH")" && pwd -P)"
ROOT="$(cd "$KAFKA_DIR/.." && pwd -P)"
LIB="$KAFKA_DIR/lib"
LIB_MARKER="$LIB/.complete"
DATA="$KAFKA_DIR/data"
# Three-node cluster (`kafka.sh cluster start`): KAFKA_NODE=1..3 selects one node of it, with its own
# data directory and ports KAFKA_CLUSTER_PORT + 10 * (node - 1) (client) and that + 1 (controller).
CLUSTER_NODES=3
CLUSTER_DATA="$KAFKA_DIR/data/cluster"
KAFKA_CLUSTER_PORT="${KAFKA_CLUSTER_PORT:-9192}"
KAFKA_NODE="${KAFKA_NODE:-}"
if [[ -n "$KAFKA_NODE" ]]; then
  [[ "$KAFKA_NODE" =~ ^[1-3]$ ]] || { echo "kafka: KAFKA_NODE must be 1, 2 or 3" >&2; exit 2; }
  DATA="$CLUSTER_DATA/node-$KAFKA_NODE"
  KAFKA_PORT=$(( KAFKA_CLUSTER_PORT + 10 * (KAFKA_NODE - 1) ))
  KAFKA_CONTROLLER_PORT=$(( KAFKA_PORT + 1 ))
fi
CONF_TEMPLATE="$KAFKA_DIR/config/server.properties"
LOG4J_CONF="$KAFKA_DIR/config/log4j2.properties"
CONF="$DATA/server.properties"          # effective config, generated on each start
LOG_FILE="$DATA/kafka.log"
PID_FILE="$DATA/kafka.pid"
LOCK_FILE="$DATA/.kafka.sh.lock"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${KAFKA_HEAP:-768m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

say() { echo "kafka: $*"; }
die() { echo "kafka: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------- helpers
# Serialise start/stop of concurrent invocations (fd 9; closed for the broker JVM, see start).
take_lock() {
  mkdir -p "$DATA"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK_FILE"
    flock -w 120 9 || die "another kafka.sh start/stop is still running (lock $LOCK_FILE)"
  fi
}

cmdline_of() { # pid -> command line (empty for zombies / missing processes)
  if [[ -r "/proc/$1/cmdline" ]]; then tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true
  else ps -ww -o args= -p "$1" 2>/dev/null || true; fi
}

is_our_broker() { # pid -> true if it is a live kafka.Kafka JVM running this launcher's config
  local pid="$1" cmd
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  cmd="$(cmdline_of "$pid")"
  [[ "$cmd" == *" kafka.Kafka "* && "$cmd" == *"$CONF"* ]]
}

alive() { # pid -> true if the process exists and is not a zombie
  local st=""
  kill -0 "$1" 2>/dev/null || return 1
  if [[ -d /proc/self ]]; then
    [[ -e "/proc/$1/stat" ]] || return 1                   # gone (gVisor drops zombies from /proc)
    st="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null || true)"
  else
    st="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  fi
  [[ "$st" != Z* && "$st" != X* ]]                        # empty = unreadable for a moment (exec): alive
}

running_pid() { # prints the pid of our broker; pid file first, then (pid file lost) a scan of /proc
  local pid p
  if [[ -f "$PID_FILE" ]]; then
    pid="$(<"$PID_FILE")"
    if is_our_broker "$pid"; then echo "$pid"; return 0; fi
  fi
  if [[ -d /proc/self ]]; then
    for p in /proc/[0-9]*; do
      pid="${p#/proc/}"
      if is_our_broker "$pid"; then echo "$pid"; return 0; fi
    done
  fi
  return 1
}

port_open() { # port -> true if something accepts TCP on localhost:port
  (exec 3<>"/dev/tcp/localhost/$1") 2>/dev/null
}

port_owner() { # best effort: "java pid=123" for a listening port
  command -v ss >/dev/null 2>&1 || return 0
  ss -Htlnp "sport = :$1" 2>/dev/null | sed -nE 's/.*users:\(\("([^"]+)",pid=([0-9]+).*/ (held by \1, pid \2)/p' | head -n 1
}

conf_port() { # port of the PLAINTEXT listener in the effective config (what a running broker uses)
  local p=""
  [[ -f "$CONF" ]] && p="$(sed -nE 's#^listeners=.*PLAINTEXT://[^,]*:([0-9]+).*#\1#p' "$CONF" | head -n 1)"
  echo "${p:-$KAFKA_PORT}"
}

heap_mb() { # 768m / 1g / 1024M / 2G -> MB
  local v="$1"
  case "$v" in
    *[gG]) echo $(( ${v%[gG]} * 1024 )) ;;
    *[mM]) echo "${v%[mM]}" ;;
    *) return 1 ;;
  esac
}

validate_env() {
  local p
  for p in KAFKA_PORT KAFKA_CONTROLLER_PORT; do
    [[ "${!p}" =~ ^[0-9]+$ ]] && (( ${!p} > 0 && ${!p} < 65536 )) || die "$p must be a TCP port number, got '${!p}'"
  done
  [[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
  [[ "$KAFKA_HEAP" =~ ^[0-9]+[mMgG]$ ]] || die "KAFKA_HEAP must look like 768m or 1g, got '$KAFKA_HEAP'"
  [[ "$KAFKA_START_TIMEOUT" =~ ^[0-9]+$ ]] || die "KAFKA_START_TIMEOUT must be a number of seconds"
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (install a JDK/JRE 17+ or set JAVA_HOME)"
}

pom_sum() { cksum <"$KAFKA_DIR/pom.xml" | awk '{print $1 "-" $2}'; }

lib_complete() { # marker = checksum of pom.xml + list of copied jars; all must still be there
  [[ -f "$LIB_MARKER" ]] || return 1
  local first jar
  first="$(head -n 1 "$LIB_MARKER")"
  [[ "$first" == "pom $(pom_sum)" ]] || return 1
  while IFS= read -r jar; do
    [[ -s "$LIB/$jar" ]] || return 1
  done < <(tail -n +2 "$LIB_MARKER")
  compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null
}

fetch_lib() {
  local t0=$SECONDS n
  say "fetching broker jars into kafka/lib/ with the Maven wrapper (first run downloads ~45 MB)..."
  rm -rf "$LIB"
  ( cd "$ROOT" && "$ROOT/mvnw" -B -q -f "$ROOT/kafka/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$LIB" -DincludeScope=runtime -DexcludeArtifactIds=slf4j-reload4j,reload4j ) \
    || die "could not fetch the broker jars (see Maven output above)"
  compgen -G "$LIB/kafka_2.13-*.jar" >/dev/null || die "kafka_2.13 jar missing in $LIB after the Maven run"
  { echo "pom $(pom_sum)"; (cd "$LIB" && ls -1 -- *.jar); } >"$LIB_MARKER.tmp"
  mv -f "$LIB_MARKER.tmp" "$LIB_MARKER"
  n=$(( $(wc -l <"$LIB_MARKER") - 1 ))
  say "kafka/lib/ ready: $n jars ($(du -sh "$LIB" | cut -f1)) in $(( SECONDS - t0 )) s"
}

# Effective config = template with log.dirs made absolute (relative to kafka/) and ports :9092/:9093 replaced.
write_conf() {
  mkdir -p "$DATA"
  {
    echo "# GENERATED by kafka/kafka.sh from kafka/config/server.properties on each start - edit the template."
    echo "# KAFKA_PORT=$KAFKA_PORT KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT"
    awk -v kdir="$KAFKA_DIR" -v port="$KAFKA_PORT" -v cport="$KAFKA_CONTROLLER_PORT" -v node="$KAFKA_NODE" '
      function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
      function ports(v,   n, a, i, out) {
        n = split(v, a, ","); out = ""
        for (i = 1; i <= n; i++) {
          a[i] = trim(a[i])
          if (a[i] ~ /:9092$/) sub(/:9092$/, ":" port, a[i])
          else if (a[i] ~ /:9093$/) sub(/:9093$/, ":" cport, a[i])
          out = out (i > 1 ? "," : "") a[i]
        }
        return out
      }
      function dirs(v,   n, a, i, out) {
        n = split(v, a, ","); out = ""
        for (i = 1; i <= n; i++) {
          a[i] = trim(a[i])
          if (a[i] !~ /^\//) a[i] = kdir "/" a[i]
          out = out (i > 1 ? "," : "") a[i]
        }
        return out
      }
      /^[ \t]*[#!]/ || !/=/ { print; next }
      {
        eq = index($0, "="); key = trim(substr($0, 1, eq - 1)); val = trim(substr($0, eq + 1))
        if (node != "" && key ~ /^(controller\.quorum\.bootstrap\.servers|node\.id|log\.dirs?|default\.replication\.factor|min\.insync\.replicas|offsets\.topic\.replication\.factor|transaction\.state\.log\.(replication\.factor|min\.isr)|share\.coordinator\.state\.topic\.(replication\.factor|min\.isr))$/) next
        if (key == "listeners" || key == "advertised.listeners" || key == "controller.quorum.bootstrap.servers") print key "=" ports(val)
        else if (key == "log.dirs" || key == "log.dir" || key == "metadata.log.dir") print key "=" dirs(val)
        else print
      }' "$CONF_TEMPLATE"
    if [[ -n "$KAFKA_NODE" ]]; then
      local n voters=""
      for (( n = 1; n <= CLUSTER_NODES; n++ )); do
        voters+="${voters:+,}$n@localhost:$(( KAFKA_CLUSTER_PORT + 10 * (n - 1) + 1 ))"
      done
      echo "# node $KAFKA_NODE of the three-node cluster (kafka.sh cluster start): every topic on three brokers,"
      echo "# a write acknowledged (acks=all) when two have it"
      echo "node.id=$KAFKA_NODE"
      echo "controller.quorum.voters=$voters"
      echo "log.dirs=$DATA/kraft-logs"
      echo "default.replication.factor=3"
      echo "min.insync.replicas=2"
      echo "offsets.topic.replication.factor=3"
      echo "transaction.state.log.replication.factor=3"
      echo "transaction.state.log.min.isr=2"
      echo "share.coordinator.state.topic.replication.factor=3"
      echo "share.coordinator.state.topic.min.isr=2"
    fi
  } >"$CONF.tmp"
  mv -f "$CONF.tmp" "$CONF"
}

first_log_dir() {
  local d
  d="$(sed -nE 's/^log\.dirs?=([^,]*).*/\1/p' "$CONF" | head -n 1)"
  [[ -n "$d" ]] || die "no log.dirs in $CONF_TEMPLATE"
  echo "$d"
}

java_opts() {
  local xmx xms=256m
  xmx="$KAFKA_HEAP"
  (( $(heap_mb "$xmx") < 256 )) && xms="$xmx"
  JAVA_OPTS=(-Xms"$xms" -Xmx"$xmx" -XX:+ExitOnOutOfMemoryError -XX:ErrorFile="$DATA/hs_err_pid%p.log"
             -Djava.awt.headless=true -Dlog4j2.configurationFile="$LOG4J_CONF" -Dkafka.logs.dir="$DATA")
}

format_storage_once() {
  local logdir cid out
  logdir="$(first_log_dir)"
  [[ -f "$logdir/meta.properties" ]] && return 0
  say "formatting KRaft storage in ${logdir#"$ROOT"/} (first start only)"
  if [[ -n "$KAFKA_NODE" && -f "$CLUSTER_DATA/cluster.id" ]]; then
    cid="$(cat "$CLUSTER_DATA/cluster.id")"   # the nodes of one cluster share its id
  else
    cid="$("$JAVA" -Dlog4j2.configurationFile="$LOG4J_CONF" -cp "$LIB/*" kafka.tools.StorageTool random-uuid | tail -n 1)"
  fi
  [[ "$cid" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "StorageTool random-uuid returned '$cid'"
  local mode=(--standalone)
  if [[ -n "$KAFKA_NODE" ]]; then
    mkdir -p "$CLUSTER_DATA" && echo "$cid" >"$CLUSTER_DATA/cluster.id"
    mode=()   # a static quorum (controller.quorum.voters) of the three nodes
  fi
  if ! out="$("$JAVA" -Dlog4j2.configurationFile="$LOG4J_CONF" -cp "$LIB/*" kafka.tools.StorageTool \
              format -t "$cid" -c "$CONF" "${mode[@]}" 2>&1)"; then
    echo "$out" >&2
    die "storage format failed"
  fi
}

kill_and_wait() { # pid seconds-before-SIGKILL
  local pid="$1" grace="$2" i
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < grace * 2; i++ )); do
    is_our_broker "$pid" || return 0
    sleep 0.5
  done
  say "pid $pid did not stop within $grace s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for (( i = 0; i < 20; i++ )); do
    is_our_broker "$pid" || return 0
    sleep 0.5
  done
  die "pid $pid is still alive after SIGKILL"
}

# ---------------------------------------------------------------------------------------------- commands
cmd_start() {
  local pid port t0=$SECONDS deadline
  take_lock
  if pid="$(running_pid)"; then
    echo "$pid" >"$PID_FILE"
    port="$(conf_port)"
    say "already running on localhost:$port (pid $pid)"
    [[ "$port" == "$KAFKA_PORT" ]] || say "note: KAFKA_PORT=$KAFKA_PORT ignored; stop the broker first to change ports"
    exit 0
  fi
  rm -f "$PID_FILE"
  validate_env
  port_open "$KAFKA_PORT" &&
    die "port $KAFKA_PORT (KAFKA_PORT) on localhost is already in use by another process$(port_owner "$KAFKA_PORT"); stop it or set KAFKA_PORT"
  port_open "$KAFKA_CONTROLLER_PORT" &&
    die "port $KAFKA_CONTROLLER_PORT (KAFKA_CONTROLLER_PORT) on localhost is already in use by another process$(port_owner "$KAFKA_CONTROLLER_PORT"); stop it or set KAFKA_CONTROLLER_PORT"

  lib_complete || fetch_lib
  write_conf
  java_opts
  format_storage_once

  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  # cwd = data/ (JVM crash files land there); fd 9 (the lock) must not leak into the long-running JVM.
  ( cd "$DATA" && exec nohup "$JAVA" "${JAVA_OPTS[@]}" -cp "$LIB/*" kafka.Kafka "$CONF" \
      >"$LOG_FILE" 2>&1 </dev/null 9>&- ) &
  pid=$!
  echo "$pid" >"$PID_FILE"
  if [[ -n "${KAFKA_NO_WAIT:-}" ]]; then
    say "node ${KAFKA_NODE:-1} starting on localhost:$KAFKA_PORT (pid $pid)"
    return 0
  fi

  deadline=$(( SECONDS + KAFKA_START_TIMEOUT ))
  while :; do
    # alive, not is_our_broker: right after the fork the pid still shows the subshell, not java yet
    if ! alive "$pid" && { sleep 0.3; ! alive "$pid"; }; then
      rm -f "$PID_FILE"
      echo "kafka: broker exited during startup; last 40 lines of $LOG_FILE:" >&2
      tail -n 40 "$LOG_FILE" >&2 || true
      exit 1
    fi
    if is_our_broker "$pid" && grep -q 'Kafka Server started' "$LOG_FILE" 2>/dev/null && port_open "$KAFKA_PORT"; then
      break
    fi
    if (( SECONDS >= deadline )); then
      echo "kafka: not ready after $KAFKA_START_TIMEOUT s (pid $pid); last 40 lines of $LOG_FILE:" >&2
      tail -n 40 "$LOG_FILE" >&2 || true
      echo "kafka: stopping the half-started broker (raise KAFKA_START_TIMEOUT on a slow machine)" >&2
      kill_and_wait "$pid" 10 >&2 || true
      rm -f "$PID_FILE"
      exit 1
    fi
    sleep 0.5
  done
  say "ready on localhost:$KAFKA_PORT (pid $pid)"
  [[ -t 1 ]] && say "started in $(( SECONDS - t0 )) s; log: ${LOG_FILE#"$ROOT"/}"
  return 0
}

cmd_stop() {
  local pid
  take_lock
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  kill_and_wait "$pid" 30
  rm -f "$PID_FILE"
  say "stopped (pid $pid)"
}

cmd_status() {
  local pid port
  if pid="$(running_pid)"; then
    port="$(conf_port)"
    if port_open "$port"; then say "running on localhost:$port (pid $pid)"
    else say "running (pid $pid), but localhost:$port is not accepting connections (starting or stopping)"; fi
    exit 0
  fi
  say "stopped"
  exit 3
}

cmd_logs() {
  local follow=0 lines=100 a
  for a in "$@"; do
    case "$a" in
      -f|--follow) follow=1 ;;
      ''|*[!0-9]*) die "usage: kafka.sh logs [-f] [N]" ;;
      *) lines="$a" ;;
    esac
  done
  [[ -f "$LOG_FILE" ]] || die "no log yet ($LOG_FILE)"
  if (( follow )); then exec tail -n "$lines" -F "$LOG_FILE"; else tail -n "$lines" "$LOG_FILE"; fi
}

# The three-node cluster: each node runs this script with KAFKA_NODE set; a node alone cannot start
# (its controller needs a majority), so all three are launched before any is waited for.
cmd_cluster() {
  local n port deadline
  case "${1:-}" in
    start)
      for (( n = 1; n <= CLUSTER_NODES; n++ )); do KAFKA_NODE=$n KAFKA_NO_WAIT=1 "$SCRIPT_PATH" start; done
      deadline=$(( SECONDS + KAFKA_START_TIMEOUT ))
      for (( n = 1; n <= CLUSTER_NODES; n++ )); do
        port=$(( KAFKA_CLUSTER_PORT + 10 * (n - 1) ))
        until grep -q 'Kafka Server started' "$CLUSTER_DATA/node-$n/kafka.log" 2>/dev/null && port_open "$port"; do
          (( SECONDS < deadline )) || die "node $n not ready after $KAFKA_START_TIMEOUT s; see kafka/data/cluster/node-$n/kafka.log"
          sleep 0.5
        done
      done
      say "cluster ready: BLUEPOST_KAFKA_BOOTSTRAP_SERVERS=$(cluster_bootstrap) BLUEPOST_KAFKA_REPLICATION_FACTOR=3 BLUEPOST_KAFKA_MIN_INSYNC_REPLICAS=2"
      ;;
    stop)
      # all at once: a node stopped last alone has no controller majority for its controlled shutdown
      local pids=() failed=0
      for (( n = 1; n <= CLUSTER_NODES; n++ )); do KAFKA_NODE=$n "$SCRIPT_PATH" stop & pids+=($!); done
      for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
      (( failed == 0 )) || die "a node did not stop"
      ;;
    status)
      local up=0
      for (( n = 1; n <= CLUSTER_NODES; n++ )); do KAFKA_NODE=$n "$SCRIPT_PATH" status && up=$(( up + 1 )) || true; done
      say "$up of $CLUSTER_NODES nodes running"
      (( up > 0 )) || exit 3
      ;;
    *) die "usage: kafka.sh cluster start|stop|status" ;;
  esac
}

cluster_bootstrap() {
  local n out=""
  for (( n = 1; n <= CLUSTER_NODES; n++ )); do out+="${out:+,}localhost:$(( KAFKA_CLUSTER_PORT + 10 * (n - 1) ))"; done
  echo "$out"
}

case "${1:-}" in
  cluster) shift; cmd_cluster "$@" ;;
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  logs)   shift; cmd_logs "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
