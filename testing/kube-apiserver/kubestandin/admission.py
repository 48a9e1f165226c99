"""The checks the apiserver makes on an object being written, before it is stored.

Decoding (a body must be a JSON object), type (kind/apiVersion must match the URL's resource), metadata
(namespace must match the URL's), names (an RFC 1123 subdomain), required fields of the kinds served, and
`fieldValidation` for unknown fields: `Strict` answers 400 with the apiserver's "strict decoding error" text,
`Warn` (the default when the parameter is absent) drops the fields and returns warnings for `Warning` headers,
`Ignore` drops them silently. Only top-level and `metadata` fields are known here, not whole schemas; duplicate
fields are not detected.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from . import status
from .kinds import ResourceType

COMMON_FIELDS = {"apiVersion", "kind", "metadata"}
KIND_FIELDS = {
    "Pod": {"spec", "status"},
    "Deployment": {"spec", "status"},
    "Service": {"spec", "status"},
    "Namespace": {"spec", "status"},
    "ConfigMap": {"data", "binaryData", "immutable"},
    "Secret": {"data", "stringData", "type", "immutable"},
}
METADATA_FIELDS = {
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
    "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
    "managedFields",
}
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
SUBDOMAIN_RULE = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)


@dataclass
class WriteOptions:
    """Query parameters every write takes: `dryRun=All` and `fieldValidation`."""

    dry_run: bool = False
    field_validation: str = "Warn"

    @classmethod
    def from_params(cls, params: dict[str, list[str]]) -> WriteOptions:
        validation = (params.get("fieldValidation") or ["Warn"])[0] or "Warn"
        if validation not in ("Ignore", "Warn", "Strict"):
            raise status.bad_request(f"fieldValidation parameter unsupported: {validation}")
        return cls(dry_run="All" in params.get("dryRun", []), field_validation=validation)


def decode(resource_type: ResourceType, body: bytes) -> dict[str, Any]:
    try:
        obj = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise status.bad_request(f"json: cannot unmarshal request body into {resource_type.kind}: {error}") from error
    if not isinstance(obj, dict):
        raise status.bad_request(f"Object 'Kind' is missing in '{body[:200].decode('utf-8', 'replace')}'")
    return obj


def cannot_handle(resource_type: ResourceType, kind: Any) -> str:
    return f'{kind} in version "{resource_type.version}" cannot be handled as a {resource_type.kind}'


def check_type(resource_type: ResourceType, obj: dict[str, Any]) -> None:
    """kind and apiVersion must be the resource's (or absent, then they are filled in)."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if api_version not in (None, "", resource_type.api_version):
        raise status.bad_request(
            f"the API version in the data ({api_version}) does not match the expected API version "
            f"({resource_type.api_version})"
        )
    if kind not in (None, "", resource_type.kind):
        raise status.bad_request(cannot_handle(resource_type, kind))
    obj["kind"], obj["apiVersion"] = resource_type.kind, resource_type.api_version


def unknown_fields(resource_type: ResourceType, obj: dict[str, Any], options: WriteOptions) -> list[str]:
    """Apply `fieldValidation` to unknown top-level and metadata fields; returns the warnings to send."""
    unknown = sorted(set(obj) - COMMON_FIELDS - KIND_FIELDS.get(resource_type.kind, set()))
    unknown += sorted(f"metadata.{key}" for key in set(obj.get("metadata") or {}) - METADATA_FIELDS)
    if not unknown or options.field_validation == "Ignore":
        return []
    if options.field_validation == "Strict":
        fields = ", ".join(f'unknown field "{name}"' for name in unknown)
        raise status.bad_request(f"{cannot_handle(resource_type, resource_type.kind)}: strict decoding error: {fields}")
    for name in unknown:
        if name.startswith("metadata."):
            obj["metadata"].pop(name.split(".", 1)[1], None)
        else:
            obj.pop(name, None)
    return [f'unknown field "{name}"' for name in unknown]


def check_metadata(resource_type: ResourceType, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
    """The object's metadata, its namespace set from the URL (or removed for cluster-scoped kinds)."""
    metadata = obj.get("metadata")
    if metadata is None:
        metadata = obj["metadata"] = {}
    if not isinstance(metadata, dict):
        raise status.bad_request("metadata must be an object")
    if resource_type.namespaced:
        if metadata.get("namespace") not in (None, "", namespace):
            raise status.bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        metadata["namespace"] = namespace
    else:
        metadata.pop("namespace", None)
    return metadata


def check_name(resource_type: ResourceType, name: str) -> None:
    if len(name) > 253 or not DNS_SUBDOMAIN.match(name):
        cause = ("metadata.name", "FieldValueInvalid", f'Invalid value: "{name}": {SUBDOMAIN_RULE}')
        raise status.invalid(resource_type.kind, resource_type.group, name, [cause])


def check_required(resource_type: ResourceType, obj: dict[str, Any]) -> None:
    """The one required field per kind that kubectl users trip over: a Pod's containers, a Deployment's selector."""
    name, spec = obj["metadata"]["name"], obj.get("spec") or {}
    required = {"Pod": "containers", "Deployment": "selector"}.get(resource_type.kind)
    if required and not spec.get(required):
        cause = (f"spec.{required}", "FieldValueRequired", "Required value")
        raise status.invalid(resource_type.kind, resource_type.group, name, [cause])
