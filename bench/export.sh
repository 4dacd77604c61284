#!/usr/bin/env bash
# FHIR Bulk Data export benchmark (docs/performance.md, "Bulk Data export"). Not part of `./mvnw verify`.
#
# Runs BulkExportBenchmark (a @QuarkusTest that no test phase runs by default) in the test stack: the
# application in the test JVM, embedded PostgreSQL 15 and Kafka. It seeds one practice with
# BENCH_ENCOUNTERS Encounters (generate_series) and BENCH_MESSAGES sealed messages (COPY), exports
# them with GET /fhir/Group/{practice}/$export?_type=Encounter,Communication, downloads the files,
# samples the used heap every 100 ms, and times COPY (select …) TO STDOUT of the same rows.
#
#   bench/export.sh                                        1,000,000 encounters, 200,000 messages (the lead's run, idle machine)
#   BENCH_ENCOUNTERS=20000 BENCH_MESSAGES=4000 bench/export.sh   a small check that it works
#
# Settings (environment): BENCH_ENCOUNTERS (1000000)  BENCH_MESSAGES (200000)  BENCH_PATIENTS (10000)
#   BENCH_THREADS (50: threads the messages are spread over)  BENCH_HEAP (512m: the test JVM's -Xmx)
#   BENCH_FETCH_SIZE (1000: bluepost.export.fetch-size)  BENCH_OUT (bench/results/export-<UTC time>)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"
OUT="${BENCH_OUT:-bench/results/export-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/summary.md"
nice -n 10 ./mvnw -B -o verify -Dskip.surefire.tests -DskipTests=false -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=BulkExportBenchmark -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench.encounters="${BENCH_ENCOUNTERS:-1000000}" -Dbench.messages="${BENCH_MESSAGES:-200000}" \
  -Dbench.patients="${BENCH_PATIENTS:-10000}" -Dbench.threads="${BENCH_THREADS:-50}" \
  -Dbench.out="$ROOT/$OUT/export.md" -Dbluepost.export.fetch-size="${BENCH_FETCH_SIZE:-1000}" \
  -DargLine="-Xmx${BENCH_HEAP:-512m}" > "$OUT/maven.log" 2>&1 || { echo "failed: see $OUT/maven.log" >&2; exit 1; }
cat "$OUT/export.md" | tee -a "$OUT/summary.md"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.md"
