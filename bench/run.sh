#!/usr/bin/env bash
# Bluepost load benchmark (docs/performance.md). Not part of `./mvnw verify`.
#
# Starts Debian's PostgreSQL 15 cluster (if down) and the local Kafka broker (kafka/kafka.sh), builds
# and starts the packaged application (prod profile, BLUEPOST_* environment), then runs the load
# driver (bench/src): loads a practice with N patients through FHIR transaction Bundles, sends 2 KB
# patient messages at stepped arrival rates, measures 201 and "201 -> Task exists" latency and the
# application's RSS, and finally runs pgbench's 2-insert transaction on the same database.
#
#   bench/run.sh                       the whole ramp (about 6-8 minutes; a 20 s warm-up: C2 is still compiling)
#   BENCH_QUICK=1 bench/run.sh         the quick guard (under 3 minutes): the issue's target load — every new
#                                      thread's acknowledgement at once (acknowledgement-delay=PT0S), a warm-up,
#                                      then 200/s and 300/s for 30 s each, one short pgbench; the number every
#                                      change to the message path records in docs/performance.md
#   BENCH_TARGET=1 bench/run.sh        the sustained-rate run (about 14 minutes): the quick guard's load with the
#                                      JVM of the recommended small-host settings (C2, below) after a 7-minute
#                                      warm-up at 70/s, then 160, 180, 200 and 220/s for 30 s each
#   BENCH_BACKLOG=1 bench/run.sh       the red flag under a backlog (about 11 minutes): as BENCH_TARGET, then one
#                                      step at 400/s for 75 s (more than triage makes) with no drain, so
#                                      that the red-flag probes are sent while thousands of routine messages wait
#   BENCH_PGSS=1 bench/run.sh          also collect pg_stat_statements over the load steps (pgss.txt: the
#                                      statements by total time, with calls per message)
#   BENCH_RATES=100,500 BENCH_STEP_SECONDS=20 bench/run.sh     a shorter ramp
#   BENCH_JFR=1 bench/run.sh           also record the application with JFR and summarise its CPU samples
#   BENCH_APP_PROPS=-Dbluepost.triage.acknowledgement-delay=PT0S bench/run.sh
#                                      every new thread gets its rule acknowledgement at once, so the
#                                      "201 -> auto-reply" table covers every message (the default
#                                      5-minute delay leaves only thank-yous, after-hours and red-flag replies)
#
# Settings (environment):
#   BENCH_PATIENTS (1000)  BENCH_LOGGED_IN (200: patients who log in and send with their own token)  BENCH_RATES (100,250,500,750,1000,1500)  BENCH_STEP_SECONDS (30)
#   BENCH_WARMUP_RATE (100)  BENCH_WARMUP_SECONDS (20)  BENCH_BODY_BYTES (2048)  BENCH_POLL_MS (25)
#   BENCH_RETURN_MINIMAL (false: the 201 carries the Communication, as by default)
#   BENCH_PGBENCH_RUNS (3)  BENCH_PGBENCH_SECONDS (20)  BENCH_DB_POOL (20 = the app's default pool size)
#   BENCH_APP_JAVA_OPTS (see below)  BENCH_APP_PROPS (extra -D options for the app)
#   BENCH_HTTP_PORT (8089)  BENCH_MANAGEMENT_PORT (8090: the app's metrics, http://127.0.0.1:<port>/q/metrics)  KAFKA_PORT/KAFKA_CONTROLLER_PORT (9092/9093, see kafka/kafka.sh)
#   BENCH_WAIT_LOAD=1.0 (wait for a quieter machine first; BENCH_WAIT_MAX seconds, default 1800)
#   BENCH_SKIP_BUILD=1 (use the existing target/quarkus-app)  BENCH_APP_JAR (run this jar instead; no build)
#   BENCH_KEEP_KAFKA_DATA=1 (do not reset the broker)
#   BENCH_OUT (bench/results/<UTC time>)
set -euo pipefail

