"""The stand-in's request handling: authentication, the request log, and routing to discovery, OpenAPI and
resources (`resources.py`). Served paths:

    /version  /healthz  /api  /apis  /apis/{group}  /api/v1  /apis/{group}/{version}
    /openapi/v3  /openapi/v3/api/v1  /openapi/v3/apis/{group}/{version}       (/openapi/v2: 404)
    /api/v1/…, /apis/{group}/{version}/…                                      resources, see `paths.py`

and, outside the API (no token needed; kubectl never asks for them, so a proxy has no reason to forward them):

    GET  /_standin/requests   every API request seen: time, method, path, query, authorization, headers, status
    POST /_standin/reset      forget them
"""

from __future__ import annotations

import hmac
import os
import time
from dataclasses import dataclass
from typing import Any

from . import discovery, media, status
from .admission import WriteOptions
from .crud import ObjectApi
from .defaults import Defaulter
from .httpio import Request
from .kinds import for_kind
from .paths import resolve
from .replies import API_HEADERS, Reply, Upgraded, Whole, error_reply, json_reply
from .resources import ResourceHandlers
from .seed import seed_objects
from .store import Store
from .upgrades import PodStreams

CONTROL_PREFIX = "/_standin/"


@dataclass
class Settings:
    token: str | None
    log_interval: float
    aggregated_discovery: bool
    server_address: str
    scratch_dir: str
    websocket: bool = True


class App:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = Store()
        self.objects = ObjectApi(self.store, Defaulter())
        self.requests: list[dict[str, Any]] = []
        self.processes: set = set()
        streams = PodStreams(self._workdir, self.processes, settings.log_interval, settings.websocket)
        self.resources = ResourceHandlers(self.store, self.objects, streams, settings.log_interval)
        for manifest in seed_objects():
            resource_type = for_kind(manifest["apiVersion"], manifest["kind"])
            namespace = manifest["metadata"].get("namespace", "")
            self.objects.create_object(resource_type, namespace, manifest, WriteOptions())

    def _workdir(self, pod: dict[str, Any]) -> str:
        """A pod's scratch directory on this machine: where its exec commands run."""
        path = os.path.join(self.settings.scratch_dir, pod["metadata"]["namespace"], pod["metadata"]["name"])
        os.makedirs(path, exist_ok=True)
        return path

    async def dispatch(self, request: Request) -> Reply:
        if request.path.startswith(CONTROL_PREFIX):
            return self._control(request)
        entry = {
            "time": time.time(),
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "authorization": request.header("Authorization"),
            "headers": [[name, value] for name, value in request.headers],
        }
        self.requests.append(entry)
        try:
            self._authenticate(request)
            reply = self._route(request)
        except status.ApiError as error:
            reply = error_reply(error)
        if isinstance(reply, Upgraded):
            reply.report = lambda code: entry.update(status=code)
        else:
            entry["status"] = reply.status
        return reply

    def _control(self, request: Request) -> Reply:
        if request.path == CONTROL_PREFIX + "requests" and request.method == "GET":
            return json_reply(200, self.requests)
        if request.path == CONTROL_PREFIX + "reset" and request.method == "POST":
            cleared = len(self.requests)
            self.requests.clear()
            return json_reply(200, {"cleared": cleared})
        return error_reply(status.unknown_path())

    def _authenticate(self, request: Request) -> None:
        """With a token configured, exactly one `Authorization: Bearer <token>` header, or 401."""
        if self.settings.token is None:
            return
        values = request.header_values("Authorization")
        if len(values) != 1:
            raise status.unauthorized()
        scheme, _, credential = values[0].strip().partition(" ")
        expected = self.settings.token.encode()
        if scheme.lower() != "bearer" or not hmac.compare_digest(credential.strip().encode(), expected):
            raise status.unauthorized()

    def _route(self, request: Request) -> Reply:
        path = request.path.rstrip("/") or "/"
        if request.method not in ("GET", "HEAD") and not path.startswith(("/api/", "/apis/")):
            raise status.method_not_allowed()
        if path == "/version":
            return json_reply(200, discovery.SERVER_VERSION)
        if path in ("/healthz", "/livez", "/readyz"):
            return Whole(200, b"ok", "text/plain; charset=utf-8", list(API_HEADERS))
        if path in ("/api", "/apis"):
            return self._root_discovery(request, legacy=path == "/api")
        if path.startswith("/openapi/"):
            return self._openapi(path)
        if path.startswith("/apis/") and path.count("/") == 2:
            group = discovery.api_group(path.split("/")[2])
            if group is None:
                raise status.unknown_path()
            return json_reply(200, group)
        group, version, target = resolve(path)
        if target is not None:
            return self.resources.handle(request, target)
        if request.method not in ("GET", "HEAD"):
            raise status.method_not_allowed()
        return json_reply(200, discovery.api_resource_list(group, version))

    def _root_discovery(self, request: Request, legacy: bool) -> Reply:
        """Aggregated discovery when asked for and enabled (named by Content-Type), else the legacy documents."""
        version = None
        if self.settings.aggregated_discovery:
            version = media.aggregated_discovery_version(request.header("Accept"), discovery.AGGREGATED_VERSIONS)
        if version is not None:
            body = discovery.aggregated_discovery(legacy, version)
            reply = json_reply(200, body, content_type=discovery.AGGREGATED_MEDIA.format(version=version))
            reply.headers.append(("Vary", "Accept"))
            return reply
        if legacy:
            return json_reply(200, discovery.api_versions(self.settings.server_address))
        return json_reply(200, discovery.api_group_list())

    def _openapi(self, path: str) -> Reply:
        if path == "/openapi/v3":
            return json_reply(200, discovery.openapi_v3_index())
        parts = path.removeprefix("/openapi/v3/").split("/") if path.startswith("/openapi/v3/") else []
        document = None
        if len(parts) == 2 and parts[0] == "api":
            document = discovery.openapi_v3_document("", parts[1])
        elif len(parts) == 3 and parts[0] == "apis":
            document = discovery.openapi_v3_document(parts[1], parts[2])
        if document is None:
            raise status.unknown_path()
        return json_reply(200, document)
