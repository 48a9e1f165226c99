"""Resolving Kubernetes REST paths to (resource type, namespace, name, subresource).

    /api/v1/{resource}[/{name}[/{subresource}]]                    cluster-scoped kinds, or all namespaces
    /api/v1/namespaces/{ns}/{resource}[/{name}[/{subresource}]]    namespaced kinds (same under /apis/{g}/{v})

`/api/v1/namespaces/{name}` is the Namespace object itself; the namespaced form applies only when the third
segment after `namespaces` names a namespaced resource, as in the apiserver's router.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from . import status
from .kinds import ResourceType, lookup, types_in


@dataclass
class Target:
    resource_type: ResourceType
    namespace: str | None  # None: a cluster-scoped kind, or a collection across all namespaces
    name: str | None
    subresource: str | None


def resolve(path: str) -> tuple[str, str, Target | None]:
    """(group, version, target) for an API path; target None for the group-version root itself; 404 otherwise."""
    segments = [urllib.parse.unquote(segment) for segment in path.strip("/").split("/")]
    if segments[0] == "api" and len(segments) >= 2:
        group, version, rest = "", segments[1], segments[2:]
    elif segments[0] == "apis" and len(segments) >= 3:
        group, version, rest = segments[1], segments[2], segments[3:]
    else:
        raise status.unknown_path()
    if not types_in(group, version):
        raise status.unknown_path()
    if not rest:
        return group, version, None
    namespaced_type = lookup(group, version, rest[2]) if rest[0] == "namespaces" and len(rest) >= 3 else None
    if namespaced_type is not None and namespaced_type.namespaced:
        parts, namespace, resource_type = rest[3:], rest[1], namespaced_type
    else:
        resource_type = lookup(group, version, rest[0])
        if resource_type is None or (resource_type.namespaced and len(rest) > 1):
            raise status.unknown_path()
        parts, namespace = rest[1:], None
    if len(parts) > 2 or (len(parts) == 2 and resource_type.subresource(parts[1]) is None):
        raise status.unknown_path()
    name = parts[0] if parts else None
    return group, version, Target(resource_type, namespace, name, parts[1] if len(parts) == 2 else None)
