#!/usr/bin/env python3
"""A webhook receiver for tests: stores every JSON POST and serves them back.

Usage: sink.py --port PORT [--fail-first N]

POST /<anything>   stores the JSON body (answers 503 for the first N requests, to exercise retries)
GET  /received     returns {"received": [bodies...], "attempts": total POSTs seen}
"""

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self, fail_first: int):
        self.lock = threading.Lock()
        self.fail_first = fail_first
        self.attempts = 0
        self.received: list = []


def make_handler(state: State):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # keep test output quiet
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with state.lock:
                state.attempts += 1
                failing = state.attempts <= state.fail_first
                if not failing:
                    try:
                        state.received.append(json.loads(body))
                    except json.JSONDecodeError:
                        state.received.append({"unparsable": body.decode("utf-8", "replace")})
            self.send_response(503 if failing else 204)
            self.end_headers()

        def do_GET(self):
            if self.path != "/received":
                self.send_response(404)
                self.end_headers()
                return
            with state.lock:
                payload = json.dumps({"received": state.received, "attempts": state.attempts}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--fail-first", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(State(args.fail_first)))
    print(f"webhook sink listening on {args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
