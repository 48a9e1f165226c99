"""Server-side printing: `meta.k8s.io/v1 Table` answers for `kubectl get`.

kubectl's human-readable output asks with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io,
application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json` (one line) and prints whatever columns the
server defines (upper-cased), showing columns with `priority` > 0 only for `-o wide`. The columns and cell formats
here are those the apiserver's printers produce for these kinds (Age is a short human duration string, counts are
integers, absent values are `<none>`).

Each row carries `object`: by default a `PartialObjectMetadata` (kubectl needs the namespace for `-A` and the
name for `-o name`), the full object with `includeObject=Object` (kubectl asks for it with `--sort-by`), nothing with
`includeObject=None`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

Cells = Callable[[dict[str, Any]], list[Any]]

_NAME = {
    "name": "Name",
    "type": "string",
    "format": "name",
    "description": "Name must be unique within a namespace.",
    "priority": 0,
}


def _column(name: str, kind: str = "string", description: str = "", priority: int = 0) -> dict[str, Any]:
    return {"name": name, "type": kind, "format": "", "description": description, "priority": priority}


_AGE = _column("Age", description="Time since the object was created (creationTimestamp).")


def parse_time(stamp: str) -> datetime.datetime:
    return datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def human_duration(seconds: float) -> str:
    """Short age like `42s`, `5m3s`, `3h`, `2d4h`: the apiserver printers' rounding rules."""
    if seconds < -1:
        return "<invalid>"
    seconds = max(int(seconds), 0)
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 120:
        return f"{seconds}s"
    if minutes < 10:
        return f"{minutes}m" if seconds % 60 == 0 else f"{minutes}m{seconds % 60}s"
    if minutes < 180:
        return f"{minutes}m"
    if hours < 8:
        return f"{hours}h" if minutes % 60 == 0 else f"{hours}h{minutes % 60}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 192:
        return f"{days}d" if hours % 24 == 0 else f"{days}d{hours % 24}h"
    if days < 730:
        return f"{days}d"
    years = days // 365
    return f"{years}y" if years >= 8 or days % 365 == 0 else f"{years}y{days % 365}d"


def age(obj: dict[str, Any]) -> str:
    stamp = obj.get("metadata", {}).get("creationTimestamp")
    if not stamp:
        return "<unknown>"
    return human_duration((datetime.datetime.now(datetime.timezone.utc) - parse_time(stamp)).total_seconds())


def _or_none(value: Any) -> Any:
    return value if value not in (None, "", []) else "<none>"


def _selector(labels: dict[str, str] | None) -> str:
    return ",".join(f"{key}={value}" for key, value in sorted((labels or {}).items())) or "<none>"


def _pod_cells(pod: dict[str, Any]) -> list[Any]:
    status = pod.get("status", {})
    statuses = status.get("containerStatuses") or []
    total = len(pod.get("spec", {}).get("containers") or [])
    ready = sum(1 for container in statuses if container.get("ready"))
    restarts = sum(container.get("restartCount", 0) for container in statuses)
    reason = status.get("reason") or status.get("phase") or "Unknown"
    if pod.get("metadata", {}).get("deletionTimestamp"):
        reason = "Terminating"
    return [
        pod["metadata"]["name"],
        f"{ready}/{total}",
        reason,
        str(restarts),
        age(pod),
        _or_none(status.get("podIP")),
        _or_none(pod.get("spec", {}).get("nodeName")),
        "<none>",
        "<none>",
    ]


def _deployment_cells(deployment: dict[str, Any]) -> list[Any]:
    spec, status = deployment.get("spec", {}), deployment.get("status", {})
    containers = spec.get("template", {}).get("spec", {}).get("containers") or []
    return [
        deployment["metadata"]["name"],
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
        status.get("updatedReplicas", 0),
        status.get("availableReplicas", 0),
        age(deployment),
        ",".join(container.get("name", "") for container in containers),
        ",".join(container.get("image", "") for container in containers),
        _selector(spec.get("selector", {}).get("matchLabels")),
    ]


def _service_ports(service: dict[str, Any]) -> str:
    parts = []
    for port in service.get("spec", {}).get("ports") or []:
        node = f":{port['nodePort']}" if port.get("nodePort") else ""
        parts.append(f"{port.get('port')}{node}/{port.get('protocol', 'TCP')}")
    return ",".join(parts) or "<none>"