# C1 only: a JIT that is done compiling within the quick guard's 20 s warm-up, so that three minutes
# measure the code rather than the compiler (C2 needs minutes of a core here; docs/performance.md).
QUICK_JAVA_OPTS="-Xms224m -Xmx224m -XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m"
if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  : "${BENCH_PATIENTS:=400}" "${BENCH_LOGGED_IN:=40}" "${BENCH_RATES:=200,300}" "${BENCH_STEP_SECONDS:=30}"
  : "${BENCH_WARMUP_RATE:=100}" "${BENCH_WARMUP_SECONDS:=20}" "${BENCH_PGBENCH_RUNS:=1}" "${BENCH_PGBENCH_SECONDS:=10}"
  : "${BENCH_APP_JAVA_OPTS:=$QUICK_JAVA_OPTS}"
  : "${BENCH_DRAIN_SECONDS:=20}" "${BENCH_APP_PROPS:=-Dbluepost.triage.acknowledgement-delay=PT0S}"
  export BENCH_PATIENTS BENCH_LOGGED_IN BENCH_RATES BENCH_STEP_SECONDS BENCH_WARMUP_RATE BENCH_WARMUP_SECONDS \
         BENCH_PGBENCH_RUNS BENCH_PGBENCH_SECONDS BENCH_DRAIN_SECONDS BENCH_APP_PROPS BENCH_APP_JAVA_OPTS
elif [[ "${BENCH_TARGET:-0}" == 1 || "${BENCH_BACKLOG:-0}" == 1 ]]; then
  if [[ "${BENCH_BACKLOG:-0}" == 1 ]]; then
    : "${BENCH_RATES:=400}" "${BENCH_STEP_SECONDS:=75}" "${BENCH_DRAIN_SECONDS:=0}" "${BENCH_PGBENCH_RUNS:=0}"
  fi
  : "${BENCH_PATIENTS:=400}" "${BENCH_LOGGED_IN:=40}" "${BENCH_RATES:=160,180,200,220}" "${BENCH_STEP_SECONDS:=30}"
  : "${BENCH_WARMUP_RATE:=70}" "${BENCH_WARMUP_SECONDS:=420}" "${BENCH_PGBENCH_RUNS:=1}" "${BENCH_PGBENCH_SECONDS:=10}"
  : "${BENCH_DRAIN_SECONDS:=20}" "${BENCH_APP_PROPS:=-Dbluepost.triage.acknowledgement-delay=PT0S}"
  export BENCH_PATIENTS BENCH_LOGGED_IN BENCH_RATES BENCH_STEP_SECONDS BENCH_WARMUP_RATE BENCH_WARMUP_SECONDS \
         BENCH_PGBENCH_RUNS BENCH_PGBENCH_SECONDS BENCH_DRAIN_SECONDS BENCH_APP_PROPS
fi

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$BENCH_DIR/.." && pwd -P)"
cd "$ROOT"

PATIENTS="${BENCH_PATIENTS:-1000}"
RATES="${BENCH_RATES:-100,250,500,750,1000,1500}"
STEP_SECONDS="${BENCH_STEP_SECONDS:-30}"
HTTP_PORT="${BENCH_HTTP_PORT:-8089}"
MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-8090}"
DB_POOL="${BENCH_DB_POOL:-20}"
# The small-host settings docs/operations.md recommends, sized for the RSS target (512 MB): the full
# tiered JIT (C2 code costs about 60 % of the CPU per message of C1's once compiled, and turns on the AES-GCM
# and SHA-256 intrinsics; its profiles and larger code take about 60 MB more, paid for by the heap),
# a fixed 160 MB heap with the serial collector (no G1 remembered sets; 60-90 MB of it is live under
# load), 512 KB thread stacks, a 64 MB code cache (C2 fills about 52 MB), native memory the compiler
# freed given back to the system every 5 s, and glibc limited to 2 malloc arenas (MALLOC_ARENA_MAX below).
APP_JAVA_OPTS="${BENCH_APP_JAVA_OPTS:--Xms160m -Xmx160m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=64m -XX:TrimNativeHeapInterval=5000}"
APP_MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# BENCH_APP_JAR: another build of the application (e.g. a copy of target/quarkus-app from before a change)
APP_JAR="${BENCH_APP_JAR:-target/quarkus-app/quarkus-run.jar}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="${BENCH_OUT:-$BENCH_DIR/results/$STAMP}"
mkdir -p "$OUT"
ln -sfn "$OUT" "$BENCH_DIR/results/latest" 2>/dev/null || true
export KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"

