#!/usr/bin/env python3
"""A STAND-IN for a Kubernetes API server, for hoopctl's tests. It is not Kubernetes.

No real kube-apiserver can run on the test machines, so this small server speaks the wire formats kubectl v1.32
uses against one, closely enough that the real `kubectl` works against it unmodified: discovery (aggregated and
legacy), OpenAPI v3 for apply's validation check, JSON objects with resourceVersions (and protobuf request
bodies), Tables for `kubectl get`, watches, logs (followed), exec/attach over WebSocket (channel protocol v5/v4)
or SPDY, and port-forward over SPDY/3.1 (tunnelled in a WebSocket, or on a raw upgrade). One asyncio event loop
serves every connection, so long streams cost a task and TLS sockets are never shared between threads.

Objects live in memory; pods "run" on this machine: exec runs the command here, port-forward connects to
127.0.0.1. There are no controllers, no scheduler, no RBAC, no admission webhooks, no protobuf answers, and only
six kinds. See README.md next to this file for what is and is not faithful.

Usage:
    standin.py --port N [--host 127.0.0.1] [--tls-cert F --tls-key F] [--token T]
               [--log-interval SECONDS] [--legacy-discovery] [--spdy-only]

Prints `READY <port>` (one line, flushed) once listening; `--port 0` takes a free port. Serves HTTPS when a
certificate and key are given (HTTP/1.1 only: ALPN offers `http/1.1`, never `h2`), else plain HTTP. With `--token`,
every API request must carry exactly one `Authorization: Bearer <token>` or gets a 401 Status. Every API request is
recorded for tests at `GET /_standin/requests` (cleared by `POST /_standin/reset`); those two paths need no token.
SIGTERM/SIGINT: kills running exec commands and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import ssl
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kubestandin.app import App, Settings  # noqa: E402
from kubestandin.connection import serve  # noqa: E402


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True, help="TCP port to listen on (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--tls-cert", help="PEM certificate (chain) to serve HTTPS with")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--token", help="bearer token every API request must carry")
    parser.add_argument("--log-interval", type=float, default=0.2, help="seconds between followed log lines (0.2)")
    parser.add_argument(
        "--legacy-discovery",
        action="store_true",
        help="answer /api and /apis only in the pre-aggregated format, like an older server",
    )
    parser.add_argument(
        "--spdy-only",
        action="store_true",
        help="refuse WebSocket upgrades of exec/attach/port-forward like servers before v1.30 (kubectl then uses SPDY)",
    )
    arguments = parser.parse_args(argv)
    if bool(arguments.tls_cert) != bool(arguments.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return arguments


def tls_context(cert: str, key: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    context.set_alpn_protocols(["http/1.1"])
    return context


async def run(arguments: argparse.Namespace) -> None:
    scratch = tempfile.mkdtemp(prefix="kube-standin-")
    context = tls_context(arguments.tls_cert, arguments.tls_key) if arguments.tls_cert else None
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    app = App(
        Settings(
            token=arguments.token,
            log_interval=arguments.log_interval,
            aggregated_discovery=not arguments.legacy_discovery,
            server_address=f"{arguments.host}:{arguments.port}",
            scratch_dir=scratch,
            websocket=not arguments.spdy_only,
        )
    )
    try:
        server = await asyncio.start_server(
            lambda reader, writer: serve(reader, writer, app.dispatch),
            arguments.host,
            arguments.port,
            ssl=context,
            limit=64 * 1024,
        )
        port = server.sockets[0].getsockname()[1]
        scheme = "https" if context else "http"
        app.settings.server_address = f"{arguments.host}:{port}"
        print(f"READY {port}", flush=True)
        print(f"kube-apiserver stand-in serving {scheme}://{arguments.host}:{port}", file=sys.stderr, flush=True)
        async with server:
            await stopping.wait()
    finally:
        for process in list(app.processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    asyncio.run(run(parse_arguments(sys.argv[1:])))


if __name__ == "__main__":
    main()
