"""`pods/exec` and `pods/attach`: run the command and carry its streams over the remote-command channels.

The channels (see `channels.py`) are 0 stdin, 1 stdout, 2 stderr, 3 error (one `meta/v1 Status` in JSON when the
command ends), 4 resize (`{"Width":W,"Height":H}` JSON, tty only), and the end of stdin (v5's close of channel 0,
or a FIN on the SPDY stdin stream), which is what lets `kubectl exec -i pod -- cat < file` finish.

The session ends like the kubelet's: all output is sent, then the Status on channel 3 (`{"metadata":{},
"status":"Success"}`, or Failure/`NonZeroExitCode` with `details.causes[{reason: ExitCode, message: "N"}]`, which
kubectl turns into its own exit code; a command that cannot start is an InternalError), then the transport closes
(WebSocket close 1000, or FIN on every SPDY stream), which is what ends the client's stream readers.

The "container" is this machine: the command runs for real in a per-pod scratch directory, through pipes, or on a
pseudo-terminal when `tty=true` (resize messages set its window size). `attach` cannot join a container's main
process (there is none), so it approximates: with stdin it starts a fresh `/bin/sh`, without stdin it streams the
pod's followed log lines until the client leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import pty
import shutil
import signal
import struct
import termios
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .channels import CLOSE, ERROR, RESIZE, STDERR, STDIN, STDOUT, Channels

READ_CHUNK = 32 * 1024


@dataclass
class StreamOptions:
    """What the client asked for in the query (`stdin=true&stdout=true&stderr=true&tty=false&command=…`)."""

    command: list[str]
    stdin: bool
    stdout: bool
    stderr: bool
    tty: bool

    @classmethod
    def from_params(cls, params: dict[str, list[str]], default_command: list[str] | None = None) -> StreamOptions:
        def flag(name: str) -> bool:
            return (params.get(name, [""])[0]).lower() in ("true", "1")

        tty = flag("tty")
        return cls(
            command=params.get("command") or list(default_command or []),
            stdin=flag("stdin"),
            stdout=flag("stdout"),
            stderr=flag("stderr") and not tty,
            tty=tty,
        )


def success_status() -> dict[str, Any]:
    return {"metadata": {}, "status": "Success"}


def exit_status(code: int) -> dict[str, Any]:
    return {
        "metadata": {},
        "status": "Failure",
        "message": f"command terminated with non-zero exit code: exit status {code}",
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]},
    }


def start_failure_status(error: OSError, command: list[str]) -> dict[str, Any]:
    """What the kubelet reports when the runtime cannot start the command: an InternalError, no exit code."""
    reason = "executable file not found in $PATH" if isinstance(error, FileNotFoundError) else error.strerror
    detail = f'error executing command in container: exec: "{command[0] if command else ""}": {reason}'
    return {
        "metadata": {},
        "status": "Failure",
        "message": f"Internal error occurred: {detail}",
        "reason": "InternalError",
        "details": {"causes": [{"message": detail}]},
        "code": 500,
    }


class Terminal:
    """A pseudo-terminal pair: the command gets the slave as its controlling tty, we read and write the master."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        os.set_blocking(self.master, False)
        self.resize(80, 24)

    def resize(self, width: int, height: int) -> None:
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))

    def close(self) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


# A tty command runs under util-linux `setsid --ctty`: a new session whose controlling terminal is the pty on its
# stdin, as a container's is (job control, Ctrl-C). It avoids a Python preexec_fn, which is unsafe with threads.
SETSID_CTTY = ["setsid", "--ctty"]


