"""Checks of the JSON API peer: started as a real process on a free port, every endpoint driven over HTTP with the
standard library's clients, raw sockets where framing matters, and curl.

    python3 -m pytest -q testing/http-api
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import json
import os
import random
import selectors
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
API = os.path.join(HERE, "api.py")
sys.path.insert(0, HERE)

import users  # noqa: E402
import websocket  # noqa: E402

TOKEN = "test-bearer-token"
CARD = "4111111111111111"


class Api:
    """A running api.py and small clients for it."""

    def __init__(self, process: subprocess.Popen, port: int, scheme: str = "http", context=None):
        self.process = process
        self.port = port
        self.scheme = scheme
        self.context = context
        self.base = f"{scheme}://127.0.0.1:{port}"

    def connection(self, timeout: float = 10) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout, context=self.context)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method: str, target: str, body=None, headers=None):
        """One request on a fresh connection; returns (status, headers, body bytes)."""
        connection = self.connection()
        try:
            connection.request(method, target, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def json(self, method: str, target: str, body=None, headers=None):
        status, _, data = self.request(method, target, body, headers)
        return status, (json.loads(data) if data else None)

    def raw(self, data: bytes, timeout: float = 5) -> bytes:
        """Sends bytes on a new socket and reads until the server closes it (or goes quiet)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(data)
            return read_until_closed(sock)


def read_until_closed(sock: socket.socket) -> bytes:
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except socket.timeout:
        pass
    return b"".join(chunks)


def start(*arguments: str) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen([sys.executable, API, "--port", "0", *arguments], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if not selector.select(10):
        process.kill()
        raise AssertionError(f"api.py did not get ready: {process.stderr.read()}")
    line = process.stdout.readline().strip()
    assert line.startswith("READY "), line
    return process, int(line.split()[1])


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=10)


@pytest.fixture(scope="module")
def api():
    process, port = start()
    yield Api(process, port)
    assert stop(process) == 0


@pytest.fixture()
def fresh():
    """A server of its own, for tests that change the users or the request log."""
    process, port = start()
    yield Api(process, port)
    assert stop(process) == 0


def reset(api: Api) -> None:
    assert api.request("POST", "/_peer/reset")[0] == 204


def logged(api: Api) -> list[dict]:
    status, entries = api.json("GET", "/_peer/requests")
    assert status == 200
    return [entry for entry in entries if not entry["target"].startswith("/_peer/")]


