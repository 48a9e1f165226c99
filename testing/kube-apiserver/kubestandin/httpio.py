"""HTTP/1.1 framing over asyncio streams, written for the stand-in.

Why not `http.server`: the stand-in keeps watches, followed logs and upgraded (WebSocket, SPDY) connections open
for a long time while other requests come and go. One asyncio loop owns every socket, so a TLS connection is never
read and written from two threads at once (OpenSSL does not allow that), and a long stream costs a task, not a
thread. The parser is deliberately strict (one request line, `name: value` headers, Content-Length or chunked
bodies): the broker under test should send well-formed HTTP, and a malformed request is answered 400 and closed.
"""

from __future__ import annotations

import asyncio
import email.utils
import urllib.parse
from dataclasses import dataclass, field
from http import HTTPStatus

MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 32 * 1024 * 1024


class MalformedRequest(Exception):
    """The peer sent something that is not HTTP/1.1; the connection is answered 400 and closed."""


@dataclass
class Request:
    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes = b""
    path: str = ""
    query: str = ""
    params: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        path, _, query = self.target.partition("?")
        self.path = path
        self.query = query
        self.params = urllib.parse.parse_qs(query, keep_blank_values=True)

    def header(self, name: str) -> str | None:
        """First value of a header, matched case-insensitively (HTTP field names are case-insensitive)."""
        values = self.header_values(name)
        return values[0] if values else None

    def header_values(self, name: str) -> list[str]:
        lowered = name.lower()
        return [value for key, value in self.headers if key.lower() == lowered]

    def header_tokens(self, name: str) -> list[str]:
        """Comma-separated list header (Connection, Upgrade, Sec-WebSocket-Protocol) as lower-cased tokens."""
        tokens = []
        for value in self.header_values(name):
            tokens.extend(token.strip().lower() for token in value.split(",") if token.strip())
        return tokens

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.params.get(name)
        return values[0] if values else default

    def flag(self, name: str) -> bool:
        """Boolean query parameter the way the apiserver reads them: `true` or `1` (kubectl sends `true`)."""
        return (self.param(name) or "").lower() in ("true", "1")

    @property
    def keep_alive(self) -> bool:
        connection = self.header_tokens("Connection")
        if self.version == "HTTP/1.0":
            return "keep-alive" in connection
        return "close" not in connection

    @property
    def wants_upgrade(self) -> bool:
        return "upgrade" in self.header_tokens("Connection") and bool(self.header("Upgrade"))


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """Read one request; None when the peer closed cleanly between requests."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if not error.partial.strip():
            return None
        raise MalformedRequest("connection closed inside the request head") from error
    except asyncio.LimitOverrunError as error:
        raise MalformedRequest("request head too large") from error
    lines = head[:-4].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise MalformedRequest(f"bad request line {lines[0]!r}")
    method, target, version = parts
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip() or " " in name:
            raise MalformedRequest(f"bad header line {line!r}")
        headers.append((name, value.strip()))
    request = Request(method=method, target=target, version=version, headers=headers)
    request.body = await _read_body(reader, request)
    return request


async def _read_body(reader: asyncio.StreamReader, request: Request) -> bytes:
    encodings = request.header_tokens("Transfer-Encoding")
    if encodings:
        if encodings != ["chunked"]:
            raise MalformedRequest(f"unsupported transfer-encoding {encodings}")
        return await _read_chunked(reader)
    lengths = request.header_values("Content-Length")
    if not lengths:
        return b""
    if len(set(lengths)) != 1 or not lengths[0].isdigit():
        raise MalformedRequest("bad Content-Length")
    length = int(lengths[0])
    if length > MAX_BODY_BYTES:
        raise MalformedRequest("body too large")
    try:
        return await reader.readexactly(length)
    except asyncio.IncompleteReadError as error:
        raise MalformedRequest("body shorter than Content-Length") from error


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    try:
        while True:
            size_line = (await reader.readuntil(b"\r\n"))[:-2]
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers, ignored
                    pass
                return bytes(body)
            body += await reader.readexactly(size)
            if await reader.readexactly(2) != b"\r\n":
                raise MalformedRequest("chunk not followed by CRLF")
            if len(body) > MAX_BODY_BYTES:
                raise MalformedRequest("body too large")
    except (ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
        raise MalformedRequest("bad chunked body") from error


def response_head(status: int, headers: list[tuple[str, str]]) -> bytes:
    """Status line and headers; every response carries Date, as the apiserver's (Go net/http) does."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Status"
    lines = [f"HTTP/1.1 {status} {reason}", f"Date: {email.utils.formatdate(usegmt=True)}"]
    lines.extend(f"{name}: {value}" for name, value in headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class ChunkedBody:
    """A response body sent with chunked transfer-encoding, for watches and followed logs whose length is unknown."""

    def __init__(self, writer: asyncio.StreamWriter):
        self._writer = writer
        self.finished = False

    async def write(self, data: bytes) -> None:
        if not data:
            return
        self._writer.write(b"%x\r\n" % len(data) + data + b"\r\n")
        await self._writer.drain()

    async def finish(self) -> None:
        if not self.finished:
            self.finished = True
            self._writer.write(b"0\r\n\r\n")
            await self._writer.drain()
