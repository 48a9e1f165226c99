"""What a handler returns: a whole body, a stream of unknown length, or a protocol upgrade.

Handlers stay free of socket details; `connection.serve` writes each kind: whole bodies with Content-Length (so
keep-alive works), streams with chunked transfer-encoding, upgrades by handing the reader and writer over.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .status import ApiError

JSON = "application/json"
# The apiserver marks API responses uncacheable by shared caches; clients (and a broker) may look for it.
API_HEADERS = [("Cache-Control", "no-cache, private")]


@dataclass
class Whole:
    status: int
    body: bytes
    content_type: str = JSON
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Streamed:
    """A chunked body; `produce(write)` runs until done, or is cancelled when the client goes away."""

    status: int
    content_type: str
    produce: Callable[[Callable[[bytes], Awaitable[None]]], Awaitable[None]]
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Upgraded:
    """The handler owns the connection from here: it writes its own 101 (or refusal) and closes when done.

    `run(reader, writer, report)` calls `report(status)` as soon as it has answered, 101 or a refusal, so the
    request log shows what the client actually got.
    """

    run: Callable[[asyncio.StreamReader, asyncio.StreamWriter, Callable[[int], None]], Awaitable[None]]
    report: Callable[[int], None] = lambda status: None


Reply = Whole | Streamed | Upgraded


def json_reply(status: int, obj: Any, warnings: list[str] | None = None, content_type: str = JSON) -> Whole:
    headers = list(API_HEADERS)
    headers += [("Warning", f'299 - "{warning.replace(chr(34), chr(92) + chr(34))}"') for warning in warnings or []]
    return Whole(status, json.dumps(obj, separators=(",", ":")).encode(), content_type, headers)


def error_reply(error: ApiError) -> Whole:
    return json_reply(error.code, error.status())