def _service_cells(service: dict[str, Any]) -> list[Any]:
    spec = service.get("spec", {})
    pending = "<pending>" if spec.get("type") == "LoadBalancer" else "<none>"
    external = ",".join(spec.get("externalIPs") or []) or pending
    return [
        service["metadata"]["name"],
        spec.get("type", "ClusterIP"),
        _or_none(spec.get("clusterIP")),
        external,
        _service_ports(service),
        age(service),
        _selector(spec.get("selector")),
    ]


def _configmap_cells(configmap: dict[str, Any]) -> list[Any]:
    count = len(configmap.get("data") or {}) + len(configmap.get("binaryData") or {})
    return [configmap["metadata"]["name"], count, age(configmap)]


def _secret_cells(secret: dict[str, Any]) -> list[Any]:
    return [secret["metadata"]["name"], secret.get("type", "Opaque"), len(secret.get("data") or {}), age(secret)]


def _namespace_cells(namespace: dict[str, Any]) -> list[Any]:
    return [namespace["metadata"]["name"], namespace.get("status", {}).get("phase", "Active"), age(namespace)]


TABLES: dict[str, tuple[list[dict[str, Any]], Cells]] = {
    "Pod": (
        [
            _NAME,
            _column("Ready", description="The aggregate readiness state of this pod for accepting traffic."),
            _column("Status", description="The aggregate status of the containers in this pod."),
            _column("Restarts", description="The number of times the containers in this pod have been restarted."),
            _AGE,
            _column("IP", description="IP address allocated to the pod.", priority=1),
            _column("Node", description="Name of the node the pod is assigned to.", priority=1),
            _column("Nominated Node", description="Node the scheduler nominated for preemption.", priority=1),
            _column("Readiness Gates", description="Pod readiness gates.", priority=1),
        ],
        _pod_cells,
    ),
    "Deployment": (
        [
            _NAME,
            _column("Ready", description="Number of the pod with ready state"),
            _column("Up-to-date", "integer", "Pods targeted by this deployment that have the desired template."),
            _column("Available", "integer", "Available pods (ready for at least minReadySeconds) of this deployment."),
            _AGE,
            _column("Containers", description="Names of each container in the template.", priority=1),
            _column("Images", description="Images referenced by each container in the template.", priority=1),
            _column("Selector", description="Label selector for pods.", priority=1),
        ],
        _deployment_cells,
    ),
    "Service": (
        [
            _NAME,
            _column("Type", description="The type of the service."),
            _column("Cluster-IP", description="The IP address of the service."),
            _column("External-IP", description="External IP addresses of the service."),
            _column("Port(s)", description="The ports exposed by the service."),
            _AGE,
            _column("Selector", description="Route traffic to pods with labels matching this selector.", priority=1),
        ],
        _service_cells,
    ),
    "ConfigMap": ([_NAME, _column("Data", "integer", "Number of keys in the configmap."), _AGE], _configmap_cells),
    "Secret": (
        [
            _NAME,
            _column("Type", description="The type of the secret."),
            _column("Data", "integer", "Number of items in the secret."),
            _AGE,
        ],
        _secret_cells,
    ),
    "Namespace": ([_NAME, _column("Status", description="The status of the namespace."), _AGE], _namespace_cells),
}


def _row_object(obj: dict[str, Any], include: str) -> dict[str, Any] | None:
    if include == "None":
        return None
    if include == "Object":
        return obj
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj.get("metadata", {})}


def table(
    kind: str, objects: list[dict[str, Any]], resource_version: str, include: str, with_columns: bool = True
) -> dict[str, Any]:
    """A Table of `objects`; `with_columns=False` leaves column definitions out (watch events after the first)."""
    columns, cells = TABLES[kind]
    rows = []
    for obj in objects:
        row: dict[str, Any] = {"cells": cells(obj)}
        row_object = _row_object(obj, include)
        if row_object is not None:
            row["object"] = row_object
        rows.append(row)
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": resource_version},
        "columnDefinitions": columns if with_columns else None,
        "rows": rows,
    }
