"""The measurements. Each section returns a dict with its rows (aggregated over repetitions), the raw
repetitions, notes, and the load average at its start and end (the machine is shared, so say how busy it was)."""

import concurrent.futures
import json
import math
import os
import random
import shutil
import subprocess
import time

from . import pgbench
from .common import (BenchError, cpu_seconds, load_average, log, median, memory_kb, reset_peak_rss, rotated,
                     spread, thread_count)
from .pgwire import IdleConnection
from .stack import PG_DATABASE


class Section:
    def __init__(self, name, title):
        self.data = {"name": name, "title": title, "load_start": load_average(), "rows": [], "notes": []}
        self.started = time.monotonic()
        log(f"section {name}: {title}")

    def note(self, text):
        self.data["notes"].append(text)

    def finish(self):
        self.data["load_end"] = load_average()
        self.data["duration_s"] = round(time.monotonic() - self.started, 1)
        return self.data


def _ratio(value, base):
    return value / base if value is not None and base else None


def _cpu_columns(rows, prefix):
    """Median CPU figures of the proxy processes present in these runs."""
    columns = {}
    for key in rows[0]:
        if key.endswith(("_cpu_us_per_tx", "_cpu_us_per_stmt", "_cpu_cores")):
            columns[prefix + key] = median([r.get(key) for r in rows])
    return columns


# -- PostgreSQL throughput and latency ----------------------------------------------------------------------------


def pgbench_matrix(stack, settings):
    section = Section("pgbench", "pgbench: TPS, latency and proxy CPU per transaction")
    targets = [stack.targets[name] for name in settings["targets"]]
    configs = [(w, c, p) for w in settings["workloads"] for c in settings["clients"] for p in settings["protocols"]]
    _pgbench_cells(section, stack, targets, configs, settings)
    section.note(f"{settings['reps']} interleaved repetitions of {settings['seconds']} s per cell (targets in "
                 "rotating order); medians shown; ratio = target TPS / direct TPS of the same repetition.")
    return section.finish()


def clients_sweep(stack, settings):
    """Issue 16's sweep: how TPS and the tail follow the number of clients, per path."""
    section = Section("clients", "pgbench -S by number of clients: TPS, p99 and proxy CPU per statement")
    names = ["direct"] + [name for name in settings["sweep_targets"] if name != "direct"]
    skipped = [name for name in names if name not in stack.targets]
    for name in skipped:
        log(f"  clients: no target {name!r} in this stack (it has {', '.join(stack.targets)}); skipped")
    if skipped:
        section.note(f"Not in this stack, skipped: {', '.join(skipped)}.")
    targets = [stack.targets[name] for name in names if name in stack.targets]
    configs = [("select-only", c, p) for c in settings["sweep_clients"] for p in settings["sweep_protocols"]]
    widest = max(settings["sweep_clients"])
    fill = _fill_pools(stack, targets, widest)
    section.data["pools"] = fill

    def seconds(target, clients):
        # pgbench's -T includes logging the clients in; add twice the login time the fill measured (scaled to
        # this many clients), so each cell keeps at least about BENCH_SECONDS of steady phase.
        login = (fill[target.name]["login_ms"] or 0) / 1000 * clients / widest
        return settings["seconds"] + (math.ceil(2 * login) if login >= 0.05 else 0)

    _pgbench_cells(section, stack, targets, configs, settings, steady=True, seconds=seconds)
    section.note(f"pgbench -S -j 2, {settings['reps']} interleaved repetitions of {settings['seconds']} s per cell "
                 "(targets in rotating order); medians shown; ratio = target / direct of the same repetition. "
                 "pgbench logs every client in before the first transaction and leaves the login time out of TPS; "
                 "CPU µs/statement is the steady phase's (first transaction's start to last one's end, from "
                 "pgbench's log), so logging clients in and out is not charged to statements; each cell's -T is "
                 "lengthened by twice the measured login time, which -T includes. Pools are filled first, with "
                 f"{widest} clients until the database keeps that many idle backends or no more (kept: "
                 + ", ".join(f"{name} {pool['backends']}" for name, pool in fill.items()) + "): pgbouncer opens "
                 "one server connection at a time per pool, so a cold pool of 128 takes seconds to fill, and a "
                 "short cell would measure the filling rather than the pooler.")
    return section.finish()


