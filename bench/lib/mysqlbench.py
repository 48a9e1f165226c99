"""The MySQL section: sysbench OLTP through the broker's MySQL engine against MariaDB 10.11 direct and haproxy.

MySQL's pieces of the stack live here rather than in stack.py: a MariaDB server started in the bench's
temporary directory (owned by the stack, so it stops with everything else), the broker resources `my-policy`
(guardrails that never fire on sysbench, every masking detector, recording) and `my-record` (recording only), their
`hoopctl connect` forwarders, and a haproxy in TCP mode in front of MariaDB. The section runs sysbench's
oltp_point_select and oltp_read_write with prepared statements (sysbench's default, `--db-ps-mode=auto`: the binary
protocol, COM_STMT_PREPARE / COM_STMT_EXECUTE) and with the text protocol (`--db-ps-mode=disable`), at each thread
count, targets interleaved per repetition like the pgbench section, and compares the broker's ratio to direct with
the one the PostgreSQL engine reaches."""

import json
import os
import re
import shutil
import subprocess
import time

from .common import BenchError, cpu_seconds, free_port, log, median, rotated, spread, wait_until
from .sections import Section, _ratio
from .stack import MASKING, Target, guardrails

MY_USER = "sbtest"
MY_PASSWORD = "bench-mysql-password"
MY_DATABASE = "sbtest"

# The PostgreSQL example policy's guardrails in MySQL's words. sysbench's statements are point and range SELECTs,
# UPDATE/DELETE by primary key, and INSERT, so every statement is judged and none is stopped.
GUARDRAILS = guardrails("load_file|into outfile|into dumpfile")

# sysbench's scripts and what the PostgreSQL section runs that is closest to each, for the comparison of ratios:
# a point select is pgbench -S; oltp_read_write (BEGIN, 14 reads, 4 writes, COMMIT) is closest to TPC-B-like.
PG_COUNTERPART = {"oltp_point_select": "select-only", "oltp_read_write": "tpcb-like"}
# Prepared statements on (auto) is pgbench -M prepared; the text protocol is -M simple.
PG_PROTOCOL = {"auto": "prepared", "disable": "simple"}


