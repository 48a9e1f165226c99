"""The API's data: fake users carrying every kind of value a masking test looks for (an e-mail, a US SSN, a test
Visa number, a nested address, secrets in a list), held in memory so that a test can see whether a write through
the broker really happened (a DELETE that was blocked leaves the user readable)."""

from __future__ import annotations

import copy
import threading

# Visa's published test number: passes the Luhn check, so card detectors match it, and charges nobody.
CARD = "4111111111111111"

SEED = [
    {"name": "Alice Example", "email": "alice@example.com", "ssn": "536-22-8726",
     "address": {"street": "1 Main Street", "city": "Springfield"}, "secret": "tok_live_a1b2c3d4e5f60718"},
    {"name": "Bob Example", "email": "bob@example.org", "ssn": "412-67-3391",
     "address": {"street": "22 Elm Road", "city": "Shelbyville"}, "secret": "tok_live_9f8e7d6c5b4a3921"},
    {"name": "Carol Example", "email": "carol.c@example.net", "ssn": "301-55-0198",
     "address": {"street": "300 Oak Avenue", "city": "Ogdenville"}, "secret": "tok_live_0011223344556677"},
]

# The fields a write may set; `id` is the store's to assign, whatever a body says.
WRITABLE = ("name", "email", "ssn", "card", "address", "tokens")


def user(identifier: int, name: str, email: str, ssn: str, address: dict, secret: str) -> dict:
    return {"id": identifier, "name": name, "email": email, "ssn": ssn, "card": CARD, "address": dict(address),
            "tokens": [{"secret": secret}]}


def numbered(identifier: int) -> dict:
    """A user made from its number alone. For an eight-digit number every field has a fixed width, so that a stream
    of them has a size known in advance (`/v1/big` can then answer with a Content-Length as well as chunked)."""
    return user(identifier, f"User {identifier:08d}", f"user{identifier:08d}@example.com",
                f"{500 + identifier % 400:03d}-{10 + identifier % 89:02d}-{1000 + identifier % 9000:04d}",
                {"street": f"{identifier:08d} Long Road", "city": "Capital City"}, f"tok_live_{identifier:016x}")


def numbered_json(identifier: int) -> bytes:
    """`json.dumps(numbered(identifier))`, written out directly: several times faster, which decides how fast
    `/v1/big` can stream a gigabyte."""
    return (f'{{"id": {identifier}, "name": "User {identifier:08d}", "email": "user{identifier:08d}@example.com", '
            f'"ssn": "{500 + identifier % 400:03d}-{10 + identifier % 89:02d}-{1000 + identifier % 9000:04d}", '
            f'"card": "{CARD}", "address": {{"street": "{identifier:08d} Long Road", "city": "Capital City"}}, '
            f'"tokens": [{{"secret": "tok_live_{identifier:016x}"}}]}}').encode("ascii")


class Users:
    """Users by id, safe to use from the server's request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users: dict[int, dict] = {}
        self._next = 1
        for seed in SEED:
            self.create({key: value for key, value in seed.items() if key != "secret"} |
                        {"tokens": [{"secret": seed["secret"]}], "card": CARD})

    def list(self) -> list[dict]:
        with self._lock:
            return [copy.deepcopy(self._users[key]) for key in sorted(self._users)]

    def get(self, identifier: int) -> dict | None:
        with self._lock:
            found = self._users.get(identifier)
            return copy.deepcopy(found) if found is not None else None

    def create(self, fields: dict) -> dict:
        with self._lock:
            identifier = self._next
            self._next += 1
            created = {"id": identifier} | {key: copy.deepcopy(fields[key]) for key in WRITABLE if key in fields}
            self._users[identifier] = created
            return copy.deepcopy(created)

    def replace(self, identifier: int, fields: dict) -> dict | None:
        """PUT: the user becomes exactly the body's writable fields."""
        with self._lock:
            if identifier not in self._users:
                return None
            replaced = {"id": identifier} | {key: copy.deepcopy(fields[key]) for key in WRITABLE if key in fields}
            self._users[identifier] = replaced
            return copy.deepcopy(replaced)

    def update(self, identifier: int, fields: dict) -> dict | None:
        """PATCH: the body's writable fields replace those of the user, the rest stay."""
        with self._lock:
            found = self._users.get(identifier)
            if found is None:
                return None
            found.update({key: copy.deepcopy(fields[key]) for key in WRITABLE if key in fields})
            return copy.deepcopy(found)

    def delete(self, identifier: int) -> bool:
        with self._lock:
            return self._users.pop(identifier, None) is not None
