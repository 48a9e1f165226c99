"""The two transports of the remote-command streams (exec, attach), behind one interface: numbered channels.

* WebSocket (`v5.channel.k8s.io`, `v4.channel.k8s.io`), kubectl v1.32's default: each binary message is one write,
  its first byte the channel; v5 adds channel 255, whose message `[255, N]` closes channel N (kubectl sends
  `[255, 0]` at the end of its stdin).
* SPDY/3.1 (`X-Stream-Protocol-Version: v5.channel.k8s.io`, `v4…`), what kubectl falls back to when the WebSocket
  upgrade fails and uses with `KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false` (and what older kubectl versions always
  use): the client opens one stream per channel, tagged by a `streamtype` header (error, stdin, stdout, stderr,
  resize), and ends stdin with a FIN. The server ends its streams with FIN when done.

Either way the session sees `send(channel, bytes)` and `receive() -> (channel, bytes) | None`, where the end of
stdin arrives as `(CLOSE, bytes([STDIN]))`, exactly as the v5 WebSocket message says it.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from . import spdy
from .websocket import WebSocket

PROTOCOL_V5 = "v5.channel.k8s.io"
PROTOCOL_V4 = "v4.channel.k8s.io"
SUPPORTED_PROTOCOLS = (PROTOCOL_V5, PROTOCOL_V4)

STDIN, STDOUT, STDERR, ERROR, RESIZE, CLOSE = 0, 1, 2, 3, 4, 255
STREAM_TYPES = {"stdin": STDIN, "stdout": STDOUT, "stderr": STDERR, "error": ERROR, "resize": RESIZE}


class Channels(Protocol):
    async def send(self, channel: int, data: bytes) -> None: ...

    async def receive(self) -> tuple[int, bytes] | None: ...


class WebSocketChannels:
    """Channels over a WebSocket: one message per write, the channel in its first byte."""

    def __init__(self, ws: WebSocket):
        self.ws = ws

    async def send(self, channel: int, data: bytes) -> None:
        await self.ws.send_binary(bytes([channel]) + data)

    async def receive(self) -> tuple[int, bytes] | None:
        """Next (channel, data); None when the client has gone. CLOSE exists only in v5, so v4 never yields it."""
        while (message := await self.ws.receive()) is not None:
            if message.data and (message.data[0] != CLOSE or self.ws.protocol == PROTOCOL_V5):
                return message.data[0], message.data[1:]
        return None


class SpdyChannels:
    """Channels over SPDY streams; `ready` is set once the client has opened every stream the query implies."""

    def __init__(self, expected: set[int]):
        self.expected = expected
        self.streams: dict[int, spdy.Stream] = {}
        self.ready = asyncio.Event()
        self._inbound: asyncio.Queue[tuple[int, bytes] | None] = asyncio.Queue()
        self._pumps: set[asyncio.Task] = set()

    def on_stream(self, stream: spdy.Stream) -> None:
        channel = STREAM_TYPES.get((stream.header("streamtype") or "").lower())
        if channel is None or channel in self.streams:
            return
        self.streams[channel] = stream
        if channel in (STDIN, RESIZE):
            task = asyncio.create_task(self._pump(channel, stream))
            self._pumps.add(task)
            task.add_done_callback(self._pumps.discard)
        if self.expected <= set(self.streams):
            self.ready.set()

    async def _pump(self, channel: int, stream: spdy.Stream) -> None:
        while (data := await stream.read()) is not None:
            self._inbound.put_nowait((channel, data))
        if channel == STDIN:
            self._inbound.put_nowait((CLOSE, bytes([STDIN])))

    def disconnected(self) -> None:
        self._inbound.put_nowait(None)

    async def send(self, channel: int, data: bytes) -> None:
        stream = self.streams.get(channel)
        if stream is not None:
            await stream.write(data)

    async def receive(self) -> tuple[int, bytes] | None:
        return await self._inbound.get()

    async def finish(self) -> None:
        """FIN every stream the server writes, after the last byte: the client reads each to its end."""
        for channel in (STDOUT, STDERR, ERROR):
            if channel in self.streams:
                await self.streams[channel].close()
        for task in list(self._pumps):
            task.cancel()
