#!/usr/bin/env bash
# Triage rule engine micro benchmark (docs/performance.md, "Triage rules"). Not part of `./mvnw verify`.
# Needs the application's compiled classes (./mvnw -B -q -o compile, or any build): the engine is plain
# Java, so it runs alone, without the application, PostgreSQL or Kafka.
#
#   bench/rules.sh [rounds (5)] [seconds per round (5)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
CLASSES="$ROOT/target/classes"
[[ -d "$CLASSES/dev/bluepost/triage/rules" ]] || { echo "build the application first: ./mvnw -B -q -o compile" >&2; exit 1; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
javac -d "$OUT" -cp "$CLASSES" "$ROOT/bench/rules/RuleEngineBench.java"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xms256m -Xmx256m -cp "$OUT:$CLASSES" RuleEngineBench "${1:-5}" "${2:-5}"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
