"""Test helpers for the kube-apiserver stand-in: certificates, the server process, kubeconfigs, the real kubectl,
and small TCP/HTTP targets and a WebSocket client for protocol-level checks.

Nothing here touches ~/.kube: every kubectl runs with HOME and KUBECONFIG pointing into a temporary directory, so
its discovery cache is fresh per test module and the user's clusters are never contacted.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import queue
import select
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
STANDIN = os.path.join(HERE, "standin.py")
KUBECTL = os.environ.get("KUBECTL", "/usr/bin/kubectl")


def make_certificates(directory: str) -> tuple[str, str, str]:
    """A throwaway CA and a server certificate for 127.0.0.1/localhost, via the openssl CLI: (ca, cert, key)."""
    ca_key, ca_cert = os.path.join(directory, "ca.key"), os.path.join(directory, "ca.crt")
    key, csr, cert = (os.path.join(directory, name) for name in ("server.key", "server.csr", "server.crt"))
    extensions = os.path.join(directory, "san.ext")
    with open(extensions, "w") as handle:
        handle.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    commands = [
        ["openssl", "req", "-x509", *ec, "-keyout", ca_key, "-out", ca_cert, "-days", "2", "-subj", "/CN=test-ca"],
        ["openssl", "req", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=kube-standin"],
        ["openssl", "x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key, "-CAcreateserial", "-out", cert,
         "-days", "2", "-extfile", extensions],
    ]
    for command in commands:
        subprocess.run(command, check=True, capture_output=True)
    return ca_cert, cert, key


class StandIn:
    """The stand-in as a real process on a free port, stopped by its own pid."""

    def __init__(self, *arguments: str, tls: tuple[str, str] | None = None, token: str | None = None):
        command = [sys.executable, STANDIN, "--port", "0", *arguments]
        if tls:
            command += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        if token:
            command += ["--token", token]
        self.token = token
        self.scheme = "https" if tls else "http"
        # stderr goes to a file, not a pipe nobody drains (a full pipe would stall the server's event loop)
        self.errors = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.errors, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], 15)
        line = self.process.stdout.readline() if ready else ""
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"stand-in did not start: {line!r} {self.stderr()}")
        self.port = int(line.split()[1])
        self.url = f"{self.scheme}://127.0.0.1:{self.port}"
        self._context = ssl.create_default_context(cafile=None)
        self._context.check_hostname = False
        self._context.verify_mode = ssl.CERT_NONE

    def stderr(self) -> str:
        self.errors.seek(0)
        return self.errors.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def call(self, path: str, method: str = "GET", headers: dict[str, str] | None = None, body: bytes | None = None,
             token: str | None = "default") -> tuple[int, dict[str, str], bytes]:
        """One HTTP request straight to the stand-in (no kubectl): status, headers, body."""
        headers = dict(headers or {})
        token = self.token if token == "default" else token
        if token:
            headers.setdefault("Authorization", f"Bearer {token}")
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        try:
            context = self._context if self.scheme == "https" else None
            with urllib.request.urlopen(request, context=context, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def requests(self) -> list[dict]:
        return json.loads(self.call("/_standin/requests", token=None)[2])

    def reset(self) -> None:
        self.call("/_standin/reset", method="POST", body=b"", token=None)

    def raw_socket(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        if self.scheme == "https":
            sock = self._context.wrap_socket(sock, server_hostname="127.0.0.1")
        return sock


def write_kubeconfig(path: str, server: str, token: str | None, ca: str | None = None, insecure: bool = False) -> str:
    cluster = {"server": server}
    if ca:
        cluster["certificate-authority"] = ca
    if insecure:
        cluster["insecure-skip-tls-verify"] = True
    user = {"token": token} if token else {}
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "standin", "cluster": cluster}],
        "users": [{"name": "tester", "user": user}],
        "contexts": [{"name": "standin", "context": {"cluster": "standin", "user": "tester", "namespace": "default"}}],
        "current-context": "standin",
    }
    with open(path, "w") as handle:
        json.dump(config, handle)  # YAML is a superset of JSON; kubectl reads it as is
    return path


@dataclass
class Kubectl:
    """The real kubectl with its own HOME (discovery cache) and kubeconfig."""

    home: str
    kubeconfig: str

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        environment = {key: value for key, value in os.environ.items() if not key.startswith("KUBECTL_")}
        environment.update(HOME=self.home, KUBECONFIG=self.kubeconfig, NO_PROXY="*", no_proxy="*")
        environment.pop("HTTPS_PROXY", None)
        environment.pop("HTTP_PROXY", None)
        environment.update(extra or {})
        return environment

    def run(
        self, *arguments: str, input: str | bytes | None = None, timeout: float = 30, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        """kubectl to completion; text in and out unless `input` is bytes."""
        return subprocess.run(
            [KUBECTL, *arguments],
            input=input,
            capture_output=True,
            text=not isinstance(input, bytes),
            timeout=timeout,
            env=self.environment(env),
        )

    def popen(self, *arguments: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
        options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
        options.update(kwargs)
        return subprocess.Popen([KUBECTL, *arguments], env=self.environment(env), **options)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def echo_server():
    """A TCP echo service on 127.0.0.1 (the "container port" for port-forward tests); yields its port."""

    class Echo(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            while data := self.request.recv(65536):
                self.request.sendall(data)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def http_server(body: bytes):
    """A small HTTP service answering `body` to every GET; yields its port."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on {port}")