PG_CLUSTER_VERSION=15
PG_CLUSTER=main
PG_PORT=5432
DB=bluepost_bench
DB_USER=bluepost_bench
DB_PASSWORD="$(openssl rand -hex 16)"

say() { echo "[bench] $*"; }

APP_PID=""
LOAD_PID=""
STARTED_PG=0
cleanup() {
  set +e
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    say "stopping the application (pid $APP_PID)"
    kill -TERM "$APP_PID"; for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$APP_PID" 2>/dev/null && kill -KILL "$APP_PID"
  fi
  [[ -n "$LOAD_PID" ]] && kill "$LOAD_PID" 2>/dev/null
  if [[ "${BENCH_KEEP_KAFKA_RUNNING:-0}" != 1 ]]; then kafka/kafka.sh stop >/dev/null; fi
  if [[ "$STARTED_PG" == 1 && "${BENCH_KEEP_PG_RUNNING:-0}" != 1 ]]; then
    say "stopping PostgreSQL $PG_CLUSTER_VERSION/$PG_CLUSTER (this script started it)"
    pg_ctlcluster "$PG_CLUSTER_VERSION" "$PG_CLUSTER" stop
  fi
}
trap cleanup EXIT

# ------------------------------------------------------------------ environment, for the record
{
  echo "date: $(date -u +%FT%TZ)"
  echo "git: $(git rev-parse --short HEAD) ($(git rev-parse --abbrev-ref HEAD))$(git diff --quiet || echo ' + uncommitted changes')"
  echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -n 1)"
  echo "postgresql: $(/usr/lib/postgresql/$PG_CLUSTER_VERSION/bin/postgres --version)"
  echo "pgbench: $(pgbench --version)"
  echo "app: $APP_JAR"
  echo "app JVM options: $APP_JAVA_OPTS ${BENCH_APP_PROPS:-} (MALLOC_ARENA_MAX=$APP_MALLOC_ARENA_MAX)"
  echo "rates: $RATES x ${STEP_SECONDS}s; patients: $PATIENTS; db pool: $DB_POOL"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  # the same VM runs at different speeds as its host gets busier: a one-core reference number per run
  echo "host speed at start: openssl sha256, 16-byte blocks, one core: $(openssl speed -seconds 2 sha256 2>/dev/null | awk '/^sha256/{print $2}') bytes/s (lower: a slower or busier host)"
  echo "busiest processes at start:"; ps -eo pid,pcpu,rss,etime,args --sort=-pcpu | head -n 8 | cut -c1-160
} > "$OUT/environment.txt"
cat "$OUT/environment.txt"
# load average every 5 s for the whole run (how noisy the machine was)
( while :; do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 5; done ) > "$OUT/loadavg.log" 2>/dev/null &
LOAD_PID=$!

# ------------------------------------------------------------------ PostgreSQL (Debian's cluster)
if ! pg_lsclusters -h | awk -v v="$PG_CLUSTER_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}' | grep -q online; then
  say "starting PostgreSQL $PG_CLUSTER_VERSION/$PG_CLUSTER"
  pg_ctlcluster "$PG_CLUSTER_VERSION" "$PG_CLUSTER" start
  STARTED_PG=1
fi
say "fresh database $DB (owner $DB_USER)"
(cd /tmp && su postgres -c "psql -q -v ON_ERROR_STOP=1 -p $PG_PORT" <<SQL
DROP DATABASE IF EXISTS $DB WITH (FORCE);
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN CREATE ROLE $DB_USER LOGIN; END IF;
END \$\$;
ALTER ROLE $DB_USER PASSWORD '$DB_PASSWORD';
CREATE DATABASE $DB OWNER $DB_USER;
SQL
)
(cd /tmp && su postgres -c "psql -At -p $PG_PORT -c \"select name || '=' || setting from pg_settings where name in ('shared_buffers','synchronous_commit','fsync','wal_sync_method','max_connections','commit_delay','full_page_writes','wal_buffers','checkpoint_timeout','max_wal_size')\"") \
  | sed 's/^/postgresql setting: /' | tee -a "$OUT/environment.txt"

