#!/usr/bin/env python3
"""Writes the peers' request bodies for the same rows as bench/bodies.py's Lieu bodies (read
from OUT_DIR, where bench/bodies.py wrote them): the week grids and the public agenda in
PostGraphile 4's and 5's names. Usage: bench/peers/bodies.py OUT_DIR"""

import json
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/lieu-bench"

# The grid: the first 200 bookings overlapping the week, by start then id, as a team would
# write it with the connection filter (no lower bound from the longest booking: that is
# Lieu's own index trick).
V4_GRID = ("query($from: Datetime!, $to: Datetime!) { allBookings(filter: {startsAt: {lessThan: $to}, "
           "endsAt: {greaterThan: $from}}, orderBy: [STARTS_AT_ASC, ID_ASC], first: 200) { nodes { id startsAt "
           "endsAt title status spaceBySpaceId { name capacity } personByPersonId { firstName lastName } } } }")
V5_GRID = ("query($from: Datetime!, $to: Datetime!) { bookings(filter: {startsAt: {lessThan: $to}, "
           "endsAt: {greaterThan: $from}}, orderBy: [STARTS_AT_ASC, PRIMARY_KEY_ASC], first: 200) { nodes { rowId startsAt "
           "endsAt title status space { name capacity } person { firstName lastName } } } }")
# PostGraphile 5's `id` is its global node id: `rowId` is the row's own, as Lieu's `id` is.
# The agenda: the next 50 public, scheduled events not over, with their spaces and seats left.
V4_AGENDA = ("query($now: Datetime!) { allEvents(filter: {public: {equalTo: true}, status: {equalTo: \"SCHEDULED\"}, "
             "endsAt: {greaterThan: $now}}, orderBy: [STARTS_AT_ASC, PRIMARY_KEY_ASC], first: 50) { nodes { id title startsAt "
             "endsAt remainingSeats eventSpacesByEventId { nodes { spaceBySpaceId { name } } } } } }")
V5_AGENDA = ("query($now: Datetime!) { events(filter: {public: {equalTo: true}, status: {equalTo: \"SCHEDULED\"}, "
             "endsAt: {greaterThan: $now}}, orderBy: [STARTS_AT_ASC, PRIMARY_KEY_ASC], first: 50) { nodes { rowId title startsAt "
             "endsAt remainingSeats eventSpaces { nodes { space { name } } } } } }")

for name in ("grid-first", "grid-last"):
    with open(f"{out}/{name}.json") as f:
        window = json.load(f)["variables"]["f"]
    variables = {"from": window["from"], "to": window["to"]}
    for peer, query in (("v4", V4_GRID), ("v5", V5_GRID)):
        with open(f"{out}/{peer}-{name}.json", "w") as f:
            json.dump({"query": query, "variables": variables}, f)
with open(f"{out}/agenda.json") as f:
    now = json.load(f)["variables"]["f"]["from"]
for peer, query in (("v4", V4_AGENDA), ("v5", V5_AGENDA)):
    with open(f"{out}/{peer}-agenda.json", "w") as f:
        json.dump({"query": query, "variables": {"now": now}}, f)
print(f"peer bodies in {out}")
