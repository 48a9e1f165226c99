"""Reading Kubernetes protobuf request bodies (`Content-Type: application/vnd.kubernetes.protobuf`).

Why: kubectl's typed clients send built-in objects as protobuf. In v1.32 that is every `kubectl create <kind>`
generator (`create configmap|secret|namespace|deployment|service …`): the POST carries
`Content-Type: application/vnd.kubernetes.protobuf` and `Accept: application/vnd.kubernetes.protobuf,
application/json`, and client-go has no fallback to JSON on 415 for protobuf (only for CBOR). So the stand-in reads
protobuf bodies, and always answers JSON (which that Accept allows).

The body is the 4-byte magic `k8s\\0`, then a `runtime.Unknown` message: `typeMeta` (apiVersion = 1, kind = 2),
`raw` = 2 (the object's own message), `contentEncoding` = 3, `contentType` = 4. The object messages are the
`generated.proto` ones of k8s.io/api; the field numbers below cover what those `kubectl create` generators fill in
for the six kinds served (and the common parts of pod specs). A field not listed is skipped, not guessed at.
Scalars that Go marshals even when zero (non-pointer fields) are dropped when zero, as JSON's `omitempty` would;
pointer fields (marked `PTR`) are kept when present, since presence is their meaning (`replicas: 0`).
"""

from __future__ import annotations

import base64
import datetime
from typing import Any

from .status import bad_request

MAGIC = b"k8s\x00"
MEDIA_TYPE = "application/vnd.kubernetes.protobuf"
PTR = "ptr"

STRING, INT, BOOL, BYTES = "string", "int", "bool", "bytes"


def MAP(value: str) -> tuple[str, str]:
    return ("map", value)


def LIST(element: str) -> tuple[str, str]:
    return ("list", element)


