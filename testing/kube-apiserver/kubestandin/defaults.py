"""What the apiserver and the controllers behind it would add to an object, done at write time.

A real cluster fills defaults on admission (restartPolicy, imagePullPolicy, a Service's clusterIP, ...) and then
controllers and the kubelet move objects along (a Pod gets scheduled and runs, a Deployment becomes available). The
stand-in has no controllers, so it writes the end state at once: every Pod is Running and Ready on node
`standin-node`, every Deployment has all replicas available, every Namespace is Active. That is what the tests
need from `kubectl get`, `exec`, `logs` and `port-forward` (kubectl refuses to exec into a pod that is not running).

Status sent by a client on the main resource is ignored, as the apiserver does for kinds with a status subresource.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from typing import Any

from .status import bad_request

NODE_NAME = "standin-node"
POD_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
HOST_IP = "10.0.0.10"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _image_pull_policy(image: str) -> str:
    tail = image.rsplit("/", 1)[-1]
    if "@" in tail:
        return "IfNotPresent"
    return "Always" if ":" not in tail or tail.endswith(":latest") else "IfNotPresent"


def _pod_spec_defaults(spec: dict[str, Any]) -> None:
    for container in spec.get("containers") or []:
        container.setdefault("imagePullPolicy", _image_pull_policy(container.get("image", "")))
        container.setdefault("terminationMessagePath", "/dev/termination-log")
        container.setdefault("terminationMessagePolicy", "File")
        container.setdefault("resources", {})
        for port in container.get("ports") or []:
            port.setdefault("protocol", "TCP")
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("serviceAccountName", "default")
    spec.setdefault("serviceAccount", spec["serviceAccountName"])
    spec.setdefault("enableServiceLinks", True)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    spec.setdefault("priority", 0)


class Defaulter:
    """Fills defaults and end-state status per kind; allocates pod and service IPs."""

    def __init__(self) -> None:
        self._next_pod_ip = 2
        self._next_service_ip = 10
        self._pod_ips: dict[str, str] = {}

    def prepare(self, kind: str, obj: dict[str, Any], previous: dict[str, Any] | None) -> None:
        """Apply defaults and status to `obj` (in place) about to be stored; `previous` is the stored version."""
        handler = getattr(self, "_" + kind.lower(), None)
        if handler is not None:
            handler(obj, previous)

    def _pod(self, pod: dict[str, Any], previous: dict[str, Any] | None) -> None:
        spec = pod.setdefault("spec", {})
        spec.setdefault("nodeName", NODE_NAME)
        _pod_spec_defaults(spec)
        uid = pod["metadata"]["uid"]
        if uid not in self._pod_ips:
            self._pod_ips[uid] = f"10.244.0.{self._next_pod_ip}"
            self._next_pod_ip = self._next_pod_ip % 250 + 2
        started = (previous or {}).get("status", {}).get("startTime") or pod["metadata"]["creationTimestamp"]
        containers = spec.get("containers") or []
        pod["status"] = {
            "phase": "Running",
            "conditions": [
                {"type": condition, "status": "True", "lastProbeTime": None, "lastTransitionTime": started}
                for condition in POD_CONDITIONS
            ],
            "hostIP": HOST_IP,
            "hostIPs": [{"ip": HOST_IP}],
            "podIP": self._pod_ips[uid],
            "podIPs": [{"ip": self._pod_ips[uid]}],
            "startTime": started,
            "containerStatuses": [
                {
                    "name": container.get("name", ""),
                    "state": {"running": {"startedAt": started}},
                    "lastState": {},
                    "ready": True,
                    "restartCount": 0,
                    "image": container.get("image", ""),
                    "imageID": "standin://" + _digest(container.get("image", "")),
                    "containerID": "standin://" + _digest(uid + container.get("name", "")),
                    "started": True,
                }
                for container in containers
            ],
            "qosClass": "BestEffort",
        }

    def _deployment(self, deployment: dict[str, Any], previous: dict[str, Any] | None) -> None:
        spec = deployment.setdefault("spec", {})
        spec.setdefault("replicas", 1)
        strategy = spec.setdefault("strategy", {})
        strategy.setdefault("type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = strategy.setdefault("rollingUpdate", {})
            rolling.setdefault("maxUnavailable", "25%")
            rolling.setdefault("maxSurge", "25%")
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("progressDeadlineSeconds", 600)
        template_spec = spec.setdefault("template", {}).setdefault("spec", {})
        _pod_spec_defaults(template_spec)
        metadata = deployment["metadata"]
        previous_spec = (previous or {}).get("spec")
        generation = (previous or {}).get("metadata", {}).get("generation", 0)
        metadata["generation"] = generation + 1 if previous_spec != spec else generation
        revision = int((previous or {}).get("metadata", {}).get("annotations", {}).get(REVISION_ANNOTATION, "0"))
        if previous is None or (previous_spec or {}).get("template") != spec.get("template"):
            revision += 1
        metadata.setdefault("annotations", {})[REVISION_ANNOTATION] = str(revision)
        replicas = spec["replicas"]
        now = metadata["creationTimestamp"]
        deployment["status"] = {
            "observedGeneration": metadata["generation"],
            "replicas": replicas,
            "updatedReplicas": replicas,
            "readyReplicas": replicas,
            "availableReplicas": replicas,
            "conditions": [
                {
                    "type": "Available",
                    "status": "True",
                    "lastUpdateTime": now,
                    "lastTransitionTime": now,
                    "reason": "MinimumReplicasAvailable",
                    "message": "Deployment has minimum availability.",
                },
                {
                    "type": "Progressing",
                    "status": "True",
                    "lastUpdateTime": now,
                    "lastTransitionTime": now,
                    "reason": "NewReplicaSetAvailable",
                    "message": f'ReplicaSet "{metadata["name"]}-standin" has successfully progressed.',
                },
            ],
        }
        if replicas == 0:
            for field in ("readyReplicas", "availableReplicas", "updatedReplicas"):
                deployment["status"].pop(field)

    def _service(self, service: dict[str, Any], previous: dict[str, Any] | None) -> None:
        spec = service.setdefault("spec", {})
        spec.setdefault("type", "ClusterIP")
        previous_ip = (previous or {}).get("spec", {}).get("clusterIP")
        if spec["type"] != "ExternalName" and not spec.get("clusterIP"):
            spec["clusterIP"] = previous_ip or f"10.96.0.{self._next_service_ip}"
            if not previous_ip:
                self._next_service_ip = self._next_service_ip % 250 + 10
        if spec.get("clusterIP"):
            spec["clusterIPs"] = [spec["clusterIP"]]
            spec.setdefault("ipFamilies", ["IPv4"])
            spec.setdefault("ipFamilyPolicy", "SingleStack")
        spec.setdefault("sessionAffinity", "None")
        spec.setdefault("internalTrafficPolicy", "Cluster")
        for port in spec.get("ports") or []:
            port.setdefault("protocol", "TCP")
            port.setdefault("targetPort", port.get("port"))
        service["status"] = {"loadBalancer": {}}

    def _namespace(self, namespace: dict[str, Any], previous: dict[str, Any] | None) -> None:
        name = namespace["metadata"]["name"]
        namespace["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = name
        spec = (previous or {}).get("spec") or namespace.get("spec") or {"finalizers": ["kubernetes"]}
        namespace["spec"] = copy.deepcopy(spec)
        namespace["status"] = {"phase": "Active"}

    def _secret(self, secret: dict[str, Any], previous: dict[str, Any] | None) -> None:
        """`stringData` is write-only convenience: merged into base64 `data` and dropped, as the apiserver does."""
        secret.setdefault("type", "Opaque")
        data = secret.get("data") or {}
        for key, value in data.items():
            try:
                base64.b64decode(value, validate=True)
            except (ValueError, TypeError) as error:
                message = f'Secret in version "v1" cannot be handled as a Secret: illegal base64 data in {key!r}'
                raise bad_request(message) from error
        for key, value in (secret.pop("stringData", None) or {}).items():
            data[key] = base64.b64encode(str(value).encode()).decode()
        if data:
            secret["data"] = data
