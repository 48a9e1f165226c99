"""Create, read, update, patch and delete of stored objects, with the apiserver's answers.

Kept free of HTTP: the app turns requests into calls here and the returned objects (or raised `ApiError`s) into
responses; the checks on written objects live in `admission.py`. What the apiserver does and kubectl depends on:

* list: `<Kind>List` with `metadata.resourceVersion` (the store revision; `get -w` watches from it), items without
  `kind`/`apiVersion`, `limit`/`continue` paging (kubectl asks `limit=500`), label and field selectors;
* create: name or `generateName` required, `resourceVersion` must be empty, the namespace must exist, 409
  AlreadyExists; update and patch: 409 Conflict on a stale `resourceVersion`; all honour `dryRun=All`;
* delete: pods and namespaces answer the object (with `deletionTimestamp`; a namespace is `Terminating`), other
  kinds a `Status` Success whose details name the resource, as the apiserver does. The stand-in removes objects at
  once (no grace period, no finalizers), so `kubectl delete --wait` sees them gone on its first check.
"""

from __future__ import annotations

import base64
import copy
import datetime
import json
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from . import admission, patching, status
from .admission import WriteOptions
from .defaults import Defaulter
from .kinds import NAMESPACES, RESOURCE_TYPES, ResourceType
from .selectors import field_matcher, label_matcher
from .store import Store

GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # the apiserver's generateName suffix alphabet (no vowels)
STALE = "the object has been modified; please apply your changes to the latest version and try again"

Object = dict[str, Any]


def now_stamp() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Result:
    code: int
    body: Object
    warnings: list[str] = field(default_factory=list)