def _fill_pools(stack, targets, clients, rounds=10):
    """Runs `clients` clients through each target until the database keeps `clients` idle backends after a run or
    no more than before it: a pooler's pool is then full (its steady state), and a path that keeps no connections
    stops after one short run. Later runs give each client 200 transactions, long enough that a client waiting for
    a server connection makes pgbouncer open one rather than take another client's as it closes. Returns per target
    the backends it left behind and the time the last run took to log its clients in."""
    pools = {}
    for target in targets:
        before = held = _client_backends(stack)
        for round_ in range(rounds):
            row = pgbench.run(target, stack.work, workload="select-only", clients=clients, protocol="simple",
                              transactions=200 if round_ else 20)
            time.sleep(0.5)  # the backends of the sessions that just closed exit asynchronously
            now = _client_backends(stack)
            grew = now > held
            held = max(held, now)
            if not grew or held - before >= clients:
                break
        pools[target.name] = {"backends": max(0, held - before), "login_ms": row["connect_ms"]}
        log(f"  {target.label}: {clients} clients logged in in {row['connect_ms'] or 0:.0f} ms; "
            f"{pools[target.name]['backends']} backends kept")
    return pools


def _pgbench_cells(section, stack, targets, configs, settings, steady=False, seconds=None):
    """Runs every (workload, clients, protocol) cell on every target, targets in rotating order per repetition,
    and adds one row per cell and target (medians, ratios to direct) and the raw repetitions to the section.
    `seconds(target, clients)` gives a cell's -T when it is not BENCH_SECONDS."""
    for target in targets:  # warm caches, prepared plans and the broker's code paths once
        pgbench.run(target, stack.work, workload="select-only", clients=1, protocol="simple", seconds=1)
    runs = {}
    for rep in range(settings["reps"]):
        for index, (workload, clients, protocol) in enumerate(configs):
            for target in rotated(targets, rep + index):
                row = pgbench.run(target, stack.work, workload=workload, clients=clients, protocol=protocol,
                                  seconds=seconds(target, clients) if seconds else settings["seconds"],
                                  steady=steady)
                row.update(rep=rep, workload=workload, clients=clients, protocol=protocol, target=target.name)
                runs.setdefault((workload, clients, protocol, target.name), []).append(row)
                log(f"  rep {rep + 1}/{settings['reps']} {workload} -c {clients} -M {protocol} {target.label}: "
                    f"{row['tps']:.0f} tps, p99 {row['p99_ms']:.3f} ms")
    for workload, clients, protocol in configs:
        direct = runs[(workload, clients, protocol, "direct")]
        for target in targets:
            rows = runs[(workload, clients, protocol, target.name)]
            ratios = [_ratio(r["tps"], d["tps"]) for r, d in zip(rows, direct)]
            aggregated = {
                "workload": workload, "clients": clients, "protocol": protocol, "target": target.name,
                "label": target.label, "reps": len(rows),
                "tps": median([r["tps"] for r in rows]),
                "tps_ratio": median(ratios), "tps_ratio_range": spread(ratios),
                "avg_ms": median([r["avg_ms"] for r in rows]),
                "p99_ms": median([r["p99_ms"] for r in rows]),
                "avg_ms_ratio": median([_ratio(r["avg_ms"], d["avg_ms"]) for r, d in zip(rows, direct)]),
                "p99_ms_ratio": median([_ratio(r["p99_ms"], d["p99_ms"]) for r, d in zip(rows, direct)]),
                "failed": sum(r["failed"] for r in rows),
            }
            aggregated.update(_cpu_columns(rows, ""))
            section.data["rows"].append(aggregated)
    section.data["raw"] = [row for rows in runs.values() for row in rows]


# -- Large results --------------------------------------------------------------------------------------------------

