#!/usr/bin/env python3
"""Checks that Lieu and the peers return the same rows for each workload: the bodies in
OUT_DIR (bench/bodies.py, bench/peers/bodies.py), Lieu at LIEU_URL (with TOKEN), PostGraphile
4 at V4_URL and 5 at V5_URL. Exits non-zero on any difference.
Usage: LIEU_URL=… TOKEN=… V4_URL=… V5_URL=… bench/peers/check.py OUT_DIR"""

import json
import os
import sys
import urllib.request
from datetime import datetime

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/lieu-bench"


def post(url, body, token=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as answer:
        data = json.load(answer)
    if "errors" in data:
        raise SystemExit(f"{url}: {data['errors']}")
    return data["data"]


def instant(text):
    return datetime.fromisoformat(text).timestamp()


def booking(row):
    space = row.get("space") or row.get("spaceBySpaceId")
    person = row.get("booker") or row.get("person") or row.get("personByPersonId") or {}
    return (row.get("rowId", row.get("id")), instant(row.get("start", row.get("startsAt"))),
            instant(row.get("end", row.get("endsAt"))), row["title"], row["status"], space["name"],
            space["capacity"], person.get("firstName"), person.get("lastName"))


def event(row):
    spaces = row.get("spaces")
    if spaces is None:
        links = (row.get("eventSpaces") or row.get("eventSpacesByEventId"))["nodes"]
        spaces = [link.get("space") or link.get("spaceBySpaceId") for link in links]
    return (row.get("rowId", row.get("id")), row["title"], instant(row.get("start", row.get("startsAt"))),
            instant(row.get("end", row.get("endsAt"))), row["remainingSeats"],
            tuple(sorted(s["name"] for s in spaces)))


def rows(data, shape):
    (connection,) = data.values()
    nodes = connection["nodes"] if "nodes" in connection else [e["node"] for e in connection["edges"]]
    return [shape(n) for n in nodes]


failed = False
for workload, shape in (("grid-first", booking), ("grid-last", booking), ("agenda", event)):
    load = lambda name: json.load(open(f"{out}/{name}.json"))
    token = None if workload == "agenda" else os.environ.get("TOKEN")
    lieu = rows(post(os.environ["LIEU_URL"], load(workload), token), shape)
    for peer in ("v4", "v5"):
        theirs = rows(post(os.environ[f"{peer.upper()}_URL"], load(f"{peer}-{workload}")), shape)
        same = theirs == lieu
        failed |= not same
        failed |= not lieu
        print(f"{workload:11} {peer}: {len(theirs)} rows, lieu {len(lieu)} rows: {'same' if same else 'DIFFERENT'}")
        if not same:
            for a, b in zip(lieu, theirs):
                if a != b:
                    print("  lieu:", a, "\n  peer:", b)
                    break
sys.exit(1 if failed else 0)
