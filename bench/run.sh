#!/usr/bin/env bash
# Lieu's read workloads under wrk, and the floor (the same rows as one SQL statement) under
# pgbench, in alternating rounds. See bench/README.md.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lieu_bench bench/run.sh
#
# Environment: LIEU_BIN (default target/release/lieu-api), ROUNDS (2), DURATION (10 s),
# CONNS (32), WORKLOADS ("grid-first grid-last agenda availability"), EMAIL/PASSWORD of a
# staff login (the demo's manager), PORT (8099), OUT (/tmp/lieu-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the benchmark database (PostgreSQL)}"
LIEU_BIN=${LIEU_BIN:-target/release/lieu-api}
ROUNDS=${ROUNDS:-2} DURATION=${DURATION:-10} CONNS=${CONNS:-32} PORT=${PORT:-8099}
WORKLOADS=${WORKLOADS:-grid-first grid-last agenda availability}
EMAIL=${EMAIL:-manager@demo.lieu} PASSWORD=${PASSWORD:-demo-manager-pass}
OUT=${OUT:-/tmp/lieu-bench}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$LIEU_BIN" ] || { echo "$LIEU_BIN is missing: cargo build --release -p lieu-api" >&2; exit 1; }
bench/bodies.py "$OUT" >&2
URL=http://127.0.0.1:$PORT/graphql

start_server() {
  "$LIEU_BIN" serve --database-url "$DATABASE_URL" --bind "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
  TOKEN=$(curl -s "$URL" -H 'content-type: application/json' \
    -d "{\"query\":\"mutation { login(email: \\\"$EMAIL\\\", password: \\\"$PASSWORD\\\") { token } }\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["token"])')
}

# wrk's summary as one line: requests/s, p50, p99, non-2xx answers.
summary() {
  awk '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF}
       END {printf "%8s req/s  p50 %8s  p99 %8s  non-2xx %s", r, p50, p99, bad+0}' "$1"
}

printf "%-6s %-13s %-5s %s\n" round workload conns result
for round in $(seq "$ROUNDS"); do
  start_server
  for workload in $WORKLOADS; do
    token=$TOKEN
    [ "$workload" = agenda ] && token=""   # the public agenda is read anonymously
    for conns in $CONNS 1; do
      BODY_FILE="$OUT/$workload.json" TOKEN=$token \
        wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${DURATION}s" --latency -s bench/post.lua "$URL" \
        >"$OUT/wrk-$round-$workload-$conns.txt" 2>&1
      printf "%-6s %-13s %-5s %s\n" "$round" "lieu $workload" "$conns" "$(summary "$OUT/wrk-$round-$workload-$conns.txt")"
    done
  done
  printf "%-6s %-13s %-5s RSS %s MB\n" "$round" "lieu server" "-" "$(( $(ps -o rss= -p "$SERVER") / 1024 ))"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  for workload in grid-first grid-last; do
    tps=$(pgbench -n -c "$CONNS" -j 2 -T "$DURATION" -f "$OUT/floor-$workload.sql" "$DATABASE_URL" 2>/dev/null |
      awk '/^tps/ {print $3}')
    printf "%-6s %-13s %-5s %8s tps\n" "$round" "floor $workload" "$CONNS" "$tps"
  done
done