# message name -> {field number: (json name, type[, PTR])}; type is a scalar, a message name, MAP(...) or LIST(...)
MESSAGES: dict[str, dict[int, tuple]] = {
    "RuntimeTypeMeta": {1: ("apiVersion", STRING), 2: ("kind", STRING)},
    "Time": {1: ("seconds", INT), 2: ("nanos", INT)},
    "IntOrString": {1: ("type", INT), 2: ("intVal", INT), 3: ("strVal", STRING)},
    "Quantity": {1: ("string", STRING)},
    "ObjectMeta": {
        1: ("name", STRING), 2: ("generateName", STRING), 3: ("namespace", STRING), 5: ("uid", STRING),
        6: ("resourceVersion", STRING), 7: ("generation", INT), 8: ("creationTimestamp", "Time"),
        9: ("deletionTimestamp", "Time"), 10: ("deletionGracePeriodSeconds", INT, PTR), 11: ("labels", MAP(STRING)),
        12: ("annotations", MAP(STRING)), 13: ("ownerReferences", LIST("OwnerReference")),
        14: ("finalizers", LIST(STRING)),
    },
    "OwnerReference": {
        1: ("kind", STRING), 3: ("name", STRING), 4: ("uid", STRING), 5: ("apiVersion", STRING),
        6: ("controller", BOOL, PTR), 7: ("blockOwnerDeletion", BOOL, PTR),
    },
    "LabelSelector": {1: ("matchLabels", MAP(STRING)), 2: ("matchExpressions", LIST("LabelSelectorRequirement"))},
    "LabelSelectorRequirement": {1: ("key", STRING), 2: ("operator", STRING), 3: ("values", LIST(STRING))},
    "ConfigMap": {
        1: ("metadata", "ObjectMeta"), 2: ("data", MAP(STRING)), 3: ("binaryData", MAP(BYTES)),
        4: ("immutable", BOOL, PTR),
    },
    "Secret": {
        1: ("metadata", "ObjectMeta"), 2: ("data", MAP(BYTES)), 3: ("type", STRING), 4: ("stringData", MAP(STRING)),
        5: ("immutable", BOOL, PTR),
    },
    "Namespace": {1: ("metadata", "ObjectMeta"), 2: ("spec", "NamespaceSpec"), 3: ("status", "NamespaceStatus")},
    "NamespaceSpec": {1: ("finalizers", LIST(STRING))},
    "NamespaceStatus": {1: ("phase", STRING)},
    "Service": {1: ("metadata", "ObjectMeta"), 2: ("spec", "ServiceSpec"), 3: ("status", "ServiceStatus")},
    "ServiceSpec": {
        1: ("ports", LIST("ServicePort")), 2: ("selector", MAP(STRING)), 3: ("clusterIP", STRING), 4: ("type", STRING),
        5: ("externalIPs", LIST(STRING)), 7: ("sessionAffinity", STRING), 8: ("loadBalancerIP", STRING),
        9: ("loadBalancerSourceRanges", LIST(STRING)), 10: ("externalName", STRING),
        11: ("externalTrafficPolicy", STRING), 12: ("healthCheckNodePort", INT), 13: ("publishNotReadyAddresses", BOOL),
        17: ("ipFamilyPolicy", STRING, PTR), 18: ("clusterIPs", LIST(STRING)), 19: ("ipFamilies", LIST(STRING)),
        20: ("allocateLoadBalancerNodePorts", BOOL, PTR), 21: ("loadBalancerClass", STRING, PTR),
        22: ("internalTrafficPolicy", STRING, PTR), 23: ("trafficDistribution", STRING, PTR),
    },
    "ServicePort": {
        1: ("name", STRING), 2: ("protocol", STRING), 3: ("port", INT), 4: ("targetPort", "IntOrString"),
        5: ("nodePort", INT), 6: ("appProtocol", STRING, PTR),
    },
    "ServiceStatus": {},
    "Pod": {1: ("metadata", "ObjectMeta"), 2: ("spec", "PodSpec"), 3: ("status", "PodStatus")},
    "PodStatus": {},
    "PodTemplateSpec": {1: ("metadata", "ObjectMeta"), 2: ("spec", "PodSpec")},
    "PodSpec": {
        2: ("containers", LIST("Container")), 3: ("restartPolicy", STRING),
        4: ("terminationGracePeriodSeconds", INT, PTR), 5: ("activeDeadlineSeconds", INT, PTR),
        6: ("dnsPolicy", STRING), 7: ("nodeSelector", MAP(STRING)), 8: ("serviceAccountName", STRING),
        9: ("serviceAccount", STRING), 10: ("nodeName", STRING), 11: ("hostNetwork", BOOL), 16: ("hostname", STRING),
        17: ("subdomain", STRING), 19: ("schedulerName", STRING), 20: ("initContainers", LIST("Container")),
        21: ("automountServiceAccountToken", BOOL, PTR), 24: ("priorityClassName", STRING), 25: ("priority", INT, PTR),
        30: ("enableServiceLinks", BOOL, PTR), 31: ("preemptionPolicy", STRING, PTR),
    },
    "Container": {
        1: ("name", STRING), 2: ("image", STRING), 3: ("command", LIST(STRING)), 4: ("args", LIST(STRING)),
        5: ("workingDir", STRING), 6: ("ports", LIST("ContainerPort")), 7: ("env", LIST("EnvVar")),
        8: ("resources", "ResourceRequirements"), 9: ("volumeMounts", LIST("VolumeMount")),
        13: ("terminationMessagePath", STRING), 14: ("imagePullPolicy", STRING), 16: ("stdin", BOOL),
        17: ("stdinOnce", BOOL), 18: ("tty", BOOL), 20: ("terminationMessagePolicy", STRING),
    },
    "ContainerPort": {
        1: ("name", STRING), 2: ("hostPort", INT), 3: ("containerPort", INT), 4: ("protocol", STRING),
        5: ("hostIP", STRING),
    },
    "EnvVar": {1: ("name", STRING), 2: ("value", STRING)},
    "VolumeMount": {1: ("name", STRING), 2: ("readOnly", BOOL), 3: ("mountPath", STRING), 4: ("subPath", STRING)},
    "ResourceRequirements": {1: ("limits", MAP("Quantity")), 2: ("requests", MAP("Quantity"))},
    "Deployment": {1: ("metadata", "ObjectMeta"), 2: ("spec", "DeploymentSpec"), 3: ("status", "DeploymentStatus")},
    "DeploymentStatus": {},
    "DeploymentSpec": {
        1: ("replicas", INT, PTR), 2: ("selector", "LabelSelector"), 3: ("template", "PodTemplateSpec"),
        4: ("strategy", "DeploymentStrategy"), 5: ("minReadySeconds", INT), 6: ("revisionHistoryLimit", INT, PTR),
        7: ("paused", BOOL), 9: ("progressDeadlineSeconds", INT, PTR),
    },
    "DeploymentStrategy": {1: ("type", STRING), 2: ("rollingUpdate", "RollingUpdateDeployment")},
    "RollingUpdateDeployment": {1: ("maxUnavailable", "IntOrString"), 2: ("maxSurge", "IntOrString")},
}
ZERO_TIME_SECONDS = -62135596800  # Go's zero time.Time, what an unset non-pointer Time marshals as


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if offset >= len(data) or shift > 63:
            raise bad_request("protobuf: truncated varint")
        byte = data[offset]
        value |= (byte & 0x7F) << shift
        offset += 1
        if not byte & 0x80:
            return value, offset
        shift += 7


