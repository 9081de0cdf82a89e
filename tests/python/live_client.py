"""A real external client of the `activity` subscription: Python gql over graphql-transport-ws.

    python3 live_client.py WS_URL TOKEN SECONDS

Opens two sockets, one signed in with TOKEN and one anonymous, prints `ready` once both are
subscribed, then one JSON line per event received ({"socket": "staff"|"anonymous", ...}), until
the staff socket has had its first event or SECONDS have passed; then `done`.
"""
import asyncio
import json
import sys

from gql import Client, gql
from gql.transport.websockets import WebsocketsTransport

QUERY = gql("subscription { activity { kind at summary bookingId eventId registrationId } }")


async def watch(name, url, payload, subscribed, first_staff_event):
    transport = WebsocketsTransport(
        url=url,
        init_payload=payload,
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )
    async with Client(transport=transport) as session:
        stream = session.subscribe(QUERY)
        # The subscribe message leaves with the first step of the iteration: take it in a task
        # and give the server a moment to register it before saying ready.
        first = asyncio.ensure_future(stream.__anext__())
        await asyncio.sleep(1.0)
        if not subscribed.done():
            subscribed.set_result(None)
        result = await first
        while True:
            print(json.dumps({"socket": name, **result["activity"]}, ensure_ascii=False), flush=True)
            if name == "staff":
                first_staff_event.set()
            result = await stream.__anext__()


async def main():
    url, token, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    loop = asyncio.get_running_loop()
    staff_ready, anonymous_ready = loop.create_future(), loop.create_future()
    got = asyncio.Event()
    tasks = [
        asyncio.create_task(watch("staff", url, {"Authorization": f"Bearer {token}"}, staff_ready, got)),
        asyncio.create_task(watch("anonymous", url, {}, anonymous_ready, got)),
    ]
    await asyncio.wait_for(asyncio.gather(staff_ready, anonymous_ready), seconds)
    print("ready", flush=True)
    try:
        await asyncio.wait_for(got.wait(), seconds)
        # Whatever else would come (it must not) has a moment to arrive.
        await asyncio.sleep(0.5)
    except asyncio.TimeoutError:
        pass
    for task in tasks:
        task.cancel()
    print("done", flush=True)


asyncio.run(main())
