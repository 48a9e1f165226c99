"""HTTP/1.1 message framing the standard library's server leaves to its handlers: reading a request body by
Content-Length or chunked transfer coding (RFC 9112 section 6 and 7.1), and writing a response body in chunks.

The reader is strict where a lenient one would let two parties disagree about where a request ends: a
Transfer-Encoding other than plain `chunked`, Content-Length values that differ, sizes that are not digits, and a
chunk not closed by CRLF all end the connection with 400 instead of being guessed at. A request framed both ways is
read by its chunked coding and its connection closed after the answer, as RFC 9112 section 6.3 asks of a server."""

from __future__ import annotations

import re

# Larger bodies are refused with 413: the tests never need more, and a peer must not be made to hold gigabytes.
MAX_BODY = 64 * 1024 * 1024
MAX_LINE = 8192

_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(r"[0-9A-Fa-f]+")


class FramingError(Exception):
    """The request's body cannot be delimited; the connection has to be closed after the error answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Body:
    """A request body as it arrived: its bytes, how it was delimited, any trailer fields, and whether the framing
    obliges the server to close the connection after answering."""

    def __init__(self, data: bytes, framing: str, trailers: list[list[str]], close: bool) -> None:
        self.data = data
        self.framing = framing  # "none", "content-length" or "chunked"
        self.trailers = trailers
        self.close = close


def _values(headers: list[list[str]], name: str) -> list[str]:
    """Every comma-separated element of every field called `name`, in order (field names are case-insensitive)."""
    found = []
    for field, value in headers:
        if field.lower() == name:
            found += [part.strip() for part in value.split(",") if part.strip()]
    return found


def read_body(rfile, headers: list[list[str]]) -> Body:
    codings = _values(headers, "transfer-encoding")
    lengths = _values(headers, "content-length")
    if codings:
        lowered = [coding.lower() for coding in codings]
        if lowered[-1] != "chunked" or lowered.count("chunked") > 1:
            raise FramingError(400, f"body length unknowable from Transfer-Encoding {', '.join(codings)!r}")
        if len(lowered) > 1:
            raise FramingError(501, f"unsupported transfer coding {', '.join(codings[:-1])!r}")
        data, trailers = _read_chunked(rfile)
        return Body(data, "chunked", trailers, close=bool(lengths))
    if lengths:
        if any(not _DIGITS.fullmatch(length) for length in lengths) or len(set(lengths)) != 1:
            raise FramingError(400, f"invalid Content-Length {', '.join(lengths)!r}")
        size = int(lengths[0])
        if size > MAX_BODY:
            raise FramingError(413, f"body of {size} bytes is over the limit of {MAX_BODY}")
        data = _read_exactly(rfile, size)
        return Body(data, "content-length", [], close=False)
    return Body(b"", "none", [], close=False)


def _read_exactly(rfile, size: int) -> bytes:
    parts, left = [], size
    while left:
        part = rfile.read(min(left, 1 << 20))
        if not part:
            raise FramingError(400, f"body ended {left} bytes short of its Content-Length")
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _line(rfile, what: str) -> bytes:
    line = rfile.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise FramingError(400, f"{what} line too long")
    if not line.endswith(b"\r\n"):
        raise FramingError(400, f"{what} line not ended by CRLF: {line[:80]!r}")
    return line[:-2]


def _read_chunked(rfile) -> tuple[bytes, list[list[str]]]:
    parts, total = [], 0
    while True:
        size_text = _line(rfile, "chunk size").split(b";", 1)[0].strip().decode("latin-1")
        if not _HEX.fullmatch(size_text):
            raise FramingError(400, f"invalid chunk size {size_text!r}")
        size = int(size_text, 16)
        if size == 0:
            break
        total += size
        if total > MAX_BODY:
            raise FramingError(413, f"chunked body over the limit of {MAX_BODY} bytes")
        parts.append(_read_exactly(rfile, size))
        if rfile.read(2) != b"\r\n":
            raise FramingError(400, "chunk data not followed by CRLF")
    trailers = []
    while line := _line(rfile, "trailer"):
        name, separator, value = line.decode("latin-1").partition(":")
        if not separator:
            raise FramingError(400, f"invalid trailer field {line[:80]!r}")
        trailers.append([name, value.strip()])
    return b"".join(parts), trailers


class BodyWriter:
    """Writes a response body piece by piece: in chunks on HTTP/1.1, or raw until the connection closes for an
    HTTP/1.0 client (which cannot read chunks); nothing at all for HEAD."""

    def __init__(self, wfile, chunked: bool, silent: bool) -> None:
        self.wfile = wfile
        self.chunked = chunked
        self.silent = silent

    def write(self, data: bytes) -> None:
        if self.silent or not data:
            return
        if self.chunked:
            self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
        else:
            self.wfile.write(data)
        self.wfile.flush()

    def finish(self) -> None:
        if self.chunked and not self.silent:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
