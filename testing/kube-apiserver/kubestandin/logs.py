"""Container logs: a deterministic backlog, then (with `follow=true`) one new line per interval.

The lines are chosen for hoopctl's masking tests: some carry an e-mail address, some a test card number
(4111 1111 1111 1111), interleaved with harmless ones, so a test can check that a broker masks exactly those.
Every container of every pod has the same backlog of `BACKLOG_LINES` lines, numbered from 1; followed lines
continue the numbering. Text is `text/plain`, one `\\n`-terminated line each, like the kubelet's.
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .status import bad_request
from .tables import parse_time

BACKLOG_LINES = 8
TEMPLATES = [
    "GET /healthz 200 1.2ms",
    "login ok user=alice@example.com src=10.0.0.7",
    "payment accepted card=4111 1111 1111 1111 amount=42.00 EUR",
    "mail queued for bob.smith@example.org order=1234",
]


@dataclass
class LogRequest:
    container: str
    follow: bool
    tail_lines: int | None
    timestamps: bool
    limit_bytes: int | None


def _int_param(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    if not value.lstrip("-").isdigit():
        raise bad_request(f"invalid {name}: {value!r}")
    return int(value)


def log_request(pod: dict[str, Any], params: dict[str, list[str]]) -> LogRequest:
    """Validate the query the way the apiserver does before it dials the kubelet."""

    def param(name: str) -> str | None:
        return params.get(name, [None])[0]

    containers = [container.get("name") for container in pod.get("spec", {}).get("containers") or []]
    name = pod["metadata"]["name"]
    container = param("container") or ""
    if not container:
        if len(containers) != 1:
            raise bad_request(
                f"a container name must be specified for pod {name}, choose one of: [{' '.join(containers)}]"
            )
        container = containers[0]
    if container not in containers:
        raise bad_request(f"container {container} is not valid for pod {name}")
    if (param("previous") or "").lower() in ("true", "1"):
        raise bad_request(f'previous terminated container "{container}" in pod "{name}" not found')
    return LogRequest(
        container=container,
        follow=(param("follow") or "").lower() in ("true", "1"),
        tail_lines=_int_param(param("tailLines"), "tailLines"),
        timestamps=(param("timestamps") or "").lower() in ("true", "1"),
        limit_bytes=_int_param(param("limitBytes"), "limitBytes"),
    )


def _stamp(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"


def render(request: LogRequest, number: int, moment: datetime.datetime) -> bytes:
    text = f"{request.container} #{number} {TEMPLATES[(number - 1) % len(TEMPLATES)]}\n"
    if request.timestamps:
        text = f"{_stamp(moment)} {text}"
    return text.encode()


def backlog(pod: dict[str, Any], request: LogRequest) -> list[bytes]:
    created = parse_time(pod["metadata"]["creationTimestamp"])
    lines = [
        render(request, number, created + datetime.timedelta(milliseconds=number))
        for number in range(1, BACKLOG_LINES + 1)
    ]
    if request.tail_lines is not None and request.tail_lines >= 0:
        lines = lines[len(lines) - min(request.tail_lines, len(lines)):]
    return lines


async def stream(
    pod: dict[str, Any], request: LogRequest, write: Callable[[bytes], Awaitable[None]], interval: float
) -> None:
    """Write the backlog, then follow forever (until the writer fails because the client went away)."""
    budget = request.limit_bytes
    async def emit(line: bytes) -> bool:
        nonlocal budget
        if budget is not None:
            line = line[:budget]
            budget -= len(line)
        if line:
            await write(line)
        return budget is None or budget > 0

    for line in backlog(pod, request):
        if not await emit(line):
            return
    if not request.follow:
        return
    number = BACKLOG_LINES
    while True:
        await asyncio.sleep(interval)
        number += 1
        if not await emit(render(request, number, datetime.datetime.now(datetime.timezone.utc))):
            return