class LineReader:
    """Lines of a process's text pipe, read by a thread into a queue.

    Why not select() on the pipe: Python's buffered readline may pull several lines at once, and select() then
    reports nothing more to read while lines wait in the buffer.
    """

    def __init__(self, stream):
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream) -> None:
        for line in stream:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def until(self, predicate, timeout: float) -> list[str]:
        """Lines read until `predicate(lines)` holds; fails on timeout or end of stream."""
        lines: list[str] = []
        deadline = time.monotonic() + timeout
        while not predicate(lines):
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"gave up waiting; saw {lines!r}") from None
            if line is None:
                raise EOFError(f"stream ended; saw {lines!r}")
            lines.append(line)
        return lines


class MiniWebSocket:
    """A minimal RFC 6455 client (masked frames) for checks kubectl cannot make, like the channel port-forward."""

    def __init__(self, sock: socket.socket, path: str, protocols: list[str], token: str | None):
        self.sock = sock
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {path} HTTP/1.1",
            "Host: 127.0.0.1",
            "Connection: Upgrade",
            "Upgrade: websocket",
            "Sec-WebSocket-Version: 13",
            f"Sec-WebSocket-Key: {key}",
            f"Sec-WebSocket-Protocol: {', '.join(protocols)}",
        ]
        if token:
            lines.append(f"Authorization: Bearer {token}")
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(1)
            if not chunk:
                break
            head += chunk
        self.status_line, *header_lines = head.decode("latin-1").split("\r\n")
        fields = (line.partition(":") for line in header_lines if line)
        self.headers = {name.lower(): value.strip() for name, _, value in fields}
        self.status = int(self.status_line.split()[1])

    def _recv_exact(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise EOFError("connection closed")
            data += chunk
        return data

    def send(self, data: bytes, opcode: int = 2) -> None:
        mask = os.urandom(4)
        length = len(data)
        head = bytes([0x80 | opcode])
        if length < 126:
            head += bytes([0x80 | length])
        elif length < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", length)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", length)
        self.sock.sendall(head + mask + bytes(byte ^ mask[index % 4] for index, byte in enumerate(data)))

    def receive(self) -> tuple[int, bytes]:
        first, second = self._recv_exact(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._recv_exact(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._recv_exact(8))
        return first & 0x0F, self._recv_exact(length)
