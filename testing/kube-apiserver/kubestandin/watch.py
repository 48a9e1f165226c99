"""`?watch=true` on a collection: a chunked stream of `{"type":…,"object":…}` JSON lines, kept open.

Where a watch starts follows the apiserver's resourceVersion rules:

* `resourceVersion` unset or `"0"`: synthetic ADDED events for what exists now, then live changes;
* `resourceVersion=N`: every change after N from the history (no synthetic events), then live changes — this is
  what `kubectl get -w` does with the revision of the list it printed first; a revision older than the history
  gets one ERROR event carrying a 410 `Expired` Status;
* `sendInitialEvents=true`: synthetic ADDED events, then a BOOKMARK annotated `k8s.io/initial-events-end`.

Selectors apply per event, judged on the object before and after a change: an object that stops matching is
reported DELETED, one that starts matching ADDED.
With a Table `Accept`, each event's object is a one-row Table; like the apiserver, only the first carries
`columnDefinitions`. `timeoutSeconds` ends the stream cleanly.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from . import status, tables
from .kinds import ResourceType
from .selectors import field_matcher, label_matcher
from .store import Store, StoreEvent

INITIAL_EVENTS_END = "k8s.io/initial-events-end"


def check_start(params: dict[str, list[str]]) -> None:
    """Reject a malformed start revision before the 200 and the stream begin."""
    start = params.get("resourceVersion", [""])[0]
    if start and not start.isdigit():
        raise status.bad_request(f"invalid resource version: {start}")


@dataclass
class View:
    """What one watch shows: a resource type (one namespace or all), its query, and the wire form of objects."""

    resource_type: ResourceType
    namespace: str | None
    params: dict[str, list[str]]
    table_version: str | None  # meta.k8s.io version of one-row Tables, or None for plain objects
    include: str  # a Table row's `object`: Metadata, Object or None

    def param(self, name: str) -> str:
        return self.params.get(name, [""])[0]


class WatchEncoder:
    """Turns store events into wire events: selector bookkeeping, Table or plain object, one JSON line each."""

    def __init__(self, view: View):
        self.view = view
        self._labels = label_matcher(view.param("labelSelector"))
        self._fields = field_matcher(view.param("fieldSelector"))
        self._columns_sent = False

    def _object(self, obj: dict[str, Any]) -> dict[str, Any]:
        kind = self.view.resource_type.kind
        obj = dict(obj, kind=kind, apiVersion=self.view.resource_type.api_version)
        if self.view.table_version is None:
            return obj
        revision = obj["metadata"]["resourceVersion"]
        rendered = tables.table(kind, [obj], revision, self.view.include, with_columns=not self._columns_sent)
        rendered["apiVersion"] = f"meta.k8s.io/{self.view.table_version}"
        self._columns_sent = True
        return rendered

    def _matches(self, obj: dict[str, Any] | None) -> bool:
        return obj is not None and self._labels(obj) and self._fields(obj)

    def encode(self, event_type: str, obj: dict[str, Any], previous: dict[str, Any] | None = None) -> bytes | None:
        """The wire event for a store event, judged on the states before and after, or None if out of view."""
        now, before = self._matches(obj), self._matches(previous)
        if event_type == "MODIFIED" and now != before:
            event_type = "ADDED" if now else "DELETED"
            now = True
        if not now:
            return None
        return line(event_type, self._object(obj))

    def bookmark(self, revision: int) -> bytes:
        resource_type = self.view.resource_type
        metadata = {"resourceVersion": str(revision), "annotations": {INITIAL_EVENTS_END: "true"}}
        bookmark = {"kind": resource_type.kind, "apiVersion": resource_type.api_version, "metadata": metadata}
        return line("BOOKMARK", bookmark)


def line(event_type: str, obj: dict[str, Any]) -> bytes:
    return json.dumps({"type": event_type, "object": obj}, separators=(",", ":")).encode() + b"\n"


async def stream(store: Store, view: View, write: Callable[[bytes], Awaitable[None]]) -> None:
    encoder = WatchEncoder(view)
    timeout = int(view.param("timeoutSeconds")) if view.param("timeoutSeconds").isdigit() else None
    start = view.param("resourceVersion")
    send_initial = view.param("sendInitialEvents").lower() == "true"
    # Register, then read the state or history at once (no await in between): later changes land only in the
    # watcher's queue, so none is missed or sent twice.
    watcher = store.watch(view.resource_type, view.namespace)
    try:
        if start in ("", "0") or send_initial:
            for obj in store.list(view.resource_type, view.namespace):
                if encoded := encoder.encode("ADDED", obj):
                    await write(encoded)
            if send_initial:
                await write(encoder.bookmark(store.revision))
        else:
            past = store.events_since(int(start))
            if past is None:
                expired = status.expired(f"too old resource version: {start} ({store.oldest_revision()})")
                await write(line("ERROR", expired.status()))
                return
            for event in past:
                if watcher.wants(event) and (encoded := encoder.encode(event.type, event.object, event.previous)):
                    await write(encoded)
        async with asyncio.timeout(timeout):
            while True:
                event: StoreEvent = await watcher.queue.get()
                if encoded := encoder.encode(event.type, event.object, event.previous):
                    await write(encoded)
    except TimeoutError:
        return
    finally:
        watcher.close()
