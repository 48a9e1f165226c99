"""Discovery and OpenAPI documents, all derived from `kinds.RESOURCE_TYPES`.

What kubectl v1.32 asks, in order (seen with `-v=8` against this stand-in):

1. `GET /api` and `GET /apis` with
   `Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,
   application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json`.
   A server with aggregated discovery answers an `APIGroupDiscoveryList` whose *Content-Type* names it (client-go
   decides by the response media type, not the body); one without answers `APIVersions` / `APIGroupList` as plain
   `application/json`, and kubectl then walks `/api/v1`, `/apis/apps/v1` (`APIResourceList`). Both are served here;
   `aggregated=False` (CLI `--legacy-discovery`) behaves like a server that lacks the aggregated form.
2. For `apply`/`create`/`replace` with the default `--validate=strict`: `GET /openapi/v3` (index of group-versions)
   then `GET /openapi/v3/api/v1?hash=…`. If the PATCH operation of the kind lists a `fieldValidation` query
   parameter, kubectl skips client-side schema validation and sends `?fieldValidation=Strict`, leaving validation to
   the server. The documents here carry paths, operations and that parameter, not the kinds' schemas.
3. Client-side `apply` of a changed object looks for the kind's schema in `components` to build a strategic merge
   patch; finding none, it asks `GET /openapi/v2` (protobuf only: `application/com.github.proto-openapi.spec.v2@v1.0
   +protobuf`), which the stand-in answers 404, and kubectl silently uses the schemas compiled into it. No warning is
   printed on any of these paths.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from .kinds import ResourceType, group_versions, types_in
from .patching import PATCH_TYPES

SERVER_VERSION = {
    "major": "1",
    "minor": "32",
    "gitVersion": "v1.32.4-standin",
    "gitCommit": "0000000000000000000000000000000000000000",
    "gitTreeState": "clean",
    "buildDate": "2025-01-01T00:00:00Z",
    "goVersion": "go1.23.6",
    "compiler": "gc",
    "platform": "linux/amd64",
}

AGGREGATED_MEDIA = "application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList"
AGGREGATED_VERSIONS = ("v2", "v2beta1")


def _storage_hash(resource_type: ResourceType) -> str:
    digest = hashlib.sha256(f"{resource_type.api_version}/{resource_type.kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def api_versions(server_address: str) -> dict[str, Any]:
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    }


def _group_entry(group: str) -> dict[str, Any]:
    versions = [
        {"groupVersion": f"{group}/{version}", "version": version} for g, version in group_versions() if g == group
    ]
    return {"name": group, "versions": versions, "preferredVersion": versions[0]}


def api_group_list() -> dict[str, Any]:
    groups = sorted({group for group, _ in group_versions() if group})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [_group_entry(group) for group in groups]}


def api_group(group: str) -> dict[str, Any] | None:
    if group not in {g for g, _ in group_versions() if g}:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group_entry(group)}


def api_resource_list(group: str, version: str) -> dict[str, Any] | None:
    """The legacy per-group-version `APIResourceList`, subresources listed as `pods/exec` entries."""
    resource_types = types_in(group, version)
    if not resource_types:
        return None
    resources = []
    for resource_type in resource_types:
        entry: dict[str, Any] = {
            "name": resource_type.plural,
            "singularName": resource_type.singular,
            "namespaced": resource_type.namespaced,
            "kind": resource_type.kind,
            "verbs": resource_type.verbs,
        }
        if resource_type.short_names:
            entry["shortNames"] = resource_type.short_names
        if resource_type.categories:
            entry["categories"] = resource_type.categories
        entry["storageVersionHash"] = _storage_hash(resource_type)
        resources.append(entry)
        for sub in resource_type.subresources:
            sub_entry: dict[str, Any] = {
                "name": f"{resource_type.plural}/{sub.name}",
                "singularName": "",
                "namespaced": resource_type.namespaced,
                "kind": sub.kind,
                "verbs": sub.verbs,
            }
            if sub.group:
                sub_entry.update(group=sub.group, version=sub.version)
            resources.append(sub_entry)
    resources.sort(key=lambda entry: entry["name"])
    group_version = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}


def _aggregated_resource(resource_type: ResourceType) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "resource": resource_type.plural,
        "responseKind": {"group": resource_type.group, "version": resource_type.version, "kind": resource_type.kind},
        "scope": "Namespaced" if resource_type.namespaced else "Cluster",
        "singularResource": resource_type.singular,
        "verbs": resource_type.verbs,
    }
    if resource_type.short_names:
        entry["shortNames"] = resource_type.short_names
    if resource_type.categories:
        entry["categories"] = resource_type.categories
    if resource_type.subresources:
        entry["subresources"] = [
            {
                "subresource": sub.name,
                "responseKind": {"group": sub.group, "version": sub.version, "kind": sub.kind},
                "verbs": sub.verbs,
            }
            for sub in resource_type.subresources
        ]
    return entry


def aggregated_discovery(legacy: bool, api_version: str) -> dict[str, Any]:
    """`APIGroupDiscoveryList` for `/api` (legacy core group, unnamed) or `/apis` (named groups)."""
    items = []
    groups = [""] if legacy else sorted({group for group, _ in group_versions() if group})
    for group in groups:
        versions = [
            {
                "version": version,
                "resources": [
                    _aggregated_resource(t) for t in sorted(types_in(group, version), key=lambda t: t.plural)
                ],
                "freshness": "Current",
            }
            for g, version in group_versions()
            if g == group
        ]
        metadata: dict[str, Any] = {"creationTimestamp": None}
        if group:
            metadata["name"] = group
        items.append({"metadata": metadata, "versions": versions})
    return {
        "kind": "APIGroupDiscoveryList",
        "apiVersion": f"apidiscovery.k8s.io/{api_version}",
        "metadata": {},
        "items": items,
    }


def _operation(
    resource_type: ResourceType, action: str, item: bool, extra_parameters: list[dict[str, Any]]
) -> dict[str, Any]:
    gvk = {"group": resource_type.group, "version": resource_type.version, "kind": resource_type.kind}
    operation: dict[str, Any] = {
        "description": f"{action} {resource_type.kind}",
        "operationId": f"{action}{resource_type.kind}",
        "parameters": list(extra_parameters),
        "responses": {"200": {"description": "OK"}, "401": {"description": "Unauthorized"}},
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": gvk,
    }
    if action in ("patch", "put", "post"):
        operation["parameters"] += [
            {"name": "dryRun", "in": "query", "schema": {"type": "string", "uniqueItems": True}},
            {"name": "fieldManager", "in": "query", "schema": {"type": "string", "uniqueItems": True}},
            {"name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": True}},
        ]
        media_types = PATCH_TYPES if action == "patch" else ["application/json"]
        operation["requestBody"] = {
            "content": {media: {"schema": {"type": "object"}} for media in media_types},
            "required": True,
        }
    if item and action != "post":
        operation["parameters"].append({"name": "name", "in": "path", "required": True, "schema": {"type": "string"}})
    return operation


def openapi_v3_document(group: str, version: str) -> dict[str, Any] | None:
    """OpenAPI 3 document for one group-version: paths and operations of each kind, generic components only."""
    resource_types = types_in(group, version)
    if not resource_types:
        return None
    prefix = "/" + resource_types[0].group_version_path
    paths: dict[str, Any] = {}
    namespace_parameter = {"name": "namespace", "in": "path", "required": True, "schema": {"type": "string"}}
    for resource_type in resource_types:
        scope = f"{prefix}/namespaces/{{namespace}}" if resource_type.namespaced else prefix
        parameters = [namespace_parameter] if resource_type.namespaced else []
        paths[f"{scope}/{resource_type.plural}"] = {
            "get": _operation(resource_type, "list", False, parameters),
            "post": _operation(resource_type, "post", False, parameters),
        }
        paths[f"{scope}/{resource_type.plural}/{{name}}"] = {
            "get": _operation(resource_type, "get", True, parameters),
            "put": _operation(resource_type, "put", True, parameters),
            "patch": _operation(resource_type, "patch", True, parameters),
            "delete": _operation(resource_type, "delete", True, parameters),
        }
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes (stand-in)", "version": SERVER_VERSION["gitVersion"]},
        "paths": paths,
        "components": {
            "schemas": {
                "io.k8s.apimachinery.pkg.apis.meta.v1.Patch": {
                    "description": "Patch is the body of a PATCH request.",
                    "type": "object",
                },
                "io.k8s.apimachinery.pkg.apis.meta.v1.Status": {
                    "description": "Status is a return value for calls that don't return other objects.",
                    "type": "object",
                },
            }
        },
    }


def openapi_v3_index() -> dict[str, Any]:
    """`/openapi/v3`: group-version paths, each with a content hash so clients can cache (and bust) documents."""
    paths = {}
    for group, version in group_versions():
        key = f"apis/{group}/{version}" if group else f"api/{version}"
        document = json.dumps(openapi_v3_document(group, version), sort_keys=True).encode()
        digest = hashlib.sha512(document).hexdigest().upper()[:128]
        paths[key] = {"serverRelativeURL": f"/openapi/v3/{key}?hash={digest}"}
    return {"paths": paths}

