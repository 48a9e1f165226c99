"""An agent using an `mcp` resource through `hoopctl mcp RESOURCE`, driven by the official Python MCP SDK's client.

    python3 governed.py HOOPCTL RESOURCE first|changed

`first` lists and calls the upstream's tools as a hostile agent would (a hidden tool, an approval and respellings
of its arguments, methods other than tools, a tool that does not exist); `changed` runs after the upstream changed
a tool's definition. APPROVER_ENV names a JSON file with the environment of a second identity that approves with
`HOOPCTL approvals approve`. Prints one JSON document of what each step returned (the last line of stdout).
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import subprocess
import sys
import threading

from mcp import ClientSession, MCPError, StdioServerParameters, stdio_client


async def call(session, name, arguments, steps, label):
    try:
        result = await session.call_tool(name, arguments)
        text = "".join(block.text for block in result.content if getattr(block, "text", None))
        steps[label] = {"is_error": bool(result.is_error), "text": text,
                        "structured": result.structured_content}
    except MCPError as error:
        steps[label] = {"rpc_error": {"code": error.error.code, "message": error.error.message}}
    return steps[label]


def approve(hoopctl: str, approval) -> dict:
    with open(os.environ["APPROVER_ENV"]) as handle:
        approver = json.load(handle)
    done = subprocess.run([hoopctl, "approvals", "approve", str(approval), "--reason", "ok"], env=approver,
                          capture_output=True, text=True)
    return {"exit": done.returncode, "stderr": done.stderr}


async def first(session, hoopctl: str, steps: dict) -> None:
    tools = await session.list_tools()
    steps["tools"] = sorted(tool.name for tool in tools.tools)
    await call(session, "search_tickets", {"query": "refund"}, steps, "search")
    await call(session, "delete_ticket", {"id": 1}, steps, "hidden_tool")
    await call(session, "no_such_tool", {}, steps, "unknown_tool")
    pending = await call(session, "close_ticket", {"id": 1, "project": "PROD"}, steps, "pending")
    approval = (pending.get("structured") or {}).get("approval_id")
    await call(session, "close_ticket", {"id": 1, "project": " prod "}, steps, "respelled")
    await call(session, "close_ticket", {"id": 1, "project": ["DEV", "PROD"]}, steps, "smuggled_in_list")
    steps["approve"] = await asyncio.to_thread(approve, hoopctl, approval)
    await call(session, "close_ticket", {"id": 1, "project": "PROD"}, steps, "approved")
    await call(session, "close_ticket", {"id": 1, "project": "PROD"}, steps, "replayed")
    await call(session, "close_ticket", {"id": 2, "project": "DEV"}, steps, "unguarded")
    await call(session, "environment", {}, steps, "environment")
    try:
        await session.read_resource("tickets://all")
        steps["resource_read"] = {"served": True}
    except MCPError as error:
        steps["resource_read"] = {"rpc_error": {"code": error.error.code, "message": error.error.message}}
    await call(session, "search_tickets", {"query": ""}, steps, "still_serving")


async def changed(session, hoopctl: str, steps: dict) -> None:
    tools = await session.list_tools()
    steps["described"] = {tool.name: tool.description for tool in tools.tools}
    held = await call(session, "get_ticket", {"id": 2}, steps, "held")
    approval = (held.get("structured") or {}).get("approval_id")
    steps["approve"] = await asyncio.to_thread(approve, hoopctl, approval)
    await call(session, "get_ticket", {"id": 2}, steps, "after_approval")
    tools = await session.list_tools()
    steps["described_after"] = {tool.name: tool.description for tool in tools.tools}


RAW_ATTACKS = [
    # The same member twice: whichever the broker reads is what the upstream gets, re-encoded.
    '{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"get_ticket","name":"delete_ticket",'
    '"arguments":{"id":1}}}',
    '{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"close_ticket",'
    '"arguments":{"id":1,"project":"DEV","project":"PROD"}}}',
    '[{"jsonrpc":"2.0","id":13,"method":"tools/call","params":{"name":"delete_ticket","arguments":{"id":1}}}]',
    'this is not json',
    '{"jsonrpc":"2.0","id":14,"result":{"answer":"to nothing"}}',
    '{"jsonrpc":"2.0","id":15,"method":"resources/list"}',
    '{"jsonrpc":"2.0","id":16,"method":"tools/call","params":{"name":"Delete_Ticket","arguments":{"id":1}}}',
    '{"jsonrpc":"2.0","id":17,"method":"ping"}',
    # A pending id reused at once: the list's answer must not be read as the call's (unfiltered, unpinned).
    ('{"jsonrpc":"2.0","id":20,"method":"tools/list"}',
     '{"jsonrpc":"2.0","id":20,"method":"tools/call","params":{"name":"search_tickets",'
     '"arguments":{"query":"collided"}}}'),
    # Ids that are neither strings nor integers (Python reads 1.5 and a 70-bit integer its own way).
    '{"jsonrpc":"2.0","id":1.5,"method":"tools/list"}',
    '{"jsonrpc":"2.0","id":1180591620717411303424,"method":"tools/list"}',
    # A null id is not a request id (MCP): refused, this close must never run.
    '{"jsonrpc":"2.0","id":null,"method":"tools/call","params":{"name":"close_ticket",'
    '"arguments":{"id":3,"project":"PROD"}}}',
    # Notifications only the upstream (or a client with roots) may send; dropped, the connection serves on.
    '{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}',
    '{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}',
    # Arguments as an array, and names that look like a blocked tool's.
    '{"jsonrpc":"2.0","id":21,"method":"tools/call","params":{"name":"close_ticket","arguments":[4,"PROD"]}}',
    '{"jsonrpc":"2.0","id":22,"method":"tools/call","params":{"name":"delete_ticket\\u0000","arguments":{"id":1}}}',
    '{"jsonrpc":"2.0","id":23,"method":"tools/call","params":{"name":"delete_t\\u0456cket","arguments":{"id":1}}}',
    '{"jsonrpc":"2.0","id":24,"method":"tools/call","params":{"name":"' + "delete_ticket" * 400
    + '","arguments":{"id":1}}}',
    # Respellings of PROD an upstream's collation could read as PROD: each needs its own approval.
    '{"jsonrpc":"2.0","id":25,"method":"tools/call","params":{"name":"close_ticket",'
    '"arguments":{"id":1,"project":"\\u200bPROD"}}}',
    '{"jsonrpc":"2.0","id":26,"method":"tools/call","params":{"name":"close_ticket",'
    '"arguments":{"id":1,"project":"\\uff30\\uff32\\uff2f\\uff24"}}}',
    '{"jsonrpc":"2.0","id":27,"method":"tools/call","params":{"name":"close_ticket",'
    '"arguments":{"id":1,"project":"PR\\u00d6D"}}}',
    '{"jsonrpc":"2.0","id":28,"method":"tools/call","params":{"name":"close_ticket",'
    '"arguments":{"id":1,"project":"\\u00adprod"}}}',
    # A cursor of the agent's choosing: whatever page comes back is filtered.
    '{"jsonrpc":"2.0","id":29,"method":"tools/list","params":{"cursor":"anything"}}',
    '{"jsonrpc":"2.0","id":39,"method":"ping"}',
]

# Tool calls on a connection that never sent initialize: judged all the same.
BEFORE_INITIALIZE = [
    '{"jsonrpc":"2.0","id":40,"method":"tools/call","params":{"name":"delete_ticket","arguments":{"id":1}}}',
    '{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{"name":"close_ticket",'
    '"arguments":{"id":6,"project":"PROD"}}}',
]

INITIALIZE = [
    '{"jsonrpc":"2.0","id":10,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
    '"capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}',
    '{"jsonrpc":"2.0","method":"notifications/initialized"}',
]


def answered(line: str) -> bool:
    """Notifications and responses get no answer."""
    return not (line.startswith('{"jsonrpc":"2.0","method"') or '"result"' in line)


def raw_attacks(hoopctl: str, resource: str, attacks: list) -> list:
    """Hand-written lines no SDK would send, on a connection of their own; what came back, in order. A tuple of
    lines is sent at once, before any answer is read. An answer that does not come within 20 s is noted; the first
    (initialize) gets 90 s, since it waits for the session and the upstream to start, which on a loaded machine
    took longer than 20 s and shifted every later answer by one."""
    process = subprocess.Popen([hoopctl, "mcp", resource], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env=dict(os.environ), text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    answers = []
    for attack in attacks:
        group = attack if isinstance(attack, tuple) else (attack,)
        for line in group:
            process.stdin.write(line + "\n")
        process.stdin.flush()
        for _ in range(sum(answered(line) for line in group)):
            try:
                answers.append(json.loads(lines.get(timeout=20 if answers else 90)))
            except queue.Empty:
                answers.append({"no_answer": True})
    process.stdin.close()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    return answers


async def scenario(hoopctl: str, resource: str, phase: str) -> dict:
    steps: dict = {}
    if phase == "first":
        steps["raw"] = await asyncio.to_thread(raw_attacks, hoopctl, resource, INITIALIZE + RAW_ATTACKS)
        steps["before_initialize"] = await asyncio.to_thread(raw_attacks, hoopctl, resource, BEFORE_INITIALIZE)
    params = StdioServerParameters(command=hoopctl, args=["mcp", resource], env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            steps["capabilities"] = sorted(
                name for name in ("tools", "resources", "prompts")
                if getattr(init.capabilities, name, None) is not None)
            await (first if phase == "first" else changed)(session, hoopctl, steps)
    return steps


def main() -> None:
    hoopctl, resource, phase = sys.argv[1:4]
    print(json.dumps(asyncio.run(scenario(hoopctl, resource, phase)), sort_keys=True, default=str))


if __name__ == "__main__":
    main()
