"""SPDY/3.1 framing and a server-side session, enough for Kubernetes port-forwarding.

Why SPDY in 2025: `kubectl port-forward` (v1.31+) dials a WebSocket with subprotocol `SPDY/3.1+portforward.k8s.io`
and then runs an ordinary SPDY/3.1 client *inside* the WebSocket's binary messages (client-go's
"tunneling" dialer; the apiserver normally unwraps it and talks SPDY to the kubelet). With
`KUBECTL_PORT_FORWARD_WEBSOCKETS=false`, or when the WebSocket upgrade fails, kubectl instead upgrades a POST
straight to `SPDY/3.1`. Either way the stand-in must speak the SPDY framing, so this module does, over any byte
transport.

What the Go client (moby/spdystream) uses, and so what is implemented: SYN_STREAM / SYN_REPLY with zlib-compressed
header blocks (one compression context per direction for the whole connection, primed with the SPDY/3 dictionary),
DATA with FIN, RST_STREAM, PING (echoed), GOAWAY. SETTINGS and WINDOW_UPDATE are read and ignored: spdystream does
not do flow control. Stream IDs the client opens are odd; the server never opens streams here.
"""

from __future__ import annotations

import asyncio
import struct
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

VERSION = 3
SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY, HEADERS, WINDOW_UPDATE = 1, 2, 3, 4, 6, 7, 8, 9
FLAG_FIN = 0x01
RST_PROTOCOL_ERROR, RST_INVALID_STREAM, RST_REFUSED_STREAM, RST_CANCEL = 1, 2, 3, 5
MAX_DATA_CHUNK = 32 * 1024


def _header_dictionary() -> bytes:
    """The zlib preset dictionary of SPDY/3 (draft-mbelshe-httpbis-spdy-00 §2.6.10.1): length-prefixed header names
    and common values, then a run of status lines, dates and media types."""
    words = (
        "options head post put delete trace accept accept-charset accept-encoding accept-language accept-ranges "
        "age allow authorization cache-control connection content-base content-encoding content-language "
        "content-length content-location content-md5 content-range content-type date etag expect expires from "
        "host if-match if-modified-since if-none-match if-range if-unmodified-since last-modified location "
        "max-forwards pragma proxy-authenticate proxy-authorization range referer retry-after server te trailer "
        "transfer-encoding upgrade user-agent vary via warning www-authenticate method get status"
    ).split() + ["200 OK", "version", "HTTP/1.1", "url", "public", "set-cookie", "keep-alive", "origin"]
    prefix = b"".join(struct.pack("!I", len(word)) + word.encode() for word in words)
    codes = (
        "100 101 201 202 205 206 300 302 303 304 305 306 307 402 405 406 407 408 409 410 411 412 413 414 415 416 417 "
        "502 504 505"
    )
    statuses = [
        "203 Non-Authoritative Information",
        "204 No Content",
        "301 Moved Permanently",
        "400 Bad Request",
        "401 Unauthorized",
        "403 Forbidden",
        "404 Not Found",
        "500 Internal Server Error",
        "501 Not Implemented",
        "503 Service Unavailable",
    ]
    dates = "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
    media = (
        "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,"
        "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0."
    )
    return prefix + (codes.replace(" ", "") + "".join(statuses) + dates + media).encode()


HEADER_DICTIONARY = _header_dictionary()


class SpdyError(Exception):
    """The peer sent something this session cannot parse; the connection is dropped."""


@dataclass
class Frame:
    control: bool
    kind: int  # control frame type, or 0 for data
    flags: int
    stream_id: int
    payload: bytes


