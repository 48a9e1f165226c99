"""HTTP handling of resource paths: collections, objects and their subresources, answered as the client asks.

Reads are answered in the representation the `Accept` header picks (see `media.py`): the object or list itself,
a `meta.k8s.io` Table (kubectl's human-readable `get`), or PartialObjectMetadata. Write bodies are JSON, or
Kubernetes protobuf from kubectl's typed clients (converted by `protobuf.py`); PATCH bodies one of the four patch
media types. Subresources: `log` (text, streamed with `follow`), `exec`/`attach`/`portforward` (upgrades, see
`upgrades.py`), `scale`.
"""

from __future__ import annotations

import json
from typing import Any

from . import logs, media, patching, protobuf, scale, status, tables, watch
from .admission import WriteOptions
from .crud import ObjectApi
from .httpio import Request
from .paths import Target
from .replies import API_HEADERS, JSON, Reply, Streamed, Whole, json_reply
from .store import Store
from .upgrades import PodStreams

BODY_TYPES = ["application/json", protobuf.MEDIA_TYPE]
SUBRESOURCE_METHODS = {
    "log": ("GET",),
    "exec": ("GET", "POST"),
    "attach": ("GET", "POST"),
    "portforward": ("GET", "POST"),
    "scale": ("GET", "PUT", "PATCH"),
}
PRODUCIBLE = ["application/json", "application/json;as=Table;v=v1;g=meta.k8s.io"]


def _representation(request: Request) -> media.Representation:
    chosen = media.choose_representation(request.header("Accept"), allow_table=True)
    if chosen is None:
        raise status.not_acceptable(PRODUCIBLE)
    return chosen


def render(request: Request, target: Target, objects: list[dict[str, Any]], listed: dict[str, Any] | None) -> Reply:
    """Answer one object (`listed` None) or a list as the client asked."""
    chosen = _representation(request)
    resource_type = target.resource_type
    typed = [dict(obj, kind=resource_type.kind, apiVersion=resource_type.api_version) for obj in objects]
    meta_version = f"meta.k8s.io/{chosen.version}"
    revision = listed["metadata"]["resourceVersion"] if listed else objects[0]["metadata"]["resourceVersion"]
    if chosen.form == "table":
        rendered = tables.table(resource_type.kind, typed, revision, request.param("includeObject", "Metadata"))
        rendered["apiVersion"] = meta_version
        if listed is not None and listed["metadata"].get("continue"):
            rendered["metadata"]["continue"] = listed["metadata"]["continue"]
        return json_reply(200, rendered)
    if chosen.form == "metadata":
        metas = [
            {"kind": "PartialObjectMetadata", "apiVersion": meta_version, "metadata": item["metadata"]}
            for item in objects
        ]
        if listed is None:
            return json_reply(200, metas[0])
        body = {"kind": "PartialObjectMetadataList", "apiVersion": meta_version, "metadata": listed["metadata"]}
        return json_reply(200, dict(body, items=metas))
    return json_reply(200, listed if listed is not None else typed[0])


def _json_body(request: Request) -> bytes:
    """The body as JSON: protobuf (kubectl's typed clients, e.g. `create configmap`) is converted first."""
    content_type = media.base_type(request.header("Content-Type"))
    if content_type == protobuf.MEDIA_TYPE:
        return json.dumps(protobuf.decode_object(request.body)).encode()
    if content_type not in ("", "application/json"):
        raise status.unsupported_media_type(content_type, BODY_TYPES)
    return request.body


def _patch_type(request: Request) -> str:
    content_type = media.base_type(request.header("Content-Type"))
    if content_type not in patching.PATCH_TYPES:
        raise status.unsupported_media_type(content_type, patching.PATCH_TYPES)
    return content_type


