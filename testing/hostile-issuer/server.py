#!/usr/bin/env python3
"""An issuer that tries to move the broker's key fetches somewhere else, for tests. Loopback only.

Usage: server.py PORT
  /redirect/.well-known/openid-configuration  -> 302 to /plain/.well-known/openid-configuration
  /plain/.well-known/openid-configuration     -> a discovery document whose jwks_uri is plain http off this host
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/redirect/.well-known/openid-configuration":
            self.send_response(302)
            self.send_header("Location", base + "/plain/.well-known/openid-configuration")
            self.end_headers()
            return
        if self.path == "/plain/.well-known/openid-configuration":
            body = json.dumps({"issuer": base + "/plain", "jwks_uri": "http://keys.example.com/jwks"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print("listening", flush=True)
    server.serve_forever()
