"""The scale-out section: what sharing one PostgreSQL store costs and what three brokers behind haproxy buy.

Three ways to run the broker side by side, all started for the section on the bench's PostgreSQL cluster:

- `sqlite-1`: the main broker, on its embedded SQLite store (the default);
- `pg-1`: one broker on a PostgreSQL store of its own (database `hoop_store_1`), a deployment of one;
- `pg-3`: three brokers sharing the PostgreSQL store `hoop_store_3` (one set of keys and one TLS identity, copied
  from the first broker's data directory before the others start, as docs/deployment.md says), behind haproxy in
  TCP mode, round-robin per connection.

Session grants (`POST /v1/sessions`) are driven by N client processes, each on one kept-alive TLS connection with a
bearer token from the test identity provider (client credentials, as `hoopctl login --client-id` gets it); the
sessions granted in a round are then revoked (`DELETE /v1/sessions/{id}`, also timed), so every round starts with
the same live sessions. The audit events each phase appended are counted in the store itself. Then `pgbench -S`
through `hoopctl connect` to each of them, direct beside it."""

import base64
import http.client
import json
import multiprocessing
import os
import shutil
import sqlite3
import ssl
import time
import urllib.parse
import urllib.request

from .common import BenchError, cpu_seconds, free_port, log, median, percentile, rotated, spread
from .sections import Section, _pgbench_cells, _ratio
from .stack import PG_PASSWORD, PG_USER

# The resource sessions are granted on: granting judges no statement, so any of the PostgreSQL resources would do.
RESOURCE = "pg-policy"
# How long a granted session asks to live; the round revokes it long before.
SESSION_SECONDS = 3600


class GrantPath:
    """One way to reach a deployment's API: the port a client connects to, the CA it verifies, the broker processes
    that serve it (and haproxy's, when there is one), and how to count the audit events in its store."""

    def __init__(self, name, label, port, ca, brokers, count_events, proxy=None):
        self.name = name
        self.label = label
        self.port = port
        self.ca = ca
        self.brokers = brokers  # {broker name: pid}
        self.count_events = count_events
        self.proxy = proxy  # haproxy's pid, or None

    def processes(self):
        """The pgbench target's CPU roles: one per broker, and haproxy as `proxy`."""
        roles = {f"broker:{name}": pid for name, pid in self.brokers.items()}
        if self.proxy:
            roles["proxy"] = self.proxy
        return roles


# -- the deployments --------------------------------------------------------------------------------------------


def sqlite_path(stack):
    """The main broker, as started by bench/run: one broker on its embedded SQLite store."""
    database = os.path.join(stack.work, "broker", "data", "broker.db")

    def count():
        # Read-only, beside the broker's writes: SQLite's WAL lets a reader see the last commit without blocking.
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as connection:
            return connection.execute("SELECT count(*) FROM audit_events").fetchone()[0]

    return GrantPath("sqlite-1", "1 broker, SQLite store", stack.broker_port,
                     os.path.join(stack.work, "broker", "data", "tls", "ca.pem"), {"broker": stack.broker.pid}, count)


def postgres_deployment(stack, name, size):
    """`size` brokers sharing a new store database on the bench's PostgreSQL, each in work/NAME-broker-I, logged to
    NAME-broker-I.log; with more than one, haproxy in front of them. Returns the path to it."""
    database = f"hoop_store_{size}"
    stack.psql_admin(f"CREATE DATABASE {database} OWNER {PG_USER}")
    store = (f"store:\n  url: postgres://{PG_USER}@127.0.0.1:{stack.pg_port}/{database}\n"
             "  password_env: BENCH_PG_PASSWORD\n  tls: disable\n")
    brokers, first_data = {}, None
    for index in range(1, size + 1):
        broker = f"{name}-broker-{index}"
        directory = os.path.join(stack.work, broker)
        data = os.path.join(directory, "data")
        os.makedirs(directory)
        if first_data:
            # One identity for the deployment: the first broker's keys and CA, copied before this one starts.
            os.makedirs(data, mode=0o700)
            for folder in ("keys", "tls"):
                shutil.copytree(os.path.join(first_data, folder), os.path.join(data, folder))
        port = free_port()
        with open(os.path.join(directory, "broker.yaml"), "w") as handle:
            handle.write(stack.broker_header(port) + stack.postgres_resources(direct=False)
                         + f"broker_name: {broker}\n" + store)
        process = stack.spawn(broker, [stack.hoopctl, "broker", "serve", "--config", "broker.yaml"],
                              env=dict(os.environ, BENCH_PG_PASSWORD=PG_PASSWORD), cwd=directory)
        stack.wait_for_log(broker, process, "broker listening")
        brokers[broker] = (port, process.pid)
        first_data = first_data or data
    proxy = None
    if size > 1:
        port, haproxy = stack.haproxy(f"{name}-haproxy", [p for p, _ in brokers.values()], checks=True)
        proxy = haproxy.pid
    else:
        port = next(iter(brokers.values()))[0]
    log(f"  {name}: {size} broker(s) on store {database}" + (f", haproxy on 127.0.0.1:{port}" if proxy else ""))

    def count():
        return int(stack.psql_admin("SELECT count(*) FROM audit_events", database=database, capture=True))

    label = f"{size} broker{'s' if size > 1 else ''}, PostgreSQL store" + (" (haproxy)" if proxy else "")
    return GrantPath(name, label, port, os.path.join(first_data, "tls", "ca.pem"),
                     {broker: pid for broker, (_, pid) in brokers.items()}, count, proxy)


