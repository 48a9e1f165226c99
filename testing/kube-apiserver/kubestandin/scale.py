"""`deployments/scale`: the autoscaling/v1 `Scale` view of a Deployment, which `kubectl scale` reads and patches.

kubectl v1.32 sends `PATCH …/deployments/NAME/scale` with `application/merge-patch+json` `{"spec":{"replicas":N}}`.
Writing a Scale writes the deployment's `spec.replicas` (a stale `metadata.resourceVersion` in the Scale is a
409 Conflict, as for the deployment itself).
"""

from __future__ import annotations

from typing import Any

from . import patching, status
from .admission import WriteOptions
from .crud import ObjectApi, Result
from .kinds import ResourceType

METADATA_KEYS = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")


def scale_of(deployment: dict[str, Any]) -> dict[str, Any]:
    metadata = deployment["metadata"]
    labels = (deployment["spec"].get("selector") or {}).get("matchLabels") or {}
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {key: metadata[key] for key in METADATA_KEYS if key in metadata},
        "spec": {"replicas": deployment["spec"].get("replicas", 1)},
        "status": {
            "replicas": deployment.get("status", {}).get("replicas", 0),
            "selector": ",".join(f"{key}={value}" for key, value in sorted(labels.items())),
        },
    }


def write_scale(
    objects: ObjectApi,
    resource_type: ResourceType,
    namespace: str,
    name: str,
    change: Any,
    content_type: str | None,
    options: WriteOptions,
) -> Result:
    """PUT (`content_type` None: `change` is the new Scale) or PATCH (`change` is a patch of the current Scale)."""
    previous = objects.get(resource_type, namespace, name)
    wanted = change if content_type is None else patching.apply(content_type, scale_of(previous), change)
    replicas = (wanted.get("spec") or {}).get("replicas") if isinstance(wanted, dict) else None
    if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
        raise status.bad_request("a Scale needs spec.replicas as a non-negative integer")
    deployment = objects.get(resource_type, namespace, name)
    deployment["metadata"]["resourceVersion"] = (wanted.get("metadata") or {}).get("resourceVersion") or ""
    deployment["spec"]["replicas"] = replicas
    return Result(200, scale_of(objects.replace(resource_type, previous, deployment, options)))