class Framer:
    """Bytes in, frames out; frames in, bytes out. Holds the two header-compression contexts of a connection."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._inflater = zlib.decompressobj(zdict=HEADER_DICTIONARY)
        self._deflater = zlib.compressobj(zdict=HEADER_DICTIONARY)

    def feed(self, data: bytes) -> list[Frame]:
        self._buffer += data
        frames = []
        while len(self._buffer) >= 8:
            first, flags_length = struct.unpack("!II", self._buffer[:8])
            length = flags_length & 0xFFFFFF
            if len(self._buffer) < 8 + length:
                break
            payload = bytes(self._buffer[8 : 8 + length])
            del self._buffer[: 8 + length]
            flags = flags_length >> 24
            if first & 0x80000000:
                version, kind = (first >> 16) & 0x7FFF, first & 0xFFFF
                if version != VERSION:
                    raise SpdyError(f"unsupported SPDY version {version}")
                stream_id = struct.unpack("!I", payload[:4])[0] & 0x7FFFFFFF if len(payload) >= 4 else 0
                frames.append(Frame(True, kind, flags, stream_id, payload))
            else:
                frames.append(Frame(False, 0, flags, first & 0x7FFFFFFF, payload))
        return frames

    def decode_headers(self, block: bytes) -> dict[str, list[str]]:
        """Decompress and parse a header block; every header-bearing frame must pass here to keep zlib in step."""
        try:
            raw = self._inflater.decompress(block)
        except zlib.error as error:
            raise SpdyError(f"header block: {error}") from error
        headers: dict[str, list[str]] = {}
        if len(raw) < 4:
            raise SpdyError("short header block")
        (count,), offset = struct.unpack("!I", raw[:4]), 4
        for _ in range(count):
            (name_length,) = struct.unpack("!I", raw[offset : offset + 4])
            name = raw[offset + 4 : offset + 4 + name_length].decode("latin-1")
            offset += 4 + name_length
            (value_length,) = struct.unpack("!I", raw[offset : offset + 4])
            value = raw[offset + 4 : offset + 4 + value_length].decode("latin-1")
            offset += 4 + value_length
            headers.setdefault(name.lower(), []).extend(value.split("\x00"))
        return headers

    def encode_headers(self, headers: dict[str, str]) -> bytes:
        raw = struct.pack("!I", len(headers))
        for name, value in headers.items():
            raw += struct.pack("!I", len(name)) + name.lower().encode() + struct.pack("!I", len(value)) + value.encode()
        return self._deflater.compress(raw) + self._deflater.flush(zlib.Z_SYNC_FLUSH)


def control_frame(kind: int, flags: int, payload: bytes) -> bytes:
    return struct.pack("!HHI", 0x8000 | VERSION, kind, (flags << 24) | len(payload)) + payload


def data_frame(stream_id: int, flags: int, data: bytes) -> bytes:
    return struct.pack("!II", stream_id & 0x7FFFFFFF, (flags << 24) | len(data)) + data


class Stream:
    """One client-opened stream: inbound bytes queue up (None marks the peer's FIN or reset)."""

    def __init__(self, session: Session, stream_id: int, headers: dict[str, list[str]]):
        self.session = session
        self.id = stream_id
        self.headers = headers
        self.inbound: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.remote_closed = False
        self.local_closed = False
        self.was_reset = asyncio.Event()

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None

    async def read(self) -> bytes | None:
        return await self.inbound.get()

    async def write(self, data: bytes) -> None:
        for start in range(0, len(data), MAX_DATA_CHUNK):
            if self.local_closed or self.was_reset.is_set():
                return
            await self.session.send(data_frame(self.id, 0, data[start : start + MAX_DATA_CHUNK]))

    async def close(self) -> None:
        """Half-close our side: an empty DATA frame with FIN."""
        if not self.local_closed and not self.was_reset.is_set():
            self.local_closed = True
            await self.session.send(data_frame(self.id, FLAG_FIN, b""))

    async def reset(self, status: int = RST_CANCEL) -> None:
        if not self.was_reset.is_set():
            self._mark_reset()
            await self.session.send(control_frame(RST_STREAM, 0, struct.pack("!II", self.id, status)))

    def _remote_finished(self) -> None:
        if not self.remote_closed:
            self.remote_closed = True
            self.inbound.put_nowait(None)

    def _mark_reset(self) -> None:
        self.was_reset.set()
        self._remote_finished()


class Session:
    """Server side of one SPDY connection: reads frames fed to it, replies to every new stream, hands it on."""

    def __init__(self, send_bytes: Callable[[bytes], Awaitable[None]], on_stream: Callable[[Stream], None]):
        self._send_bytes = send_bytes
        self._on_stream = on_stream
        self._framer = Framer()
        self.streams: dict[int, Stream] = {}
        self._last_stream_id = 0
        self.gone_away = False

    async def send(self, frame: bytes) -> None:
        await self._send_bytes(frame)

    async def feed(self, data: bytes) -> None:
        for frame in self._framer.feed(data):
            if frame.control:
                await self._control(frame)
            else:
                self._data(frame)

    async def _control(self, frame: Frame) -> None:
        if frame.kind == SYN_STREAM:
            if len(frame.payload) < 10:
                raise SpdyError("short SYN_STREAM")
            headers = self._framer.decode_headers(frame.payload[10:])
            if frame.stream_id % 2 == 0 or frame.stream_id <= self._last_stream_id:
                await self.send(control_frame(RST_STREAM, 0, struct.pack("!II", frame.stream_id, RST_PROTOCOL_ERROR)))
                return
            self._last_stream_id = frame.stream_id
            stream = Stream(self, frame.stream_id, headers)
            self.streams[stream.id] = stream
            # SYN_REPLY first: the client's CreateStream waits for it before writing.
            reply = struct.pack("!I", stream.id) + self._framer.encode_headers({})
            await self.send(control_frame(SYN_REPLY, 0, reply))
            if frame.flags & FLAG_FIN:
                stream._remote_finished()
            self._on_stream(stream)
        elif frame.kind == HEADERS or frame.kind == SYN_REPLY:
            self._framer.decode_headers(frame.payload[4:])
        elif frame.kind == RST_STREAM:
            stream = self.streams.pop(frame.stream_id, None)
            if stream is not None:
                stream._mark_reset()
        elif frame.kind == PING:
            await self.send(control_frame(PING, 0, frame.payload))
        elif frame.kind == GOAWAY:
            self.gone_away = True
        # SETTINGS, WINDOW_UPDATE and unknown types are ignored (the Go client does no flow control).

    def _data(self, frame: Frame) -> None:
        stream = self.streams.get(frame.stream_id)
        if stream is None or stream.remote_closed:
            return
        if frame.payload:
            stream.inbound.put_nowait(frame.payload)
        if frame.flags & FLAG_FIN:
            stream._remote_finished()

    def end(self) -> None:
        """The transport is gone: every stream sees EOF and reset so its users wind down."""
        for stream in self.streams.values():
            stream._mark_reset()
        self.streams.clear()


async def run(session: Session, read_chunk: Callable[[], Awaitable[bytes | None]]) -> None:
    """Feed a session from its transport until EOF, GOAWAY or garbage; then every stream sees its end."""
    try:
        while not session.gone_away and (chunk := await read_chunk()) is not None:
            await session.feed(chunk)
    except (SpdyError, ConnectionError, OSError):
        pass
    finally:
        session.end()