# -- driving the API --------------------------------------------------------------------------------------------


def access_token(issuer):
    """A token for ci-agent from the test identity provider's client-credentials grant (client_secret_basic)."""
    body = urllib.parse.urlencode({"grant_type": "client_credentials", "audience": "hoop"}).encode()
    request = urllib.request.Request(f"{issuer}/oauth/token", data=body, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header("Authorization", "Basic " + base64.b64encode(b"ci-agent:ci-agent-secret").decode())
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.load(reply)["access_token"]


class APIClient:
    """One kept-alive TLS connection to the broker's API with a bearer token; reconnects when the server closed it."""

    def __init__(self, port, ca, token):
        self.port = port
        self.context = ssl.create_default_context(cafile=ca)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection = None
        self.reconnects = 0

    def connect(self):
        self.connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=60)
        self.connection.connect()

    def call(self, method, path, body=None):
        """(status, parsed JSON body or text); one retry on a connection the server closed between requests."""
        for attempt in (0, 1):
            if self.connection is None:
                self.connect()
            try:
                self.connection.request(method, path, body=json.dumps(body) if body is not None else None,
                                        headers=self.headers)
                reply = self.connection.getresponse()
                text = reply.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                self.reconnects += 1
                if attempt:
                    raise
        try:
            return reply.status, json.loads(text)
        except ValueError:
            return reply.status, text.decode(errors="replace")


def _worker(path, token, seconds, revoke, go, results):
    """One client process: connects, waits for `go`, then grants sessions for `seconds` — or revokes the ids in
    `revoke` — and reports what it did through `results` (or why it stopped, so the bench never waits on it)."""
    try:
        _work(path, token, seconds, revoke, go, results)
    except Exception as error:
        results.put({"error": repr(error)})


def _work(path, token, seconds, revoke, go, results):
    client = APIClient(path.port, path.ca, token)
    client.connect()
    go.wait()
    started, cpu = time.monotonic(), time.process_time()
    latencies, ids, failures, failed = [], [], [], 0
    todo = list(revoke or [])
    while (todo if revoke is not None else time.monotonic() - started < seconds):
        sent = time.monotonic()
        if revoke is not None:
            status, reply = client.call("DELETE", f"/v1/sessions/{todo.pop()}")
            ok = status == 200
        else:
            status, reply = client.call("POST", "/v1/sessions", {"resource": RESOURCE, "reason": "benchmark",
                                                                "duration_seconds": SESSION_SECONDS})
            ok = status == 201 and isinstance(reply, dict) and "grant" in reply
            if ok:
                ids.append(reply["session"]["id"])
        if ok:
            latencies.append(time.monotonic() - sent)
            continue
        failed += 1
        if len(failures) < 5:
            failures.append(f"{status} {str(reply)[:200]}")
    results.put({"latencies": latencies, "ids": ids, "failed": failed, "failures": failures, "ended": time.monotonic(),
                 "cpu_s": time.process_time() - cpu, "reconnects": client.reconnects})


def _postgres_cpu(stack):
    """CPU seconds of the PostgreSQL server's processes now alive (the postmaster and its backends). A backend
    that exits between two readings takes its CPU with it; the store's pooled connections stay."""
    postmaster = stack.postmaster_pid()
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            if int(entry) == postmaster or int(fields[1]) == postmaster:
                total += cpu_seconds(int(entry))
        except (OSError, BenchError, IndexError, ValueError):
            continue  # gone between listing and reading
    return total


