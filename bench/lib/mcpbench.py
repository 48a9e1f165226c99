"""The mcp section: tool calls to an upstream MCP server (testing/mcp-upstream/tickets.py) made directly over
stdio, and through an `mcp` resource with `hoopctl mcp RESOURCE` (tool rules judged, every string masked, each
call and result recorded). Interleaved sessions, as ratios. No MCP gateway a user would pick instead installs
offline here, so the reference is the direct path alone."""

import json
import os
import subprocess

from .common import BenchError, log, median

RESOURCE = "mcp-tickets"


def add_to_stack(stack):
    """Registers the mcp resource; call before the broker starts."""
    script = os.path.join(stack.root, "testing", "mcp-upstream", "tickets.py")
    stack.mcp_log = os.path.join(stack.work, "mcp-upstream-calls.jsonl")
    stack.extra_resources += (
        f"  - name: {RESOURCE}\n    type: mcp\n    command: [python3, {script}, stdio]\n"
        f"    environment: {{ UPSTREAM_LOG: {stack.mcp_log} }}\n    allow_groups: [agents]\n    max_session: 12h\n"
        "    tool_changes: { approvers: [admins] }\n"
        "    guardrails:\n      - name: no-deletes\n        match: { tool: \"delete_*\" }\n        action: block\n"
        "      - name: prod-closes\n        match: { tool: close_ticket, arguments: { project: \"prod*\" } }\n"
        "        action: require_approval\n        approvers: [admins]\n"
        "    masking:\n      detectors: [email, payment_card]\n")


def _session(stack, calls, command):
    driver = os.path.join(stack.root, "bench", "lib", "mcpdriver.py")
    env = dict(stack.client_env, UPSTREAM_LOG=stack.mcp_log)
    done = subprocess.run(["python3", driver, str(calls), "--"] + command, env=env, capture_output=True, text=True,
                          timeout=600)
    if done.returncode != 0:
        raise BenchError(f"mcp driver failed: {done.stderr[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(stack, settings):
    script = os.path.join(stack.root, "testing", "mcp-upstream", "tickets.py")
    paths = {"direct": ["python3", script, "stdio"], "broker": [stack.hoopctl, "mcp", RESOURCE]}
    calls = settings["mcp_calls"]
    setups = {name: [] for name in paths}
    latencies = {name: [] for name in paths}
    for name, command in paths.items():  # warm both paths once
        _session(stack, 5, command)
    for rep in range(settings["reps"] * 2):
        order = list(paths) if rep % 2 == 0 else list(reversed(paths))
        for name in order:
            run = _session(stack, calls, paths[name])
            setups[name].append(run["setup_s"])
            latencies[name] += run["latencies_s"]
        log(f"  rep {rep + 1}: tool call median {median(latencies['direct']) * 1000:.2f} / "
            f"{median(latencies['broker']) * 1000:.2f} ms (direct / broker)")
    rows = []
    for name in paths:
        ordered = sorted(latencies[name])
        rows.append({"path": name, "calls": len(ordered), "setup_ms": median(setups[name]) * 1000,
                     "p50_ms": median(ordered) * 1000, "p95_ms": ordered[int(len(ordered) * 0.95) - 1] * 1000,
                     "calls_per_s": 1 / median(ordered)})
    direct = rows[0]
    for row in rows:
        row["throughput_ratio"] = row["calls_per_s"] / direct["calls_per_s"]
    return {"rows": rows}
