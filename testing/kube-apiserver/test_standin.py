"""Self-test of the kube-apiserver stand-in: the real kubectl (v1.32) against it, directly, no broker.

    timeout 600 python3 -m pytest -q testing/kube-apiserver

Most tests share one stand-in over HTTPS with a bearer token and a CA-verified kubeconfig, the shape hoopctl's
broker will see. A few start their own (plain HTTP, legacy discovery). Each test names what kubectl must see and
checks it in kubectl's own output, and where the wire matters, in the stand-in's request log.
"""

from __future__ import annotations

import base64
import fcntl
import http.client
import json
import os
import pty
import select
import socket
import ssl
import struct
import subprocess
import termios
import time

import pytest

from kubeharness import (
    Kubectl,
    MiniWebSocket,
    StandIn,
    echo_server,
    free_port,
    http_server,
    make_certificates,
    LineReader,
    wait_for_port,
    write_kubeconfig,
)

TOKEN = "standin-test-token-6f1c"
KUBECTL_DISCOVERY_ACCEPT = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_certificates(str(tmp_path_factory.mktemp("certs")))


@pytest.fixture(scope="module")
def server(certificates):
    _, cert, key = certificates
    standin = StandIn(tls=(cert, key), token=TOKEN)
    yield standin
    standin.stop()
    assert "Traceback" not in standin.stderr(), standin.stderr()


@pytest.fixture(scope="module")
def kubectl(server, certificates, tmp_path_factory):
    home = str(tmp_path_factory.mktemp("home"))
    config = write_kubeconfig(os.path.join(home, "kubeconfig"), server.url, TOKEN, ca=certificates[0])
    return Kubectl(home, config)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, f"kubectl failed ({result.returncode}): {result.stderr}"
    return result.stdout


def requests_for(server: StandIn, method: str, fragment: str) -> list[dict]:
    return [entry for entry in server.requests() if entry["method"] == method and fragment in entry["path"]]


def header(entry: dict, name: str) -> str | None:
    return next((value for key, value in entry["headers"] if key.lower() == name.lower()), None)


# -- discovery, authentication, the request log ---------------------------------------------------------------


def test_version_and_api_resources_without_warnings(kubectl):
    version = kubectl.run("version", "-o", "json")
    assert json.loads(ok(version))["serverVersion"]["gitVersion"] == "v1.32.4-standin"
    assert version.stderr == ""
    resources = kubectl.run("api-resources", "--no-headers")
    rows = {line.split()[0]: line.split() for line in ok(resources).splitlines()}
    assert rows["pods"][1:] == ["po", "v1", "true", "Pod"]
    assert rows["deployments"][1:] == ["deploy", "apps/v1", "true", "Deployment"]
    assert rows["namespaces"][1:] == ["ns", "v1", "false", "Namespace"]
    assert set(rows) == {"configmaps", "namespaces", "pods", "secrets", "services", "deployments"}
    assert resources.stderr == ""


def test_aggregated_discovery_is_named_by_content_type(server):
    status, headers, body = server.call("/api", headers={"Accept": KUBECTL_DISCOVERY_ACCEPT})
    assert status == 200
    assert headers["Content-Type"] == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    document = json.loads(body)
    assert document["kind"] == "APIGroupDiscoveryList" and document["apiVersion"] == "apidiscovery.k8s.io/v2"
    pods = next(r for r in document["items"][0]["versions"][0]["resources"] if r["resource"] == "pods")
    assert {sub["subresource"] for sub in pods["subresources"]} == {"attach", "exec", "log", "portforward"}
    _, headers, body = server.call("/apis", headers={"Accept": KUBECTL_DISCOVERY_ACCEPT})
    deployments = json.loads(body)["items"][0]["versions"][0]["resources"][0]
    assert deployments["subresources"][0]["responseKind"] == {"group": "autoscaling", "version": "v1", "kind": "Scale"}
    _, headers, body = server.call("/api", headers={"Accept": "application/json"})
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["kind"] == "APIVersions"
    legacy = json.loads(server.call("/api/v1")[2])
    names = {entry["name"]: entry for entry in legacy["resources"]}
    assert names["pods/exec"]["verbs"] == ["create", "get"]
    assert names["pods"]["shortNames"] == ["po"] and names["pods"]["namespaced"] is True


