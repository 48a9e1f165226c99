"""One pgbench run against one target, with the proxy processes' CPU charged per transaction and latency
percentiles from pgbench's per-transaction log."""

import glob
import os
import re
import subprocess
import time

from .common import BenchError, cpu_seconds, percentile
from .stack import PG_DATABASE

# Statements per transaction: -S is one SELECT; the TPC-B-like script is BEGIN, 3 UPDATEs, SELECT, INSERT, END.
STATEMENTS = {"select-only": 1, "tpcb-like": 7}


def run(target, work, *, workload, clients, protocol, seconds, connect_each=False, threads=None, ready=None):
    """Runs pgbench once. With `ready` (a function that returns once every client is connected), CPU and
    throughput are also measured over the window after that moment, so connection setup is left out of them."""
    prefix = os.path.join(work, f"pgbench-{target.name}-{os.getpid()}-{time.monotonic_ns()}")
    argv = ["pgbench", "-n", "-h", "127.0.0.1", "-p", str(target.port), "-U", target.user, "-T", str(seconds),
            "-c", str(clients), "-j", str(threads or min(clients, 2)), "-M", protocol, "--log",
            f"--log-prefix={prefix}"]
    if workload == "select-only":
        argv.append("-S")
    if connect_each:
        argv.append("-C")
    argv.append(PG_DATABASE)
    before = {role: cpu_seconds(pid) for role, pid in target.processes.items()}
    started = time.monotonic()
    process = subprocess.Popen(argv, env=target.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    window = None
    try:
        if ready:
            ready()
            window = (time.time(), time.monotonic(),
                      {role: cpu_seconds(pid) for role, pid in target.processes.items()})
        stdout, stderr = process.communicate(timeout=seconds * 5 + 120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    result = subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)
    wall = time.monotonic() - started
    after = {role: cpu_seconds(pid) for role, pid in target.processes.items()}
    latencies = []
    in_window = 0
    for path in glob.glob(prefix + ".*"):
        with open(path) as handle:
            for line in handle:
                fields = line.split()
                if len(fields) >= 6 and fields[2].isdigit():
                    latencies.append(int(fields[2]))
                    if window and int(fields[4]) + int(fields[5]) / 1e6 >= window[0]:
                        in_window += 1
        os.remove(path)
    output = result.stdout + result.stderr
    if result.returncode != 0 or "aborted" in output:
        raise BenchError(f"pgbench against {target.label} failed ({result.returncode}):\n{output[-2000:]}")
    processed = re.search(r"number of transactions actually processed: (\d+)", output)
    rate = re.search(r"tps = ([\d.]+)", output)
    if not processed or not rate:
        raise BenchError(f"pgbench against {target.label} printed no result ({result.returncode}):\n{output[-2000:]}")
    transactions = int(processed.group(1))
    tps = float(rate.group(1))
    failed = re.search(r"number of failed transactions: (\d+)", output)
    latencies.sort()
    row = {
        "tps": tps,
        "transactions": transactions,
        "failed": int(failed.group(1)) if failed else 0,
        "avg_ms": sum(latencies) / len(latencies) / 1000 if latencies else None,
        "p99_ms": percentile(latencies, 0.99) / 1000 if latencies else None,
        "wall_s": wall,
    }
    if window:
        span = time.monotonic() - window[1]
        row["window_s"] = span
        row["window_tps"] = in_window / span if span > 0 else None
        for role in target.processes:
            spent = after[role] - window[2][role]
            row[f"{role}_window_cpu_cores"] = spent / span if span > 0 else None
            row[f"{role}_window_cpu_us_per_tx"] = spent * 1e6 / in_window if in_window else None
    statements = transactions * STATEMENTS[workload]
    for role in target.processes:
        spent = after[role] - before[role]
        row[f"{role}_cpu_us_per_tx"] = spent * 1e6 / transactions if transactions else None
        row[f"{role}_cpu_us_per_stmt"] = spent * 1e6 / statements if statements else None
        row[f"{role}_cpu_cores"] = spent / wall
    return row