def _fields(data: bytes):
    """(field number, wire type, value) triples; length-delimited values as bytes, varints as ints."""
    offset = 0
    while offset < len(data):
        key, offset = _varint(data, offset)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, offset = _varint(data, offset)
        elif wire == 2:
            length, offset = _varint(data, offset)
            value, offset = data[offset : offset + length], offset + length
            if len(value) != length:
                raise bad_request("protobuf: truncated field")
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, offset = int.from_bytes(data[offset : offset + size], "little"), offset + size
        else:
            raise bad_request(f"protobuf: unsupported wire type {wire}")
        yield number, wire, value


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _scalar(kind: str, value: Any) -> Any:
    if kind == STRING:
        return value.decode("utf-8")
    if kind == BYTES:
        return base64.b64encode(value).decode()
    if kind == INT:
        return _signed(value)
    if kind == BOOL:
        return bool(value)
    return _special(kind, message(kind, value))


def _special(kind: str, decoded: dict[str, Any]) -> Any:
    """Messages that are a single JSON value: Time (RFC 3339), IntOrString, Quantity."""
    if kind == "Time":
        seconds = decoded.get("seconds", 0)
        if seconds == ZERO_TIME_SECONDS or not decoded:
            return None
        return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "IntOrString":
        return decoded.get("strVal", "") if decoded.get("type") == 1 else decoded.get("intVal", 0)
    if kind == "Quantity":
        return decoded.get("string", "")
    return decoded


def _is_zero(value: Any) -> bool:
    return value is None or value == "" or value is False or (type(value) is int and value == 0)


def message(name: str, data: bytes) -> dict[str, Any]:
    schema = MESSAGES[name]
    result: dict[str, Any] = {}
    for number, _, value in _fields(data):
        spec = schema.get(number)
        if spec is None:
            continue
        json_name, kind, *flags = spec
        if isinstance(kind, tuple) and kind[0] == "map":
            entry = {n: v for n, _, v in _fields(value)}
            key = entry.get(1, b"").decode("utf-8")
            result.setdefault(json_name, {})[key] = _scalar(kind[1], entry.get(2, b""))
        elif isinstance(kind, tuple) and kind[0] == "list":
            result.setdefault(json_name, []).append(_scalar(kind[1], value))
        else:
            decoded = _scalar(kind, value)
            if PTR in flags or not _is_zero(decoded):
                result[json_name] = decoded
    return result


def decode_object(body: bytes) -> dict[str, Any]:
    """A `k8s\\0`-enveloped object as the JSON object it stands for (with kind and apiVersion)."""
    if not body.startswith(MAGIC):
        raise bad_request("protobuf body lacks the k8s\\0 envelope")
    envelope = {number: value for number, _, value in _fields(body[len(MAGIC) :])}  # runtime.Unknown
    type_meta = message("RuntimeTypeMeta", envelope.get(1, b""))
    kind = type_meta.get("kind", "")
    if kind not in MESSAGES or "metadata" not in {spec[0] for spec in MESSAGES[kind].values()}:
        raise bad_request(f"the stand-in cannot read protobuf {kind or 'objects without a kind'}; send JSON")
    obj = message(kind, envelope.get(2, b""))
    obj["kind"], obj["apiVersion"] = kind, type_meta.get("apiVersion", "")
    return obj