def test_kubectl_works_against_a_server_without_aggregated_discovery(tmp_path):
    legacy = StandIn("--legacy-discovery")
    try:
        client = Kubectl(str(tmp_path), write_kubeconfig(str(tmp_path / "config"), legacy.url, None))
        assert "web-0" in ok(client.run("get", "pods"))
        assert "deployment.apps/web" in ok(client.run("get", "deploy", "-o", "name"))
        fetched = {entry["path"] for entry in legacy.requests()}
        assert {"/api", "/apis", "/api/v1", "/apis/apps/v1"} <= fetched
    finally:
        legacy.stop()


def test_wrong_or_missing_token_is_401_status(server, kubectl, tmp_path):
    bad = Kubectl(kubectl.home, write_kubeconfig(str(tmp_path / "bad"), server.url, "wrong-token", insecure=True))
    result = bad.run("get", "pods")
    assert result.returncode == 1
    assert "Unauthorized" in result.stderr
    for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": f"Bearer {TOKEN}x"}):
        status, response_headers, body = server.call("/api/v1/pods", headers=headers, token=None)
        assert status == 401
        assert response_headers["Content-Type"] == "application/json"
        assert json.loads(body) == {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": "Unauthorized",
            "reason": "Unauthorized",
            "code": 401,
        }


def test_two_authorization_headers_are_refused(server):
    sock = server.raw_socket()
    sock.sendall(
        (
            "GET /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {TOKEN}\r\nAuthorization: Bearer other\r\nConnection: close\r\n\r\n"
        ).encode()
    )
    response = b""
    while chunk := sock.recv(65536):
        response += chunk
    assert response.startswith(b"HTTP/1.1 401 ")


def test_request_log_records_each_request_with_its_authorization(server, kubectl):
    server.reset()
    ok(kubectl.run("get", "pods"))
    entries = server.requests()
    assert entries, "kubectl's requests were not recorded"
    assert all(entry["authorization"] == f"Bearer {TOKEN}" for entry in entries)
    listing = [entry for entry in entries if entry["path"] == "/api/v1/namespaces/default/pods"]
    assert listing and listing[0]["query"] == "limit=500" and listing[0]["status"] == 200
    assert not any(entry["path"].startswith("/_standin") for entry in entries)
    server.reset()
    assert server.requests() == []


# -- reading -------------------------------------------------------------------------------------------------------


def test_get_pods_prints_server_side_table(server, kubectl):
    server.reset()
    lines = ok(kubectl.run("get", "pods")).splitlines()
    assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert lines[1].split()[:4] == ["web-0", "1/1", "Running", "0"]
    assert lines[2].split()[:4] == ["worker-0", "2/2", "Running", "0"]
    listing = requests_for(server, "GET", "/api/v1/namespaces/default/pods")[0]
    assert header(listing, "Accept").startswith("application/json;as=Table;v=v1;g=meta.k8s.io")
    wide = ok(kubectl.run("get", "pods", "-o", "wide")).splitlines()
    assert wide[0].split() == [
        "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"
    ]
    assert wide[1].split()[5:7] == ["10.244.0.2", "standin-node"]
    every = ok(kubectl.run("get", "pods", "-A", "--no-headers")).splitlines()
    assert {(row.split()[0], row.split()[1]) for row in every} >= {("prod", "api-0"), ("dev", "scratch")}


