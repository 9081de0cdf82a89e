"""Drives examples/agenda in headless Chromium over the DevTools protocol, as a visitor would.

    python3 agenda_page.py EXAMPLE_DIR [SCREENSHOT.png]

1. Serves EXAMPLE_DIR on a loopback port and prints `origin http://127.0.0.1:PORT` (the test
   starts Lieu with that origin allowed).
2. Reads one JSON line on stdin: {"api": URL, "key": KEY or "", "blocked": URL of a server that
   does not allow the origin, "registrations": [{"event": ID, "name", "email", "seats"}]}.
3. Opens the page (French), reads the event cards, types each registration into its card's form
   and clicks the button, reads what the page says; then opens the page against the blocked
   server (English) and reads its error. Prints one JSON line with all it saw, then exits.

The browser is /usr/bin/chromium unless LIEU_CHROMIUM names another. Needs `websockets`.
"""
import asyncio
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import websockets


def serve(directory):
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Browser:
    """One headless Chromium, one page, spoken to through a single flattened CDP socket."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="lieu-chromium-")
        binary = os.environ.get("LIEU_CHROMIUM", "/usr/bin/chromium")
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--remote-debugging-port=0",
             f"--user-data-dir={self.profile}", "--window-size=1000,1400", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.problems = []  # uncaught exceptions and console errors of the page

    async def start(self):
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file) or len(open(port_file).read().split()) < 2:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("chromium did not open its DevTools port")
            await asyncio.sleep(0.1)
        port, path = open(port_file).read().split()[:2]
        self.socket = await websockets.connect(f"ws://127.0.0.1:{port}{path}", max_size=None)
        target = await self.call("Target.createTarget", {"url": "about:blank"})
        attached = await self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        self.session = attached["sessionId"]
        await self.call("Runtime.enable", session=True)
        await self.call("Page.enable", session=True)

    async def call(self, method, params=None, session=False):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        await self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(await self.socket.recv())
            if reply.get("id") == message["id"]:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.observe(reply)

    def observe(self, event):
        method = event.get("method")
        if method == "Runtime.exceptionThrown":
            self.problems.append(event["params"]["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and event["params"]["type"] == "error":
            self.problems.append(" ".join(str(a.get("value", a.get("description"))) for a in event["params"]["args"]))

    async def evaluate(self, expression):
        result = await self.call("Runtime.evaluate", {
            "expression": expression, "returnByValue": True, "awaitPromise": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression, seconds=20):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(0.1)
        raise RuntimeError(f"timed out waiting for {expression}")

    async def open(self, url):
        await self.call("Page.navigate", {"url": url}, session=True)
        await self.wait_for("['loaded', 'empty', 'error'].includes(document.querySelector('#status')?.dataset.state)")

    async def type_into(self, selector, text):
        """Focuses the field and types, as the keyboard would (select-all first: replaces)."""
        await self.evaluate(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.focus(); e.select(); }})()")
        await self.call("Input.insertText", {"text": text}, session=True)

    async def click(self, selector):
        box = await self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
            " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            await self.call("Input.dispatchMouseEvent", {
                "type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1}, session=True)

    async def screenshot(self, path):
        import base64
        shot = await self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


CARDS = """[...document.querySelectorAll('article.event')].map(c => ({
  id: c.dataset.eventId, title: c.querySelector('h2').textContent,
  when: c.querySelector('.when').textContent, seats: c.querySelector('.seats').textContent,
  price: c.querySelector('.price').textContent,
  remaining: c.dataset.remainingSeats }))"""


async def scenario(origin, plan, screenshot):
    browser = Browser()
    try:
        await browser.start()
        query = {"api": plan["api"], "lang": "fr"}
        if plan.get("key"):
            query["key"] = plan["key"]
        await browser.open(f"{origin}/index.html?{urllib.parse.urlencode(query)}")
        seen = {"state": await browser.evaluate("document.querySelector('#status').dataset.state"),
                "cards": await browser.evaluate(CARDS), "registrations": []}
        for entry in plan["registrations"]:
            card = f"article.event[data-event-id={json.dumps(entry['event'])}]"
            await browser.type_into(f"{card} input[name=name]", entry["name"])
            await browser.type_into(f"{card} input[name=email]", entry["email"])
            await browser.type_into(f"{card} input[name=seats]", str(entry["seats"]))
            await browser.evaluate(f"document.querySelector({json.dumps(card + ' .result')}).removeAttribute('data-status')")
            await browser.click(f"{card} button")
            await browser.wait_for(
                f"document.querySelector({json.dumps(card + ' .result')}).dataset.status"
                f" && !document.querySelector({json.dumps(card + ' button')}).disabled")
            await asyncio.sleep(0.3)  # the seats are read again after the answer
            seen["registrations"].append(await browser.evaluate(
                f"(() => {{ const c = document.querySelector({json.dumps(card)}); const r = c.querySelector('.result');"
                " return {status: r.dataset.status, text: r.textContent, remaining: c.dataset.remainingSeats,"
                " seats: c.querySelector('.seats').textContent}; })()"))
        if screenshot:
            await browser.screenshot(screenshot)
        await browser.open(f"{origin}/index.html?{urllib.parse.urlencode({'api': plan['blocked'], 'lang': 'en'})}")
        seen["blocked"] = await browser.evaluate(
            "({state: document.querySelector('#status').dataset.state, text: document.querySelector('#status').textContent,"
            " cards: document.querySelectorAll('article.event').length})")
        # A refused CORS check is logged by Chromium itself, not by the page: keep the page's own.
        seen["problems"] = [p for p in browser.problems if "CORS" not in p and "Failed to fetch" not in p]
        return seen
    finally:
        browser.close()


def main():
    origin = serve(sys.argv[1])
    print(f"origin {origin}", flush=True)
    plan = json.loads(sys.stdin.readline())
    screenshot = sys.argv[2] if len(sys.argv) > 2 else None
    print(json.dumps(asyncio.run(scenario(origin, plan, screenshot))), flush=True)


if __name__ == "__main__":
    main()
