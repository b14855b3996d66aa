#!/usr/bin/env bash
# Runs the whole revshare system locally on embedded defaults (no Docker, nothing pre-installed
# but a JDK 17+): PostgreSQL, a Kafka broker, ingest, ledger and reporting, and six months of demo
# data for eight partners. Builds first when the jars are missing or --build is given. Ctrl-C stops all.
#   deploy/run-local.sh [--build] [--reset] [--demo] [--help]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build=false
args=()
for a in "$@"; do
  if [ "$a" = "--build" ]; then build=true; else args+=("$a"); fi
done
jar=deploy/local/target/revshare-local.jar
for m in ingest-service ledger-service reporting-service; do
  [ -f "$m/target/quarkus-app/quarkus-run.jar" ] || build=true
done
[ -f "$jar" ] || build=true
if $build; then
  echo "[revshare-local] building (./mvnw -B -q install -DskipTests) ..."
  ./mvnw -B -q install -DskipTests
fi
exec java -Xmx256m -jar "$jar" "${args[@]+"${args[@]}"}"
