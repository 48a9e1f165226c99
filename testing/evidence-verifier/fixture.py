"""A minimal stand-in for the broker's evidence writer, from docs/evidence.md alone: it keeps a log of audit events,
rotates keys, signs checkpoints, collects cosignatures and writes export bundles and inclusion proofs, so the tests
can hand verify.py good evidence and then tamper with it the way an attacker would."""

import base64
import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

import verify


def public_bytes(private):
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_text(private):
    return verify.ED25519_PREFIX + base64.b64encode(public_bytes(private)).decode("ascii")


def fixed_key(label):
    """A deterministic key (Ed25519 signatures are deterministic too), so vectors made from it never change."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode("utf-8")).digest())


class Witness:
    def __init__(self, name, private=None):
        self.name = name
        self.private = private or Ed25519PrivateKey.generate()

    @property
    def vkey(self):
        public = public_bytes(self.private)
        key_id = verify.key_id(self.name, verify.SIGNATURE_TYPE_COSIGNATURE, public).hex()
        encoded = base64.b64encode(bytes([verify.SIGNATURE_TYPE_COSIGNATURE]) + public).decode("ascii")
        return f"{self.name}+{key_id}+{encoded}"

    def cosign(self, text, timestamp=1_700_000_000):
        key_id = verify.key_id(self.name, verify.SIGNATURE_TYPE_COSIGNATURE, public_bytes(self.private))
        signature = self.private.sign(verify.cosignature_message(timestamp, text))
        return self.name, key_id + timestamp.to_bytes(8, "big") + signature


def log_signature(origin, private, text):
    key_id = verify.key_id(origin, verify.SIGNATURE_TYPE_ED25519, public_bytes(private))
    return origin, key_id + private.sign(text)


def write_jsonl(path, values):
    path.write_bytes(b"".join(verify.canonical_json(value) + b"\n" for value in values))


class Log:
    def __init__(self, origin="audit.example.com/test", private=None):
        self.origin = origin
        self.first_key = private or Ed25519PrivateKey.generate()
        self.key = self.first_key
        self.events = []
        self.hashes = []
        self.rotations = []  # (record, effective size)

    def append(self, action="session.grant", decision="allow", details=None, actor="alice", resource="db/prod",
               session=None):
        seq = len(self.events) + 1
        event = {"seq": seq, "time": f"2025-01-02T03:04:{seq % 60:02d}.{seq % 1000:03d}Z", "actor": actor,
                 "action": action, "resource": resource, "session": session, "decision": decision,
                 "details": details if details is not None else {"n": seq}}
        self.events.append(event)
        self.hashes.append(verify.leaf_hash(verify.event_leaf_bytes(event)))
        return event

    def fill(self, count):
        for _ in range(count):
            self.append()

    def root(self, size):
        return verify.merkle_root(self.hashes[:size])

    def key_at(self, size):
        key = self.first_key
        for record, private in self.rotations:
            if record["seq"] <= size:
                key = private
        return key

    def rotate(self, new_private=None, signer=None):
        """Records a rotation signed by the old key (or `signer`, to forge one), then its audit.key_rotated leaf."""
        new_private = new_private or Ed25519PrivateKey.generate()
        after_seq = len(self.events)
        statement = {"type": "hoop.key_rotation", "v": 1, "after_seq": after_seq,
                     "after_hash": self.root(after_seq).hex(), "from": key_text(self.key), "to": key_text(new_private)}
        signature = (signer or self.key).sign(verify.canonical_json(statement))
        details = {name: statement[name] for name in ("after_seq", "after_hash", "from", "to")}
        details["signature"] = base64.b64encode(signature).decode("ascii")
        record = dict(details, v=1, seq=after_seq + 1)
        self.rotations.append((record, new_private))
        self.append(action="audit.key_rotated", decision="info", resource=None, details=details)
        self.key = new_private
        return record

    def checkpoint(self, size, witnesses=(), signer=None, root=None):
        text = verify.checkpoint_text(self.origin, size, root if root is not None else self.root(size))
        signatures = [log_signature(self.origin, signer or self.key_at(size), text)]
        signatures += [witness.cosign(text) for witness in witnesses]
        return verify.format_note(text, signatures)

    def export(self, directory, first_seq=1, redact=(), witnesses=(), witnessed_size=None, witnessed_by=(),
               recordings=None, seal_key=None):
        """Writes a bundle of the whole log. `witnesses` cosign checkpoint.note; with `witnessed_size`, the
        cosigned head is a smaller witnessed.note cosigned by `witnessed_by`."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        size = len(self.events)
        first = first_seq - 1
        prefix = []
        for index, level in verify.compact_range_shape(first):
            start = index << level
            prefix.append({"hash": verify.merkle_root(self.hashes[start:start + (1 << level)]).hex(), "index": index,
                           "level": level})
        write_jsonl(directory / "prefix.jsonl", prefix)
        lines = []
        for event, leaf in zip(self.events[first:], self.hashes[first:]):
            if event["seq"] in redact:
                lines.append({"hash": leaf.hex(), "redacted": True, "seq": event["seq"]})
            else:
                lines.append(dict(event, hash=leaf.hex()))
        write_jsonl(directory / "events.jsonl", lines)
        write_jsonl(directory / "rotations.jsonl", [record for record, _ in self.rotations])
        (directory / "pubkey").write_text(key_text(self.first_key) + "\n")
        (directory / "checkpoint.note").write_bytes(self.checkpoint(size, witnesses))
        if witnessed_size is not None:
            (directory / "witnessed.note").write_bytes(self.checkpoint(witnessed_size, witnessed_by))
        for session, content in (recordings or {}).items():
            (directory / "recordings").mkdir(exist_ok=True)
            (directory / "recordings" / f"{session}.jsonl").write_bytes(content)
        manifest = {"format": "hoop-evidence-bundle", "version": 2, "origin": self.origin, "tree_size": size,
                    "root": self.root(size).hex(), "first_seq": first_seq, "filters": {},
                    "exported_at": "2025-01-03T00:00:00.000Z", "broker": {"id": "broker-vectors", "fingerprint": None},
                    "counts": {"events": size - first - len(redact), "stubs": len(redact), "checkpoints": 1 + (witnessed_size is not None),
                               "rotations": len(self.rotations), "recordings": len(recordings or {}), "tombstones": 0}}
        seal(directory, manifest, seal_key or self.key)
        return directory

    def proof(self, seq, size=None, witnesses=()):
        size = size or len(self.events)
        return {"format": "hoop-inclusion-proof", "version": 1, "event": dict(self.events[seq - 1],
                                                                                hash=self.hashes[seq - 1].hex()),
                "leaf_index": seq - 1, "tree_size": size,
                "path": [h.hex() for h in verify.inclusion_path(seq - 1, self.hashes[:size])],
                "checkpoint": self.checkpoint(size, witnesses).decode("utf-8")}


def digests(directory):
    """The manifest's `files`: SHA-256 (hex) of every file but the manifest, by relative path."""
    directory = Path(directory)
    files = {}
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory).as_posix()
        if path.is_file() and relative != "manifest.json":
            files[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def seal(directory, manifest, private):
    """(Re)writes manifest.json: digests of every other file, then the seal over the export statement."""
    directory = Path(directory)
    manifest = dict(manifest, files=digests(directory), signed_by=key_text(private))
    statement = {"type": "hoop.evidence_export", "v": 2}
    statement.update({name: manifest[name] for name in verify.SEAL_FIELDS})
    manifest["signature"] = base64.b64encode(private.sign(verify.canonical_json(statement))).decode("ascii")
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def reseal_digests(directory):
    """What an attacker who edits a file can always do: recompute the manifest's digests (the seal does not cover
    them), leaving the seal itself as it was."""
    directory = Path(directory)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["files"] = digests(directory)
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