class ObjectApi:
    def __init__(self, store: Store, defaulter: Defaulter):
        self.store = store
        self.defaulter = defaulter

    # -- reads ---------------------------------------------------------------------------------------------------

    def get(self, resource_type: ResourceType, namespace: str, name: str) -> Object:
        obj = self.store.get(resource_type, namespace, name)
        if obj is None:
            raise status.not_found(resource_type.plural, resource_type.group, name)
        return obj

    def list(self, resource_type: ResourceType, namespace: str | None, params: dict[str, list[str]]) -> Object:
        def param(name: str) -> str:
            return params.get(name, [""])[0]

        if namespace is not None and resource_type.namespaced:
            self.require_namespace(namespace)
        labels, fields = label_matcher(param("labelSelector")), field_matcher(param("fieldSelector"))
        items = [obj for obj in self.store.list(resource_type, namespace) if labels(obj) and fields(obj)]
        revision, start = str(self.store.revision), 0
        if param("continue"):
            try:
                revision, offset = base64.urlsafe_b64decode(param("continue")).decode().split(":")
                start = int(offset)
            except (ValueError, UnicodeDecodeError) as error:
                message = "continue key is not valid: incorrect encoded start resourceVersion"
                raise status.bad_request(message) from error
        metadata: Object = {"resourceVersion": revision}
        limit = int(param("limit")) if param("limit").isdigit() else 0
        page = items[start : start + limit] if limit else items[start:]
        if limit and start + limit < len(items):
            metadata["continue"] = base64.urlsafe_b64encode(f"{revision}:{start + limit}".encode()).decode()
            metadata["remainingItemCount"] = len(items) - start - limit
        for item in page:
            item.pop("kind", None)
            item.pop("apiVersion", None)
        return {
            "kind": resource_type.list_kind,
            "apiVersion": resource_type.api_version,
            "metadata": metadata,
            "items": page,
        }

    def require_namespace(self, namespace: str) -> None:
        if self.store.get(NAMESPACES, "", namespace) is None:
            raise status.not_found("namespaces", "", namespace)

    # -- writes --------------------------------------------------------------------------------------------------

    def _store(
        self, resource_type: ResourceType, obj: Object, previous: Object | None, options: WriteOptions
    ) -> Object:
        self.defaulter.prepare(resource_type.kind, obj, previous)
        if options.dry_run:
            if previous is not None:
                obj["metadata"]["resourceVersion"] = previous["metadata"]["resourceVersion"]
            return obj
        return self.store.put(resource_type, obj, created=previous is None)

    def create(self, resource_type: ResourceType, namespace: str, body: bytes, options: WriteOptions) -> Result:
        return self.create_object(resource_type, namespace, admission.decode(resource_type, body), options)

    def create_object(self, resource_type: ResourceType, namespace: str, obj: Object, options: WriteOptions) -> Result:
        admission.check_type(resource_type, obj)
        metadata = admission.check_metadata(resource_type, namespace, obj)
        warnings = admission.unknown_fields(resource_type, obj, options)
        if metadata.get("resourceVersion"):
            raise status.bad_request("resourceVersion should not be set on objects to be created")
        if not metadata.get("name"):
            if not metadata.get("generateName"):
                cause = ("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")
                raise status.invalid(resource_type.kind, resource_type.group, "", [cause])
            metadata["name"] = metadata["generateName"] + "".join(random.choices(GENERATE_ALPHABET, k=5))
        admission.check_name(resource_type, metadata["name"])
        if resource_type.namespaced:
            self.require_namespace(namespace)
        if self.store.get(resource_type, metadata.get("namespace", ""), metadata["name"]) is not None:
            raise status.already_exists(resource_type.plural, resource_type.group, metadata["name"])
        admission.check_required(resource_type, obj)
        metadata["uid"] = str(uuid.uuid4())
        metadata["creationTimestamp"] = now_stamp()
        for key in ("selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields"):
            metadata.pop(key, None)
        return Result(201, self._store(resource_type, obj, None, options), warnings)

    def update(
        self, resource_type: ResourceType, namespace: str, name: str, body: bytes, options: WriteOptions
    ) -> Result:
        obj = admission.decode(resource_type, body)
        admission.check_type(resource_type, obj)
        metadata = admission.check_metadata(resource_type, namespace, obj)
        if metadata.get("name") not in (None, "", name):
            raise status.bad_request(
                f"the name of the object ({metadata.get('name')}) does not match the name on the URL ({name})"
            )
        metadata["name"] = name
        warnings = admission.unknown_fields(resource_type, obj, options)
        previous = self.get(resource_type, namespace, name)
        return Result(200, self.replace(resource_type, previous, obj, options), warnings)

    def replace(self, resource_type: ResourceType, previous: Object, obj: Object, options: WriteOptions) -> Object:
        """Store `obj` in place of `previous`: identity fields are kept, a stale resourceVersion is a conflict."""
        metadata = obj["metadata"]
        wanted_version = metadata.get("resourceVersion")
        if wanted_version and wanted_version != previous["metadata"]["resourceVersion"]:
            raise status.conflict(resource_type.plural, resource_type.group, metadata["name"], STALE)
        for key in ("uid", "creationTimestamp", "generation"):
            if key in previous["metadata"]:
                metadata[key] = previous["metadata"][key]
            else:
                metadata.pop(key, None)
        if "status" in previous:
            obj["status"] = copy.deepcopy(previous["status"])
        admission.check_required(resource_type, obj)
        return self._store(resource_type, obj, previous, options)

    def patch(
        self,
        resource_type: ResourceType,
        namespace: str,
        name: str,
        body: bytes,
        content_type: str,
        options: WriteOptions,
    ) -> Result:
        try:
            patch = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError) as error:
            raise status.bad_request(f"error decoding patch: {error}") from error
        previous = self.store.get(resource_type, namespace, name)
        if content_type == patching.APPLY_PATCH and previous is None and isinstance(patch, dict):
            patch.setdefault("metadata", {})["name"] = name
            return self.create_object(resource_type, namespace, patch, options)
        if previous is None:
            raise status.not_found(resource_type.plural, resource_type.group, name)
        patched = patching.apply(content_type, previous, patch)
        admission.check_type(resource_type, patched)
        metadata = admission.check_metadata(resource_type, namespace, patched)
        if metadata.get("name") != name:
            raise status.bad_request("metadata.name cannot be changed by a patch")
        if metadata.get("resourceVersion") == previous["metadata"]["resourceVersion"]:
            metadata.pop("resourceVersion", None)  # only a version the patch changed is a precondition
        warnings = admission.unknown_fields(resource_type, patched, options)
        return Result(200, self.replace(resource_type, previous, patched, options), warnings)

    def delete(
        self, resource_type: ResourceType, namespace: str, name: str, body: bytes, options: WriteOptions
    ) -> Result:
        obj = self.get(resource_type, namespace, name)
        _check_preconditions(resource_type, obj, body)
        if not options.dry_run:
            if resource_type.kind == "Namespace":
                for contained in (t for t in RESOURCE_TYPES if t.namespaced):
                    for item in self.store.list(contained, name):
                        self.store.remove(contained, name, item["metadata"]["name"])
            self.store.remove(resource_type, namespace, name)
        if resource_type.kind == "Pod":
            grace = obj.get("spec", {}).get("terminationGracePeriodSeconds", 30)
            obj["metadata"].update(deletionTimestamp=now_stamp(), deletionGracePeriodSeconds=grace)
            return Result(200, obj)
        if resource_type.kind == "Namespace":
            obj["metadata"]["deletionTimestamp"] = now_stamp()
            obj["status"] = {"phase": "Terminating"}
            return Result(200, obj)
        details: Object = {"name": name}
        if resource_type.group:
            details["group"] = resource_type.group
        details.update(kind=resource_type.plural, uid=obj["metadata"]["uid"])
        return Result(200, status.status_object("Success", 200, details=details))

    def delete_collection(
        self, resource_type: ResourceType, namespace: str | None, params: dict[str, list[str]], options: WriteOptions
    ) -> Result:
        listed = self.list(resource_type, namespace, params)
        if not options.dry_run:
            for item in listed["items"]:
                self.store.remove(resource_type, item["metadata"].get("namespace", ""), item["metadata"]["name"])
        listed["metadata"] = {"resourceVersion": str(self.store.revision)}
        return Result(200, listed)


def _check_preconditions(resource_type: ResourceType, obj: Object, body: bytes) -> None:
    """DeleteOptions.preconditions (uid, resourceVersion): 409 Conflict when they do not hold."""
    try:
        options = json.loads(body) if body.strip() else {}
    except ValueError as error:
        raise status.bad_request(f"invalid DeleteOptions: {error}") from error
    preconditions = (options or {}).get("preconditions") or {}
    for key, label in (("uid", "UID"), ("resourceVersion", "ResourceVersion")):
        wanted, actual = preconditions.get(key), obj["metadata"].get(key)
        if wanted and wanted != actual:
            why = f"Precondition failed: {label} in precondition: {wanted}, {label} in object meta: {actual}"
            raise status.conflict(resource_type.plural, resource_type.group, obj["metadata"]["name"], why)
