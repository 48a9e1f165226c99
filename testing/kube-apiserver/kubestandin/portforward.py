"""`pods/portforward`: forward to 127.0.0.1:PORT on this machine, as if the pod's network namespace were the host's.

Two wire protocols:

* SPDY (`portforward.k8s.io`), what kubectl uses: tunnelled in a WebSocket (`SPDY/3.1+portforward.k8s.io`, the
  v1.32 default) or on a raw `SPDY/3.1` upgrade of a POST (the fallback). For each local connection the client opens
  two streams with headers `streamtype: error|data`, `port: P`, `requestid: N`. The data stream carries the bytes
  both ways; the error stream carries a message if forwarding fails, and its end (FIN) is what the client waits for
  before it forgets the connection. So the server sends data FIN when the target closes, then error FIN.
* WebSocket channels (`v4.channel.k8s.io`), the kubelet's browser-friendly protocol, for other clients: the
  `ports` query names the ports; port i uses channel 2i for data and 2i+1 for errors; the first message the server
  sends on each channel is the port as 2 bytes, little-endian. kubectl never uses this one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import struct
from collections.abc import Awaitable, Callable

from . import spdy
from .websocket import WebSocket

SPDY_PROTOCOL = "portforward.k8s.io"
TUNNELED_SPDY_PROTOCOL = "SPDY/3.1+" + SPDY_PROTOCOL
CHANNEL_PROTOCOL = "v4.channel.k8s.io"
TARGET_HOST = "127.0.0.1"
READ_CHUNK = 32 * 1024


def _connect_error(port: int, pod: str, namespace: str, error: OSError) -> bytes:
    """The kubelet's wording, with Go's lower-case errno text (`connect: connection refused`)."""
    reason = os.strerror(error.errno).lower() if error.errno else str(error)
    return (
        f"error forwarding port {port} to pod {pod} in namespace {namespace}: failed to connect to localhost:{port}: "
        f"dial tcp4 {TARGET_HOST}:{port}: connect: {reason}"
    ).encode()


class SpdyForwarder:
    """Pairs the error and data streams of each forwarded connection and copies bytes to and from the target."""

    def __init__(self, pod: str, namespace: str):
        self.pod = pod
        self.namespace = namespace
        self._pending: dict[str, dict[str, spdy.Stream]] = {}
        self._tasks: set[asyncio.Task] = set()

    def on_stream(self, stream: spdy.Stream) -> None:
        kind = (stream.header("streamtype") or "").lower()
        request_id = stream.header("requestid")
        if request_id is None:  # clients before requestID paired the data stream two IDs after the error stream
            request_id = str(stream.id if kind == "error" else stream.id - 2)
        pair = self._pending.setdefault(request_id, {})
        pair[kind] = stream
        if "error" in pair and "data" in pair:
            del self._pending[request_id]
            task = asyncio.create_task(self._forward_quietly(pair["error"], pair["data"]))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _forward_quietly(self, error: spdy.Stream, data: spdy.Stream) -> None:
        """A client that hangs up mid-copy ends only its own forward."""
        with contextlib.suppress(ConnectionError, OSError):
            await self._forward(error, data)

    async def _forward(self, error: spdy.Stream, data: spdy.Stream) -> None:
        port_text = data.header("port") or ""
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            await error.write(f"invalid port header {port_text!r}".encode())
            await error.close()
            await data.close()
            return
        port = int(port_text)
        try:
            reader, writer = await asyncio.open_connection(TARGET_HOST, port)
        except OSError as failure:
            await error.write(_connect_error(port, self.pod, self.namespace, failure))
            await error.close()
            await data.close()
            return
        to_target = asyncio.create_task(self._client_to_target(data, writer))
        try:
            while chunk := await _read_or_reset(reader, data):
                await data.write(chunk)
            await data.close()
            await error.close()
            await to_target
        finally:
            to_target.cancel()
            writer.close()
            with contextlib.suppress(ConnectionError, OSError, asyncio.CancelledError):
                await writer.wait_closed()

    @staticmethod
    async def _client_to_target(data: spdy.Stream, writer: asyncio.StreamWriter) -> None:
        try:
            while (chunk := await data.read()) is not None:
                writer.write(chunk)
                await writer.drain()
            if data.was_reset.is_set():
                writer.close()
            elif writer.can_write_eof():
                writer.write_eof()
        except (ConnectionError, OSError):
            pass

    def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()


async def _read_or_reset(reader: asyncio.StreamReader, data: spdy.Stream) -> bytes:
    """Next bytes from the target, or b"" when it closed or the client reset the data stream."""
    read = asyncio.ensure_future(reader.read(READ_CHUNK))
    reset = asyncio.ensure_future(data.was_reset.wait())
    try:
        await asyncio.wait({read, reset}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        reset.cancel()
    if not read.done():
        read.cancel()
        return b""
    try:
        return read.result()
    except (ConnectionError, OSError):
        return b""


async def serve_spdy(
    read_chunk: Callable[[], Awaitable[bytes | None]],
    send_bytes: Callable[[bytes], Awaitable[None]],
    pod: str,
    namespace: str,
) -> None:
    """Run a SPDY port-forward session over any transport: `read_chunk()` returns bytes or None at EOF."""
    forwarder = SpdyForwarder(pod, namespace)
    try:
        await spdy.run(spdy.Session(send_bytes, forwarder.on_stream), read_chunk)
    finally:
        forwarder.close()


async def serve_channels(ws: WebSocket, ports: list[int], pod: str, namespace: str) -> None:
    """The kubelet's WebSocket port-forward: one target connection per requested port, channels 2i and 2i+1."""
    writers: dict[int, asyncio.StreamWriter] = {}
    pumps = []

    async def pump(index: int, reader: asyncio.StreamReader) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while chunk := await reader.read(READ_CHUNK):
                await ws.send_binary(bytes([2 * index]) + chunk)

    for index, port in enumerate(ports):
        prefix = struct.pack("<H", port)
        await ws.send_binary(bytes([2 * index]) + prefix)
        await ws.send_binary(bytes([2 * index + 1]) + prefix)
        try:
            reader, writers[index] = await asyncio.open_connection(TARGET_HOST, port)
        except OSError as failure:
            await ws.send_binary(bytes([2 * index + 1]) + _connect_error(port, pod, namespace, failure))
            continue
        pumps.append(asyncio.create_task(pump(index, reader)))

    async def inbound() -> None:
        while (message := await ws.receive()) is not None:
            if not message.data or message.data[0] % 2 or message.data[0] // 2 not in writers:
                continue
            writer = writers[message.data[0] // 2]
            with contextlib.suppress(ConnectionError, OSError):
                writer.write(message.data[1:])
                await writer.drain()

    reading = asyncio.create_task(inbound())
    try:
        await asyncio.wait([reading, *pumps] if pumps else [reading], return_when=asyncio.FIRST_COMPLETED)
        if pumps and not reading.done():
            await asyncio.gather(*pumps)
    finally:
        reading.cancel()
        for task in pumps:
            task.cancel()
        for writer in writers.values():
            writer.close()
