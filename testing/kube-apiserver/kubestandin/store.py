"""The in-memory object store: one revision counter for every write, an event history, and watch fan-out.

It mimics what etcd gives the apiserver and what clients rely on: `metadata.resourceVersion` is the store revision
of an object's last write (a string, opaque to clients, but increasing), a list carries the revision it was read at,
and a watch started from a list's revision receives exactly the changes after it. History is bounded, so a watch
from a revision that fell out of it is answered `410 Expired`, which is what makes clients re-list.

Only the event loop touches the store, so it needs no locks; objects are deep-copied in and out so a handler can
never change stored state by accident.
"""

from __future__ import annotations

import asyncio
import copy
from collections import deque
from dataclasses import dataclass
from typing import Any

from .kinds import ResourceType

HISTORY_EVENTS = 5000


@dataclass
class StoreEvent:
    type: str  # ADDED, MODIFIED, DELETED
    resource_type: ResourceType
    namespace: str
    object: dict[str, Any]
    revision: int
    previous: dict[str, Any] | None = None  # the state before a MODIFIED, for selector transitions


class Watcher:
    """One open watch: a queue of events for one resource type (and optionally one namespace)."""

    def __init__(self, store: Store, resource_type: ResourceType, namespace: str | None):
        self._store = store
        self.resource_type = resource_type
        self.namespace = namespace
        self.queue: asyncio.Queue[StoreEvent] = asyncio.Queue()

    def wants(self, event: StoreEvent) -> bool:
        return event.resource_type is self.resource_type and self.namespace in (None, event.namespace)

    def close(self) -> None:
        self._store.watchers.discard(self)


class Store:
    def __init__(self) -> None:
        self.revision = 1
        self._objects: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self._history: deque[StoreEvent] = deque(maxlen=HISTORY_EVENTS)
        self.watchers: set[Watcher] = set()

    @staticmethod
    def _key(resource_type: ResourceType, namespace: str, name: str) -> tuple[str, str, str, str]:
        return (resource_type.group, resource_type.plural, namespace, name)

    def get(self, resource_type: ResourceType, namespace: str, name: str) -> dict[str, Any] | None:
        found = self._objects.get(self._key(resource_type, namespace, name))
        return copy.deepcopy(found) if found is not None else None

    def list(self, resource_type: ResourceType, namespace: str | None) -> list[dict[str, Any]]:
        """Objects of one type, in one namespace or all, ordered by namespace then name like etcd's key order."""
        items = [
            copy.deepcopy(obj)
            for (group, plural, obj_namespace, _), obj in sorted(self._objects.items())
            if group == resource_type.group
            and plural == resource_type.plural
            and (namespace is None or obj_namespace == namespace)
        ]
        return items

    def put(self, resource_type: ResourceType, obj: dict[str, Any], created: bool) -> dict[str, Any]:
        """Store a new or changed object under a fresh revision and tell the watchers."""
        self.revision += 1
        stored = copy.deepcopy(obj)
        stored["metadata"]["resourceVersion"] = str(self.revision)
        namespace = stored["metadata"].get("namespace", "")
        key = self._key(resource_type, namespace, stored["metadata"]["name"])
        previous = self._objects.get(key)
        self._objects[key] = stored
        self._publish(
            StoreEvent("ADDED" if created else "MODIFIED", resource_type, namespace, stored, self.revision, previous)
        )
        return copy.deepcopy(stored)

    def remove(self, resource_type: ResourceType, namespace: str, name: str) -> dict[str, Any] | None:
        """Delete an object; the DELETED event carries its last state under the deletion's revision."""
        stored = self._objects.pop(self._key(resource_type, namespace, name), None)
        if stored is None:
            return None
        self.revision += 1
        stored["metadata"]["resourceVersion"] = str(self.revision)
        self._publish(StoreEvent("DELETED", resource_type, namespace, stored, self.revision))
        return copy.deepcopy(stored)

    def _publish(self, event: StoreEvent) -> None:
        self._history.append(event)
        for watcher in list(self.watchers):
            if watcher.wants(event):
                watcher.queue.put_nowait(event)

    def watch(self, resource_type: ResourceType, namespace: str | None) -> Watcher:
        watcher = Watcher(self, resource_type, namespace)
        self.watchers.add(watcher)
        return watcher

    def events_since(self, revision: int) -> list[StoreEvent] | None:
        """Events after `revision`, or None when the history no longer reaches back that far."""
        if self._history and self._history[0].revision > revision + 1 and len(self._history) == HISTORY_EVENTS:
            return None
        return [event for event in self._history if event.revision > revision]

    def oldest_revision(self) -> int:
        return self._history[0].revision if self._history else self.revision