class Session:
    """One exec/attach: a process, its pumps to and from the client's channels, and the final Status.

    `channels` is a transport from `channels.py` (WebSocket or SPDY); the session only sees channel numbers.
    """

    def __init__(
        self, channels: Channels, options: StreamOptions, workdir: str, environment: dict[str, str], processes: set
    ):
        self.channels = channels
        self.options = options
        self.workdir = workdir
        self.environment = environment
        self.processes = processes
        self.terminal: Terminal | None = None
        self.process: asyncio.subprocess.Process | None = None

    async def send(self, channel: int, data: bytes) -> None:
        await self.channels.send(channel, data)

    async def run(self) -> None:
        try:
            try:
                await self._spawn()
            except OSError as error:
                await self.send(ERROR, json.dumps(start_failure_status(error, self.options.command)).encode())
                return
            inbound = asyncio.create_task(self._pump_input())
            await self._pump_output()
            code = await self.process.wait()
            inbound.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await inbound
            status = success_status() if code == 0 else exit_status(code if code > 0 else 128 - code)
            await self.send(ERROR, json.dumps(status).encode())
        except (ConnectionError, OSError):
            pass
        finally:
            await self._cleanup()

    async def _spawn(self) -> None:
        environment = dict(self.environment)
        if not self.options.command or not shutil.which(self.options.command[0], path=environment.get("PATH")):
            raise FileNotFoundError(2, "No such file or directory", self.options.command[:1])
        if self.options.tty:
            self.terminal = Terminal()
            environment.setdefault("TERM", "xterm")
            fd = self.terminal.slave
            self.process = await asyncio.create_subprocess_exec(
                *SETSID_CTTY,
                *self.options.command,
                stdin=fd,
                stdout=fd,
                stderr=fd,
                cwd=self.workdir,
                env=environment,
            )
            os.close(self.terminal.slave)
            self.terminal.slave = -1
        else:
            self.process = await asyncio.create_subprocess_exec(
                *self.options.command,
                stdin=asyncio.subprocess.PIPE if self.options.stdin else asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                cwd=self.workdir,
                env=environment,
                start_new_session=True,
            )
        self.processes.add(self.process)

    async def _pump_output(self) -> None:
        if self.terminal is not None:
            await self._pump_terminal()
            return
        await asyncio.gather(
            self._pump_pipe(self.process.stdout, STDOUT, self.options.stdout),
            self._pump_pipe(self.process.stderr, STDERR, self.options.stderr),
        )

    async def _pump_pipe(self, pipe: asyncio.StreamReader, channel: int, wanted: bool) -> None:
        """Copy a pipe to its channel (or discard it when the client did not ask for that stream)."""
        while chunk := await pipe.read(READ_CHUNK):
            if wanted:
                await self.send(channel, chunk)

    async def _pump_terminal(self) -> None:
        """Copy the pty master to stdout until EIO, which Linux returns once every slave holder has exited."""
        loop = asyncio.get_running_loop()
        master = self.terminal.master
        while True:
            readable = loop.create_future()
            loop.add_reader(master, lambda: readable.done() or readable.set_result(None))
            try:
                await readable
            finally:
                loop.remove_reader(master)
            try:
                chunk = os.read(master, READ_CHUNK)
            except BlockingIOError:
                continue
            except OSError:
                return
            if not chunk:
                return
            if self.options.stdout:
                await self.send(STDOUT, chunk)

    async def _pump_input(self) -> None:
        resize_buffer = b""
        while True:
            received = await self.channels.receive()
            if received is None:
                self._hang_up()
                return
            channel, data = received
            if channel == STDIN and self.options.stdin:
                await self._write_stdin(data)
            elif channel == RESIZE and self.terminal is not None:
                resize_buffer = self._apply_resizes(resize_buffer + data)
            elif channel == CLOSE and data[:1] == bytes([STDIN]):
                self._close_stdin()

    async def _write_stdin(self, data: bytes) -> None:
        if self.terminal is not None:
            view = memoryview(data)
            while view:
                try:
                    written = os.write(self.terminal.master, view)
                    view = view[written:]
                except BlockingIOError:
                    await asyncio.sleep(0.01)
                except OSError:
                    return
        elif self.process.stdin is not None and not self.process.stdin.is_closing():
            try:
                self.process.stdin.write(data)
                await self.process.stdin.drain()
            except (ConnectionError, OSError):
                pass

    def _close_stdin(self) -> None:
        """v5 close of channel 0: EOF for a pipe; for a tty, the terminal's EOF character, as a user's Ctrl-D."""
        if self.terminal is not None:
            with contextlib.suppress(OSError):
                os.write(self.terminal.master, b"\x04")
        elif self.process.stdin is not None:
            self.process.stdin.close()

    def _apply_resizes(self, buffer: bytes) -> bytes:
        """Resize messages are JSON objects, possibly several per message; returns the incomplete tail."""
        decoder = json.JSONDecoder()
        text = buffer.decode("utf-8", "replace")
        while text.strip():
            try:
                size, end = decoder.raw_decode(text.lstrip())
            except json.JSONDecodeError:
                return text.encode()
            text = text.lstrip()[end:]
            if isinstance(size, dict):
                self.terminal.resize(int(size.get("Width", 80)), int(size.get("Height", 24)))
        return b""

    def _hang_up(self) -> None:
        """The client left: end the command the way a closed terminal would."""
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGHUP)

    async def _cleanup(self) -> None:
        if self.process is not None:
            if self.process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                await self.process.wait()
            self.processes.discard(self.process)
        if self.terminal is not None:
            self.terminal.close()


async def attach_without_stdin(
    channels: Channels, follow: Callable[[Callable[[bytes], Awaitable[None]]], Awaitable[None]]
) -> None:
    """`kubectl attach` without `-i`: show the pod's output (its followed log) until the client leaves."""

    async def write(data: bytes) -> None:
        await channels.send(STDOUT, data)

    streaming = asyncio.create_task(follow(write))
    try:
        while await channels.receive() is not None:
            pass
    finally:
        streaming.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError, OSError):
            await streaming
