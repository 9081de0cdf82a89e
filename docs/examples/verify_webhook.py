"""Checks a Lieu webhook delivery: the signature, and that it is not a replay.

Use `verify(secret, headers, body)` in your receiver, with the raw body bytes (before any
JSON parsing: the signature covers the exact bytes sent). Standard library only.
"""

import hashlib
import hmac
import time

MAX_AGE_SECONDS = 5 * 60


def verify(secret: str, headers, body: bytes, now: float | None = None) -> bool:
    """True when the delivery is signed with `secret` and less than 5 minutes old.

    `headers` is any mapping with case-insensitive access (http.server's, Flask's,
    Django's `request.headers`...)."""
    timestamp = headers.get("Lieu-Timestamp", "")
    signature = headers.get("Lieu-Signature", "")
    if not timestamp.isdigit() or not signature.startswith("v1="):
        return False
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return False  # too old (a replay) or from a clock far off
    expected = hmac.new(
        secret.encode("utf-8"),
        timestamp.encode("ascii") + b"." + body,
        hashlib.sha256,
    ).hexdigest()
    # Constant time: a byte-by-byte comparison would tell an attacker how much was right.
    return hmac.compare_digest(expected, signature[len("v1="):])


if __name__ == "__main__":
    # A receiver for trying it out: python3 verify_webhook.py SECRET [PORT]
    import json
    import sys
    from http.server import BaseHTTPRequestHandler, HTTPServer

    secret = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 9000
    seen = set()  # deliveries already handled: a retry may repeat one

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not verify(secret, self.headers, body):
                self.send_response(401)
                self.end_headers()
                print("REJECTED", self.headers.get("Lieu-Delivery"), flush=True)
                return
            delivery = self.headers["Lieu-Delivery"]
            if delivery not in seen:
                seen.add(delivery)
                event = json.loads(body)
                print("VERIFIED", delivery, event.get("kind"), event.get("summary"), flush=True)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
