"""One pgbench run against one target, with the proxy processes' CPU charged per transaction and latency
percentiles from pgbench's per-transaction log."""

import glob
import os
import re
import subprocess
import threading
import time

from .common import BenchError, cpu_seconds, percentile
from .stack import PG_DATABASE

# Statements per transaction: -S is one SELECT; the TPC-B-like script is BEGIN, 3 UPDATEs, SELECT, INSERT, END.
STATEMENTS = {"select-only": 1, "tpcb-like": 7}


class CPUSampler(threading.Thread):
    """Samples the proxy processes' CPU time every `interval` seconds while pgbench runs. pgbench (14 and later)
    logs every client in before any client starts its first transaction, so the steady phase is known only from
    its log afterwards: from the first transaction's start to the last one's end. The samples let that phase's CPU
    be read back without the CPU of logging 128 clients in, which would otherwise be charged to their statements."""

    def __init__(self, processes, interval=0.05):
        super().__init__(daemon=True)
        self.processes = processes
        self.interval = interval
        self.samples = []  # (epoch seconds, {role: CPU seconds})
        self.halt = threading.Event()
        self.sample()

    def sample(self):
        self.samples.append((time.time(), {role: cpu_seconds(pid) for role, pid in self.processes.items()}))

    def run(self):
        while not self.halt.wait(self.interval):
            self.sample()

    def stop(self):
        self.halt.set()
        self.join()
        self.sample()

    def at(self, epoch):
        """Each process's CPU seconds at `epoch`, interpolated between the samples around it."""
        earlier = [s for s in self.samples if s[0] <= epoch] or self.samples[:1]
        later = [s for s in self.samples if s[0] >= epoch] or self.samples[-1:]
        (t0, cpu0), (t1, cpu1) = earlier[-1], later[0]
        share = (epoch - t0) / (t1 - t0) if t1 > t0 else 0
        return {role: cpu0[role] + (cpu1[role] - cpu0[role]) * share for role in cpu0}


def run(target, work, *, workload, clients, protocol, seconds=None, transactions=None, connect_each=False,
        threads=None, ready=None, steady=False):
    """Runs pgbench once, for `seconds` (-T, which includes logging the clients in) or for `transactions` per
    client (-t). With `ready` (a function that returns once every client is connected), CPU and
    throughput are also measured over the window after that moment, so connection setup is left out of them.
    With `steady`, the proxies' CPU is also reported for the steady phase read from pgbench's log (`steady_*`),
    which leaves out logging the clients in and out without asking the target how many are connected."""
    prefix = os.path.join(work, f"pgbench-{target.name}-{os.getpid()}-{time.monotonic_ns()}")
    length = ["-T", str(seconds)] if seconds else ["-t", str(transactions)]
    argv = ["pgbench", "-n", "-h", "127.0.0.1", "-p", str(target.port), "-U", target.user, *length,
            "-c", str(clients), "-j", str(threads or min(clients, 2)), "-M", protocol, "--log",
            f"--log-prefix={prefix}"]
    if workload == "select-only":
        argv.append("-S")
    if connect_each:
        argv.append("-C")
    argv.append(PG_DATABASE)
    before = {role: cpu_seconds(pid) for role, pid in target.processes.items()}
    started = time.monotonic()
    sampler = CPUSampler(target.processes) if steady else None
    if sampler:
        sampler.start()
    process = subprocess.Popen(argv, env=target.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    window = None
    try:
        if ready:
            ready()
            window = (time.time(), time.monotonic(),
                      {role: cpu_seconds(pid) for role, pid in target.processes.items()})
        stdout, stderr = process.communicate(timeout=(seconds or transactions) * 5 + 120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if sampler:
            sampler.stop()
    result = subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)
    wall = time.monotonic() - started
    after = {role: cpu_seconds(pid) for role, pid in target.processes.items()}
    latencies = []
    in_window = 0
    first_start, last_end = None, None
    for path in glob.glob(prefix + ".*"):
        with open(path) as handle:
            for line in handle:
                fields = line.split()
                if len(fields) >= 6 and fields[2].isdigit():
                    latency = int(fields[2])
                    latencies.append(latency)
                    ended = int(fields[4]) + int(fields[5]) / 1e6
                    if window and ended >= window[0]:
                        in_window += 1
                    first_start = min(first_start or ended, ended - latency / 1e6)
                    last_end = max(last_end or ended, ended)
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
    login = re.search(r"initial connection time = ([\d.]+) ms", output)
    latencies.sort()
    row = {
        "tps": tps,
        "transactions": transactions,
        "failed": int(failed.group(1)) if failed else 0,
        "avg_ms": sum(latencies) / len(latencies) / 1000 if latencies else None,
        "p99_ms": percentile(latencies, 0.99) / 1000 if latencies else None,
        "wall_s": wall,
        "connect_ms": float(login.group(1)) if login else None,
    }
    if window:
        span = time.monotonic() - window[1]
        row["window_s"] = span
        row["window_tps"] = in_window / span if span > 0 else None
        for role in target.processes:
            spent = after[role] - window[2][role]
            row[f"{role}_window_cpu_cores"] = spent / span if span > 0 else None
            row[f"{role}_window_cpu_us_per_tx"] = spent * 1e6 / in_window if in_window else None
    if sampler and latencies and last_end > first_start:
        span = last_end - first_start
        cpu_start, cpu_end = sampler.at(first_start), sampler.at(last_end)
        row["steady_s"] = span
        row["steady_tps"] = len(latencies) / span
        for role in target.processes:
            spent = cpu_end[role] - cpu_start[role]
            row[f"{role}_steady_cpu_cores"] = spent / span
            row[f"{role}_steady_cpu_us_per_stmt"] = spent * 1e6 / (len(latencies) * STATEMENTS[workload])
    statements = transactions * STATEMENTS[workload]
    for role in target.processes:
        spent = after[role] - before[role]
        row[f"{role}_cpu_us_per_tx"] = spent * 1e6 / transactions if transactions else None
        row[f"{role}_cpu_us_per_stmt"] = spent * 1e6 / statements if statements else None
        row[f"{role}_cpu_cores"] = spent / wall
    return row
