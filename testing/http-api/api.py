#!/usr/bin/env python3
"""A small JSON API for the tests of hoopctl's `http` resource: a target to judge requests against (methods, paths,
queries, JSON bodies), to mask answers from (users with e-mails, SSNs, card numbers and secrets, in plain, gzip,
streamed and very large bodies), and to prove from the far side what a proxy sent (the echo endpoint and the log of
every request line). Standard library only.

    python3 api.py --port N [--host 127.0.0.1] [--tls-cert F --tls-key F]
                   [--require-bearer TOKEN | --require-basic USER:PASS | --require-header NAME:VALUE] [--verbose]

Prints `READY <port>` on stdout once listening (`--port 0` takes a free port). See README.md for the endpoints."""

from __future__ import annotations

import argparse
import base64
import gzip
import hmac
import itertools
import json
import os
import random
import re
import signal
import socket
import ssl
import sys
import threading
import time
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import framing  # noqa: E402
import users  # noqa: E402
import websocket  # noqa: E402

JSON = "application/json"
# Control endpoints for the tests themselves: never behind the credential requirement.
PEER_PREFIX = "/_peer/"
# Query parameters are bounded so that a typo cannot make the peer stream for hours.
MAX_LINES = 1_000_000
MAX_MB = 8192
MAX_DELAY_MS = 600_000


