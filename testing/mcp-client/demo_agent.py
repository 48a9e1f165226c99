"""What `scripts/demo` shows of MCP: an agent on the official Python SDK's client using the broker's own tools
(`hoopctl mcp`) and a governed upstream MCP server (`hoopctl mcp tickets`), printing each answer briefly.

    python3 demo_agent.py HOOPCTL SQL_RESOURCE MCP_RESOURCE
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters, stdio_client


def show(label: str, result) -> None:
    body = result.structured_content if result.structured_content is not None else result.content[0].text
    text = json.dumps(body, sort_keys=True) if not isinstance(body, str) else body
    print(f"  {label}: {'error: ' if result.is_error else ''}{text[:300]}")


async def session(hoopctl: str, args: list, steps) -> None:
    params = StdioServerParameters(command=hoopctl, args=["mcp", *args], env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as client:
            await client.initialize()
            await steps(client)


async def main(hoopctl: str, sql_resource: str, mcp_resource: str) -> None:
    async def broker_tools(client):
        tools = await client.list_tools()
        print("hoopctl mcp offers:", ", ".join(sorted(tool.name for tool in tools.tools)))
        show("query (masked)", await client.call_tool(
            "query", {"resource": sql_resource, "sql": "select name, email, ssn from customers order by id"}))
        show("query (blocked)", await client.call_tool(
            "query", {"resource": sql_resource, "sql": "delete from customers"}))

    async def governed(client):
        tools = await client.list_tools()
        print(f"hoopctl mcp {mcp_resource} offers:", ", ".join(sorted(tool.name for tool in tools.tools)),
              "(delete_ticket is blocked, so not listed)")
        show("search_tickets (masked)", await client.call_tool("search_tickets", {"query": "refund"}))
        show("close_ticket in PROD", await client.call_tool("close_ticket", {"id": 1, "project": "PROD"}))

    await session(hoopctl, [], broker_tools)
    await session(hoopctl, [mcp_resource], governed)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
