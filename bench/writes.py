#!/usr/bin/env python3
"""Sequential `createBooking`s, one at a time, on the busiest room of the database in the
weeks of the last grid (where its history is): a night half-hour of each day, so that the
conflict check and the exclusion constraint work in the densest part of the table. Prints the
median and the p99 of the successful ones, and how many were refused (a rerun may find its
slots taken: it picks another night hour each time, at random).

Usage: URL=http://127.0.0.1:8099/graphql TOKEN=… bench/writes.py OUT_DIR [N=200]
(OUT_DIR is where bench/bodies.py wrote availability.json: its room and its month.)"""

import datetime
import json
import os
import random
import statistics
import sys
import time
import urllib.request

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
url, token = os.environ["URL"], os.environ["TOKEN"]
availability = json.load(open(f"{out}/availability.json"))["variables"]
space = availability["s"]
first_day = datetime.datetime.fromisoformat(availability["from"].replace("Z", "+00:00"))
hour, minute = random.randrange(0, 4), random.choice((0, 30))

MUTATION = "mutation($i: CreateBookingInput!) { createBooking(input: $i) { id } }"


def post(body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("content-type", "application/json")
    request.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


times, refused = [], {}
for day in range(count):
    start = first_day + datetime.timedelta(days=day, hours=hour, minutes=minute)
    end = start + datetime.timedelta(minutes=30)
    booking = {"spaceId": space, "start": start.isoformat(), "end": end.isoformat(), "title": "Bench write"}
    began = time.perf_counter()
    answer = post({"query": MUTATION, "variables": {"i": booking}})
    took = (time.perf_counter() - began) * 1000
    if answer.get("errors"):
        code = answer["errors"][0].get("extensions", {}).get("code", "?")
        refused[code] = refused.get(code, 0) + 1
    else:
        times.append(took)

if not times:
    sys.exit(f"every createBooking was refused: {refused}")
times.sort()
p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
print(f"createBooking: {len(times)} made, median {statistics.median(times):.2f} ms, p99 {p99:.2f} ms, refused {refused or 0}")