if [[ "${BENCH_PGSS:-0}" == 1 ]]; then
  if ! (cd /tmp && su postgres -c "psql -At -p $PG_PORT -c 'show shared_preload_libraries'") | grep -q pg_stat_statements; then
    say "enabling pg_stat_statements (restarts PostgreSQL $PG_CLUSTER_VERSION/$PG_CLUSTER)"
    (cd /tmp && su postgres -c "psql -q -p $PG_PORT -c \"alter system set shared_preload_libraries = 'pg_stat_statements'\"")
    pg_ctlcluster "$PG_CLUSTER_VERSION" "$PG_CLUSTER" restart
  fi
  (cd /tmp && su postgres -c "psql -q -p $PG_PORT -d $DB -c 'create extension if not exists pg_stat_statements' \
      -c 'grant pg_read_all_stats to $DB_USER' -c 'grant execute on function pg_stat_statements_reset to $DB_USER'")
fi

# ------------------------------------------------------------------ Kafka broker
kafka/kafka.sh stop >/dev/null || true
if [[ "${BENCH_KEEP_KAFKA_DATA:-0}" != 1 ]]; then
  rm -rf kafka/data   # fresh topics and consumer offsets for every run
fi
kafka/kafka.sh start
KAFKA_PID="$(cat kafka/data/kafka.pid)"

# ------------------------------------------------------------------ build
if [[ -z "${BENCH_APP_JAR:-}" && ( "${BENCH_SKIP_BUILD:-0}" != 1 || ! -f target/quarkus-app/quarkus-run.jar ) ]]; then
  say "building the application (./mvnw package -DskipTests)"
  ./mvnw -B -q package -DskipTests
fi
say "building the load driver"
./mvnw -B -q -f bench/pom.xml package dependency:copy-dependencies -DoutputDirectory=target/lib

# ------------------------------------------------------------------ a quiet machine, if asked for
# The machine is shared: BENCH_WAIT_LOAD=1.0 waits (up to BENCH_WAIT_MAX seconds, default 1800) until
# the 1-minute load average is below 1.0 before the application starts.
if [[ -n "${BENCH_WAIT_LOAD:-}" ]]; then
  waited=0
  while awk -v max="$BENCH_WAIT_LOAD" '{exit !($1 >= max)}' /proc/loadavg && (( waited < ${BENCH_WAIT_MAX:-1800} )); do
    (( waited % 60 == 0 )) && say "waiting for load average < $BENCH_WAIT_LOAD (now $(cut -d' ' -f1 /proc/loadavg))"
    sleep 5; waited=$(( waited + 5 ))
  done
  say "load average $(cut -d' ' -f1-3 /proc/loadavg) after waiting ${waited} s" | tee -a "$OUT/environment.txt"
fi

# ------------------------------------------------------------------ application (prod profile)
KEY_DIR="$OUT/keys"
mkdir -p "$KEY_DIR" && chmod 700 "$KEY_DIR"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$KEY_DIR/token-signing.pem" 2>/dev/null
CLIENT_SECRET="$(openssl rand -hex 24)"
JFR_OPTS=()
if [[ "${BENCH_JFR:-0}" == 1 ]]; then
  # BENCH_JFR_DELAY=40s: start recording after start-up, logins and warm-up (a steady-state profile)
  JFR_OPTS=("-XX:StartFlightRecording=filename=$OUT/app.jfr,settings=profile,dumponexit=true${BENCH_JFR_DELAY:+,delay=$BENCH_JFR_DELAY}")