def phase(stack, path, token, clients, seconds=None, revoke=None):
    """Grants for `seconds` with `clients` processes, or revokes `revoke` (a list of id lists, one per process).
    Returns rates, latency, the audit events appended, and CPU of the brokers, haproxy, PostgreSQL and the
    client processes."""
    context = multiprocessing.get_context("fork")
    go, results = context.Event(), context.Queue()
    workers = [context.Process(target=_worker, args=(path, token, seconds, revoke[i] if revoke else None, go,
                                                     results), daemon=True) for i in range(clients)]
    for worker in workers:
        worker.start()
    time.sleep(0.3)  # let every client finish its TLS handshake before the clock starts
    events_before = path.count_events()
    roles = dict(path.brokers, **({"haproxy": path.proxy} if path.proxy else {}))
    cpu_before = {role: cpu_seconds(pid) for role, pid in roles.items()}
    pg_before = _postgres_cpu(stack)
    started = time.monotonic()
    go.set()
    reports = [results.get(timeout=(seconds or 0) + 600) for _ in workers]
    for worker in workers:
        worker.join()
    broken = [report["error"] for report in reports if "error" in report]
    if broken:
        raise BenchError(f"a client of {path.label} stopped: {broken[0]}")
    elapsed = max(report["ended"] for report in reports) - started
    cpu = {role: cpu_seconds(pid) - cpu_before[role] for role, pid in roles.items()}
    pg_cpu = _postgres_cpu(stack) - pg_before
    events = path.count_events() - events_before
    latencies = sorted(l for report in reports for l in report["latencies"])
    done = len(latencies)
    brokers_cpu = sum(cpu[name] for name in path.brokers)
    return {
        "done": done, "seconds": elapsed, "per_s": done / elapsed if elapsed > 0 else None,
        "p50_ms": percentile(latencies, 0.5) * 1000 if latencies else None,
        "p99_ms": percentile(latencies, 0.99) * 1000 if latencies else None,
        "audit_events": events, "audit_per_s": events / elapsed if elapsed > 0 else None,
        "events_per_op": events / done if done else None,
        "failed": sum(report["failed"] for report in reports),
        "failures": [f for report in reports for f in report["failures"]][:5],
        "reconnects": sum(report["reconnects"] for report in reports),
        "broker_cpu_cores": brokers_cpu / elapsed if elapsed > 0 else None,
        "broker_cpu_ms_per_op": brokers_cpu * 1000 / done if done else None,
        "broker_cpu_s": {name: cpu[name] for name in path.brokers},
        "proxy_cpu_cores": cpu["haproxy"] / elapsed if path.proxy and elapsed > 0 else None,
        "postgres_cpu_cores": pg_cpu / elapsed if elapsed > 0 else None,
        "client_cpu_cores": sum(report["cpu_s"] for report in reports) / elapsed if elapsed > 0 else None,
        "ids": [report["ids"] for report in reports],
    }


def grant_rounds(stack, section, paths, settings):
    """Warm-up, then `reps` rounds over the paths in rotating order: grants for BENCH_SCALEOUT_SECONDS, then the
    same sessions revoked. Adds a row per path and operation (medians, ratios to the SQLite broker of the same
    round) to section.data["grants"]."""
    clients, seconds = settings["scaleout_clients"], settings["scaleout_seconds"]
    for path in paths:  # connection pools, caches and code paths warmed once, off the clock
        warm = phase(stack, path, access_token(stack.issuer), clients, seconds=1)
        phase(stack, path, access_token(stack.issuer), clients, revoke=warm["ids"])
    runs = {}
    for rep in range(settings["reps"]):
        for path in rotated(paths, rep):
            token = access_token(stack.issuer)
            granted = phase(stack, path, token, clients, seconds=seconds)
            revoked = phase(stack, path, token, clients, revoke=granted.pop("ids"))
            revoked.pop("ids")
            for operation, row in (("grant", granted), ("revoke", revoked)):
                row.update(rep=rep, path=path.name, operation=operation)
                runs.setdefault((operation, path.name), []).append(row)
            log(f"  rep {rep + 1}/{settings['reps']} {path.label}: {granted['per_s']:.0f} grants/s "
                f"(p99 {granted['p99_ms']:.1f} ms, {granted['audit_per_s']:.0f} audit appends/s, "
                f"{granted['failed']} failed), {revoked['per_s']:.0f} revokes/s")
    rows = []
    for operation in ("grant", "revoke"):
        base = runs[(operation, paths[0].name)]
        single = runs.get((operation, "pg-1"))
        for path in paths:
            reps = runs[(operation, path.name)]
            versus_sqlite = [_ratio(r["per_s"], b["per_s"]) for r, b in zip(reps, base)]
            versus_single = [_ratio(r["per_s"], s["per_s"]) for r, s in zip(reps, single)] if single else []
            row = {"operation": operation, "path": path.name, "label": path.label, "brokers": len(path.brokers),
                   "reps": len(reps), "failed": sum(r["failed"] for r in reps),
                   "failures": [f for r in reps for f in r["failures"]][:5],
                   "ratio_sqlite": median(versus_sqlite), "ratio_sqlite_range": spread(versus_sqlite),
                   "ratio_pg1": median(versus_single), "ratio_pg1_range": spread(versus_single)}
            for key in ("done", "per_s", "p50_ms", "p99_ms", "audit_per_s", "events_per_op", "broker_cpu_cores",
                        "broker_cpu_ms_per_op", "proxy_cpu_cores", "postgres_cpu_cores", "client_cpu_cores"):
                row[key] = median([r[key] for r in reps])
            rows.append(row)
    section.data["grants"] = rows
    section.data["grants_raw"] = [row for reps in runs.values() for row in reps]