def curl(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", "--max-time", "20", *arguments], capture_output=True, timeout=60)


needs_curl = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


# -- start-up and credentials -------------------------------------------------------------------------------------


def test_ready_line_names_the_listening_port():
    process, port = start()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        assert stop(process) == 0


@pytest.mark.parametrize("arguments, good, bad", [
    (("--require-bearer", TOKEN), {"Authorization": f"Bearer {TOKEN}"}, {"Authorization": "Bearer wrong"}),
    (("--require-basic", "svc:pa:ss"), {"Authorization": "Basic " + base64.b64encode(b"svc:pa:ss").decode()},
     {"Authorization": "Basic " + base64.b64encode(b"svc:other").decode()}),
    (("--require-header", "X-Api-Key: k-123"), {"X-Api-Key": "k-123"}, {"X-Api-Key": "k-124"}),
])
def test_a_credential_requirement_refuses_requests_without_it(arguments, good, bad):
    process, port = start(*arguments)
    try:
        peer = Api(process, port)
        status, _, data = peer.request("GET", "/v1/users")
        assert status == 401 and json.loads(data) == {"error": "unauthorized"}
        assert peer.request("GET", "/v1/users", headers=bad)[0] == 401
        status, _, data = peer.request("GET", "/v1/users", headers=good)
        assert status == 200 and len(json.loads(data)) == 3
        # The control endpoints stay open, so a test can always read what reached the target.
        assert peer.request("GET", "/_peer/requests")[0] == 200
    finally:
        assert stop(process) == 0


def test_bearer_challenge_and_case_insensitive_scheme():
    process, port = start("--require-bearer", TOKEN)
    try:
        peer = Api(process, port)
        status, headers, _ = peer.request("GET", "/v1/users/1")
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
        assert peer.request("GET", "/v1/users/1", headers={"Authorization": f"bEaReR {TOKEN}"})[0] == 200
    finally:
        assert stop(process) == 0


def test_two_authorization_fields_are_refused_even_if_one_is_right():
    """A client's own Authorization left beside the injected one must not pass as authenticated."""
    process, port = start("--require-bearer", TOKEN)
    try:
        peer = Api(process, port)
        request = (f"GET /v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
                   "Authorization: Bearer client-own\r\nConnection: close\r\n\r\n").encode()
        assert peer.raw(request).startswith(b"HTTP/1.1 401 ")
    finally:
        assert stop(process) == 0


# -- users -----------------------------------------------------------------------------------------------------------


def test_users_carry_every_kind_of_sensitive_value(api):
    status, people = api.json("GET", "/v1/users")
    assert status == 200 and [person["id"] for person in people] == [1, 2, 3]
    for person in people:
        assert set(person) == {"id", "name", "email", "ssn", "card", "address", "tokens"}
        assert "@" in person["email"] and person["card"] == CARD
        assert len(person["ssn"]) == 11 and person["ssn"][3] == "-"
        assert set(person["address"]) == {"street", "city"}
        assert person["tokens"][0]["secret"].startswith("tok_live_")
    assert api.json("GET", "/v1/users/2") == (200, people[1])
    assert api.json("GET", "/v1/users/99")[0] == 404
    assert api.json("GET", "/v1/users/abc")[0] == 404


def test_writes_change_what_later_reads_see(fresh):
    headers = {"Content-Type": "application/json"}
    status, response_headers, data = fresh.request(
        "POST", "/v1/users", json.dumps({"name": "Dave", "email": "dave@example.com", "id": 77}), headers)
    created = json.loads(data)
    assert status == 201 and created["id"] == 4 and created["name"] == "Dave"  # the store assigns ids
    assert response_headers["Location"] == "/v1/users/4"
    assert fresh.json("PUT", "/v1/users/4", json.dumps({"name": "David"}), headers) == (200, {"id": 4, "name": "David"})
    status, patched = fresh.json("PATCH", "/v1/users/1", json.dumps({"email": "a2@example.com"}), headers)
    assert status == 200 and patched["email"] == "a2@example.com" and patched["name"] == "Alice Example"
    status, _, data = fresh.request("DELETE", "/v1/users/2")
    assert status == 204 and data == b""
    assert fresh.json("GET", "/v1/users/2")[0] == 404
    assert fresh.json("DELETE", "/v1/users/2")[0] == 404
    assert [person["id"] for person in fresh.json("GET", "/v1/users")[1]] == [1, 3, 4]


def test_bad_writes_are_refused(api):
    assert api.json("POST", "/v1/users", "not json")[0] == 400
    assert api.json("POST", "/v1/users", "[1]")[0] == 400
    status, headers, _ = api.request("DELETE", "/v1/users")
    assert status == 405 and "POST" in headers["Allow"]
    assert api.json("PUT", "/v1/users/42", "{}")[0] == 404


def test_an_encoded_or_dotted_path_reaches_the_route_it_decodes_to(fresh):
    """As nginx and most frameworks do: a policy that matched the raw path would be fooled, and tests can show it."""
    for target in ("/v1/%75sers/1", "/v1/echo/../users/2", "//v1//users/3"):
        assert fresh.request("DELETE", target)[0] == 204, target
    assert fresh.json("GET", "/v1/users")[1] == []


# -- echo and the request log ----------------------------------------------------------------------------------------


def test_echo_reports_exactly_what_arrived(api):
    request = (b"PATCH /v1/echo/a/%2e%2e/b?x=1&x=2&y= HTTP/1.1\r\nHost: example.test\r\nX-Dup: one\r\n"
               b"Authorization: Bearer from-client\r\nX-Dup: two\r\nCookie: c=1\r\nContent-Length: 7\r\n"
               b"Connection: close\r\n\r\nbody\x00\xff!")
    head, _, body = api.raw(request).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    echoed = json.loads(body)
    assert echoed["method"] == "PATCH"
    assert echoed["target"] == "/v1/echo/a/%2e%2e/b?x=1&x=2&y="
    assert echoed["path"] == "/v1/echo/a/%2e%2e/b" and echoed["route"] == "/v1/echo/b"
    assert echoed["query"] == "x=1&x=2&y=" and echoed["args"] == {"x": ["1", "2"], "y": [""]}
    assert echoed["headers"] == [["Host", "example.test"], ["X-Dup", "one"], ["Authorization", "Bearer from-client"],
                                 ["X-Dup", "two"], ["Cookie", "c=1"], ["Content-Length", "7"],
                                 ["Connection", "close"]]
    assert echoed["head"].startswith("Host: example.test\r\nX-Dup: one\r\n")
    assert echoed["body_length"] == 7 and base64.b64decode(echoed["body_base64"]) == b"body\x00\xff!"
    assert echoed["framing"] == "content-length" and echoed["version"] == "HTTP/1.1"


def test_echo_takes_any_method_and_answers_head_without_a_body(api):
    for method in ("GET", "POST", "PUT", "DELETE", "OPTIONS", "PROPFIND"):
        status, echoed = api.json(method, "/v1/echo/m")
        assert status == 200 and echoed["method"] == method
    status, headers, data = api.request("HEAD", "/v1/echo")
    assert status == 200 and data == b"" and int(headers["Content-Length"]) > 0


def test_absolute_form_and_asterisk_targets(api):
    data = api.raw(b"GET http://example.test/v1/echo/abs?z=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    echoed = json.loads(data.partition(b"\r\n\r\n")[2])
    assert echoed["target"] == "http://example.test/v1/echo/abs?z=1"
    assert echoed["route"] == "/v1/echo/abs" and echoed["query"] == "z=1"
    data = api.raw(b"OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert data.startswith(b"HTTP/1.1 404 ")


def test_an_http_1_0_client_may_ask_for_keep_alive(api):
    data = api.raw(b"GET /v1/users/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /v1/users/2 HTTP/1.0\r\n\r\n")
    assert data.count(b"HTTP/1.1 200 OK") == 2
    assert data.count(b"Connection: keep-alive") == 1 and data.count(b"Connection: close") == 1


def test_keep_alive_serves_several_requests_on_one_connection(api):
    connection = api.connection()
    try:
        seen = []
        for index in range(3):
            connection.request("POST", f"/v1/echo/{index}", body=b"x" * index)
            response = connection.getresponse()
            seen.append(json.loads(response.read())["connection"])
        assert len({entry["id"] for entry in seen}) == 1
        assert [entry["request"] for entry in seen] == [1, 2, 3]
    finally:
        connection.close()


def test_pipelined_requests_are_each_answered_and_logged(fresh):
    reset(fresh)
    data = fresh.raw(b"GET /v1/echo/one HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"GET /v1/echo/two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert data.count(b"HTTP/1.1 200 OK") == 2
    entries = logged(fresh)
    assert [entry["target"] for entry in entries] == ["/v1/echo/one", "/v1/echo/two"]
    assert entries[0]["connection"] == entries[1]["connection"] and [e["request"] for e in entries] == [1, 2]


def test_a_chunked_body_with_trailers_is_read_and_echoed(api):
    request = (b"POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
               b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")
    echoed = json.loads(api.raw(request).partition(b"\r\n\r\n")[2])
    assert echoed["body"] == "hello world" and echoed["framing"] == "chunked"
    assert echoed["trailers"] == [["X-Trailer", "t"]]


def test_content_length_and_chunked_together_read_chunked_then_close(fresh):
    """RFC 9112 section 6.3: Transfer-Encoding wins and the connection is closed, so the bytes after the chunked
    body are never read as another request."""
    reset(fresh)
    smuggled = b"GET /v1/echo/smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
    request = (b"POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"0\r\n\r\n" + smuggled)
    data = fresh.raw(request)
    assert data.count(b"HTTP/1.1 ") == 1 and b"Connection: close" in data
    assert [entry["target"] for entry in logged(fresh)] == ["/v1/echo"]


@pytest.mark.parametrize("framing_headers, status", [
    (b"Content-Length: 3\r\nContent-Length: 4\r\n", b"400"),
    (b"Content-Length: +3\r\n", b"400"),
    (b"Transfer-Encoding: gzip, chunked\r\n", b"501"),
    (b"Transfer-Encoding: chunked, identity\r\n", b"400"),
])
def test_ambiguous_framing_is_refused_and_the_connection_closed(fresh, framing_headers, status):
    reset(fresh)
    request = b"POST /v1/echo HTTP/1.1\r\nHost: x\r\n" + framing_headers + b"\r\nabcdGET /v1/users HTTP/1.1\r\n\r\n"
    data = fresh.raw(request)
    assert data.startswith(b"HTTP/1.1 " + status) and data.count(b"HTTP/1.1 ") == 1
    assert [entry["target"] for entry in logged(fresh)] == ["/v1/echo"]


def test_a_malformed_chunk_is_refused(api):
    request = b"POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n"
    assert api.raw(request).startswith(b"HTTP/1.1 400 ")


def test_the_request_log_survives_until_reset(fresh):
    reset(fresh)
    fresh.request("GET", "/v1/users?x=1")
    fresh.request("DELETE", "/nowhere")
    entries = logged(fresh)
    assert [(e["method"], e["target"], e["version"]) for e in entries] == [
        ("GET", "/v1/users?x=1", "HTTP/1.1"), ("DELETE", "/nowhere", "HTTP/1.1")]
    reset(fresh)
    assert logged(fresh) == []


# -- streams and large bodies ----------------------------------------------------------------------------------------


def read_chunks(sock: socket.socket) -> tuple[bytes, list[bytes], list[float]]:
    """Reads a chunked response: its head, each chunk, and when each arrived."""
    reader = sock.makefile("rb")
    head = b""
    while (line := reader.readline()) != b"\r\n":
        head += line
    chunks, times = [], []
    while True:
        size = int(reader.readline().split(b";")[0], 16)
        if size == 0:
            reader.readline()
            return head, chunks, times
        chunks.append(reader.read(size))
        times.append(time.monotonic())
        assert reader.read(2) == b"\r\n"


def stream(api: Api, target: str) -> tuple[bytes, list[bytes], list[float]]:
    with socket.create_connection(("127.0.0.1", api.port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        return read_chunks(sock)


def test_stream_sends_lines_over_time_with_emails_and_the_card(api):
    head, chunks, times = stream(api, "/v1/stream?lines=6&delay_ms=100")
    assert b"Transfer-Encoding: chunked" in head and b"text/plain" in head
    lines = b"".join(chunks).decode().splitlines()
    assert lines[0] == "line 1" and lines[2] == "line 3 contact user3@example.com" and lines[4] == f"line 5 card {CARD}"
    assert len(lines) == 6 and times[-1] - times[0] >= 0.45


def test_split_stream_cuts_each_sensitive_value_across_two_chunks(api):
    _, chunks, _ = stream(api, "/v1/stream?lines=5&split=1")
    assert b"line 3 contact user3" in chunks and b"@example.com\n" in chunks
    assert not any(CARD.encode() in chunk for chunk in chunks)
    assert CARD.encode() in b"".join(chunks)


def test_ndjson_sends_one_user_object_per_line(api):
    head, chunks, _ = stream(api, "/v1/ndjson?n=4&delay_ms=10")
    assert b"application/x-ndjson" in head and len(chunks) == 4
    objects = [json.loads(chunk) for chunk in chunks]
    assert [item["object"]["id"] for item in objects] == [1, 2, 3, 4]
    assert all("@" in item["object"]["email"] for item in objects)


@pytest.mark.parametrize("framing", ["chunked", "length"])
def test_big_is_a_json_array_of_about_the_size_asked(api, framing):
    status, headers, data = api.request("GET", f"/v1/big?mb=3&framing={framing}")
    assert status == 200 and 2_900_000 <= len(data) <= 3_000_000
    if framing == "length":
        assert int(headers["Content-Length"]) == len(data)
    else:
        assert headers["Transfer-Encoding"] == "chunked"
    people = json.loads(data)
    assert people[0]["card"] == CARD and len({person["id"] for person in people}) == len(people)


def test_big_records_are_json_of_one_width():
    texts = [users.numbered_json(identifier) for identifier in (10_000_000, 10_000_001, 54_321_987, 99_999_999)]
    assert [json.loads(text) for text in texts] == [users.numbered(i) for i in (10_000_000, 10_000_001, 54_321_987,
                                                                                 99_999_999)]
    assert len({len(text) for text in texts}) == 1


def test_blob_is_the_same_bytes_every_time(api):
    first = api.request("GET", "/v1/blob?mb=0.2")
    second = api.request("GET", "/v1/blob?mb=0.2")
    assert first[0] == 200 and first[1]["Content-Type"] == "application/octet-stream"
    assert len(first[2]) == 200_000 and first[2] == second[2]


def test_gzip_is_compressed_whatever_was_accepted_unless_negotiated(api):
    status, headers, data = api.request("GET", "/v1/gzip")
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(data))[0]["email"] == "alice@example.com"
    status, headers, data = api.request("GET", "/v1/gzip?negotiate=1", headers={"Accept-Encoding": "identity"})
    assert headers["Content-Encoding"] is None and json.loads(data)[1]["card"] == CARD
    status, headers, _ = api.request("GET", "/v1/gzip?negotiate=1", headers={"Accept-Encoding": "br, gzip;q=0.5"})
    assert headers["Content-Encoding"] == "gzip"


def test_text_names_every_user_by_email(api):
    status, headers, data = api.request("GET", "/v1/text")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    text = data.decode()
    assert "alice@example.com" in text and "security@example.com" in text and CARD in text


def test_an_http_1_0_client_gets_a_stream_delimited_by_close(api):
    data = api.raw(b"GET /v1/stream?lines=3 HTTP/1.0\r\n\r\n")
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"Transfer-Encoding" not in head and b"Connection: close" in head
    assert body == b"line 1\nline 2\nline 3 contact user3@example.com\n"


# -- timing and status ---------------------------------------------------------------------------------------------


def test_slow_waits_before_answering(api):
    started = time.monotonic()
    assert api.json("GET", "/v1/slow?ms=300") == (200, {"slept_ms": 300, "body_ms": 0})
    assert time.monotonic() - started >= 0.3
    connection = http.client.HTTPConnection("127.0.0.1", api.port, timeout=0.2)
    with pytest.raises(socket.timeout):
        connection.request("GET", "/v1/slow?ms=1500")
        connection.getresponse()
    connection.close()


def test_slow_body_stalls_after_the_headers(api):
    connection = api.connection()
    try:
        connection.request("GET", "/v1/slow?ms=0&body_ms=300")
        response = connection.getresponse()
        started = time.monotonic()
        assert response.status == 200 and json.loads(response.read())["body_ms"] == 300
        assert time.monotonic() - started >= 0.25
    finally:
        connection.close()


def test_status_answers_the_code_asked(api):
    assert api.json("GET", "/v1/status/503") == (503, {"status": 503})
    status, _, data = api.request("GET", "/v1/status/204")
    assert status == 204 and data == b""
    status, headers, _ = api.request("GET", "/v1/status/302?location=http://elsewhere.test/")
    assert status == 302 and headers["Location"] == "http://elsewhere.test/"
    assert api.request("GET", "/v1/status/99")[0] == 400
    assert api.request("GET", "/v1/nothing-here")[0] == 404
    assert api.request("GET", "/v1/stream?lines=x")[0] == 400


# -- WebSocket -------------------------------------------------------------------------------------------------------


def client_frame(opcode: int, payload: bytes, final: bool = True, masked: bool = True) -> bytes:
    key = os.urandom(4) if masked else b""
    first = (0x80 if final else 0) | opcode
    if len(payload) < 126:
        head = bytes([first, (0x80 if masked else 0) | len(payload)])
    elif len(payload) < 1 << 16:
        head = bytes([first, (0x80 if masked else 0) | 126]) + struct.pack("!H", len(payload))
    else:
        head = bytes([first, (0x80 if masked else 0) | 127]) + struct.pack("!Q", len(payload))
    body = bytes(byte ^ key[index % 4] for index, byte in enumerate(payload)) if masked else payload
    return head + key + body


def server_frame(reader) -> tuple[int, bytes]:
    first, second = reader.read(2)
    assert second & 0x80 == 0, "server frames are not masked"
    length = second & 0x7F
    if length == 126:
        length = struct.unpack("!H", reader.read(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", reader.read(8))[0]
    return first & 0x0F, reader.read(length)


def open_websocket(api: Api) -> tuple[socket.socket, object]:
    key = base64.b64encode(os.urandom(16)).decode()
    sock = socket.create_connection(("127.0.0.1", api.port), timeout=5)
    sock.sendall(f"GET /v1/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                 f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    reader = sock.makefile("rb")
    head = b""
    while (line := reader.readline()) != b"\r\n":
        head += line
    assert head.startswith(b"HTTP/1.1 101 ")
    expected = base64.b64encode(hashlib.sha1((key + websocket.GUID).encode()).digest()).decode()
    assert f"Sec-WebSocket-Accept: {expected}".encode() in head
    return sock, reader


def test_websocket_accept_matches_the_rfc_example():
    assert websocket.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_websocket_echoes_text_binary_fragments_and_pings(api):
    sock, reader = open_websocket(api)
    with sock:
        sock.sendall(client_frame(0x1, "héllo".encode()))
        assert server_frame(reader) == (0x1, "héllo".encode())
        blob = random.Random(1).randbytes(70_000)
        sock.sendall(client_frame(0x2, blob))
        assert server_frame(reader) == (0x2, blob)
        sock.sendall(client_frame(0x1, b"frag", final=False) + client_frame(0x9, b"p") +
                     client_frame(0x0, b"mented"))
        assert server_frame(reader) == (0xA, b"p")
        assert server_frame(reader) == (0x1, b"fragmented")
        sock.sendall(client_frame(0x8, struct.pack("!H", 1000) + b"bye"))
        assert server_frame(reader) == (0x8, struct.pack("!H", 1000))
        assert reader.read(1) == b""


@pytest.mark.parametrize("frame, code", [
    (client_frame(0x1, b"plain", masked=False), 1002),
    (client_frame(0x1, b"\xff\xfe"), 1007),
    (client_frame(0x9, b"x" * 126), 1002),
    (client_frame(0x0, b"orphan"), 1002),
])
def test_websocket_protocol_errors_close_with_the_rfc_code(api, frame, code):
    sock, reader = open_websocket(api)
    with sock:
        sock.sendall(frame)
        opcode, payload = server_frame(reader)
        assert opcode == 0x8 and struct.unpack("!H", payload[:2])[0] == code


def test_a_request_that_is_not_a_handshake_is_refused(api):
    assert api.request("GET", "/v1/ws")[0] == 426
    status, _, _ = api.request("GET", "/v1/ws", headers={"Upgrade": "websocket", "Connection": "Upgrade"})
    assert status == 400


# -- TLS ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_api():
    directory = tempfile.mkdtemp(prefix="http-api-tls.")
    certificate, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", certificate], check=True, capture_output=True)
    process, port = start("--tls-cert", certificate, "--tls-key", key, "--require-bearer", TOKEN)
    context = ssl.create_default_context(cafile=certificate)
    yield Api(process, port, "https", context), certificate
    assert stop(process) == 0
    shutil.rmtree(directory)


def test_tls_serves_https_and_speaks_http_1_1_by_alpn(tls_api):
    peer, certificate = tls_api
    status, echoed = peer.json("GET", "/v1/echo", headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 200 and echoed["connection"]["tls"] is True
    context = ssl.create_default_context(cafile=certificate)
    context.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection(("127.0.0.1", peer.port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as sock:
            assert sock.selected_alpn_protocol() == "http/1.1"


def test_a_plaintext_client_on_the_tls_port_does_not_stop_the_server(tls_api):
    peer, _ = tls_api
    with socket.create_connection(("127.0.0.1", peer.port), timeout=5) as sock:
        sock.sendall(b"GET /v1/users HTTP/1.1\r\nHost: x\r\n\r\n")
        read_until_closed(sock)
    assert peer.request("GET", "/v1/users", headers={"Authorization": f"Bearer {TOKEN}"})[0] == 200


# -- urllib and curl -----------------------------------------------------------------------------------------------


def test_urllib_reads_users_and_sees_errors(api):
    with urllib.request.urlopen(f"{api.base}/v1/users/1", timeout=10) as response:
        assert json.load(response)["email"] == "alice@example.com"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{api.base}/v1/status/418", timeout=10)
    assert refused.value.code == 418


@needs_curl
@pytest.mark.parametrize("target, expected", [
    ("/v1/users", b'"card": "4111111111111111"'),
    ("/v1/users/3", b"carol.c@example.net"),
    ("/v1/echo/curl?q=1", b'"target": "/v1/echo/curl?q=1"'),
    ("/v1/stream?lines=5&delay_ms=20", b"line 5 card 4111111111111111"),
    ("/v1/ndjson?n=2", b'"email": "user00000002@example.com"'),
    ("/v1/big?mb=0.5", b"10000000"),
    ("/v1/text", b"bob@example.org"),
    ("/v1/slow?ms=50", b'"slept_ms": 50'),
    ("/v1/status/201", b'"status": 201'),
])
def test_curl_reads_each_endpoint(api, target, expected):
    done = curl("-f", api.base + target)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


@needs_curl
def test_curl_decompresses_gzip_and_sees_blob_size(api):
    done = curl("--compressed", api.base + "/v1/gzip")
    assert done.returncode == 0 and json.loads(done.stdout)[0]["ssn"] == "536-22-8726"
    done = curl("-o", "/dev/null", "-w", "%{size_download}", api.base + "/v1/blob?mb=1")
    assert done.stdout == b"1000000"


@needs_curl
def test_curl_writes_and_deletes(fresh):
    done = curl("-X", "POST", "-H", "Content-Type: application/json", "-d", '{"name": "Eve"}', "-w", "%{http_code}",
                fresh.base + "/v1/users")
    assert done.stdout.endswith(b"201") and b'"id": 4' in done.stdout
    assert curl("-X", "DELETE", "-w", "%{http_code}", fresh.base + "/v1/users/4").stdout == b"204"
    assert curl("-w", "%{http_code}", "-o", "/dev/null", fresh.base + "/v1/users/4").stdout == b"404"


@needs_curl
def test_curl_upgrades_to_websocket(api):
    """curl 7.88 has no WebSocket client; it still shows the handshake's answer."""
    done = curl("-i", "--max-time", "2", "-H", "Upgrade: websocket", "-H", "Connection: Upgrade",
                "-H", "Sec-WebSocket-Version: 13", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                api.base + "/v1/ws")
    assert done.stdout.startswith(b"HTTP/1.1 101 ")
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in done.stdout


@needs_curl
def test_curl_over_tls_with_bearer(tls_api):
    peer, certificate = tls_api
    done = curl("--cacert", certificate, "-H", f"Authorization: Bearer {TOKEN}", peer.base + "/v1/users/1")
    assert done.returncode == 0 and b"alice@example.com" in done.stdout
    done = curl("--cacert", certificate, "-w", "%{http_code}", "-o", "/dev/null", peer.base + "/v1/users/1")
    assert done.stdout == b"401"