class MariaDB:
    """A throwaway MariaDB server on loopback: no binary log, no durable commit (PostgreSQL runs with fsync off),
    a buffer pool that holds the sysbench tables, and a user with mysql_native_password, which every client
    library and the broker's local hop speak."""

    def __init__(self, stack):
        self.stack = stack
        self.dir = os.path.join(stack.work, "mariadb")
        self.port = None
        self.process = None
        self.targets = {}

    def start(self):
        self.port = free_port()
        os.makedirs(self.dir)
        conf = os.path.join(self.dir, "my.cnf")
        with open(conf, "w") as handle:
            handle.write(
                f"[mariadbd]\nuser = mysql\ndatadir = {self.dir}/data\nsocket = {self.dir}/mysqld.sock\n"
                f"pid-file = {self.dir}/mysqld.pid\nlog-error = {self.dir}/server.log\nbind-address = 127.0.0.1\n"
                f"port = {self.port}\nskip-log-bin\nskip-name-resolve\ninnodb_flush_log_at_trx_commit = 0\n"
                "innodb_doublewrite = 0\ninnodb_buffer_pool_size = 256M\nmax_connections = 300\n"
                f"[client]\nsocket = {self.dir}/mysqld.sock\n")
        shutil.chown(self.dir, "mysql", "mysql")
        shutil.chown(conf, "mysql", "mysql")
        result = subprocess.run(["mariadb-install-db", f"--defaults-file={conf}",
                                 "--auth-root-authentication-method=socket", "--skip-test-db"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise BenchError(f"mariadb-install-db failed: {(result.stdout + result.stderr)[-2000:]}")
        # In the foreground, so the stack owns its pid and stops it with everything else.
        self.process = self.stack.spawn("mariadb", ["mariadbd", f"--defaults-file={conf}"])
        wait_until(self._answers, 60, "MariaDB")
        self.admin(f"CREATE DATABASE {MY_DATABASE};"
                   f"CREATE USER {MY_USER}@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('{MY_PASSWORD}');"
                   f"GRANT ALL ON {MY_DATABASE}.* TO {MY_USER}@'%';")
        self.targets["direct"] = Target("direct", "direct", self.port, MY_USER, MY_PASSWORD)
        log(f"MariaDB on 127.0.0.1:{self.port} ({self.version()})")

    def _answers(self):
        if self.process.poll() is not None:
            raise BenchError(f"mariadbd exited ({self.process.returncode}):\n{self.server_log()[-3000:]}")
        return subprocess.run(["mariadb-admin", f"--defaults-file={self.dir}/my.cnf", "--connect-timeout=1", "ping"],
                              capture_output=True).returncode == 0

    def server_log(self):
        try:
            with open(os.path.join(self.dir, "server.log"), errors="replace") as handle:
                return handle.read()
        except FileNotFoundError:
            return ""

    def admin(self, sql, capture=False):
        """Runs SQL as root over the server's socket, outside every proxy."""
        result = subprocess.run(["mariadb", f"--defaults-file={self.dir}/my.cnf", "-uroot", "--batch",
                                 "--skip-column-names", "-e", sql], capture_output=True, text=True)
        if result.returncode != 0:
            raise BenchError(f"mariadb failed on {sql[:80]!r}: {result.stderr.strip()}")
        return result.stdout.strip() if capture else None

    def version(self):
        return self.admin("SELECT VERSION()", capture=True)

    def broker_resources(self):
        common = (f"    address: 127.0.0.1:{self.port}\n    database: {MY_DATABASE}\n    username: {MY_USER}\n"
                  "    password_env: BENCH_MY_PASSWORD\n    tls: disable\n    max_session: 12h\n"
                  "    allow_groups: [agents]\n")
        return ("  # MySQL with the realistic policy: guardrails judged per statement, every detector, recording.\n"
                "  - name: my-policy\n    type: mysql\n" + common + GUARDRAILS + MASKING +
                "  # The same MariaDB with recording only (no guardrails, no masking).\n"
                "  - name: my-record\n    type: mysql\n" + common)


def add_to_stack(stack):
    """Starts MariaDB and registers its broker resources; call before the broker starts."""
    server = MariaDB(stack)
    server.start()
    stack.mysql = server
    stack.extra_resources += server.broker_resources()
    stack.extra_env["BENCH_MY_PASSWORD"] = MY_PASSWORD
    return server


def connect_paths(stack):
    """The brokered paths and haproxy in front of MariaDB; call once the broker is up."""
    server = stack.mysql
    stack.connect("my-policy", "broker-policy", "broker (masking+guardrails+recording)", targets=server.targets)
    stack.connect("my-record", "broker-record", "broker (recording only)", targets=server.targets)
    stack.start_haproxy("haproxy-mysql", backend_port=server.port, user=MY_USER, password=MY_PASSWORD,
                        targets=server.targets)


# -- sysbench -------------------------------------------------------------------------------------------------------


def _sysbench(target, workload, settings, *, threads=1, ps_mode="auto", seconds=None, command="run"):
    argv = ["sysbench", workload, "--db-driver=mysql", "--mysql-host=127.0.0.1", f"--mysql-port={target.port}",
            f"--mysql-user={target.user}", f"--mysql-password={target.password}", f"--mysql-db={MY_DATABASE}",
            f"--tables={settings['mysql_tables']}", f"--table-size={settings['mysql_table_size']}",
            f"--threads={threads}", f"--db-ps-mode={ps_mode}", "--percentile=95", "--rand-seed=0"]
    if seconds:
        argv += [f"--time={seconds}", "--events=0"]
    return argv + [command]


def _number(pattern, text, what, target):
    found = re.search(pattern, text)
    if not found:
        raise BenchError(f"sysbench against {target.label} printed no {what}:\n{text[-2000:]}")
    return float(found.group(1))


def run(target, workload, settings, *, threads, ps_mode, seconds):
    """One sysbench run; returns TPS, QPS, latency, errors and the proxy processes' CPU per transaction and per
    query (sysbench's own count of queries, BEGIN and COMMIT included, as pgbench's statements are)."""
    argv = _sysbench(target, workload, settings, threads=threads, ps_mode=ps_mode, seconds=seconds)
    before = {role: cpu_seconds(pid) for role, pid in target.processes.items()}
    started = time.monotonic()
    result = subprocess.run(argv, capture_output=True, text=True, timeout=seconds * 5 + 120)
    wall = time.monotonic() - started
    after = {role: cpu_seconds(pid) for role, pid in target.processes.items()}
    output = result.stdout + result.stderr
    if result.returncode != 0 or "FATAL" in output:
        raise BenchError(f"sysbench {workload} against {target.label} failed ({result.returncode}):\n"
                         f"{output[-2000:]}")
    transactions = _number(r"transactions:\s+(\d+)", output, "transactions", target)
    queries = _number(r"queries:\s+(\d+)", output, "queries", target)
    row = {
        "tps": _number(r"transactions:\s+\d+\s+\(([\d.]+) per sec", output, "TPS", target),
        "qps": _number(r"queries:\s+\d+\s+\(([\d.]+) per sec", output, "QPS", target),
        "transactions": int(transactions), "queries": int(queries),
        "avg_ms": _number(r"avg:\s+([\d.]+)", output, "average latency", target),
        "p95_ms": _number(r"95th percentile:\s+([\d.]+)", output, "95th percentile", target),
        "max_ms": _number(r"max:\s+([\d.]+)", output, "maximum latency", target),
        "errors": int(_number(r"ignored errors:\s+(\d+)", output, "error count", target)),
        "reconnects": int(_number(r"reconnects:\s+(\d+)", output, "reconnect count", target)),
        "wall_s": wall,
    }
    for role in target.processes:
        spent = after[role] - before[role]
        row[f"{role}_cpu_us_per_tx"] = spent * 1e6 / transactions if transactions else None
        row[f"{role}_cpu_us_per_stmt"] = spent * 1e6 / queries if queries else None
        row[f"{role}_cpu_cores"] = spent / wall
    return row


def _masked_sample(server):
    """One sysbench row read through the masked resource and directly: whether the detectors rewrite sysbench's
    digit groups decides how much masking work the section includes."""
    sql = "SELECT c FROM sbtest1 WHERE id = 1"
    rows = {}
    for name in ("direct", "broker-policy"):
        target = server.targets[name]
        result = subprocess.run(["mariadb", "-h", "127.0.0.1", "-P", str(target.port), "-u", target.user,
                                 "--batch", "--skip-column-names", "--connect-timeout=20", MY_DATABASE, "-e", sql],
                                env=dict(os.environ, MYSQL_PWD=target.password), capture_output=True, text=True)
        rows[name] = result.stdout.strip() if result.returncode == 0 else f"error: {result.stderr.strip()}"
    return rows


def _broker_findings(stack, offset):
    """Warnings and errors the broker logged since `offset` (the log's length when the section started), counted
    by message with timestamps, session names and numbers left out, so resets and refusals under load are part of
    the result rather than lost in a log file."""
    counts = {}
    for line in stack.log_text("broker")[offset:].splitlines():
        words = line.split(" ", 2)
        level = words[1] if len(words) > 2 else ""
        lowered = line.lower()
        if level in ("warning", "error", "critical") or any(
                word in lowered for word in ("error", "reset", "refused", "failed", "decision=deny")):
            text = words[2] if level else line
            key = re.sub(r"\d+", "N", re.sub(r"ses_\w+", "ses_…", text.strip()))[:200]
            counts[key] = counts.get(key, 0) + 1
    return [{"message": key, "count": count} for key, count in sorted(counts.items(), key=lambda kv: -kv[1])][:20]


def _recordings_bytes(stack):
    directory = os.path.join(stack.work, "broker", "data", "recordings")
    if not os.path.isdir(directory):
        return 0
    return sum(os.path.getsize(os.path.join(directory, name)) for name in os.listdir(directory))


def postgres_reference(root):
    """The PostgreSQL engine's pgbench ratios from the latest committed full result file, for a run that did not
    measure PostgreSQL itself. Returns the file's name and its broker-policy and haproxy rows."""
    listed = subprocess.run(["git", "-C", root, "ls-files", "bench/results/*.json"], capture_output=True,
                            text=True).stdout.split()
    for path in sorted(listed, reverse=True):
        try:
            with open(os.path.join(root, path)) as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            continue
        rows = data.get("sections", {}).get("pgbench", {}).get("rows")
        if data.get("quick") or not rows:
            continue
        return {"source": os.path.basename(path), "git_commit": data["machine"].get("git_commit"),
                "load_start": data.get("load_start"), "rows": rows}
    return None


def section(stack, settings):
    sec = Section("mysql", "MySQL: sysbench OLTP through the MySQL engine, TPS, latency and proxy CPU per query")
    server = stack.mysql
    names = [n for n in settings["mysql_targets"] if n in server.targets]
    if "direct" not in names:
        names.insert(0, "direct")
    targets = [server.targets[n] for n in names]
    log(f"  sysbench prepare: {settings['mysql_tables']} tables x {settings['mysql_table_size']} rows, directly")
    prepared = subprocess.run(_sysbench(server.targets["direct"], "oltp_read_write", settings, command="prepare"),
                              capture_output=True, text=True)
    if prepared.returncode != 0:
        raise BenchError(f"sysbench prepare failed:\n{(prepared.stdout + prepared.stderr)[-2000:]}")
    sec.data["masked_sample"] = _masked_sample(server)
    sec.data["mariadb"] = server.version()
    log_offset = len(stack.log_text("broker"))
    for target in targets:  # warm the buffer pool, the broker's code paths and the forwarders once
        run(target, "oltp_point_select", settings, threads=1, ps_mode="auto", seconds=1)
    recorded = _recordings_bytes(stack)
    configs = [(w, t, p) for w in settings["mysql_workloads"] for t in settings["mysql_threads"]
               for p in settings["mysql_ps_modes"]]
    runs = {}
    for rep in range(settings["reps"]):
        for index, (workload, threads, ps_mode) in enumerate(configs):
            for target in rotated(targets, rep + index):
                row = run(target, workload, settings, threads=threads, ps_mode=ps_mode,
                          seconds=settings["mysql_seconds"])
                row.update(rep=rep, workload=workload, threads=threads, ps_mode=ps_mode, target=target.name)
                runs.setdefault((workload, threads, ps_mode, target.name), []).append(row)
                log(f"  rep {rep + 1}/{settings['reps']} {workload} -t {threads} ps={ps_mode} {target.label}: "
                    f"{row['tps']:.0f} tps, p95 {row['p95_ms']:.2f} ms" +
                    (f", {row['errors']} errors" if row["errors"] else ""))
    for workload, threads, ps_mode in configs:
        direct = runs[(workload, threads, ps_mode, "direct")]
        haproxy = runs.get((workload, threads, ps_mode, "haproxy"))
        for target in targets:
            rows = runs[(workload, threads, ps_mode, target.name)]
            ratios = [_ratio(r["tps"], d["tps"]) for r, d in zip(rows, direct)]
            versus_haproxy = [_ratio(r["tps"], h["tps"]) for r, h in zip(rows, haproxy)] if haproxy else []
            aggregated = {
                "workload": workload, "clients": threads, "protocol": ps_mode, "target": target.name,
                "label": target.label, "reps": len(rows),
                "tps": median([r["tps"] for r in rows]), "qps": median([r["qps"] for r in rows]),
                "tps_ratio": median(ratios), "tps_ratio_range": spread(ratios),
                "haproxy_ratio": median(versus_haproxy), "haproxy_ratio_range": spread(versus_haproxy),
                "avg_ms": median([r["avg_ms"] for r in rows]), "p95_ms": median([r["p95_ms"] for r in rows]),
                "p95_ms_ratio": median([_ratio(r["p95_ms"], d["p95_ms"]) for r, d in zip(rows, direct)]),
                "errors": sum(r["errors"] for r in rows), "reconnects": sum(r["reconnects"] for r in rows),
            }
            for key in rows[0]:
                if key.endswith(("_cpu_us_per_tx", "_cpu_us_per_stmt", "_cpu_cores")):
                    aggregated[key] = median([r.get(key) for r in rows])
            sec.data["rows"].append(aggregated)
    sec.data["raw"] = [row for rows in runs.values() for row in rows]
    brokered = sum(row["queries"] for row in sec.data["raw"] if row["target"].startswith("broker-"))
    recorded = _recordings_bytes(stack) - recorded
    sec.data["recording"] = {"bytes": recorded, "brokered_queries": brokered,
                             "bytes_per_query": recorded / brokered if brokered else None}
    sec.data["broker_log"] = _broker_findings(stack, log_offset)
    sec.data["mariadb_log_errors"] = [line for line in server.server_log().splitlines() if "[ERROR]" in line][-10:]
    sec.data["postgres_reference"] = postgres_reference(stack.root)
    sec.note(f"sysbench 1.0 with {settings['mysql_tables']} tables of {settings['mysql_table_size']} rows, "
             f"{settings['reps']} interleaved repetitions of {settings['mysql_seconds']} s per cell (targets in "
             "rotating order); medians shown; ratio = target TPS / direct (or haproxy) TPS of the same repetition. "
             "ps auto = prepared statements (binary protocol), disable = text protocol. p95 is sysbench's "
             "histogram percentile. CPU µs/query counts sysbench's queries, BEGIN and COMMIT included "
             "(oltp_read_write: 20 per transaction).")
    return sec.finish()