class Requirement:
    """The credential a request must carry, as the target would check the one the broker injects."""

    def __init__(self, kind: str, name: str, expected: str, challenge: str | None) -> None:
        self.kind = kind
        self.name = name.lower()
        self.expected = expected
        self.challenge = challenge

    @staticmethod
    def from_arguments(arguments: argparse.Namespace) -> Requirement | None:
        if arguments.require_bearer is not None:
            return Requirement("bearer", "Authorization", f"Bearer {arguments.require_bearer}", 'Bearer realm="api"')
        if arguments.require_basic is not None:
            encoded = base64.b64encode(arguments.require_basic.encode("utf-8")).decode("ascii")
            return Requirement("basic", "Authorization", f"Basic {encoded}", 'Basic realm="api"')
        if arguments.require_header is not None:
            name, _, value = arguments.require_header.partition(":")
            return Requirement("header", name.strip(), value.strip(), None)
        return None

    def satisfied_by(self, headers: list[list[str]]) -> bool:
        """Exactly one field of the name, with exactly the expected value (the auth scheme's name is
        case-insensitive, RFC 9110 section 11.1). Two Authorization fields fail: a client's own and an injected one
        side by side are what this peer exists to catch."""
        values = [value for field, value in headers if field.lower() == self.name]
        if len(values) != 1:
            return False
        value, expected = values[0], self.expected
        if self.kind in ("bearer", "basic"):
            scheme, _, credential = value.partition(" ")
            expected_scheme, _, expected_credential = expected.partition(" ")
            if scheme.lower() != expected_scheme.lower():
                return False
            value, expected = credential.strip(), expected_credential
        return hmac.compare_digest(value.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


class RequestLog:
    """Every request line the server read, in order, until a reset: the far side's word on what reached it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict] = []

    def add(self, entry: dict) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict]:
        with self._lock:
            return list(self._entries)

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, requirement: Requirement | None, tls: ssl.SSLContext | None, verbose: bool):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.requirement = requirement
        self.tls = tls
        self.verbose = verbose
        self.users = users.Users()
        self.log = RequestLog()
        self._connections = itertools.count(1)

    def next_connection(self) -> int:
        return next(self._connections)

    def get_request(self):
        # The TLS handshake happens in the connection's own thread (Handler.setup), so one slow or broken client
        # cannot hold up the accept loop.
        connection, address = super().get_request()
        if self.tls is not None:
            connection = self.tls.wrap_socket(connection, server_side=True, do_handshake_on_connect=False)
        return connection, address

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, ssl.SSLError, TimeoutError)) and not self.verbose:
            return
        traceback.print_exc(file=sys.stderr)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, on an already decoded path."""
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/".join(output) or "/"


def routed_path(path: str) -> str:
    """The path the routes see: percent-decoded, dot segments removed and repeated slashes merged, the way nginx
    and most frameworks read a path. A policy that reads the raw path differently is then visibly fooled
    (`DELETE /v1/%75sers/1` deletes user 1 here)."""
    decoded = urllib.parse.unquote(path, errors="surrogateescape")
    return _remove_dot_segments(re.sub("/+", "/", decoded))


def split_target(target: str) -> tuple[str, str]:
    """(path, query) of a request-target in origin form (`/p?q`), absolute form (`http://h/p?q`) or asterisk
    form; the fragment is not part of a target and is kept in the path should a client send one."""
    if target.lower().startswith(("http://", "https://")):
        rest = target.split("://", 1)[1]
        slash = rest.find("/")
        target = rest[slash:] if slash >= 0 else "/"
        if "?" in rest and (slash < 0 or rest.find("?") < slash):
            target = "/?" + rest.split("?", 1)[1]
    path, _, query = target.partition("?")
    return path, query


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hoop-test-api/1"
    timeout = 120  # an idle keep-alive connection is dropped after this many seconds
    server: ApiServer

    def version_string(self) -> str:
        return self.server_version

    # -- connection and request reading -------------------------------------------------------------------------

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(self.timeout)
            self.request.do_handshake()
        super().setup()
        self.connection_id = self.server.next_connection()
        self.request_count = 0

    def handle_one_request(self) -> None:
        self.head_only = False
        try:
            raw = self.rfile.readline(65537)
            blank_lines = 0
            while raw in (b"\r\n", b"\n") and blank_lines < 4:  # RFC 9112 section 2.2: tolerate leading blank lines
                raw, blank_lines = self.rfile.readline(65537), blank_lines + 1
            if not raw:
                self.close_connection = True
                return
            self.raw_requestline = raw
            self.request_count += 1
            self._record(raw)
            if len(raw) > 65536:
                self.requestline, self.request_version, self.command = "", "", ""
                self.send_error(414)
                self.close_connection = True
                return
            if not self._parse_head():
                return
            try:
                self.body = framing.read_body(self.rfile, self.header_pairs)
            except framing.FramingError as error:
                self.close_connection = True
                self.respond(error.status, {"error": error.reason})
                return
            if self.body.close:
                self.close_connection = True
            self.route()
            self.wfile.flush()
        except TimeoutError:
            self.close_connection = True

    def _record(self, raw: bytes) -> None:
        line = raw.rstrip(b"\r\n").decode("latin-1")
        words = line.split(" ")
        self.server.log.add({
            "connection": self.connection_id, "request": self.request_count, "line": line,
            "method": words[0] if words else "", "target": words[1] if len(words) > 1 else "",
            "version": words[2] if len(words) > 2 else "",
        })

    def _parse_head(self) -> bool:
        """The standard parser for the request line, version and Connection/Expect handling, with the header
        block's raw lines kept: the echo reports fields exactly as they arrived, duplicates and order included."""
        recorder = _LineRecorder(self.rfile)
        self.rfile = recorder
        try:
            parsed = self.parse_request()
        finally:
            self.rfile = recorder.inner
        self.raw_head = b"".join(recorder.lines)
        self.header_pairs = []
        for line in recorder.lines:
            text = line.rstrip(b"\r\n").decode("latin-1")
            if not text:
                break
            if text[0] in " \t" and self.header_pairs:  # obsolete line folding: shown joined, as RFC 9112 5.2 says
                self.header_pairs[-1][1] += " " + text.strip()
                continue
            name, _, value = text.partition(":")
            self.header_pairs.append([name, value.strip(" \t")])
        if not parsed:
            return False
        words = self.raw_requestline.rstrip(b"\r\n").decode("latin-1").split(" ")
        self.target = words[1] if len(words) > 1 else ""
        self.path_part, self.query = split_target(self.target)
        self.route_path = routed_path(self.path_part)
        self.head_only = self.command == "HEAD"
        return True

    def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
        if self.server.verbose:
            super().log_message(format, *args)

    # -- answering ----------------------------------------------------------------------------------------------

    def respond(self, status: int, payload=None, content_type: str = JSON, headers: list | None = None,
                body: bytes | None = None) -> None:
        """A complete answer with a Content-Length (none for 204 and 304, which have no body)."""
        if body is None:
            body = b"" if payload is None else json.dumps(payload).encode("utf-8") + b"\n"
        self.send_response(status)
        bodiless = status in (204, 304)
        if not bodiless:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers or []:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        elif self.request_version == "HTTP/1.0":  # a 1.0 client keeps the connection only when told it may
            self.send_header("Connection", "keep-alive")
        self.end_headers()
        if not bodiless and not self.head_only:
            self.wfile.write(body)

    def start_stream(self, content_type: str, headers: list | None = None) -> framing.BodyWriter:
        """Headers of an answer whose body follows in pieces: chunked on HTTP/1.1, delimited by closing the
        connection for an HTTP/1.0 client."""
        chunked = self.request_version == "HTTP/1.1"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        for name, value in headers or []:
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        if not chunked or self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        return framing.BodyWriter(self.wfile, chunked, silent=self.head_only)

    def problem(self, status: int, reason: str, headers: list | None = None) -> None:
        self.respond(status, {"error": reason}, headers=headers)

    def number(self, name: str, default: float, low: float, high: float, integer: bool = True):
        """A numeric query parameter within bounds; raises ValueError (answered 400) otherwise."""
        values = urllib.parse.parse_qs(self.query, keep_blank_values=True).get(name)
        if not values:
            return default
        value = int(values[-1]) if integer else float(values[-1])
        if not low <= value <= high:
            raise ValueError(f"{name} must be between {low} and {high}")
        return value

    def flag(self, name: str) -> str | None:
        values = urllib.parse.parse_qs(self.query, keep_blank_values=True).get(name)
        return values[-1] if values else None

    # -- routing ------------------------------------------------------------------------------------------------

    def route(self) -> None:
        path, method = self.route_path, self.command
        if path.startswith(PEER_PREFIX):
            return self.peer_control(path, method)
        requirement = self.server.requirement
        if requirement is not None and not requirement.satisfied_by(self.header_pairs):
            challenge = [("WWW-Authenticate", requirement.challenge)] if requirement.challenge else []
            return self.problem(401, "unauthorized", challenge)
        reading = method in ("GET", "HEAD")
        try:
            if path == "/v1/echo" or path.startswith("/v1/echo/"):
                return self.echo()
            if path == "/v1/users":
                return self.users_collection(method)
            if match := re.fullmatch(r"/v1/users/([^/]+)", path):
                return self.user_item(method, match.group(1))
            if path == "/v1/ws":
                return self.websocket()
            if match := re.fullmatch(r"/v1/status/([^/]+)", path):
                return self.status(match.group(1)) if reading else self.not_allowed("GET, HEAD")
            readers = {"/v1/stream": self.stream, "/v1/ndjson": self.ndjson, "/v1/big": self.big,
                       "/v1/blob": self.blob, "/v1/gzip": self.gzipped, "/v1/text": self.text,
                       "/v1/slow": self.slow}
            if path in readers:
                return readers[path]() if reading else self.not_allowed("GET, HEAD")
        except ValueError as error:
            return self.problem(400, str(error))
        return self.problem(404, f"no route for {path}")

    def not_allowed(self, allow: str) -> None:
        self.problem(405, f"{self.command} not allowed here", [("Allow", allow)])

    def peer_control(self, path: str, method: str) -> None:
        if path == "/_peer/requests" and method in ("GET", "HEAD"):
            return self.respond(200, self.server.log.entries())
        if path == "/_peer/reset" and method == "POST":
            self.server.log.reset()
            return self.respond(204)
        return self.problem(404, f"no control endpoint {method} {path}")

    # -- endpoints ----------------------------------------------------------------------------------------------

    def echo(self) -> None:
        data = self.body.data
        self.respond(200, {
            "method": self.command, "target": self.target, "version": self.request_version,
            "path": self.path_part, "route": self.route_path, "query": self.query,
            "args": urllib.parse.parse_qs(self.query, keep_blank_values=True),
            "headers": self.header_pairs, "head": self.raw_head.decode("latin-1"),
            "body": data.decode("utf-8", "replace"), "body_length": len(data),
            "body_base64": base64.b64encode(data).decode("ascii"), "framing": self.body.framing,
            "trailers": self.body.trailers,
            "connection": {"id": self.connection_id, "request": self.request_count,
                           "client": f"{self.client_address[0]}:{self.client_address[1]}",
                           "tls": isinstance(self.request, ssl.SSLSocket)},
        })

    def json_body(self) -> dict:
        try:
            value = json.loads(self.body.data)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"body is not JSON: {error}") from None
        if not isinstance(value, dict):
            raise ValueError("body must be a JSON object")
        return value

    def users_collection(self, method: str) -> None:
        store = self.server.users
        if method in ("GET", "HEAD"):
            return self.respond(200, store.list())
        if method == "POST":
            created = store.create(self.json_body())
            return self.respond(201, created, headers=[("Location", f"/v1/users/{created['id']}")])
        return self.not_allowed("GET, HEAD, POST")

    def user_item(self, method: str, text: str) -> None:
        store = self.server.users
        if not text.isdigit():
            return self.problem(404, f"no user {text!r}")
        identifier = int(text)
        if method in ("GET", "HEAD"):
            found = store.get(identifier)
        elif method == "PUT":
            found = store.replace(identifier, self.json_body())
        elif method == "PATCH":
            found = store.update(identifier, self.json_body())
        elif method == "DELETE":
            return self.respond(204) if store.delete(identifier) else self.problem(404, f"no user {identifier}")
        else:
            return self.not_allowed("GET, HEAD, PUT, PATCH, DELETE")
        if found is None:
            return self.problem(404, f"no user {identifier}")
        self.respond(200, found)

    def stream(self) -> None:
        """Lines over time; every third names an e-mail address, every fifth the card number. With `split=1` each
        line goes out as two chunks cut inside its sensitive value, so a masker that looks at one chunk at a time
        misses it."""
        lines = self.number("lines", 10, 0, MAX_LINES)
        delay = self.number("delay_ms", 0, 0, MAX_DELAY_MS) / 1000
        split = self.flag("split") == "1"
        writer = self.start_stream("text/plain; charset=utf-8")
        for index in range(1, lines + 1):
            words = [f"line {index}"]
            if index % 3 == 0:
                words.append(f"contact user{index}@example.com")
            if index % 5 == 0:
                words.append(f"card {users.CARD}")
            text = (" ".join(words) + "\n").encode("utf-8")
            cut = text.find(b"@") if b"@" in text else text.find(users.CARD.encode()) + 6
            if split and len(words) > 1:
                writer.write(text[:cut])
                writer.write(text[cut:])
            else:
                writer.write(text)
            if delay and index < lines:
                time.sleep(delay)
        writer.finish()

    def ndjson(self) -> None:
        count = self.number("n", 10, 0, MAX_LINES)
        delay = self.number("delay_ms", 0, 0, MAX_DELAY_MS) / 1000
        writer = self.start_stream("application/x-ndjson")
        for index in range(1, count + 1):
            writer.write(json.dumps({"type": "ADDED", "object": users.numbered(index)}).encode("utf-8") + b"\n")
            if delay and index < count:
                time.sleep(delay)
        writer.finish()

    def big(self) -> None:
        """About `mb` million bytes of a JSON array of users, made as it is sent. `framing=length` announces the
        size with Content-Length instead of chunking (every record has the same width, so it is known up front)."""
        megabytes = self.number("mb", 1, 0.001, MAX_MB, integer=False)
        by_length = self.flag("framing") == "length"
        first = 10_000_000  # eight-digit ids keep every record the same width
        width = len(users.numbered_json(first))
        count = max(1, int(megabytes * 1_000_000) // (width + 1))
        size = 2 + count * width + (count - 1)
        if by_length:
            self.send_response(200)
            self.send_header("Content-Type", JSON)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            writer = framing.BodyWriter(self.wfile, chunked=False, silent=self.head_only)
        else:
            writer = self.start_stream(JSON)
        piece, pending = [b"["], 1
        for index in range(count):
            record = users.numbered_json(first + index)
            piece.append(record if index == 0 else b"," + record)
            pending += len(piece[-1])
            if pending >= 64 * 1024:
                writer.write(b"".join(piece))
                piece, pending = [], 0
        piece.append(b"]")
        writer.write(b"".join(piece))
        writer.finish()

    def blob(self) -> None:
        """`mb` million bytes of fixed pseudo-random data, with a Content-Length."""
        size = int(self.number("mb", 1, 0, MAX_MB, integer=False) * 1_000_000)
        block = random.Random(6455).randbytes(64 * 1024)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        writer = framing.BodyWriter(self.wfile, chunked=False, silent=self.head_only)
        left = size
        while left:
            writer.write(block[: min(left, len(block))])
            left -= min(left, len(block))

    def gzipped(self) -> None:
        """The user list gzip-compressed. Always, whatever Accept-Encoding says (as some servers do), unless
        `negotiate=1`: then only when the request's Accept-Encoding allows gzip."""
        data = json.dumps(self.server.users.list()).encode("utf-8")
        if self.flag("negotiate") == "1" and not _accepts_gzip(self.header_pairs):
            return self.respond(200, body=data, headers=[("Vary", "Accept-Encoding")])
        self.respond(200, body=gzip.compress(data, mtime=0),
                     headers=[("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")])

    def text(self) -> None:
        lines = [f"Contact {user['name']} at {user['email']} (card {user['card']})."
                 for user in self.server.users.list()]
        lines.append("Escalations go to security@example.com, never to a personal address.")
        self.respond(200, body=("\n".join(lines) + "\n").encode("utf-8"), content_type="text/plain; charset=utf-8")

    def slow(self) -> None:
        """Waits `ms` before answering; with `body_ms`, also between the headers (and first half of the body) and
        the rest of the body, for timeouts that begin once the answer has started."""
        wait = self.number("ms", 1000, 0, MAX_DELAY_MS)
        body_wait = self.number("body_ms", 0, 0, MAX_DELAY_MS)
        time.sleep(wait / 1000)
        body = json.dumps({"slept_ms": wait, "body_ms": body_wait}).encode("utf-8") + b"\n"
        self.send_response(200)
        self.send_header("Content-Type", JSON)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.head_only:
            return
        half = len(body) // 2
        self.wfile.write(body[:half])
        self.wfile.flush()
        time.sleep(body_wait / 1000)
        self.wfile.write(body[half:])

    def status(self, text: str) -> None:
        """Answers with the status asked for (200-599); redirects carry `Location` (the `location` parameter, or
        /v1/users), 401 a challenge."""
        if not text.isdigit() or not 200 <= int(text) <= 599:
            return self.problem(400, "status must be between 200 and 599")
        code = int(text)
        headers = []
        if code in (301, 302, 303, 307, 308):
            headers.append(("Location", self.flag("location") or "/v1/users"))
        if code == 401:
            headers.append(("WWW-Authenticate", 'Bearer realm="api"'))
        self.respond(code, {"status": code}, headers=headers)

    def websocket(self) -> None:
        problem = websocket.handshake_problem(self.command, self.request_version, self.header_pairs)
        if problem:
            upgrade = any(field.lower() == "upgrade" for field, _ in self.header_pairs)
            return self.problem(400 if upgrade else 426, problem, [("Upgrade", "websocket")] if not upgrade else [])
        key = next(value.strip() for field, value in self.header_pairs if field.lower() == "sec-websocket-key")
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", websocket.accept_key(key))
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True  # after the WebSocket conversation the connection is done
        websocket.echo(self.rfile, self.wfile)


class _LineRecorder:
    """Stands in for the request's input while the standard parser reads the header block, keeping each line."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.lines: list[bytes] = []

    def readline(self, limit: int = -1) -> bytes:
        line = self.inner.readline(limit)
        self.lines.append(line)
        return line


def _accepts_gzip(headers: list[list[str]]) -> bool:
    for field, value in headers:
        if field.lower() != "accept-encoding":
            continue
        for element in value.split(","):
            coding, _, parameters = element.strip().partition(";")
            quality = parameters.strip().lower()
            if coding.strip().lower() in ("gzip", "*") and quality not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
                return True
    return False


def tls_context(certificate: str, key: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    context.set_alpn_protocols(["http/1.1"])  # a client offering h2 is told this peer speaks HTTP/1.1
    return context


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True, help="port to listen on (0: a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (chain)")
    parser.add_argument("--tls-key", help="the certificate's PEM private key")
    required = parser.add_mutually_exclusive_group()
    required.add_argument("--require-bearer", metavar="TOKEN", help="401 unless Authorization: Bearer TOKEN")
    required.add_argument("--require-basic", metavar="USER:PASS", help="401 unless HTTP Basic with USER:PASS")
    required.add_argument("--require-header", metavar="NAME:VALUE", help="401 unless header NAME is VALUE")
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    arguments = parser.parse_args()
    if bool(arguments.tls_cert) != bool(arguments.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if arguments.require_header is not None and ":" not in arguments.require_header:
        parser.error("--require-header takes NAME:VALUE")
    tls = tls_context(arguments.tls_cert, arguments.tls_key) if arguments.tls_cert else None
    server = ApiServer((arguments.host, arguments.port), Requirement.from_arguments(arguments), tls,
                       arguments.verbose)
    print(f"READY {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _stop(signum, frame):
    raise KeyboardInterrupt()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    sys.exit(main())
