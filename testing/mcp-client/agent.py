"""An AI agent's side of `hoopctl mcp`, driven by the official Python MCP SDK (PyPI `mcp`, 2.x).

Runs one scenario against a broker and prints one JSON document (the last line of stdout) with what each step
returned, for the test to check:

    python3 agent.py stdio HOOPCTL RESOURCE

The MCP server is `HOOPCTL mcp`, spawned over stdio with this process's environment (its XDG_CONFIG_HOME holds
the agent's login). APPROVER_ENV names a JSON file with the environment of a second identity that approves the
held statement with `HOOPCTL approvals approve`, as a person would from another shell.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

from mcp import ClientSession, MCPError, StdioServerParameters, stdio_client


def structured(result):
    """The tool result's structured content (falling back to the JSON text block)."""
    if result.structured_content is not None:
        return result.structured_content
    return json.loads(result.content[0].text)


async def call(session, name, arguments, steps, label, progress=None):
    try:
        result = await session.call_tool(name, arguments, progress_callback=progress)
        steps[label] = {"is_error": bool(result.is_error), "output": structured(result)}
    except MCPError as error:
        steps[label] = {"rpc_error": {"code": error.error.code, "message": error.error.message}}
    return steps[label]


async def scenario(hoopctl: str, resource: str) -> dict:
    steps: dict = {}
    params = StdioServerParameters(command=hoopctl, args=["mcp"], env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            steps["server"] = init.server_info.name
            tools = await session.list_tools()
            steps["tools"] = sorted(tool.name for tool in tools.tools)
            steps["schemas"] = {tool.name: tool.input_schema.get("required", []) for tool in tools.tools}
            await call(session, "list_resources", {}, steps, "list")
            await call(session, "describe_resource", {"resource": resource}, steps, "describe")
            await call(session, "describe_resource", {"resource": resource, "table": "people"}, steps, "describe_one")
            await call(session, "query", {"resource": resource, "sql": "select id, name, email from people order by id"},
                       steps, "masked")
            await call(session, "query", {"resource": resource, "sql": "select g from generate_series(1, 50) g",
                                          "max_rows": 10}, steps, "cut")
            await call(session, "query", {"resource": resource, "sql": "delete from people"}, steps, "blocked")
            pending = await call(session, "query", {"resource": resource, "sql": "drop table scratch",
                                                    "reason": "cleanup"}, steps, "pending")
            approval = pending.get("output", {}).get("approval_id")
            await call(session, "approval_status", {"approval_id": approval}, steps, "status_pending")
            await call(session, "query", {"resource": resource, "sql": "drop table scratch",
                                          "approval_id": approval}, steps, "still_pending")
            with open(os.environ["APPROVER_ENV"]) as handle:
                approver = json.load(handle)
            updates: list = []

            async def progress(step, total, message):
                updates.append(message)

            # The agent waits on the request (with progress) while a person approves it from another shell.
            waiting = asyncio.create_task(call(session, "approval_status", {"approval_id": approval,
                                                                            "wait_seconds": 60},
                                               steps, "status_approved", progress))
            await asyncio.sleep(2)
            decided = await asyncio.to_thread(
                subprocess.run, [hoopctl, "approvals", "approve", str(approval), "--reason", "ok for cleanup"],
                env=approver, capture_output=True, text=True)
            steps["approve_exit"] = decided.returncode
            steps["approve_stderr"] = decided.stderr
            await waiting
            steps["progress"] = updates
            await call(session, "query", {"resource": resource, "sql": "drop table scratch",
                                          "approval_id": approval}, steps, "approved")
            await call(session, "query", {"resource": resource, "sql": "drop table scratch",
                                          "approval_id": approval}, steps, "replayed")
            await call(session, "no_such_tool", {}, steps, "unknown_tool")
            await call(session, "query", {"resource": resource}, steps, "missing_sql")
            await call(session, "query", {"resource": resource, "sql": "select 1", "max_rows": "ten"}, steps,
                       "bad_type")
            await call(session, "query", {"resource": resource, "sql": "select 1", "limit": 3}, steps,
                       "unknown_argument")
            await call(session, "query", {"resource": "not-mine", "sql": "select 1"}, steps, "not_mine")
            await call(session, "run", {"resource": resource, "command": "uptime"}, steps, "wrong_tool")
            await call(session, "query", {"resource": resource, "sql": "select name from people where id = 1"}, steps,
                       "still_serving")
    return steps


def main() -> None:
    transport, hoopctl, resource = sys.argv[1:4]
    if transport != "stdio":
        raise SystemExit(f"unknown transport {transport}")
    steps = asyncio.run(scenario(hoopctl, resource))
    print(json.dumps(steps, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
