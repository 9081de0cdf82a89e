#!/usr/bin/env python3
"""Writes the benchmark's request bodies (JSON for wrk) and the floor's SQL (for pgbench) for
the database at $DATABASE_URL (PostgreSQL), from its own data: the first and the last full
week that has bookings, so that the grid is measured with no history before it and with all
of it. Usage: DATABASE_URL=postgres://… bench/bodies.py OUT_DIR"""

import json
import os
import subprocess
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/lieu-bench"
os.makedirs(out, exist_ok=True)
url = os.environ["DATABASE_URL"]


def sql(query):
    return subprocess.run(["psql", url, "-Atc", query], check=True, capture_output=True, text=True).stdout.strip()


# Monday 00:00 UTC of the first week after the first booking, and of the last full week (of
# the bulk of them: a lone booking far ahead would leave that week empty).
first, last = sql(
    "SELECT date_trunc('week', min(starts_at)) + interval '1 week', "
    "date_trunc('week', percentile_disc(0.995) WITHIN GROUP (ORDER BY starts_at)) - interval '1 week' "
    "FROM bookings"
).split("|")
longest = sql("SELECT longest_seconds FROM window_bounds WHERE kind = 'bookings'")
space = sql("SELECT space_id FROM bookings GROUP BY space_id ORDER BY count(*) DESC LIMIT 1")

GRID = ("query($f: BookingFilter) { bookings(filter: $f, first: 200) { edges { node { id start end "
        "title status space { name capacity } booker { ... on Person { firstName lastName } } } } } }")
AGENDA = ("query($f: EventFilter) { events(filter: $f, first: 50) { edges { node { id title start end "
          "remainingSeats spaces { name } } } } }")
AVAILABILITY = "query($s: ID!, $from: DateTime!, $to: DateTime!) { availability(spaceId: $s, from: $from, to: $to) { start end } }"


def iso(expr):
    """A timestamptz SQL expression as RFC 3339 in UTC."""
    return sql(f"SELECT to_char(({expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")


def plus(ts, interval):
    return iso(f"timestamptz '{ts}' + interval '{interval}'")


bodies = {
    "grid-first": (GRID, {"f": {"from": iso(f"timestamptz '{first}'"), "to": plus(first, "1 week")}}),
    "grid-last": (GRID, {"f": {"from": iso(f"timestamptz '{last}'"), "to": plus(last, "1 week")}}),
    "agenda": (AGENDA, {"f": {"from": iso("now()"), "publicOnly": True}}),
    "availability": (AVAILABILITY, {"s": space, "from": iso(f"timestamptz '{last}'"), "to": plus(last, "1 month")}),
}
# The first week's grid with `id` selected twice: the executor merges the repeated key, a
# compiled plan refuses it (api/src/graphql/plan), so this is the executor's path of the same
# binary, for an A/B of the plans in one run (Lieu only).
bodies["grid-executor"] = (GRID.replace("node { id ", "node { id id ", 1), bodies["grid-first"][1])
for name, (query, variables) in bodies.items():
    with open(f"{out}/{name}.json", "w") as f:
        json.dump({"query": query, "variables": variables}, f)

# The floor: the grid's rows as one statement with its joins, bounded below like Lieu's.
for name in ("grid-first", "grid-last"):
    f = bodies[name][1]["f"]
    with open(f"{out}/floor-{name}.sql", "w") as out_sql:
        out_sql.write(
            "SELECT b.id, b.starts_at, b.ends_at, b.title, b.status, s.name, s.capacity, p.first_name, p.last_name "
            "FROM bookings b JOIN spaces s ON s.id = b.space_id LEFT JOIN people p ON p.id = b.person_id "
            f"WHERE b.starts_at >= timestamptz '{f['from']}' - interval '{longest} seconds' "
            f"AND b.ends_at > '{f['from']}' AND b.starts_at < '{f['to']}' ORDER BY b.starts_at, b.id LIMIT 200;\n")
print(f"bodies in {out}: grid {first} and {last}, space {space}")
