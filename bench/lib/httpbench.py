"""The http section: wrk against a static JSON file served by nginx, on three paths to the same server —

- direct: wrk → nginx serving the file;
- nginx-proxy: wrk → a second nginx as a reverse proxy (HTTP/1.1 with upstream keep-alive) → the same nginx, the
  proxy a user would put in front of an API instead of the broker;
- broker: wrk → `hoopctl connect api-bench` (a local port) → TLS tunnel → the broker's `http` resource (the held
  bearer token injected, a guardrail judged on every request, e-mail and card detectors masking every answer,
  recording) → the same nginx;
- broker-tcp: the same tunnel to a `tcp` resource (`api-bench-tcp`): bytes relayed and recorded, no HTTP engine,
  so that the engine's share of the broker's cost can be told from the tunnel's.

Both nginx instances come from testing/peers/nginx.sh. The broker paths run on a broker of their own
(Stack.side_broker): a build without the `http` engine refuses that config, and the section measures the other
paths and says why the broker path is missing. Cells (file, connections) run each path in rotating order per
repetition, like the other sections; ratios are per repetition against direct."""

import json
import os
import subprocess
import urllib.error
import urllib.request

from .common import BenchError, cpu_seconds, free_port, log, median, rotated, spread
from .sections import Section, _ratio

TOKEN_ENV = "BENCH_API_TOKEN"
TOKEN = "bench-api-token"
PATHS = {"direct": "direct (nginx static)", "nginx-proxy": "nginx reverse proxy",
         "broker": "broker (http resource: guardrails+masking+recording)", "broker-tcp": "broker (tcp resource)"}
# The broker resource behind each broker path.
RESOURCES = {"broker": "api-bench", "broker-tcp": "api-bench-tcp"}


class Path:
    """One way for wrk to reach the static server: its base URL, and the processes whose CPU it costs, each a
    function returning the pids to charge (nginx's workers are children of its master, and are counted too)."""

    def __init__(self, name, base, processes=None):
        self.name = name
        self.label = PATHS[name]
        self.base = base
        self.processes = processes or {}

    def cpu(self):
        return {role: sum(_cpu(pid) for pid in pids()) for role, pids in self.processes.items()}


def _cpu(pid):
    try:
        return cpu_seconds(pid)
    except FileNotFoundError:  # a worker that exited between listing and reading
        return 0.0


def _with_children(pid):
    """A process and its direct children (nginx's master and workers), from /proc/PID/task/*/children."""
    pids = [pid]
    task_dir = f"/proc/{pid}/task"
    for task in os.listdir(task_dir):
        with open(f"{task_dir}/{task}/children") as handle:
            pids += [int(child) for child in handle.read().split()]
    return pids


def resources(port):
    """The broker resources in front of the static nginx, by path. The http one has the shape of the product's
    example: a held bearer token, a guardrail judged on every request (none of wrk's GETs matches it), masking."""
    return {
        "broker": (f"  - name: {RESOURCES['broker']}\n    type: http\n    url: http://127.0.0.1:{port}\n"
                   f"    credential: {{ bearer_env: {TOKEN_ENV} }}\n    allow_groups: [agents]\n"
                   "    max_session: 12h\n    guardrails:\n"
                   '      - { name: no-deletes, match: { method: DELETE, path: "/v1/users/*" }, action: block }\n'
                   "    masking: { detectors: [email, payment_card] }\n"),
        "broker-tcp": (f"  - name: {RESOURCES['broker-tcp']}\n    type: tcp\n    address: 127.0.0.1:{port}\n"
                       "    allow_groups: [agents]\n    max_session: 12h\n"),
    }


