"""The objects a fresh stand-in holds, created through the normal create path (so defaults and status apply).

Tests (here and in hoopctl's broker suites) rely on these names; the README lists them. Secrets carry real-looking
data fields so masking has something to hide in `kubectl get secret -o yaml`.
"""

from __future__ import annotations

import base64
from typing import Any


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _pod(namespace: str, name: str, app: str, containers: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": app}},
        "spec": {
            "containers": [
                {"name": name, "image": image, "ports": [{"containerPort": 8080}]} for name, image in containers
            ]
        },
    }


def _interactive(pod: dict[str, Any]) -> dict[str, Any]:
    """Like `kubectl run -it`: the container keeps stdin open on a tty, so `kubectl attach -it` may use one."""
    for container in pod["spec"]["containers"]:
        container.update(stdin=True, tty=True)
    return pod


def _deployment(namespace: str, name: str, replicas: int, image: str) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": name, "image": image}]},
            },
        },
    }


def _service(namespace: str, name: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"selector": {"app": name}, "ports": [{"name": "http", "port": 80, "targetPort": 8080}]},
    }


def seed_objects() -> list[dict[str, Any]]:
    namespaces = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}} for name in ("default", "prod", "dev")
    ]
    return namespaces + [
        _pod("default", "web-0", "web", [("web", "nginx:1.27")]),
        _pod("default", "worker-0", "worker", [("worker", "busybox:1.36"), ("sidecar", "busybox:1.36")]),
        _pod("prod", "api-0", "api", [("api", "registry.example.com/api:2.3.1")]),
        _interactive(_pod("dev", "scratch", "scratch", [("shell", "busybox:1.36")])),
        _deployment("default", "web", 1, "nginx:1.27"),
        _deployment("prod", "api", 2, "registry.example.com/api:2.3.1"),
        _service("default", "web"),
        _service("prod", "api"),
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "app-config", "namespace": "default"},
            "data": {"LOG_LEVEL": "info", "FEATURE_FLAGS": "beta-ui,fast-path"},
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "db-credentials", "namespace": "default"},
            "type": "Opaque",
            "data": {"username": _b64("admin"), "password": _b64("s3cr3t-P@ssw0rd")},
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "db-credentials", "namespace": "prod"},
            "type": "Opaque",
            "data": {
                "username": _b64("prod-admin"),
                "password": _b64("pr0d-Sup3r-S3cret!"),
                "api-token": _b64("tok_live_4f9a8b7c6d5e"),
            },
        },
    ]
