"""RFC 6455 WebSocket, server side, over asyncio streams.

kubectl v1.32 speaks WebSocket for `exec`, `attach` (subprotocol `v5.channel.k8s.io`) and `port-forward`
(`SPDY/3.1+portforward.k8s.io`, SPDY tunnelled in binary messages). Its client (gorilla/websocket) masks every
frame, may fragment a message when it exceeds its 32 KiB write buffer, and sends a ping every 5 s during exec,
giving up after ~60 s without a pong; all of that is handled here. Frames the server sends are unmasked and
unfragmented.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import struct
from dataclasses import dataclass

from .httpio import Request, response_head

ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE_BYTES = 16 * 1024 * 1024

OP_CONTINUATION, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA
CLOSE_NORMAL, CLOSE_PROTOCOL_ERROR, CLOSE_TOO_BIG = 1000, 1002, 1009


class ProtocolError(Exception):
    """The peer broke RFC 6455; the connection is closed with 1002."""


def is_websocket_request(request: Request) -> bool:
    return request.wants_upgrade and (request.header("Upgrade") or "").lower() == "websocket"


def offered_protocols(request: Request) -> list[str]:
    """Sec-WebSocket-Protocol values in the client's order; subprotocol names are case-sensitive, so kept as sent."""
    protocols = []
    for value in request.header_values("Sec-WebSocket-Protocol"):
        protocols.extend(part.strip() for part in value.split(",") if part.strip())
    return protocols


def handshake_error(request: Request) -> str | None:
    if request.method != "GET":
        return "WebSocket upgrade requires GET"
    if request.header("Sec-WebSocket-Version") != "13":
        return "unsupported Sec-WebSocket-Version (want 13)"
    key = request.header("Sec-WebSocket-Key") or ""
    try:
        if len(base64.b64decode(key, validate=True)) != 16:
            return "Sec-WebSocket-Key must be 16 bytes, base64"
    except ValueError:
        return "Sec-WebSocket-Key must be 16 bytes, base64"
    return None


def handshake_response(request: Request, protocol: str) -> bytes:
    digest = hashlib.sha1(((request.header("Sec-WebSocket-Key") or "") + ACCEPT_GUID).encode()).digest()
    return response_head(
        101,
        [
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Accept", base64.b64encode(digest).decode()),
            ("Sec-WebSocket-Protocol", protocol),
        ],
    )


@dataclass
class Message:
    opcode: int
    data: bytes


class WebSocket:
    """One upgraded connection. `receive` answers pings and close itself; `send_*` write whole frames."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, protocol: str):
        self._reader = reader
        self._writer = writer
        self.protocol = protocol
        self.close_sent = False
        self.close_received = False

    async def _read_frame(self) -> tuple[bool, int, bytes]:
        first, second = await self._reader.readexactly(2)
        fin, opcode = bool(first & 0x80), first & 0x0F
        if first & 0x70:
            raise ProtocolError("reserved bits set without an extension")
        if not second & 0x80:
            raise ProtocolError("client frames must be masked")
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await self._reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await self._reader.readexactly(8))
        if length > MAX_MESSAGE_BYTES:
            raise ProtocolError("frame too large")
        if opcode >= 0x8 and (length > 125 or not fin):
            raise ProtocolError("control frames must be short and unfragmented")
        mask = await self._reader.readexactly(4)
        payload = bytearray(await self._reader.readexactly(length))
        for index in range(length):
            payload[index] ^= mask[index % 4]
        return fin, opcode, bytes(payload)

    async def receive(self) -> Message | None:
        """Next text or binary message; None once the peer closed (or the connection dropped)."""
        opcode, parts = None, []
        try:
            while True:
                fin, frame_opcode, payload = await self._read_frame()
                if frame_opcode == OP_PING:
                    await self._send_frame(OP_PONG, payload)
                    continue
                if frame_opcode == OP_PONG:
                    continue
                if frame_opcode == OP_CLOSE:
                    self.close_received = True
                    code = payload[:2] if len(payload) >= 2 else struct.pack("!H", CLOSE_NORMAL)
                    await self.close(struct.unpack("!H", code)[0])
                    return None
                if frame_opcode == OP_CONTINUATION:
                    if opcode is None:
                        raise ProtocolError("continuation without a message")
                elif frame_opcode in (OP_TEXT, OP_BINARY):
                    if opcode is not None:
                        raise ProtocolError("new message inside a fragmented one")
                    opcode = frame_opcode
                else:
                    raise ProtocolError(f"unknown opcode {frame_opcode}")
                parts.append(payload)
                if sum(len(part) for part in parts) > MAX_MESSAGE_BYTES:
                    raise ProtocolError("message too large")
                if fin:
                    return Message(opcode, b"".join(parts))
        except ProtocolError:
            await self.close(CLOSE_PROTOCOL_ERROR)
            return None
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            return None

    async def _send_frame(self, opcode: int, payload: bytes) -> None:
        length = len(payload)
        if length < 126:
            head = struct.pack("!BB", 0x80 | opcode, length)
        elif length < 1 << 16:
            head = struct.pack("!BBH", 0x80 | opcode, 126, length)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 127, length)
        self._writer.write(head + payload)
        await self._writer.drain()

    async def send_binary(self, data: bytes) -> None:
        if not self.close_sent:
            await self._send_frame(OP_BINARY, data)

    async def close(self, code: int = CLOSE_NORMAL) -> None:
        """Send our close frame once; the transport is closed by whoever owns it."""
        if self.close_sent:
            return
        self.close_sent = True
        try:
            await self._send_frame(OP_CLOSE, struct.pack("!H", code))
        except (ConnectionError, OSError):
            pass

    async def drain_until_closed(self, timeout: float = 2.0) -> None:
        """After our close frame, read until the peer's (RFC 6455 §7.1.1 closing handshake), briefly."""
        try:
            async with asyncio.timeout(timeout):
                while not self.close_received:
                    if await self.receive() is None:
                        return
        except TimeoutError:
            return