class ResourceHandlers:
    def __init__(self, store: Store, objects: ObjectApi, streams: PodStreams, log_interval: float):
        self.store = store
        self.objects = objects
        self.streams = streams
        self.log_interval = log_interval

    def handle(self, request: Request, target: Target) -> Reply:
        if target.subresource is not None:
            return self._subresource(request, target)
        if target.name is None:
            return self._collection(request, target)
        return self._item(request, target)

    def _collection(self, request: Request, target: Target) -> Reply:
        resource_type, namespace = target.resource_type, target.namespace
        if request.method in ("GET", "HEAD"):
            if request.flag("watch"):
                return self._watch(request, target)
            listed = self.objects.list(resource_type, namespace, request.params)
            return render(request, target, listed["items"], listed)
        if resource_type.namespaced and namespace is None:
            raise status.method_not_allowed()
        options = WriteOptions.from_params(request.params)
        if request.method == "POST":
            result = self.objects.create(resource_type, namespace or "", _json_body(request), options)
            return json_reply(result.code, result.body, result.warnings)
        if request.method == "DELETE":
            result = self.objects.delete_collection(resource_type, namespace, request.params, options)
            return json_reply(result.code, result.body)
        raise status.method_not_allowed()

    def _watch(self, request: Request, target: Target) -> Reply:
        chosen = _representation(request)
        if target.namespace is not None:
            self.objects.require_namespace(target.namespace)
        watch.check_start(request.params)
        view = watch.View(
            target.resource_type,
            target.namespace,
            request.params,
            chosen.version if chosen.form == "table" else None,
            request.param("includeObject", "Metadata"),
        )

        async def produce(write) -> None:
            await watch.stream(self.store, view, write)

        return Streamed(200, JSON, produce, list(API_HEADERS))

    def _item(self, request: Request, target: Target) -> Reply:
        resource_type, name, namespace = target.resource_type, target.name, target.namespace or ""
        if request.method in ("GET", "HEAD"):
            return render(request, target, [self.objects.get(resource_type, namespace, name)], None)
        options = WriteOptions.from_params(request.params)
        if request.method == "PUT":
            result = self.objects.update(resource_type, namespace, name, _json_body(request), options)
        elif request.method == "PATCH":
            content_type = _patch_type(request)
            result = self.objects.patch(resource_type, namespace, name, request.body, content_type, options)
        elif request.method == "DELETE":
            result = self.objects.delete(resource_type, namespace, name, request.body, options)
        else:
            raise status.method_not_allowed()
        body = result.body
        if body.get("kind") != "Status":
            body = dict(body, kind=resource_type.kind, apiVersion=resource_type.api_version)
        return json_reply(result.code, body, result.warnings)

    def _subresource(self, request: Request, target: Target) -> Reply:
        obj = self.objects.get(target.resource_type, target.namespace or "", target.name)
        if request.method not in SUBRESOURCE_METHODS[target.subresource]:
            raise status.method_not_allowed()
        if target.subresource == "log":
            return self._log(obj, request)
        if target.subresource in ("exec", "attach"):
            return self.streams.remote_command(request, obj, attach=target.subresource == "attach")
        if target.subresource == "portforward":
            return self.streams.port_forward(request, obj)
        return self._scale(request, target, obj)

    def _log(self, pod: dict[str, Any], request: Request) -> Reply:
        log_request = logs.log_request(pod, request.params)
        if not log_request.follow:
            text = b"".join(logs.backlog(pod, log_request))[: log_request.limit_bytes]
            return Whole(200, text, "text/plain", list(API_HEADERS))

        async def produce(write) -> None:
            await logs.stream(pod, log_request, write, self.log_interval)

        return Streamed(200, "text/plain", produce, list(API_HEADERS))

    def _scale(self, request: Request, target: Target, deployment: dict[str, Any]) -> Reply:
        if request.method == "GET":
            return json_reply(200, scale.scale_of(deployment))
        content_type = _patch_type(request) if request.method == "PATCH" else None
        try:
            change = json.loads(request.body or b"null")
        except ValueError as error:
            raise status.bad_request(f"error decoding Scale: {error}") from error
        options = WriteOptions.from_params(request.params)
        namespace, name = target.namespace or "", target.name
        result = scale.write_scale(self.objects, target.resource_type, namespace, name, change, content_type, options)
        return json_reply(result.code, result.body)