def pgbench_cells(stack, section, paths, settings):
    """`pgbench -S` through `hoopctl connect pg-policy` to each path (one forwarder each, whose tunnels haproxy
    spreads over the three brokers), direct beside it; rows as in the pgbench section, plus the brokers' CPU summed
    and each path's TPS over the single PostgreSQL-store broker's of the same repetition."""
    targets = [stack.targets["direct"]]
    for path in paths:
        env = stack.logged_in_client(f"{path.name}-client", path.port, path.ca)
        target = stack.connect(RESOURCE, f"scale-{path.name}", path.label, env=env, log_name=f"connect-{path.name}")
        # The CPU of every broker of the path (and haproxy's), not the main broker's that `connect` assumes.
        target.processes = dict(path.processes(), connect=target.processes["connect"])
        targets.append(target)
    configs = [("select-only", clients, settings["scaleout_protocol"]) for clients in settings["scaleout_pgbench_clients"]]
    _pgbench_cells(section, stack, targets, configs, settings)
    section.data["pgbench"] = section.data.pop("rows")
    section.data["pgbench_raw"] = section.data.pop("raw")
    section.data["rows"] = []
    summarize_pgbench(section.data)


def summarize_pgbench(data):
    """Adds to each pgbench row the brokers' CPU per statement, summed per repetition before the median (with one
    client the tunnel lands on another broker in each repetition, so a median per broker would miss it), and the
    TPS over the single PostgreSQL-store broker's of the same repetition."""
    raw = data["pgbench_raw"]
    by_cell = {(r["clients"], r["rep"], r["target"]): r for r in raw}
    for row in data["pgbench"]:
        reps = [r for r in raw if r["target"] == row["target"] and r["clients"] == row["clients"]]
        sums = [sum(value for key, value in r.items() if key.startswith("broker:") and key.endswith("_cpu_us_per_stmt"))
                for r in reps if any(key.startswith("broker:") for key in r)]
        row["brokers_cpu_us_per_stmt"] = median(sums)
        ratios = [] if row["target"] == "direct" else [
            _ratio(r["tps"], by_cell.get((r["clients"], r["rep"], "scale-pg-1"), {}).get("tps")) for r in reps]
        row["ratio_pg1"] = median(ratios)
        row["ratio_pg1_range"] = spread(ratios)


def section(stack, settings):
    section = Section("scale-out", "Scale-out: session grants and audit appends/s on SQLite, one and three "
                                   "PostgreSQL-store brokers; pgbench -S through one broker and through three")
    paths = [sqlite_path(stack), postgres_deployment(stack, "pg-1", 1), postgres_deployment(stack, "pg-3", 3)]
    section.data["paths"] = {p.name: {"label": p.label, "brokers": list(p.brokers)} for p in paths}
    grant_rounds(stack, section, paths, settings)
    pgbench_cells(stack, section, paths, settings)
    section.note(
        f"Grants: {settings['scaleout_clients']} client processes, each on one kept-alive TLS connection (through "
        f"haproxy, round-robin per connection, so 8 clients land 3/3/2 on three brokers), `POST /v1/sessions` on "
        f"`{RESOURCE}` for {settings['scaleout_seconds']} s per round, then the round's sessions revoked "
        f"(`DELETE /v1/sessions/{{id}}`), timed as its own phase; {settings['reps']} rounds, paths in rotating "
        "order, after one warm-up round each; medians shown, ratios are per round. Audit appends are counted in "
        "the store (`audit_events` rows before and after each phase). The bench's PostgreSQL runs with "
        "`fsync = off` and `synchronous_commit = off` (as for every section), and SQLite is the broker's own "
        "setting (WAL, `synchronous = NORMAL`): neither flushes to disk per commit, so this compares the stores' "
        "work, not the disk. Everything shares this machine's cores: three brokers do not get three machines' "
        "CPU. PostgreSQL CPU counts the server's processes alive at both ends of a phase. A revoke appends "
        "`session.revoke` and `session.close`; through haproxy it lands on a broker other than the session's owner "
        "two times in three, and the owner then seals its part of the recording (`recording.seal`), hence about 2.67 "
        "events per revoke on three brokers (a few of those seals land after the phase is counted).")
    return section.finish()
