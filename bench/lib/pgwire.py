"""Just enough of the PostgreSQL wire protocol to hold many logged-in, idle client connections in one process,
where a thousand psql processes would measure psql rather than the broker."""

import hashlib
import socket
import struct


class WireError(OSError):
    pass


def _message(kind, body):
    return kind + struct.pack("!I", len(body) + 4) + body


def _read_exact(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise WireError("connection closed by the server")
        data += chunk
    return data


def _read_message(sock):
    header = _read_exact(sock, 5)
    length = struct.unpack("!I", header[1:])[0]
    return header[:1], _read_exact(sock, length - 4)


def _error_text(body):
    fields = dict((part[:1], part[1:].decode(errors="replace")) for part in body.split(b"\0") if part)
    return f"{fields.get(b'S', 'ERROR')} {fields.get(b'C', '')}: {fields.get(b'M', '')}"


class IdleConnection:
    """A client connection that logged in (cleartext or md5 password) and reached ReadyForQuery."""

    def __init__(self, port, user, password, database, timeout=60):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        parameters = b"".join(k.encode() + b"\0" + v.encode() + b"\0"
                              for k, v in [("user", user), ("database", database), ("application_name", "bench")])
        body = struct.pack("!I", 196608) + parameters + b"\0"
        self.sock.sendall(struct.pack("!I", len(body) + 4) + body)
        while True:
            kind, body = _read_message(self.sock)
            if kind == b"R":
                code = struct.unpack("!I", body[:4])[0]
                if code == 3:
                    self.sock.sendall(_message(b"p", password.encode() + b"\0"))
                elif code == 5:
                    inner = hashlib.md5(password.encode() + user.encode()).hexdigest().encode()
                    self.sock.sendall(_message(b"p", b"md5" + hashlib.md5(inner + body[4:8]).hexdigest().encode()
                                               + b"\0"))
                elif code != 0:
                    raise WireError(f"authentication method {code} is not spoken by this holder")
            elif kind == b"E":
                raise WireError(_error_text(body))
            elif kind == b"Z":
                return

    def select_one(self):
        self.sock.sendall(_message(b"Q", b"select 1\0"))
        value = None
        while True:
            kind, body = _read_message(self.sock)
            if kind == b"D":
                value = body[6:].decode()
            elif kind == b"E":
                raise WireError(_error_text(body))
            elif kind == b"Z":
                return value

    def close(self):
        try:
            self.sock.sendall(_message(b"X", b""))
        except OSError:
            pass
        self.sock.close()
