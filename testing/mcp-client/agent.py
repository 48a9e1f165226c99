"""An AI agent's side of `hoopctl mcp`, driven by the official Python MCP SDK (PyPI `mcp`, 2.x).

Runs one scenario against a broker and prints one JSON document (the last line of stdout) with what each step
returned, for the test to check:

    python3 agent.py stdio HOOPCTL RESOURCE
    python3 agent.py http HOOPCTL RESOURCE URL

Over stdio the MCP server is `HOOPCTL mcp`, spawned with this process's environment (its XDG_CONFIG_HOME holds
the agent's login). Over http it is the broker's Streamable HTTP endpoint URL, with MCP_BEARER as the agent's
token, MCP_CA as the broker's CA certificate, and MCP_OTHER_BEARER as a second identity's token for the checks
that a session belongs to the identity that opened it. APPROVER_ENV names a JSON file with the environment of a
second identity that approves the held statement with `HOOPCTL approvals approve`, as a person would from another
shell. MCP_EXPIRED_BEARER is the agent's identity with an expired token, refused on either transport.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import ssl
import subprocess
import sys

import httpx2
from mcp import ClientSession, MCPError, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client


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


def http_client(bearer: str) -> httpx2.AsyncClient:
    """An HTTP client that trusts the broker's CA and sends `bearer`."""
    context = ssl.create_default_context(cafile=os.environ["MCP_CA"])
    return httpx2.AsyncClient(headers={"Authorization": f"Bearer {bearer}"}, verify=context,
                              timeout=httpx2.Timeout(120.0))


@contextlib.asynccontextmanager
async def transport(kind: str, hoopctl: str, url: str | None):
    """The (read, write) streams of an MCP connection over stdio or Streamable HTTP."""
    if kind == "stdio":
        params = StdioServerParameters(command=hoopctl, args=["mcp"], env=dict(os.environ))
        async with stdio_client(params) as (read, write):
            yield read, write
    else:
        async with http_client(os.environ["MCP_BEARER"]) as client:
            async with streamable_http_client(url, http_client=client) as streams:
                yield streams[0], streams[1]


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "raw-agent", "version": "1"}}}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json",
           "MCP-Protocol-Version": "2025-06-18"}


async def expired_stdio_checks(hoopctl: str, steps: dict) -> None:
    """`hoopctl mcp` with an expired token: each call is a JSON-RPC error naming it, and the server keeps serving."""
    params = StdioServerParameters(command=hoopctl, args=["mcp"],
                                   env={**os.environ, "HOOP_TOKEN": os.environ["MCP_EXPIRED_BEARER"]})
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            await call(session, "list_resources", {}, steps, "expired_first")
            await call(session, "list_resources", {}, steps, "expired_again")


async def http_identity_checks(url: str, steps: dict) -> None:
    """Raw HTTP: who may open and use a session on the broker's endpoint."""
    async with http_client(os.environ["MCP_EXPIRED_BEARER"]) as client:
        answer = await client.post(url, json=INITIALIZE, headers=HEADERS)
        steps["http_expired_token"] = {"status": answer.status_code, "body": answer.text}
    async with http_client("not-a-token") as client:
        answer = await client.post(url, json=INITIALIZE, headers=HEADERS)
        steps["http_bad_token"] = {"status": answer.status_code, "body": answer.text}
    async with httpx2.AsyncClient(verify=ssl.create_default_context(cafile=os.environ["MCP_CA"])) as client:
        answer = await client.post(url, json=INITIALIZE, headers=HEADERS)
        steps["http_no_token"] = {"status": answer.status_code}
    async with http_client(os.environ["MCP_BEARER"]) as owner, http_client(os.environ["MCP_OTHER_BEARER"]) as other:
        async with owner.stream("POST", url, json=INITIALIZE, headers=HEADERS) as opened:
            session_id = opened.headers.get("mcp-session-id")
            steps["http_session_opened"] = {"status": opened.status_code, "has_id": session_id is not None}
        listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}
        stolen = await other.post(url, json=listing, headers={**HEADERS, "Mcp-Session-Id": session_id or ""})
        steps["http_other_identity"] = {"status": stolen.status_code, "body": stolen.text}
        unknown = await owner.post(url, json=listing, headers={**HEADERS, "Mcp-Session-Id": "no-such-session"})
        steps["http_unknown_session"] = {"status": unknown.status_code, "body": unknown.text}
        ended = await owner.delete(url, headers={**HEADERS, "Mcp-Session-Id": session_id or ""})
        after = await owner.post(url, json=listing, headers={**HEADERS, "Mcp-Session-Id": session_id or ""})
        steps["http_after_delete"] = {"delete": ended.status_code, "status": after.status_code}


async def scenario(kind: str, hoopctl: str, resource: str, url: str | None) -> dict:
    steps: dict = {}
    if kind == "http":
        await http_identity_checks(url, steps)
    else:
        await expired_stdio_checks(hoopctl, steps)
    async with transport(kind, hoopctl, url) as (read, write):
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
    kind, hoopctl, resource = sys.argv[1:4]
    if kind not in ("stdio", "http"):
        raise SystemExit(f"unknown transport {kind}")
    url = sys.argv[4] if kind == "http" else None
    steps = asyncio.run(scenario(kind, hoopctl, resource, url))
    print(json.dumps(steps, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