class Nginx:
    """An nginx started with testing/peers/nginx.sh in the bench's directory, stopped with the stack."""

    def __init__(self, stack, name, upstream=None):
        self.script = os.path.join(stack.root, "testing", "peers", "nginx.sh")
        self.directory = os.path.join(stack.work, name)
        self.port = free_port()
        argv = [self.script, "start", self.directory, str(self.port)] + ([upstream] if upstream else [])
        stack.cleanups.append(self.stop)
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            raise BenchError(f"{name} did not start: {done.stderr.strip()}\n{self.log()[-2000:]}")
        with open(os.path.join(self.directory, "nginx.pid")) as handle:
            self.master = int(handle.read().strip())

    def stop(self):
        subprocess.run([self.script, "stop", self.directory], capture_output=True)

    def log(self):
        try:
            with open(os.path.join(self.directory, "server.log"), errors="replace") as handle:
                return handle.read()
        except FileNotFoundError:
            return ""

    def pids(self):
        return _with_children(self.master)

    def size(self, file):
        return os.path.getsize(os.path.join(self.directory, "www", file))


def wrk(path, file, connections, seconds, work):
    """One wrk run (`wrk -t1 -cN -dS --latency`); returns requests/s, latency percentiles in ms, errors, and the
    CPU of the path's processes per request (µs) and in cores."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrk_report.lua")
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", "-s", script,
            f"{path.base}/{file}"]
    before = path.cpu()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds * 5 + 60, cwd=work)
    after = path.cpu()
    line = next((l for l in done.stdout.splitlines() if l.startswith("WRK_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk against {path.label} failed ({done.returncode}):\n{done.stdout[-1500:]}"
                         f"{done.stderr[-1500:]}")
    result = json.loads(line.split(" ", 1)[1])
    requests, wall = result["requests"], result["duration_us"] / 1e6
    row = {"requests": requests, "rps": requests / wall if wall else None,
           "mean_ms": result["mean_us"] / 1000, "p50_ms": result["p50_us"] / 1000,
           "p90_ms": result["p90_us"] / 1000, "p99_ms": result["p99_us"] / 1000, "max_ms": result["max_us"] / 1000,
           "mb_per_s": result["bytes"] / 1e6 / wall if wall else None,
           "errors": sum(result["errors"].values()), "error_kinds": result["errors"]}
    for role in path.processes:
        spent = after[role] - before[role]
        row[f"{role}_cpu_us_per_request"] = spent * 1e6 / requests if requests else None
        row[f"{role}_cpu_cores"] = spent / wall if wall else None
    return row


def _sample(base, file, method="GET"):
    """Status and the start of the body of one request, to show in the report what each path answers."""
    request = urllib.request.Request(f"{base}/{file}", method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return {"status": response.status, "body": _flat(response.read(240))}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "body": _flat(error.read(240))}
    except OSError as error:
        return {"status": None, "body": f"error: {error}"}


def _flat(data):
    """Text for one line of a markdown report: whitespace runs collapsed, backticks dropped."""
    return " ".join(data.decode("utf-8", "replace").replace("`", "").split())


def _broker_paths(stack, static, wanted, section):
    """The broker paths asked for, on a broker of their own. A build without the `http` engine refuses its
    resource: the section notes why, and the tcp path still runs on a broker without it."""
    available = resources(static.port)
    names = [name for name in RESOURCES if name in wanted]
    if not names:
        return {}
    process, env = stack.side_broker("http-broker", "".join(available[name] for name in names),
                                     env={TOKEN_ENV: TOKEN})
    if process is None and "broker" in names:
        section.note(f"broker path not available: {env}.")
        names.remove("broker")
        if names:
            process, env = stack.side_broker("http-broker-tcp", "".join(available[name] for name in names))
    if process is None:
        if names:
            section.note(f"broker paths not available: {env}.")
        return {}
    paths = {}
    for name in names:
        target = stack.connect(RESOURCES[name], name, PATHS[name], targets={}, env=env, broker=process)
        forwarder = target.processes["connect"]
        paths[name] = Path(name, f"http://127.0.0.1:{target.port}",
                           {"broker": lambda: [process.pid], "connect": lambda pid=forwarder: [pid]})
    return paths


def section(stack, settings):
    sec = Section("http", "HTTP: wrk requests/s and latency, direct vs nginx reverse proxy vs the broker's http "
                          "resource")
    static = Nginx(stack, "nginx-static")
    paths = {"direct": Path("direct", f"http://127.0.0.1:{static.port}")}
    wanted = settings["http_targets"]
    if "nginx-proxy" in wanted:
        proxy = Nginx(stack, "nginx-proxy", upstream=f"127.0.0.1:{static.port}")
        paths["nginx-proxy"] = Path("nginx-proxy", f"http://127.0.0.1:{proxy.port}", {"proxy": proxy.pids})
    paths.update(_broker_paths(stack, static, wanted, sec))
    if "broker" not in wanted:
        sec.note("broker path not run (BENCH_HTTP_TARGETS leaves it out).")
    files = settings["http_files"]
    sec.data["files"] = {file: static.size(file) for file in files}
    sec.data["samples"] = {name: _sample(path.base, files[0]) for name, path in paths.items()}
    if "broker" in paths:
        # The guardrail is live: a DELETE the policy blocks never reaches nginx (which would answer 405).
        sec.data["guardrail_sample"] = _sample(paths["broker"].base, "v1/users/1", method="DELETE")
    targets = list(paths.values())
    for path in targets:  # warm connections, caches and the broker's code paths once
        wrk(path, files[0], 1, 1, stack.work)
    configs = [(file, connections) for file in files for connections in settings["http_connections"]]
    runs = {}
    for rep in range(settings["reps"]):
        for index, (file, connections) in enumerate(configs):
            for path in rotated(targets, rep + index):
                row = wrk(path, file, connections, settings["http_seconds"], stack.work)
                row.update(rep=rep, file=file, connections=connections, target=path.name)
                runs.setdefault((file, connections, path.name), []).append(row)
                log(f"  rep {rep + 1}/{settings['reps']} {file} -c {connections} {path.label}: "
                    f"{row['rps']:.0f} req/s, p99 {row['p99_ms']:.3f} ms" +
                    (f", {row['errors']} errors" if row["errors"] else ""))
    for file, connections in configs:
        direct = runs[(file, connections, "direct")]
        for path in targets:
            rows = runs[(file, connections, path.name)]
            ratios = [_ratio(r["rps"], d["rps"]) for r, d in zip(rows, direct)]
            aggregated = {
                "file": file, "bytes": sec.data["files"][file], "connections": connections, "target": path.name,
                "label": path.label, "reps": len(rows), "rps": median([r["rps"] for r in rows]),
                "rps_ratio": median(ratios), "rps_ratio_range": spread(ratios),
                "p50_ms": median([r["p50_ms"] for r in rows]), "p99_ms": median([r["p99_ms"] for r in rows]),
                "p50_ms_ratio": median([_ratio(r["p50_ms"], d["p50_ms"]) for r, d in zip(rows, direct)]),
                "p99_ms_ratio": median([_ratio(r["p99_ms"], d["p99_ms"]) for r, d in zip(rows, direct)]),
                "errors": sum(r["errors"] for r in rows),
            }
            for key in rows[0]:
                if key.endswith(("_cpu_us_per_request", "_cpu_cores")):
                    aggregated[key] = median([r.get(key) for r in rows])
            sec.data["rows"].append(aggregated)
    sec.data["raw"] = [row for rows in runs.values() for row in rows]
    sec.data["nginx_errors"] = [line for line in static.log().splitlines() if "[error]" in line][-10:]
    sec.note(f"wrk 4.1 -t1, {settings['reps']} interleaved repetitions of {settings['http_seconds']} s per cell "
             "(paths in rotating order); medians shown; ratio = path requests/s / direct requests/s of the same "
             "repetition. p50/p99 are wrk's per-request latency percentiles. wrk, nginx, the broker and "
             "`hoopctl connect` share the machine's cores, so at many connections the paths also compete for CPU. "
             "The files are JSON arrays of users, each with an e-mail address and a test card number, so the "
             "broker's masking rewrites every answer.")
    return sec.finish()
