"""One client connection: read a request, let the app answer it, write the reply, repeat (HTTP/1.1 keep-alive).

A streamed reply (watch, followed log) runs until it ends or the client disconnects. Disconnection is noticed by
reading: a client waiting on a stream sends nothing, so the read returns EOF only when it hangs up. A connection that
carried a stream is closed afterwards, since that read may have swallowed bytes of a next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import traceback
from collections.abc import Awaitable, Callable

from . import status
from .httpio import ChunkedBody, MalformedRequest, Request, read_request, response_head
from .replies import Reply, Streamed, Upgraded, Whole, error_reply

Dispatch = Callable[[Request], Awaitable[Reply]]


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, dispatch: Dispatch) -> None:
    try:
        while True:
            try:
                request = await read_request(reader)
            except MalformedRequest as problem:
                await _write_whole(writer, error_reply(status.bad_request(str(problem))), keep_alive=False)
                return
            if request is None:
                return
            reply = await dispatch(request)
            if isinstance(reply, Upgraded):
                await reply.run(reader, writer, reply.report)
                return
            if isinstance(reply, Streamed):
                await _write_streamed(reader, writer, reply)
                return
            await _write_whole(writer, reply, keep_alive=request.keep_alive, head_only=request.method == "HEAD")
            if not request.keep_alive:
                return
    except (ConnectionError, OSError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def _write_whole(writer: asyncio.StreamWriter, reply: Whole, keep_alive: bool, head_only: bool = False) -> None:
    headers = [("Content-Type", reply.content_type), *reply.headers, ("Content-Length", str(len(reply.body)))]
    if not keep_alive:
        headers.append(("Connection", "close"))
    writer.write(response_head(reply.status, headers) + (b"" if head_only else reply.body))
    await writer.drain()


async def _write_streamed(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, reply: Streamed) -> None:
    headers = [("Content-Type", reply.content_type), *reply.headers, ("Transfer-Encoding", "chunked")]
    writer.write(response_head(reply.status, headers))
    await writer.drain()
    body = ChunkedBody(writer)
    producing = asyncio.create_task(reply.produce(body.write))
    hung_up = asyncio.create_task(reader.read(1))
    try:
        await asyncio.wait({producing, hung_up}, return_when=asyncio.FIRST_COMPLETED)
        if producing.done() and producing.exception() is None:
            await body.finish()
        elif producing.done() and not isinstance(producing.exception(), (ConnectionError, OSError)):
            traceback.print_exception(producing.exception(), file=sys.stderr)
    finally:
        for task in (producing, hung_up):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError, OSError):
                await task