def test_tables_of_other_kinds(kubectl):
    deployments = ok(kubectl.run("get", "deploy", "-n", "prod")).splitlines()
    assert deployments[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert deployments[1].split()[:4] == ["api", "2/2", "2", "2"]
    services = ok(kubectl.run("get", "svc", "web")).splitlines()
    assert services[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert services[1].split()[1:5] == ["ClusterIP", "10.96.0.10", "<none>", "80/TCP"]
    secrets = ok(kubectl.run("get", "secrets", "-n", "prod")).splitlines()
    assert secrets[0].split() == ["NAME", "TYPE", "DATA", "AGE"]
    assert secrets[1].split()[:3] == ["db-credentials", "Opaque", "3"]
    namespaces = ok(kubectl.run("get", "ns", "--no-headers")).splitlines()
    assert {row.split()[0] for row in namespaces} >= {"default", "prod", "dev"}
    assert all(row.split()[1] == "Active" for row in namespaces)
    assert ok(kubectl.run("get", "cm", "app-config", "--no-headers")).split()[:2] == ["app-config", "2"]


def test_label_selectors(kubectl):
    assert ok(kubectl.run("get", "pods", "-l", "app=web", "-o", "name")).split() == ["pod/web-0"]
    in_set = ok(kubectl.run("get", "pods", "-A", "-l", "app in (api,scratch)", "-o", "name"))
    assert in_set.split() == ["pod/scratch", "pod/api-0"]
    assert ok(kubectl.run("get", "pods", "-l", "app!=web", "-o", "name")).split() == ["pod/worker-0"]


def test_get_json_and_not_found(kubectl):
    pod = json.loads(ok(kubectl.run("get", "pod", "web-0", "-o", "json")))
    assert pod["kind"] == "Pod" and pod["apiVersion"] == "v1"
    assert pod["status"]["phase"] == "Running" and int(pod["metadata"]["resourceVersion"]) > 0
    missing = kubectl.run("get", "pod", "nope")
    assert missing.returncode == 1
    assert missing.stderr.strip() == 'Error from server (NotFound): pods "nope" not found'
    missing_deployment = kubectl.run("get", "deploy", "nope")
    assert 'deployments.apps "nope" not found' in missing_deployment.stderr


def test_secret_has_data_fields(kubectl):
    encoded = ok(kubectl.run("get", "secret", "db-credentials", "-o", "jsonpath={.data.password}"))
    assert base64.b64decode(encoded) == b"s3cr3t-P@ssw0rd"
    secret = json.loads(ok(kubectl.run("get", "secret", "db-credentials", "-n", "prod", "-o", "json")))
    assert set(secret["data"]) == {"username", "password", "api-token"}


# -- writing -------------------------------------------------------------------------------------------------------

MANIFEST = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels: {app: shop}
spec:
  replicas: 2
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: shop
        image: nginx:1.27
        env:
        - {name: MODE, value: "blue"}
        - {name: REGION, value: "eu"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
data:
  color: blue
"""


def test_apply_creates_configures_and_leaves_unchanged(server, kubectl, tmp_path):
    manifest = tmp_path / "shop.yaml"
    manifest.write_text(MANIFEST)
    server.reset()
    created = kubectl.run("apply", "-f", str(manifest))
    assert ok(created).split("\n")[:2] == ["deployment.apps/shop created", "configmap/shop-config created"]
    assert created.stderr == ""
    posts = requests_for(server, "POST", "/apis/apps/v1/namespaces/default/deployments")
    assert "fieldValidation=Strict" in posts[0]["query"]
    assert "fieldManager=kubectl-client-side-apply" in posts[0]["query"]
    assert requests_for(server, "GET", "/openapi/v3")
    manifest.write_text(MANIFEST.replace('value: "blue"', 'value: "green"').replace("replicas: 2", "replicas: 3"))
    server.reset()
    configured = kubectl.run("apply", "-f", str(manifest))
    assert ok(configured).split("\n")[:2] == ["deployment.apps/shop configured", "configmap/shop-config unchanged"]
    assert configured.stderr == ""
    patch = requests_for(server, "PATCH", "/deployments/shop")[0]
    assert header(patch, "Content-Type") == "application/strategic-merge-patch+json"
    deployment = json.loads(ok(kubectl.run("get", "deploy", "shop", "-o", "json")))
    assert deployment["spec"]["replicas"] == 3
    assert deployment["spec"]["template"]["spec"]["containers"][0]["env"] == [
        {"name": "MODE", "value": "green"},
        {"name": "REGION", "value": "eu"},
    ]
    assert "kubectl.kubernetes.io/last-applied-configuration" in deployment["metadata"]["annotations"]
    assert ok(kubectl.run("apply", "-f", str(manifest))).split("\n")[:2] == [
        "deployment.apps/shop unchanged",
        "configmap/shop-config unchanged",
    ]
    assert ok(kubectl.run("delete", "-f", str(manifest))).split("\n")[:2] == [
        'deployment.apps "shop" deleted',
        'configmap "shop-config" deleted',
    ]


def test_strict_field_validation_rejects_unknown_fields(kubectl, tmp_path):
    manifest = tmp_path / "bad.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad-config}\ndata: {a: b}\nbogus: 1\n")
    result = kubectl.run("apply", "-f", str(manifest))
    assert result.returncode == 1
    assert 'strict decoding error: unknown field "bogus"' in result.stderr
    warned = kubectl.run("apply", "--validate=warn", "-f", str(manifest))
    assert ok(warned).strip() == "configmap/bad-config created"
    assert 'unknown field "bogus"' in warned.stderr
    ok(kubectl.run("delete", "cm", "bad-config"))


def test_create_conflict_delete_and_not_found(server, kubectl):
    assert ok(kubectl.run("create", "configmap", "tmp-cm", "--from-literal=k=v")).strip() == "configmap/tmp-cm created"
    again = kubectl.run("create", "configmap", "tmp-cm", "--from-literal=k=v")
    assert again.returncode == 1
    assert again.stderr.strip() == 'error: failed to create configmap: configmaps "tmp-cm" already exists'
    status, _, body = server.call(
        "/api/v1/namespaces/default/configmaps",
        method="POST",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"metadata": {"name": "tmp-cm"}}).encode(),
    )
    assert status == 409
    assert json.loads(body)["reason"] == "AlreadyExists"
    assert json.loads(body)["details"] == {"name": "tmp-cm", "kind": "configmaps"}
    status, _, body = server.call("/api/v1/namespaces/default/configmaps/tmp-cm", method="DELETE")
    assert status == 200 and json.loads(body)["status"] == "Success"
    assert json.loads(body)["details"]["kind"] == "configmaps"
    gone = kubectl.run("delete", "configmap", "tmp-cm")
    assert gone.returncode == 1 and 'configmaps "tmp-cm" not found' in gone.stderr
    status, _, body = server.call(
        "/api/v1/namespaces/nowhere/configmaps",
        method="POST",
        headers={"Content-Type": "application/json"},
        body=b'{"metadata":{"name":"x"}}',
    )
    assert status == 404 and json.loads(body)["message"] == 'namespaces "nowhere" not found'


def test_pod_lifecycle_with_run_and_delete(server, kubectl):
    created = kubectl.run("run", "tmp-pod", "--image=busybox:1.36", "--", "sleep", "1000")
    assert ok(created).strip() == "pod/tmp-pod created"
    pod = json.loads(ok(kubectl.run("get", "pod", "tmp-pod", "-o", "json")))
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert pod["spec"]["nodeName"] == "standin-node"
    status, _, body = server.call("/api/v1/namespaces/default/pods/tmp-pod", method="DELETE")
    deleted = json.loads(body)
    assert status == 200 and deleted["kind"] == "Pod" and deleted["metadata"]["deletionTimestamp"]
    ok(kubectl.run("run", "tmp-pod", "--image=busybox:1.36"))
    assert ok(kubectl.run("delete", "pod", "tmp-pod")).strip() == 'pod "tmp-pod" deleted'
    assert kubectl.run("get", "pod", "tmp-pod").returncode == 1


def test_patch_types_and_resource_versions(kubectl):
    ok(kubectl.run("create", "configmap", "patch-me", "--from-literal=a=1"))
    first = json.loads(ok(kubectl.run("get", "cm", "patch-me", "-o", "json")))
    ok(kubectl.run("patch", "cm", "patch-me", "--type=merge", "-p", '{"data":{"b":"2"}}'))
    ok(kubectl.run("patch", "cm", "patch-me", "--type=json", "-p", '[{"op":"remove","path":"/data/a"}]'))
    patched = json.loads(ok(kubectl.run("get", "cm", "patch-me", "-o", "json")))
    assert patched["data"] == {"b": "2"}
    assert int(patched["metadata"]["resourceVersion"]) > int(first["metadata"]["resourceVersion"])
    assert patched["metadata"]["uid"] == first["metadata"]["uid"]
    new_image = {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}}}}
    ok(kubectl.run("patch", "deploy", "web", "-p", json.dumps(new_image)))
    deployment = json.loads(ok(kubectl.run("get", "deploy", "web", "-o", "json")))
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert [(c["name"], c["image"]) for c in containers] == [("web", "nginx:1.28")]
    ok(kubectl.run("delete", "cm", "patch-me"))


def test_replace_with_a_stale_resource_version_conflicts(kubectl, tmp_path):
    ok(kubectl.run("create", "configmap", "replace-me", "--from-literal=a=1"))
    stale = json.loads(ok(kubectl.run("get", "cm", "replace-me", "-o", "json")))
    stale["data"]["a"] = "2"
    (tmp_path / "one.json").write_text(json.dumps(stale))
    assert ok(kubectl.run("replace", "-f", str(tmp_path / "one.json"))).strip() == "configmap/replace-me replaced"
    conflict = kubectl.run("replace", "-f", str(tmp_path / "one.json"))
    assert conflict.returncode == 1
    assert "Operation cannot be fulfilled on configmaps \"replace-me\": the object has been modified" in conflict.stderr
    ok(kubectl.run("delete", "cm", "replace-me"))


def test_scale_subresource(kubectl):
    assert ok(kubectl.run("scale", "deploy", "web", "--replicas=3")).strip() == "deployment.apps/web scaled"
    assert ok(kubectl.run("get", "deploy", "web", "--no-headers")).split()[1] == "3/3"
    ok(kubectl.run("scale", "deploy", "web", "--replicas=1"))


def test_deleting_a_namespace_deletes_its_objects(kubectl):
    ok(kubectl.run("create", "namespace", "scratch-ns"))
    ok(kubectl.run("create", "configmap", "inside", "-n", "scratch-ns", "--from-literal=a=1"))
    assert ok(kubectl.run("delete", "namespace", "scratch-ns")).strip() == 'namespace "scratch-ns" deleted'
    assert kubectl.run("get", "cm", "inside", "-n", "scratch-ns").returncode == 1
    assert kubectl.run("get", "ns", "scratch-ns").returncode == 1


# -- watches -------------------------------------------------------------------------------------------------------


def test_get_watch_shows_changes_made_by_another_kubectl(kubectl):
    watcher = kubectl.popen("get", "pods", "-w", "--output-watch-events")
    output = LineReader(watcher.stdout)
    try:
        output.until(lambda lines: any("worker-0" in line for line in lines), 20)
        ok(kubectl.run("run", "watched", "--image=busybox:1.36"))
        ok(kubectl.run("label", "pod", "web-0", "seen=yes"))
        ok(kubectl.run("delete", "pod", "watched"))
        lines = output.until(lambda lines: any(line.startswith("DELETED") for line in lines), 20)
        events = [line.split()[:2] for line in lines]
        assert events == [["ADDED", "watched"], ["MODIFIED", "web-0"], ["DELETED", "watched"]]
    finally:
        watcher.terminate()
        watcher.wait(10)
        ok(kubectl.run("label", "pod", "web-0", "seen-"))


def test_raw_watch_is_a_chunked_stream_of_json_events(server, kubectl):
    connection = server.raw_socket()
    connection.sendall(
        (
            "GET /api/v1/namespaces/default/configmaps?watch=1 HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {TOKEN}\r\nAccept: application/json\r\n\r\n"
        ).encode()
    )
    reader = connection.makefile("rb")
    assert reader.readline().startswith(b"HTTP/1.1 200 ")
    headers = {}
    while (line := reader.readline()) != b"\r\n":
        name, _, value = line.decode().partition(":")
        headers[name.lower()] = value.strip()
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers

    def next_event() -> dict:
        size = int(reader.readline().strip(), 16)
        chunk = reader.read(size)
        assert reader.read(2) == b"\r\n"
        return json.loads(chunk)

    first = next_event()
    assert first["type"] == "ADDED" and first["object"]["kind"] == "ConfigMap"
    ok(kubectl.run("create", "configmap", "watched-cm", "--from-literal=a=1"))
    while (event := next_event())["object"]["metadata"]["name"] != "watched-cm":
        pass
    assert event["type"] == "ADDED"
    connection.close()
    ok(kubectl.run("delete", "cm", "watched-cm"))


def test_watch_with_a_malformed_revision_is_400(server):
    status, _, body = server.call("/api/v1/namespaces/default/pods?watch=true&resourceVersion=bogus")
    assert status == 400 and json.loads(body)["reason"] == "BadRequest"


# -- logs ----------------------------------------------------------------------------------------------------------


def test_logs_tail_and_container(kubectl):
    assert ok(kubectl.run("logs", "web-0", "--tail=2")).splitlines() == [
        "web #7 payment accepted card=4111 1111 1111 1111 amount=42.00 EUR",
        "web #8 mail queued for bob.smith@example.org order=1234",
    ]
    assert ok(kubectl.run("logs", "worker-0", "-c", "sidecar", "--tail=1")).startswith("sidecar #8 ")
    wrong = kubectl.run("logs", "worker-0", "-c", "nope")
    assert wrong.returncode == 1 and "container nope is not valid for pod worker-0" in wrong.stderr


def test_logs_follow_streams_new_lines_over_time(kubectl):
    follower = kubectl.popen("logs", "-f", "web-0", "--tail=0")
    try:
        started = time.monotonic()
        lines = LineReader(follower.stdout).until(lambda lines: len(lines) >= 5, 20)
        elapsed = time.monotonic() - started
    finally:
        follower.terminate()
        follower.wait(10)
    assert [line.split()[1] for line in lines] == ["#9", "#10", "#11", "#12", "#13"]
    assert elapsed >= 0.8, "lines should arrive one per 200 ms, not all at once"
    assert any("alice@example.com" in line for line in lines)
    assert any("4111 1111 1111 1111" in line for line in lines)


# -- exec and attach -----------------------------------------------------------------------------------------------


def test_exec_output_stderr_and_exit_code(server, kubectl):
    server.reset()
    result = kubectl.run("exec", "web-0", "--", "sh", "-c", "echo hi; echo oops >&2; exit 3")
    assert result.returncode == 3
    assert result.stdout == "hi\n"
    assert "oops" in result.stderr and "command terminated with exit code 3" in result.stderr
    upgrade = requests_for(server, "GET", "/pods/web-0/exec")[0]
    assert header(upgrade, "Upgrade").lower() == "websocket"
    assert header(upgrade, "Sec-WebSocket-Protocol") == "v5.channel.k8s.io"
    assert "command=sh&command=-c" in upgrade["query"] and upgrade["status"] == 101
    assert ok(kubectl.run("exec", "worker-0", "-c", "sidecar", "--", "sh", "-c", "echo $HOSTNAME")) == "worker-0\n"


def test_exec_stdin_is_echoed_and_closed(kubectl):
    assert ok(kubectl.run("exec", "-i", "web-0", "--", "cat", input="line one\nline two\n")) == "line one\nline two\n"
    payload = os.urandom(1 << 20)
    counted = kubectl.run("exec", "-i", "web-0", "--", "wc", "-c", input=payload)
    assert counted.returncode == 0 and counted.stdout.strip() == b"1048576"


def test_exec_of_a_missing_command_fails_like_the_kubelet(kubectl):
    result = kubectl.run("exec", "web-0", "--", "no-such-command-here")
    assert result.returncode == 1
    assert 'error executing command in container: exec: "no-such-command-here"' in result.stderr


def _interactive(
    kubectl: Kubectl, arguments: list[str], script: list[tuple[bytes, bytes]], size=(40, 100), env=None
) -> tuple[int, bytes]:
    """Run kubectl on a pseudo-terminal of `size` rows x columns, answering each awaited text with the next input."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
    terminal = {"stdin": slave, "stdout": slave, "stderr": slave}
    process = kubectl.popen(*arguments, env=env, text=False, start_new_session=True, **terminal)
    os.close(slave)
    output = b""
    try:
        for expected, reply in script:
            deadline = time.monotonic() + 20
            while expected not in output:
                ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    raise TimeoutError(f"waited for {expected!r}; saw {output!r}")
                try:
                    output += os.read(master, 65536)
                except OSError:
                    raise EOFError(f"terminal closed; waited for {expected!r}; saw {output!r}") from None
            os.write(master, reply)
        code = process.wait(20)
        while select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        return code, output
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)


def test_exec_with_a_terminal(kubectl):
    code, output = _interactive(
        kubectl,
        ["exec", "-it", "web-0", "--", "sh"],
        [(b"", b"stty size; echo marker-$((6*7))\r"), (b"marker-42", b"exit 4\r")],
    )
    assert b"40 100" in output, "the client's window size should reach the remote terminal"
    assert b"marker-42" in output
    assert code == 4


def test_attach_with_stdin_runs_a_fresh_shell(kubectl):
    result = kubectl.run("attach", "-i", "web-0", input="echo attached-$((1+1))\n")
    assert result.returncode == 0
    assert result.stdout.strip() == "attached-2"
    code, output = _interactive(
        kubectl,
        ["attach", "-it", "scratch", "-n", "dev"],
        [(b"", b"echo tty-$((3+4))\r"), (b"tty-7", b"exit\r")],
    )
    assert code == 0 and b"tty-7" in output


def test_attach_without_stdin_shows_the_pods_output(kubectl):
    attached = kubectl.popen("attach", "web-0")
    try:
        lines = LineReader(attached.stdout).until(lambda lines: len(lines) >= 9, 20)
    finally:
        attached.terminate()
        attached.wait(10)
    assert lines[0] == "web #1 GET /healthz 200 1.2ms" and lines[8].startswith("web #9 ")


def test_exec_upgrade_refuses_unsupported_subprotocols(server):
    path = "/api/v1/namespaces/default/pods/web-0/exec?command=true&stdout=true"
    server.reset()
    refused = MiniWebSocket(server.raw_socket(), path, ["v4.base64.channel.k8s.io", "base64.channel.k8s.io"], TOKEN)
    assert refused.status == 400
    assert [entry["status"] for entry in server.requests()] == [400]
    accepted = MiniWebSocket(server.raw_socket(), path, ["v4.channel.k8s.io"], TOKEN)
    assert accepted.status == 101 and accepted.headers["sec-websocket-protocol"] == "v4.channel.k8s.io"
    messages = []
    while True:
        opcode, data = accepted.receive()
        if opcode == 8:
            break
        messages.append(data)
    assert messages == [b"\x03" + json.dumps({"metadata": {}, "status": "Success"}).encode()]
    status, _, body = server.call(path)
    assert status == 400 and json.loads(body)["message"] == "Upgrade request required"


def test_exec_over_spdy_when_websockets_are_disabled(server, kubectl):
    server.reset()
    spdy = {"KUBECTL_REMOTE_COMMAND_WEBSOCKETS": "false"}
    result = kubectl.run("exec", "web-0", "--", "sh", "-c", "echo spdy; exit 2", env=spdy)
    assert (result.returncode, result.stdout) == (2, "spdy\n")
    assert ok(kubectl.run("exec", "-i", "web-0", "--", "cat", input="in\nout\n", env=spdy)) == "in\nout\n"
    upgrade = requests_for(server, "POST", "/pods/web-0/exec")[0]
    assert header(upgrade, "Upgrade") == "SPDY/3.1"
    assert header(upgrade, "X-Stream-Protocol-Version") == "v5.channel.k8s.io"
    code, output = _interactive(
        kubectl, ["exec", "-it", "web-0", "--", "sh"], [(b"", b"stty size\r"), (b"40 100", b"exit 7\r")], env=spdy
    )
    assert code == 7


def test_kubectl_falls_back_to_spdy_when_the_websocket_upgrade_fails(tmp_path):
    old_server = StandIn("--spdy-only")
    try:
        client = Kubectl(str(tmp_path), write_kubeconfig(str(tmp_path / "config"), old_server.url, None))
        assert ok(client.run("exec", "web-0", "--", "echo", "fell back")) == "fell back\n"
        with echo_server() as echo_port:
            local = free_port()
            forwarder = _forward(client, [f"{local}:{echo_port}"])
            try:
                assert _echo_round_trip(local, b"old server") == b"old server"
            finally:
                forwarder.terminate()
                forwarder.wait(10)
        attempts = [(e["method"], e["path"].rsplit("/", 1)[1], e["status"]) for e in old_server.requests()]
        assert [attempt for attempt in attempts if attempt[1] in ("exec", "portforward")] == [
            ("GET", "exec", 400),
            ("POST", "exec", 101),
            ("GET", "portforward", 400),
            ("POST", "portforward", 101),
        ]
    finally:
        old_server.stop()


# -- port-forward --------------------------------------------------------------------------------------------------


def _forward(kubectl: Kubectl, mappings: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
    process = kubectl.popen("port-forward", "pod/web-0", *mappings, env=env)
    ready = lambda lines: sum("Forwarding from 127.0.0.1" in line for line in lines) == len(mappings)  # noqa: E731
    LineReader(process.stdout).until(ready, 20)
    return process


def _echo_round_trip(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(payload)
        client.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := client.recv(65536):
            received += chunk
    return received


def test_port_forward_over_the_websocket_tunnel(server, kubectl):
    with echo_server() as echo_port, http_server(b"hello through the pod\n") as http_port:
        server.reset()
        local_echo, local_http = free_port(), free_port()
        forwarder = _forward(kubectl, [f"{local_echo}:{echo_port}", f"{local_http}:{http_port}"])
        try:
            payload = os.urandom(300_000)
            assert _echo_round_trip(local_echo, payload) == payload
            assert _echo_round_trip(local_echo, b"second connection") == b"second connection"
            curl = subprocess.run(["curl", "-s", f"http://127.0.0.1:{local_http}/"], capture_output=True, timeout=20)
            assert curl.stdout == b"hello through the pod\n"
        finally:
            forwarder.terminate()
            forwarder.wait(10)
    upgrade = requests_for(server, "GET", "/pods/web-0/portforward")[0]
    assert header(upgrade, "Upgrade").lower() == "websocket"
    assert header(upgrade, "Sec-WebSocket-Protocol") == "SPDY/3.1+portforward.k8s.io"


def test_port_forward_over_plain_spdy(server, kubectl):
    with echo_server() as echo_port:
        server.reset()
        local = free_port()
        forwarder = _forward(kubectl, [f"{local}:{echo_port}"], env={"KUBECTL_PORT_FORWARD_WEBSOCKETS": "false"})
        try:
            assert _echo_round_trip(local, b"over spdy") == b"over spdy"
        finally:
            forwarder.terminate()
            forwarder.wait(10)
    upgrade = requests_for(server, "POST", "/pods/web-0/portforward")[0]
    assert header(upgrade, "Upgrade") == "SPDY/3.1"
    assert header(upgrade, "X-Stream-Protocol-Version") == "portforward.k8s.io"


def test_port_forward_to_a_closed_port_reports_the_error(kubectl):
    closed, local = free_port(), free_port()
    forwarder = _forward(kubectl, [f"{local}:{closed}"])
    try:
        with socket.create_connection(("127.0.0.1", local), timeout=10) as client:
            assert client.recv(10) == b""
        assert forwarder.wait(20) == 1
        errors = forwarder.stderr.read()
        assert f"an error occurred forwarding {local} -> {closed}" in errors and "connection refused" in errors
    finally:
        if forwarder.poll() is None:
            forwarder.kill()
            forwarder.wait()


def test_websocket_channel_port_forward(server):
    with echo_server() as echo_port:
        path = f"/api/v1/namespaces/default/pods/web-0/portforward?ports={echo_port}"
        ws = MiniWebSocket(server.raw_socket(), path, ["v4.channel.k8s.io"], TOKEN)
        assert ws.status == 101
        port_bytes = struct.pack("<H", echo_port)
        assert ws.receive() == (2, b"\x00" + port_bytes)
        assert ws.receive() == (2, b"\x01" + port_bytes)
        ws.send(b"\x00channel echo")
        assert ws.receive() == (2, b"\x00channel echo")
        ws.sock.close()


# -- transport -----------------------------------------------------------------------------------------------------


def test_keep_alive_and_content_length(server, certificates):
    context = ssl.create_default_context(cafile=certificates[0])
    connection = http.client.HTTPSConnection("127.0.0.1", server.port, context=context, timeout=10)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    connection.request("GET", "/version", headers=headers)
    first = connection.getresponse()
    assert first.status == 200 and int(first.getheader("Content-Length")) == len(first.read())
    sock = connection.sock
    connection.request("GET", "/api/v1/namespaces/default/pods/web-0", headers=headers)
    second = connection.getresponse()
    assert second.status == 200 and json.loads(second.read())["metadata"]["name"] == "web-0"
    assert connection.sock is sock, "the second request should reuse the connection"
    assert sock.selected_alpn_protocol() in (None, "http/1.1")
    connection.close()


def test_plain_http_and_insecure_tls_kubeconfigs(server, tmp_path):
    insecure = Kubectl(str(tmp_path), write_kubeconfig(str(tmp_path / "insecure"), server.url, TOKEN, insecure=True))
    assert "web-0" in ok(insecure.run("get", "pods"))
    plain = StandIn()
    try:
        wait_for_port(plain.port)
        client = Kubectl(str(tmp_path), write_kubeconfig(str(tmp_path / "plain"), plain.url, "never-sent"))
        assert ok(client.run("exec", "web-0", "--", "echo", "plain")) == "plain\n"
        # client-go reads a user's credentials only for https servers: over http kubectl sends no Authorization.
        assert plain.requests() and all(entry["authorization"] is None for entry in plain.requests())
    finally:
        plain.stop()


def test_unknown_paths_are_404_status(server):
    for path in ("/api/v2", "/apis/batch/v1/jobs", "/api/v1/namespaces/default/widgets", "/nothing"):
        status, _, body = server.call(path)
        assert status == 404, path
        assert json.loads(body)["reason"] == "NotFound"
    status, _, _ = server.call("/openapi/v2")
    assert status == 404
