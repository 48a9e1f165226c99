"""The resource types the stand-in serves, described once and read by discovery, routing, storage and tables.

Deliberately few: what hoopctl's kubectl tests touch (pods with their streaming subresources, deployments with
`scale`, namespaces, services, configmaps, secrets). Verbs, short names and categories are those a v1.32 cluster
advertises for the same resources, so kubectl resolves `po`, `deploy`, `svc`, `cm`, `ns` and `all` the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CRUD_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
NAMESPACE_VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]


@dataclass(frozen=True)
class Subresource:
    name: str
    kind: str
    verbs: list[str]
    group: str = ""
    version: str = "v1"


@dataclass(frozen=True)
class ResourceType:
    group: str
    version: str
    kind: str
    plural: str
    singular: str
    namespaced: bool
    verbs: list[str] = field(default_factory=lambda: list(CRUD_VERBS))
    short_names: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    subresources: list[Subresource] = field(default_factory=list)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_version_path(self) -> str:
        """`api/v1` or `apis/apps/v1`: the URL prefix and the OpenAPI v3 index key."""
        return f"apis/{self.group}/{self.version}" if self.group else f"api/{self.version}"

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    def subresource(self, name: str) -> Subresource | None:
        return next((sub for sub in self.subresources if sub.name == name), None)


POD_SUBRESOURCES = [
    Subresource("attach", "PodAttachOptions", ["create", "get"]),
    Subresource("exec", "PodExecOptions", ["create", "get"]),
    Subresource("log", "Pod", ["get"]),
    Subresource("portforward", "PodPortForwardOptions", ["create", "get"]),
]

RESOURCE_TYPES = [
    ResourceType("", "v1", "ConfigMap", "configmaps", "configmap", True, short_names=["cm"]),
    ResourceType("", "v1", "Namespace", "namespaces", "namespace", False, NAMESPACE_VERBS, ["ns"]),
    ResourceType(
        "", "v1", "Pod", "pods", "pod", True, short_names=["po"], categories=["all"], subresources=POD_SUBRESOURCES
    ),
    ResourceType("", "v1", "Secret", "secrets", "secret", True),
    ResourceType("", "v1", "Service", "services", "service", True, short_names=["svc"], categories=["all"]),
    ResourceType(
        "apps",
        "v1",
        "Deployment",
        "deployments",
        "deployment",
        True,
        short_names=["deploy"],
        categories=["all"],
        subresources=[Subresource("scale", "Scale", ["get", "patch", "update"], group="autoscaling")],
    ),
]


def group_versions() -> list[tuple[str, str]]:
    """(group, version) pairs in discovery order: the legacy core group first, as the apiserver lists it."""
    seen: list[tuple[str, str]] = []
    for resource_type in RESOURCE_TYPES:
        pair = (resource_type.group, resource_type.version)
        if pair not in seen:
            seen.append(pair)
    return sorted(seen, key=lambda pair: (pair[0] != "", pair))


def types_in(group: str, version: str) -> list[ResourceType]:
    return [t for t in RESOURCE_TYPES if t.group == group and t.version == version]


def lookup(group: str, version: str, plural: str) -> ResourceType | None:
    return next((t for t in types_in(group, version) if t.plural == plural), None)


def for_kind(api_version: str, kind: str) -> ResourceType | None:
    return next((t for t in RESOURCE_TYPES if t.api_version == api_version and t.kind == kind), None)


NAMESPACES = lookup("", "v1", "namespaces")
PODS = lookup("", "v1", "pods")
DEPLOYMENTS = lookup("apps", "v1", "deployments")
