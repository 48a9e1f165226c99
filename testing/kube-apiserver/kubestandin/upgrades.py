"""The three streaming subresources of a pod — exec, attach, portforward — from request checks to the upgrade.

Checks run before any upgrade and fail as plain HTTP answers with a Status body, as the apiserver's do (kubectl
prints them as `error: …`): no `Upgrade` header is `400 Upgrade request required`, an unknown container 400, no
acceptable subprotocol 400. Each subresource takes both upgrades kubectl knows:

* `Upgrade: websocket` (GET), chosen by `Sec-WebSocket-Protocol`; kubectl v1.32's default for all three;
* `Upgrade: SPDY/3.1` (POST), chosen by `X-Stream-Protocol-Version`; kubectl's fallback when the WebSocket
  upgrade fails, forced with `KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false` / `KUBECTL_PORT_FORWARD_WEBSOCKETS=false`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable
from typing import Any

from . import logs, portforward, spdy, status
from .channels import (
    ERROR,
    RESIZE,
    STDERR,
    STDIN,
    STDOUT,
    SUPPORTED_PROTOCOLS,
    Channels,
    SpdyChannels,
    WebSocketChannels,
)
from .httpio import Request, response_head
from .remotecommand import Session, StreamOptions, attach_without_stdin
from .replies import Upgraded, error_reply
from .websocket import WebSocket, handshake_error, handshake_response, is_websocket_request, offered_protocols

SPDY_UPGRADE = "spdy/3.1"
STREAM_CREATION_TIMEOUT = 30.0  # the kubelet's: how long the client may take to open its SPDY streams
READ_CHUNK = 64 * 1024

Transport = Callable[[asyncio.StreamReader, asyncio.StreamWriter, Callable[[int], None]], Awaitable[None]]


async def _refuse(writer: asyncio.StreamWriter, error: status.ApiError) -> None:
    reply = error_reply(error)
    headers = [("Content-Type", reply.content_type), *reply.headers, ("Content-Length", str(len(reply.body)))]
    writer.write(response_head(reply.status, headers + [("Connection", "close")]) + reply.body)
    with contextlib.suppress(ConnectionError, OSError):
        await writer.drain()


def _container(pod: dict[str, Any], params: dict[str, list[str]]) -> dict[str, Any]:
    containers = pod.get("spec", {}).get("containers") or []
    wanted = params.get("container", [""])[0]
    if not wanted:
        default = pod["metadata"].get("annotations", {}).get("kubectl.kubernetes.io/default-container")
        wanted = default or (containers[0]["name"] if containers else "")
    for container in containers:
        if container.get("name") == wanted:
            return container
    raise status.bad_request(f"container {wanted} is not valid for pod {pod['metadata']['name']}")


def _is_spdy(request: Request, websocket_enabled: bool) -> bool:
    """Which upgrade the client asks for (False: WebSocket); neither is 400 Upgrade request required."""
    if is_websocket_request(request):
        if not websocket_enabled:  # like an apiserver before v1.30: kubectl sees an upgrade failure, retries SPDY
            raise status.bad_request("Upgrade request required")
        return False
    if request.wants_upgrade and (request.header("Upgrade") or "").lower() == SPDY_UPGRADE:
        return True
    raise status.bad_request("Upgrade request required")


def _pick(offered: list[str], supported: tuple[str, ...]) -> str:
    """The first protocol the client offers that the server supports (client preference, as the kubelet does)."""
    for protocol in offered:
        if protocol in supported:
            return protocol
    raise status.bad_request(
        f"unable to upgrade: requested protocol(s) are not supported: {offered}; supported protocols: {list(supported)}"
    )


def _spdy_protocols(request: Request) -> list[str]:
    headers = request.header_values("X-Stream-Protocol-Version")
    return [value.strip() for header in headers for value in header.split(",")]


def _over_websocket(
    request: Request, supported: tuple[str, ...], serve: Callable[[WebSocket], Awaitable[None]]
) -> Transport:
    async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, report: Callable[[int], None]) -> None:
        try:
            if problem := handshake_error(request):
                raise status.bad_request(problem)
            protocol = _pick(offered_protocols(request), supported)
        except status.ApiError as error:
            report(error.code)
            await _refuse(writer, error)
            return
        report(101)
        writer.write(handshake_response(request, protocol))
        await writer.drain()
        ws = WebSocket(reader, writer, protocol)
        await serve(ws)
        await ws.close()
        await ws.drain_until_closed()

    return run


def _over_spdy(
    request: Request,
    supported: tuple[str, ...],
    serve: Callable[[str, Callable[[], Awaitable[bytes | None]], Callable[[bytes], Awaitable[None]]], Awaitable[None]],
) -> Transport:
    """Answer 101 with the chosen `X-Stream-Protocol-Version`, then hand the raw byte stream to `serve`."""

    async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, report: Callable[[int], None]) -> None:
        try:
            protocol = _pick(_spdy_protocols(request), supported)
        except status.ApiError as error:
            report(error.code)
            await _refuse(writer, error)
            return
        report(101)
        headers = [("Connection", "Upgrade"), ("Upgrade", "SPDY/3.1"), ("X-Stream-Protocol-Version", protocol)]
        writer.write(response_head(101, headers))
        await writer.drain()

        async def read_chunk() -> bytes | None:
            return await reader.read(READ_CHUNK) or None

        async def send(data: bytes) -> None:
            writer.write(data)
            await writer.drain()

        await serve(protocol, read_chunk, send)

    return run


class PodStreams:
    """Builds the upgraded handlers; `workdir(pod)` is the pod's scratch directory, `processes` the live commands."""

    def __init__(self, workdir: Callable[[dict[str, Any]], str], processes: set, log_interval: float, websocket: bool):
        self.workdir = workdir
        self.processes = processes
        self.log_interval = log_interval
        self.websocket = websocket

    def _environment(self, pod: dict[str, Any], container: dict[str, Any]) -> dict[str, str]:
        environment = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "HOME": self.workdir(pod),
            "HOSTNAME": pod["metadata"]["name"],
            "LANG": "C.UTF-8",
        }
        for variable in container.get("env") or []:
            if "value" in variable:
                environment[variable["name"]] = str(variable["value"])
        return environment

    def remote_command(self, request: Request, pod: dict[str, Any], attach: bool) -> Upgraded:
        """exec (the query's `command`) or attach (a fresh `/bin/sh` with stdin, else the pod's output)."""
        container = _container(pod, request.params)
        options = StreamOptions.from_params(request.params, ["/bin/sh"] if attach else None)
        if not options.command:
            raise status.bad_request("you must specify at least 1 command")
        if not (options.stdin or options.stdout or options.stderr):
            raise status.bad_request("you must specify at least one of stdin, stdout, stderr")
        spdy_upgrade = _is_spdy(request, self.websocket)

        async def converse(channels: Channels) -> None:
            if attach and not options.stdin:
                log_request = logs.log_request(pod, {"container": [container["name"]], "follow": ["true"]})
                await attach_without_stdin(
                    channels, lambda write: logs.stream(pod, log_request, write, self.log_interval)
                )
            else:
                environment = self._environment(pod, container)
                await Session(channels, options, self.workdir(pod), environment, self.processes).run()

        async def over_websocket(ws: WebSocket) -> None:
            await converse(WebSocketChannels(ws))

        async def over_spdy(protocol: str, read_chunk, send) -> None:
            expected = {ERROR} | {channel for channel, wanted in (
                (STDIN, options.stdin), (STDOUT, options.stdout), (STDERR, options.stderr), (RESIZE, options.tty)
            ) if wanted}
            channels = SpdyChannels(expected)
            session = spdy.Session(send, channels.on_stream)
            feeding = asyncio.create_task(spdy.run(session, read_chunk))
            feeding.add_done_callback(lambda _: channels.disconnected())
            try:
                async with asyncio.timeout(STREAM_CREATION_TIMEOUT):
                    await channels.ready.wait()
                await converse(channels)
                await channels.finish()
            except TimeoutError:
                pass
            finally:
                feeding.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await feeding

        if spdy_upgrade:
            return Upgraded(_over_spdy(request, SUPPORTED_PROTOCOLS, over_spdy))
        return Upgraded(_over_websocket(request, SUPPORTED_PROTOCOLS, over_websocket))

    def port_forward(self, request: Request, pod: dict[str, Any]) -> Upgraded:
        name, namespace = pod["metadata"]["name"], pod["metadata"]["namespace"]
        spdy_upgrade = _is_spdy(request, self.websocket)
        ports = _ports(request)
        if not spdy_upgrade and not ports and portforward.TUNNELED_SPDY_PROTOCOL not in offered_protocols(request):
            raise status.bad_request('query parameter "ports" is required')

        async def over_websocket(ws: WebSocket) -> None:
            if ws.protocol == portforward.CHANNEL_PROTOCOL:
                await portforward.serve_channels(ws, ports, name, namespace)
                return

            async def read_chunk() -> bytes | None:
                message = await ws.receive()
                return None if message is None else message.data

            await portforward.serve_spdy(read_chunk, ws.send_binary, name, namespace)

        async def over_spdy(protocol: str, read_chunk, send) -> None:
            await portforward.serve_spdy(read_chunk, send, name, namespace)

        if spdy_upgrade:
            return Upgraded(_over_spdy(request, (portforward.SPDY_PROTOCOL,), over_spdy))
        return Upgraded(
            _over_websocket(request, (portforward.TUNNELED_SPDY_PROTOCOL, portforward.CHANNEL_PROTOCOL), over_websocket)
        )


def _ports(request: Request) -> list[int]:
    """The `ports` query (only the WebSocket channel protocol needs it; SPDY names ports per stream)."""
    ports = []
    for value in request.params.get("ports", []):
        for part in value.split(","):
            if not part.strip().isdigit() or not 0 < int(part) < 65536:
                raise status.bad_request(f"invalid port {part!r}")
            ports.append(int(part))
    return ports
