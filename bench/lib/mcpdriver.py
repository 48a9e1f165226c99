"""One MCP client session for the mcp section, on the official Python SDK (PyPI `mcp`): starts the server command
given after `--`, initializes, lists the tools, then calls `search_tickets` CALLS times in a row. Prints one JSON
line: the session's setup time and each call's latency, in seconds.

    python3 mcpdriver.py CALLS -- COMMAND [ARGS...]
"""

import asyncio
import json
import os
import sys
import time

from mcp import ClientSession, StdioServerParameters, stdio_client


async def main(calls, command):
    began = time.perf_counter()
    params = StdioServerParameters(command=command[0], args=command[1:], env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            await session.list_tools()
            setup = time.perf_counter() - began
            latencies = []
            for _ in range(calls):
                start = time.perf_counter()
                result = await session.call_tool("search_tickets", {"query": "refund"})
                latencies.append(time.perf_counter() - start)
                if result.is_error:
                    raise SystemExit(f"the call failed: {result.content}")
    print(json.dumps({"setup_s": setup, "latencies_s": latencies}))


if __name__ == "__main__":
    split = sys.argv.index("--")
    asyncio.run(main(int(sys.argv[1]), sys.argv[split + 1:]))