fi
say "starting the application on port $HTTP_PORT ($APP_JAVA_OPTS)"
# shellcheck disable=SC2086
env MALLOC_ARENA_MAX="$APP_MALLOC_ARENA_MAX" BLUEPOST_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$DB" \
    BLUEPOST_DB_USER="$DB_USER" BLUEPOST_DB_PASSWORD="$DB_PASSWORD" \
    BLUEPOST_KAFKA_BOOTSTRAP_SERVERS="localhost:$KAFKA_PORT" \
    BLUEPOST_KEK="$(openssl rand -base64 32)" BLUEPOST_KEK_ID="kek-bench" \
    BLUEPOST_SIGNING_KEY="$KEY_DIR/token-signing.pem" \
    BLUEPOST_SYSTEM_CLIENT_SECRET="$CLIENT_SECRET" \
    BLUEPOST_DATA_DIR="$OUT/data" \
    BLUEPOST_PUBLIC_URL="http://127.0.0.1:$HTTP_PORT" BLUEPOST_MAIL_FROM="Bluepost bench <no-reply@bluepost.invalid>" \
    java $APP_JAVA_OPTS "${JFR_OPTS[@]}" -Dquarkus.http.port="$HTTP_PORT" \
         -Dquarkus.management.port="$MANAGEMENT_PORT" -Dquarkus.management.host=127.0.0.1 \
         -Dquarkus.datasource.jdbc.max-size="$DB_POOL" \
         -Dbluepost.security.secure-cookies=false \
         -Dbluepost.security.apps.bench-app.name="Bluepost load driver" \
         -Dbluepost.security.apps.bench-app.redirect-uris=http://127.0.0.1:8765/callback \
         ${BENCH_APP_PROPS:-} \
         -jar "$APP_JAR" > "$OUT/app.log" 2>&1 &
APP_PID=$!
for i in $(seq 1 240); do
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/q/health/ready")" == 200 ]]; then break; fi
  kill -0 "$APP_PID" 2>/dev/null || { say "the application exited; see $OUT/app.log"; tail -n 40 "$OUT/app.log"; exit 1; }
  sleep 0.5
done
say "application ready (pid $APP_PID, RSS $(awk '/VmRSS/{print int($2/1024)}' /proc/$APP_PID/status) MB)"

# ------------------------------------------------------------------ load
java -Xms256m -Xmx512m -XX:+UseSerialGC -cp "bench/target/classes:bench/target/lib/*" \
  -Dbench.url="http://127.0.0.1:$HTTP_PORT" -Dbench.client-secret="$CLIENT_SECRET" \
  -Dbench.jdbc-url="jdbc:postgresql://127.0.0.1:$PG_PORT/$DB" -Dbench.db-user="$DB_USER" -Dbench.db-password="$DB_PASSWORD" \
  -Dbench.pg-port="$PG_PORT" -Dbench.pg-database="$DB" \
  -Dbench.app-pid="$APP_PID" -Dbench.kafka-pid="$KAFKA_PID" \
  -Dbench.patients="$PATIENTS" -Dbench.logged-in-patients="${BENCH_LOGGED_IN:-200}" -Dbench.rates="$RATES" -Dbench.step-seconds="$STEP_SECONDS" \
  -Dbench.warmup-rate="${BENCH_WARMUP_RATE:-100}" -Dbench.warmup-seconds="${BENCH_WARMUP_SECONDS:-20}" \
  -Dbench.body-bytes="${BENCH_BODY_BYTES:-2048}" -Dbench.poll-ms="${BENCH_POLL_MS:-25}" \
  -Dbench.return-minimal="${BENCH_RETURN_MINIMAL:-false}" -Dbench.drain-seconds="${BENCH_DRAIN_SECONDS:-60}" \
  -Dbench.pgss="${BENCH_PGSS:-0}" \
  -Dbench.pgbench-clients="$DB_POOL" -Dbench.pgbench-runs="${BENCH_PGBENCH_RUNS:-3}" \
  -Dbench.pgbench-seconds="${BENCH_PGBENCH_SECONDS:-20}" \
  -Dbench.out="$OUT" dev.bluepost.bench.LoadDriver 2>&1 | tee "$OUT/driver.log"

{
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "busiest processes at end:"; ps -eo pid,pcpu,rss,etime,args --sort=-pcpu | head -n 8 | cut -c1-160
} | tee -a "$OUT/environment.txt"
{ grep -c 'ERROR' "$OUT/app.log" || true; } | xargs -I{} echo "[bench] ERROR lines in app.log: {}"

if [[ "${BENCH_JFR:-0}" == 1 ]]; then
  say "writing the JFR recording, then stopping the application"
  jcmd "$APP_PID" JFR.dump filename="$OUT/app.jfr" >/dev/null || true
  kill -TERM "$APP_PID"; for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$APP_PID" 2>/dev/null; then kill -KILL "$APP_PID"; fi
  APP_PID=""
  java -cp "bench/target/classes" dev.bluepost.bench.JfrSummary "$OUT/app.jfr" 30 | tee "$OUT/jfr-summary.txt"
fi
say "results in ${OUT#"$ROOT"/}"
