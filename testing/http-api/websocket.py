"""A WebSocket echo (RFC 6455) on the standard library alone: the opening handshake's answer, then every text and
binary message sent back as it came, pings answered, and a close answered with the same status code.

It checks what the RFC makes a server check, so that a proxy which mangles frames in passing is caught: client
frames must be masked (section 5.1), reserved bits clear with no extension agreed (5.2), control frames short and
unfragmented (5.5), a text message valid UTF-8 (8.1); each failure closes with the RFC's status code."""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct

# Section 1.3: the server proves it read the handshake by hashing the client's key with this fixed GUID.
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE = 16 * 1024 * 1024


class Opcode:
    CONTINUATION = 0x0
    TEXT = 0x1
    BINARY = 0x2
    CLOSE = 0x8
    PING = 0x9
    PONG = 0xA


class CloseCode:
    NORMAL = 1000
    PROTOCOL_ERROR = 1002
    INVALID_DATA = 1007
    TOO_BIG = 1009


def accept_key(key: str) -> str:
    """The Sec-WebSocket-Accept answer to a Sec-WebSocket-Key (section 4.2.2)."""
    return base64.b64encode(hashlib.sha1((key + GUID).encode("ascii")).digest()).decode("ascii")


def handshake_problem(method: str, version: str, headers: list[list[str]]) -> str | None:
    """Why a request is not a valid opening handshake (section 4.2.1), or None when it is."""

    def tokens(name: str) -> list[str]:
        return [part.strip().lower() for field, value in headers if field.lower() == name
                for part in value.split(",")]

    key = [value.strip() for field, value in headers if field.lower() == "sec-websocket-key"]
    if method != "GET" or version != "HTTP/1.1":
        return "a WebSocket handshake is an HTTP/1.1 GET"
    if "websocket" not in tokens("upgrade"):
        return "no Upgrade: websocket"
    if "upgrade" not in tokens("connection"):
        return "no Connection: Upgrade"
    if tokens("sec-websocket-version") != ["13"]:
        return "Sec-WebSocket-Version is not 13"
    if len(key) != 1 or len(_decoded(key[0])) != 16:
        return "Sec-WebSocket-Key is not one base64 16-byte nonce"
    return None


def _decoded(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        return b""


def _unmask(data: bytes, mask: bytes) -> bytes:
    """XOR with the repeated 4-byte mask (section 5.3), as one integer operation rather than byte by byte."""
    if not data:
        return data
    key = (mask * (len(data) // 4 + 1))[: len(data)]
    return (int.from_bytes(data, "big") ^ int.from_bytes(key, "big")).to_bytes(len(data), "big")


def frame(opcode: int, payload: bytes) -> bytes:
    """One final, unmasked frame, as a server sends them (section 5.2)."""
    head = bytes([0x80 | opcode])
    if len(payload) < 126:
        head += bytes([len(payload)])
    elif len(payload) < 1 << 16:
        head += bytes([126]) + struct.pack("!H", len(payload))
    else:
        head += bytes([127]) + struct.pack("!Q", len(payload))
    return head + payload


def close_frame(code: int, reason: str = "") -> bytes:
    return frame(Opcode.CLOSE, struct.pack("!H", code) + reason.encode("utf-8"))


class _Closed(Exception):
    """The conversation is over: the peer closed, or broke the protocol and was sent a close frame."""


def _read(rfile, size: int) -> bytes:
    data = rfile.read(size) if size else b""
    if len(data) != size:
        raise _Closed()
    return data


def echo(rfile, wfile) -> None:
    """Echoes messages until a close frame, a protocol error or the end of the connection."""

    def fail(code: int, reason: str) -> None:
        wfile.write(close_frame(code, reason))
        wfile.flush()
        raise _Closed()

    message_opcode, parts, size = None, [], 0
    try:
        while True:
            first, second = _read(rfile, 2)
            final, reserved, opcode = first & 0x80, first & 0x70, first & 0x0F
            masked, length = second & 0x80, second & 0x7F
            if reserved:
                fail(CloseCode.PROTOCOL_ERROR, "reserved bits set without an extension")
            if not masked:
                fail(CloseCode.PROTOCOL_ERROR, "client frames must be masked")
            if length == 126:
                length = struct.unpack("!H", _read(rfile, 2))[0]
            elif length == 127:
                length = struct.unpack("!Q", _read(rfile, 8))[0]
            control = opcode & 0x8
            if control and (length > 125 or not final):
                fail(CloseCode.PROTOCOL_ERROR, "control frames are short and unfragmented")
            if opcode not in (Opcode.CONTINUATION, Opcode.TEXT, Opcode.BINARY, Opcode.CLOSE, Opcode.PING,
                              Opcode.PONG):
                fail(CloseCode.PROTOCOL_ERROR, f"unknown opcode {opcode:#x}")
            if size + length > MAX_MESSAGE:
                fail(CloseCode.TOO_BIG, "message too big")
            mask = _read(rfile, 4)
            payload = _unmask(_read(rfile, length), mask)
            if opcode == Opcode.CLOSE:
                if len(payload) == 1:
                    fail(CloseCode.PROTOCOL_ERROR, "a close payload has a two-byte code")
                wfile.write(frame(Opcode.CLOSE, payload[:2]))
                wfile.flush()
                return
            if opcode == Opcode.PING:
                wfile.write(frame(Opcode.PONG, payload))
                wfile.flush()
                continue
            if opcode == Opcode.PONG:
                continue
            if (opcode == Opcode.CONTINUATION) != (message_opcode is not None):
                fail(CloseCode.PROTOCOL_ERROR, "continuation without a message, or a message inside another")
            if message_opcode is None:
                message_opcode = opcode
            parts.append(payload)
            size += length
            if not final:
                continue
            message = b"".join(parts)
            if message_opcode == Opcode.TEXT:
                try:
                    message.decode("utf-8")
                except UnicodeDecodeError:
                    fail(CloseCode.INVALID_DATA, "text message is not UTF-8")
            wfile.write(frame(message_opcode, message))
            wfile.flush()
            message_opcode, parts, size = None, [], 0
    except _Closed:
        return