BIG_TABLE = """
DROP TABLE IF EXISTS big;
CREATE TABLE big (id bigint, created_at timestamptz, customer text, email text, status text, amount numeric(12,2),
                  country text, note text, ref text) WITH (autovacuum_enabled = off);
INSERT INTO big
SELECT g, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', 'Customer ' || g,
       'user' || g || '@example.com', (ARRAY['new','paid','shipped','refunded'])[1 + g % 4], (g % 100000) / 100.0,
       (ARRAY['DE','US','FR','BR','JP'])[1 + g % 5],
       'Order ' || g || ' ' || md5(g::text) ||
         CASE WHEN g % 10 = 0 THEN ' call +1 415 555 ' || lpad((g % 10000)::text, 4, '0') ELSE '' END,
       md5((g * 7)::text)
FROM generate_series(1, {rows}) g;
"""
BYTES_PER_ROW = 175  # COPY text of one row above, on average; the section reports the measured size


def _timed_psql(target, argv):
    started = time.monotonic()
    result = subprocess.run(target.psql_args() + argv, env=target.env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        raise BenchError(f"psql through {target.label} failed: {result.stderr.strip()[-1500:]}")
    return elapsed


def large_results(stack, settings):
    section = Section("large", "Large results: COPY TO STDOUT and a wide SELECT read by psql, MB/s and broker RSS")
    rows = max(1000, settings["large_mb"] * 1_000_000 // BYTES_PER_ROW)
    log(f"  creating table big ({rows} rows, about {settings['large_mb']} MB as COPY text)")
    stack.psql_admin(BIG_TABLE.format(rows=rows), database=PG_DATABASE)
    # Measure the payload once (and warm the page cache): the COPY text size is the section's "MB".
    direct = stack.targets["direct"]
    copy = subprocess.Popen(direct.psql_args() + ["-c", "COPY (SELECT * FROM big) TO STDOUT"], env=direct.env(),
                            stdout=subprocess.PIPE)
    size = 0
    while chunk := copy.stdout.read(1 << 20):
        size += len(chunk)
    if copy.wait() != 0:
        raise BenchError("direct COPY of table big failed")
    megabytes = size / 1e6
    section.data["payload"] = {"rows": rows, "bytes": size, "columns": 9}
    broker = stack.broker.pid
    sample = subprocess.run(stack.targets["broker-policy"].psql_args() + ["-A", "-t", "-c",
                            "SELECT email, note FROM big WHERE id = 10"], env=stack.targets["broker-policy"].env(),
                            capture_output=True, text=True)
    section.data["masked_sample"] = sample.stdout.strip()
    targets = [stack.targets[name] for name in ("direct", "broker-record", "broker-policy")]
    tests = {"copy": ["-c", "COPY (SELECT * FROM big) TO STDOUT"],
             "select": ["-A", "-t", "-o", "/dev/null", "-c", "SELECT * FROM big"]}
    runs = {}
    baseline_rss = memory_kb(broker, "VmRSS")
    for rep in range(settings["large_reps"]):
        for index, (test, argv) in enumerate(tests.items()):
            for target in rotated(targets, rep + index):
                reset_peak_rss(broker)
                cpu_before = cpu_seconds(broker)
                elapsed = _timed_psql(target, argv)
                row = {"rep": rep, "test": test, "target": target.name, "seconds": elapsed,
                       "mb_per_s": megabytes / elapsed}
                if target.processes:
                    row["broker_peak_rss_mb"] = memory_kb(broker, "VmHWM") / 1024
                    row["broker_cpu_s"] = cpu_seconds(broker) - cpu_before
                runs.setdefault((test, target.name), []).append(row)
                log(f"  rep {rep + 1}/{settings['large_reps']} {test} {target.label}: {row['mb_per_s']:.1f} MB/s")
    for test in tests:
        direct_rows = runs[(test, "direct")]
        for target in targets:
            rows_ = runs[(test, target.name)]
            ratios = [_ratio(r["mb_per_s"], d["mb_per_s"]) for r, d in zip(rows_, direct_rows)]
            aggregated = {"test": test, "target": target.name, "label": target.label, "reps": len(rows_),
                          "mb": round(megabytes, 1), "mb_per_s": median([r["mb_per_s"] for r in rows_]),
                          "ratio": median(ratios), "ratio_range": spread(ratios),
                          "seconds": median([r["seconds"] for r in rows_])}
            if target.processes:
                aggregated["broker_peak_rss_mb"] = max(r["broker_peak_rss_mb"] for r in rows_)
                aggregated["broker_cpu_s_per_gb"] = median([r["broker_cpu_s"] for r in rows_]) * 1000 / megabytes
            section.data["rows"].append(aggregated)
    section.data["broker_rss_before_mb"] = baseline_rss / 1024
    section.data["raw"] = [row for rows_ in runs.values() for row in rows_]
    section.note(f"Payload: {rows} rows x 9 columns, {megabytes:.0f} MB as COPY text (the MB in MB/s for both "
                 "tests). psql reads the SELECT's whole result into memory before writing it to /dev/null; "
                 "broker peak RSS is VmHWM reset before each run (clear_refs), so it is that run's own peak.")
    stack.psql_admin("DROP TABLE big", database=PG_DATABASE)
    return section.finish()


# -- Connections --------------------------------------------------------------------------------------------------


def connections(stack, settings):
    section = Section("connections", "New connections per second, and hoopctl exec wall time")
    targets = [stack.targets[name] for name in settings["connect_targets"]]
    runs = {}
    for rep in range(settings["reps"]):
        for target in rotated(targets, rep):
            row = pgbench.run(target, stack.work, workload="select-only", clients=1, protocol="simple",
                              seconds=settings["connect_seconds"], connect_each=True)
            runs.setdefault(target.name, []).append(row)
            log(f"  rep {rep + 1}/{settings['reps']} connect+select 1 {target.label}: {row['tps']:.0f}/s")
    direct = runs["direct"]
    for target in targets:
        rows = runs[target.name]
        ratios = [_ratio(r["tps"], d["tps"]) for r, d in zip(rows, direct)]
        aggregated = {"test": "pgbench -C -S -c 1", "target": target.name, "label": target.label,
                      "reps": len(rows), "per_s": median([r["tps"] for r in rows]), "ratio": median(ratios),
                      "ratio_range": spread(ratios), "avg_ms": median([r["avg_ms"] for r in rows]),
                      "p99_ms": median([r["p99_ms"] for r in rows])}
        aggregated.update(_cpu_columns(rows, ""))
        section.data["rows"].append(aggregated)
    section.data["exec"] = _exec_wall_time(stack, settings)
    section.note("pgbench -C opens a new connection for every transaction: TCP connect, (through the broker: local "
                 "forwarder, TLS to the broker, tunnel upgrade with the session grant, the session password, the "
                 "broker's own SCRAM login to the target), one SELECT, close.")
    return section.finish()


def _exec_wall_time(stack, settings):
    direct = stack.targets["direct"]
    exec_cmd = f"{stack.hoopctl} exec pg-policy -- 'select 1'"
    psql_cmd = ("psql -X -q -A -t -h 127.0.0.1 -p {port} -U {user} -d {db} -c 'select 1'"
                .format(port=direct.port, user=direct.user, db=PG_DATABASE))
    env = dict(stack.client_env, PGPASSWORD=direct.password, PGSSLMODE="disable")
    runs = settings["exec_runs"]
    if shutil.which("hyperfine"):
        out = os.path.join(stack.work, "hyperfine.json")
        result = subprocess.run(["hyperfine", "--style", "none", "--warmup", "2", "--runs", str(runs),
                                 "--export-json", out, "-n", "hoopctl exec", exec_cmd, "-n", "psql direct", psql_cmd],
                                env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BenchError(f"hyperfine failed: {result.stderr[-1500:]}")
        with open(out) as handle:
            data = json.load(handle)["results"]
        timing = {r["command"]: {"median_ms": r["median"] * 1000, "mean_ms": r["mean"] * 1000,
                                 "stddev_ms": (r["stddev"] or 0) * 1000, "min_ms": r["min"] * 1000,
                                 "max_ms": r["max"] * 1000, "runs": len(r["times"])} for r in data}
        tool = "hyperfine"
    else:
        samples = {"hoopctl exec": [], "psql direct": []}
        for _ in range(runs):
            for name, command in (("hoopctl exec", exec_cmd), ("psql direct", psql_cmd)):
                started = time.monotonic()
                subprocess.run(command, shell=True, env=env, check=True, stdout=subprocess.DEVNULL)
                samples[name].append(time.monotonic() - started)
        timing = {name: {"median_ms": median(values) * 1000, "min_ms": min(values) * 1000,
                         "max_ms": max(values) * 1000, "runs": runs} for name, values in samples.items()}
        tool = "timing loop"
    return {"tool": tool, "timing": timing,
            "note": "hoopctl exec opens a session (token from the cache, policy, grant), tunnels, logs in, runs "
                    "the statement, and revokes the session; psql direct is a plain login and SELECT."}


# -- Scale ----------------------------------------------------------------------------------------------------------


def scale(stack, settings):
    section = Section("scale", "Broker RSS and CPU with many idle sessions and many busy ones")
    broker = stack.broker.pid
    target = stack.targets["broker-policy"]
    connect_pid = target.processes["connect"]
    count = settings["idle"]
    idle = {"connections": count, "broker_rss_before_mb": memory_kb(broker, "VmRSS") / 1024,
            "connect_rss_before_mb": memory_kb(connect_pid, "VmRSS") / 1024,
            "broker_threads_before": thread_count(broker)}
    idle_floor = _client_backends(stack)
    opened = []
    started = time.monotonic()
    cpu_before = cpu_seconds(broker)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(IdleConnection, target.port, target.user, target.password, PG_DATABASE)
                       for _ in range(count)]
            errors = []
            for future in futures:
                try:
                    opened.append(future.result())
                except OSError as error:  # a refused or reset session is a finding, not a reason to stop
                    errors.append(str(error))
        idle["open_seconds"] = time.monotonic() - started
        idle["opened"] = len(opened)
        idle["failed"] = len(errors)
        idle["errors"] = sorted(set(errors))[:5]
        if errors:
            refusals = [l for l in stack.log_text("connect-pg-policy").splitlines() if "not opened" in l]
            idle["connect_log"] = sorted(set(refusals))[:5]
            section.note(f"{len(errors)} of {count} sessions could not be opened: {idle['errors']}; "
                         f"hoopctl connect said: {idle.get('connect_log')}")
        idle["broker_cpu_ms_per_open"] = (cpu_seconds(broker) - cpu_before) * 1000 / count
        log(f"  {count} idle sessions open in {idle['open_seconds']:.1f} s")
        time.sleep(2)
        window = settings["idle_window"]
        cpu_broker, cpu_connect, wall = cpu_seconds(broker), cpu_seconds(connect_pid), time.monotonic()
        time.sleep(window)
        wall = time.monotonic() - wall
        idle["broker_cpu_cores_idle"] = (cpu_seconds(broker) - cpu_broker) / wall
        idle["connect_cpu_cores_idle"] = (cpu_seconds(connect_pid) - cpu_connect) / wall
        idle["broker_rss_mb"] = memory_kb(broker, "VmRSS") / 1024
        idle["connect_rss_mb"] = memory_kb(connect_pid, "VmRSS") / 1024
        idle["broker_threads"] = thread_count(broker)
        idle["broker_rss_per_session_kb"] = ((idle["broker_rss_mb"] - idle["broker_rss_before_mb"]) * 1024 /
                                             max(1, len(opened)))
        idle["target_backends"] = int(stack.psql_admin(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'", capture=True))
        probes = random.sample(opened, min(20, len(opened)))
        idle["probes_answered"] = sum(1 for c in probes if c.select_one() == "1")
        idle["probes"] = len(probes)
    finally:
        for connection in opened:
            connection.close()
    time.sleep(3)
    idle["broker_rss_after_close_mb"] = memory_kb(broker, "VmRSS") / 1024
    section.data["idle"] = idle

    busy_rows = []
    clients = settings["busy"]
    # The target's backends of the closed idle sessions go away asynchronously; count from a drained state.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _client_backends(stack) > idle_floor + 5:
        time.sleep(0.5)
    baseline = _client_backends(stack)
    for rep in range(settings["busy_reps"]):
        for name in rotated(["direct", "broker-policy"], rep):
            t = stack.targets[name]
            if t.processes:
                reset_peak_rss(broker)
            row = pgbench.run(t, stack.work, workload="select-only", clients=clients, protocol="simple",
                              seconds=settings["busy_seconds"], threads=2,
                              ready=lambda: _all_connected(stack, baseline + clients,
                                                           timeout=settings["busy_seconds"] * 0.8))
            row.update(target=name, rep=rep)
            if t.processes:
                row["broker_peak_rss_mb"] = memory_kb(broker, "VmHWM") / 1024
                row["connect_rss_mb"] = memory_kb(connect_pid, "VmRSS") / 1024
            busy_rows.append(row)
            log(f"  rep {rep + 1} -c {clients} {t.label}: {row['tps']:.0f} tps")
    direct = [r for r in busy_rows if r["target"] == "direct"]
    brokered = [r for r in busy_rows if r["target"] == "broker-policy"]
    section.data["busy"] = {
        "clients": clients, "reps": settings["busy_reps"], "seconds": settings["busy_seconds"],
        "direct_tps": median([r["tps"] for r in direct]), "broker_tps": median([r["tps"] for r in brokered]),
        "ratio": median([_ratio(b["tps"], d["tps"]) for b, d in zip(brokered, direct)]),
        "direct_p99_ms": median([r["p99_ms"] for r in direct]),
        "broker_p99_ms": median([r["p99_ms"] for r in brokered]),
        "broker_peak_rss_mb": max(r["broker_peak_rss_mb"] for r in brokered),
        "direct_window_tps": median([r.get("window_tps") for r in direct]),
        "broker_window_tps": median([r.get("window_tps") for r in brokered]),
        "broker_cpu_cores": median([r.get("broker_window_cpu_cores") for r in brokered]),
        "connect_cpu_cores": median([r.get("connect_window_cpu_cores") for r in brokered]),
        "broker_cpu_us_per_tx": median([r.get("broker_window_cpu_us_per_tx") for r in brokered]),
        "window_s": median([r.get("window_s") for r in brokered]),
        "connect_rss_mb": max(r["connect_rss_mb"] for r in brokered),
    }
    section.data["raw"] = busy_rows
    section.note(f"Idle: {count} client connections through one `hoopctl connect` port, each logged in (the broker "
                 "holds a target connection per client connection), then left idle. Busy: pgbench -S -M simple "
                 f"-c {clients} -j 2 for BENCH_BUSY_SECONDS, which includes logging all clients in; CPU and the window "
                 "TPS are measured from the moment the target holds every client's backend to the end.")
    return section.finish()


def _client_backends(stack):
    return int(stack.psql_admin(
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'", capture=True))


def _all_connected(stack, count, timeout):
    """Returns once the target holds `count` client backends (every pgbench client is logged in)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _client_backends(stack) < count:
        time.sleep(0.2)


# -- SSH ------------------------------------------------------------------------------------------------------------


def ssh(stack, settings):
    from . import sshbench

    section = Section("ssh", "SSH: exec wall time and throughput, direct vs broker")
    supported, reason = sshbench.supported(stack)
    section.data["available"] = supported
    if not supported:
        section.note(f"not available: {reason}")
        return section.finish()
    try:
        section.data.update(sshbench.measure(stack, settings))
    except (BenchError, OSError, subprocess.SubprocessError) as error:
        section.data["available"] = False
        section.note(f"the build accepts ssh resources, but the measurement failed: {error}")
    return section.finish()


# -- MCP ------------------------------------------------------------------------------------------------------------


def mcp(stack, settings):
    from . import mcpbench

    section = Section("mcp", "MCP: tool calls to an upstream MCP server, direct vs through an mcp resource")
    try:
        section.data.update(mcpbench.measure(stack, settings))
    except (BenchError, OSError, subprocess.SubprocessError) as error:
        section.note(f"the measurement failed: {error}")
    section.note("No MCP gateway a user would pick instead installs offline here; the reference is the direct path.")
    return section.finish()
