#!/usr/bin/env python3
"""A second, independent verifier of hoopctl's evidence formats.

Written from RFC 6962 / RFC 9162 (Merkle tree hash, inclusion and consistency proofs), the C2SP signed-note,
tlog-checkpoint and tlog-cosignature specifications and docs/evidence.md, and never from the Swift sources: its
value is that two implementations written apart agree on the same bytes, so a misreading of a spec in either one
shows up as a disagreement instead of shipping as a format nobody else can check.

Usage:
  verify.py bundle DIR --pubkey KEY [--witness-key VKEY ...] [--min-witnesses K]
  verify.py proof FILE --pubkey KEY [--pubkey KEY ...] [--witness-key VKEY ...] [--min-witnesses K]
  verify.py consistency --old-size M --old-root HEX --new-size N --new-root HEX [--proof HEX,HEX,...]
  verify.py inclusion --index I --size N --leaf-hash HEX --root HEX [--path HEX,HEX,...]
  verify.py root [--leaf-hex HEX ...] [--leaf-hash HEX ...]

KEY is `ed25519:<base64 of the 32-byte key>` or the log's verifier key `<origin>+<hex key ID>+<base64(0x01||key)>`;
VKEY is a witness verifier key `<name>+<hex key ID>+<base64(0x04||key)>`.

Every command prints one JSON object on one line and exits 0 when it verifies, 1 when it does not (2 for a usage
error). `bundle` and `proof` print {"ok","root","tree_size","witnessed_by","status","problem"}; `consistency`,
`inclusion` and `root` print {"ok","root","tree_size","problem"}.
"""

import argparse
import base64
import binascii
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class Problem(Exception):
    """The one reason the evidence does not verify, worded for the auditor who reads the `problem` field."""


# ---------------------------------------------------------------------------------------------------------------
# Encodings: hex, base64, canonical JSON, strict JSON parsing
# ---------------------------------------------------------------------------------------------------------------

HASH_SIZE = 32
HEX_HASH = re.compile(r"[0-9a-f]{64}")


def decode_hash_hex(text, what):
    """A 32-byte hash written as lowercase hex, as every hash in the evidence formats is."""
    if not isinstance(text, str) or not HEX_HASH.fullmatch(text):
        raise Problem(f"{what} is not a 32-byte hash in lowercase hex")
    return bytes.fromhex(text)


def decode_base64(text, what, length=None):
    """RFC 4648 §4 base64 with padding, and only its one canonical spelling: a second spelling of the same bytes
    would let a note or signature be altered without changing what it decodes to."""
    if not isinstance(text, str):
        raise Problem(f"{what} is not a base64 string")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Problem(f"{what} is not base64") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise Problem(f"{what} is not canonical base64")
    if length is not None and len(raw) != length:
        raise Problem(f"{what} holds {len(raw)} bytes, not {length}")
    return raw


# The doc's minimal escaping: these seven characters by their short form, any other control character as \u00xx.
SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _canonical_string(text):
    out = ['"']
    for character in text:
        if character in SHORT_ESCAPES:
            out.append(SHORT_ESCAPES[character])
        elif ord(character) < 0x20:
            out.append("\\u%04x" % ord(character))
        else:
            out.append(character)
    out.append('"')
    return "".join(out)


def _canonical_text(value):
    # bool before int: in Python True is an int.
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _canonical_string(value)
    if isinstance(value, list):
        return "[" + ",".join(_canonical_text(item) for item in value) + "]"
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise Problem("an object key is not a string")
        keys = sorted(value, key=_utf8_sort_key)
        return "{" + ",".join(_canonical_string(key) + ":" + _canonical_text(value[key]) for key in keys) + "}"
    raise Problem(f"canonical JSON holds integers only, not {type(value).__name__}")


def _utf8_sort_key(key):
    try:
        return key.encode("utf-8")
    except UnicodeEncodeError:
        raise Problem("an object key is not valid Unicode (a lone surrogate)") from None


def canonical_json(value):
    """Canonical JSON as docs/evidence.md defines it: keys sorted by their UTF-8 bytes (not by UTF-16 units or
    by Unicode collation), no whitespace, minimal escaping, integers only. Returns the UTF-8 bytes."""
    try:
        return _canonical_text(value).encode("utf-8")
    except UnicodeEncodeError:
        raise Problem("a string is not valid Unicode (a lone surrogate)") from None


def parse_json(data, what):
    """Parses JSON strictly: UTF-8 only, no repeated keys (two readers could take different ones), no
    non-integer numbers and no NaN or Infinity (canonical JSON has integers only)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise Problem(f"{what} is not UTF-8") from None

    def unique_keys(pairs):
        result = {}
        for key, value in pairs:
            if key in result:
                raise Problem(f"{what} repeats the key {key!r}")
            result[key] = value
        return result

    def no_float(text):
        raise Problem(f"{what} holds the non-integer number {text}")

    def no_constant(text):
        raise Problem(f"{what} holds {text}, which JSON does not allow")

    try:
        return json.loads(data, object_pairs_hook=unique_keys, parse_float=no_float, parse_constant=no_constant)
    except json.JSONDecodeError as error:
        raise Problem(f"{what} is not JSON ({error.msg} at line {error.lineno})") from None


def parse_json_lines(data, what):
    """A .jsonl file: one JSON value per line, each line ended by a newline; an empty file holds no lines."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(f"{what} is not UTF-8") from None
    if text == "":
        return []
    if not text.endswith("\n"):
        raise Problem(f"{what} does not end with a newline")
    values = []
    for number, line in enumerate(text[:-1].split("\n"), start=1):
        if line == "":
            raise Problem(f"{what} line {number} is empty")
        values.append(parse_json(line, f"{what} line {number}"))
    return values


def require_keys(obj, required, what, optional=()):
    """Exactly the keys a format names: a key it does not name would be bytes nothing signs or hashes."""
    if not isinstance(obj, dict):
        raise Problem(f"{what} is not a JSON object")
    keys = set(obj)
    missing = sorted(set(required) - keys)
    extra = sorted(keys - set(required) - set(optional))
    if missing:
        raise Problem(f"{what} lacks {', '.join(missing)}")
    if extra:
        raise Problem(f"{what} has fields the format does not define: {', '.join(extra)}")


def require_int(value, what, minimum=0):
    if type(value) is not int or value < minimum:
        raise Problem(f"{what} is not an integer of at least {minimum}")
    return value


# ---------------------------------------------------------------------------------------------------------------
# RFC 6962 / RFC 9162 Merkle trees
# ---------------------------------------------------------------------------------------------------------------

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data):
    """RFC 6962 §2.1: MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    """RFC 6962 §2.1: an interior node is SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n):
    """The largest power of two smaller than n (n > 1): where RFC 6962 splits a tree of n leaves."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _mth(hashes, low, high):
    size = high - low
    if size == 0:
        return EMPTY_ROOT
    if size == 1:
        return hashes[low]
    k = split_point(size)
    return node_hash(_mth(hashes, low, low + k), _mth(hashes, low + k, high))


def merkle_root(leaf_hashes):
    """MTH(D[n]) over already hashed leaves (RFC 6962 §2.1)."""
    return _mth(leaf_hashes, 0, len(leaf_hashes))


def _path(index, hashes, low, high):
    size = high - low
    if size == 1:
        return []
    k = split_point(size)
    if index < k:
        return _path(index, hashes, low, low + k) + [_mth(hashes, low + k, high)]
    return _path(index - k, hashes, low + k, high) + [_mth(hashes, low, low + k)]


def inclusion_path(index, leaf_hashes):
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1, leaf side first."""
    if not 0 <= index < len(leaf_hashes):
        raise ValueError("leaf index outside the tree")
    return _path(index, leaf_hashes, 0, len(leaf_hashes))


def _subproof(m, hashes, low, high, whole):
    n = high - low
    if m == n:
        return [] if whole else [_mth(hashes, low, high)]
    k = split_point(n)
    if m <= k:
        return _subproof(m, hashes, low, low + k, whole) + [_mth(hashes, low + k, high)]
    return _subproof(m - k, hashes, low + k, high, False) + [_mth(hashes, low, low + k)]


def consistency_proof(old_size, leaf_hashes):
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 9162 §2.1.4.1, for 0 < m <= n; empty for m = 0."""
    if not 0 <= old_size <= len(leaf_hashes):
        raise ValueError("old size outside the tree")
    if old_size == 0:
        return []
    return _subproof(old_size, leaf_hashes, 0, len(leaf_hashes), True)


def _all_hashes(items):
    return all(isinstance(item, bytes) and len(item) == HASH_SIZE for item in items)


def verify_inclusion(index, size, leaf, path, root):
    """RFC 9162 §2.1.3.2, step by step. True when `path` proves `leaf` is leaf `index` of the tree `root`."""
    if not _all_hashes([leaf, root, *path]):
        return False
    if index < 0 or index >= size:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_hash, second_hash, proof):
    """RFC 9162 §2.1.4.2 for 0 < first < second. The cases the RFC leaves out are settled here: equal sizes need
    equal roots and an empty proof; from size 0 the proof is empty and the old root is the empty tree's hash."""
    if not _all_hashes([first_hash, second_hash, *proof]):
        return False
    if first < 0 or second < first:
        return False
    if first == second:
        return not proof and first_hash == second_hash
    if first == 0:
        return not proof and first_hash == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_hash)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


def compact_range_shape(size):
    """The (index, level) of each complete subtree covering leaves [0, size): one per set bit, largest first."""
    shape = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            shape.append((start >> level, level))
            start += 1 << level
    return shape


class PartialTree:
    """The leaf hashes from `first` on, with the compact range of [0, first) standing in for the leaves before:
    enough to compute the tree hash at any size from `first` to the last leaf, and nothing before `first` can be
    changed without changing every such root."""

    def __init__(self, prefix_hashes, first, leaf_hashes):
        shape = compact_range_shape(first)
        if len(prefix_hashes) != len(shape):
            raise ValueError("prefix does not match the compact range shape")
        self.first = first
        self.leaves = list(leaf_hashes)
        self.end = first + len(self.leaves)
        # Complete subtrees by (start, end): the prefix's and, as they are computed, every aligned one after it.
        self.subtrees = {}
        for (index, level), value in zip(shape, prefix_hashes):
            self.subtrees[(index << level, (index + 1) << level)] = value

    def root(self, size):
        if size < self.first or size > self.end:
            raise Problem(f"the bundle cannot compute the root at size {size} (it covers {self.first}..{self.end})")
        if size == 0:
            return EMPTY_ROOT
        return self._node(0, size)

    def _node(self, low, high):
        known = self.subtrees.get((low, high))
        if known is not None:
            return known
        if high - low == 1:
            if low < self.first:
                raise Problem(f"leaf {low} is before the compact range ends")
            return self.leaves[low - self.first]
        k = split_point(high - low)
        value = node_hash(self._node(low, low + k), self._node(low + k, high))
        width = high - low
        if width & (width - 1) == 0 and low % width == 0:
            self.subtrees[(low, high)] = value
        return value


# ---------------------------------------------------------------------------------------------------------------
# Keys, signed notes, checkpoints, cosignatures (C2SP)
# ---------------------------------------------------------------------------------------------------------------

SIGNATURE_TYPE_ED25519 = 0x01
SIGNATURE_TYPE_COSIGNATURE = 0x04
ED25519_PREFIX = "ed25519:"
MAX_NOTE_SIGNATURES = 64  # signed-note: verifiers must accept at least 16.


def ed25519_verifies(public, signature, message):
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def key_id(name, signature_type, public):
    """signed-note: SHA-256(key name || 0x0A || signature type || public key)[:4]."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([signature_type]) + public).digest()[:4]


def valid_key_name(name):
    return name != "" and "+" not in name and not any(character.isspace() for character in name)


@dataclass(frozen=True)
class LogKey:
    """An audit key: the 32-byte Ed25519 public key and, when given as a verifier key, the origin it names."""

    public: bytes
    name: str = None

    def text(self):
        return ED25519_PREFIX + base64.b64encode(self.public).decode("ascii")


def parse_ed25519_key(text, what):
    """`ed25519:<base64>`, the form the bundle's pubkey file, rotations and the seal's signed_by use."""
    if not isinstance(text, str) or not text.startswith(ED25519_PREFIX):
        raise Problem(f"{what} is not an ed25519:<base64> key")
    return LogKey(decode_base64(text[len(ED25519_PREFIX):], what, 32))


def _parse_vkey(text, signature_type, what):
    parts = text.split("+", 2)  # a name has no "+"; the base64 key may
    if len(parts) != 3 or not valid_key_name(parts[0]) or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
        raise Problem(f"{what} is not a verifier key <name>+<hex key ID>+<base64 key>")
    name, id_hex, encoded = parts
    raw = decode_base64(encoded, what)
    if len(raw) != 33 or raw[0] != signature_type:
        raise Problem(f"{what} is not an Ed25519 key of signature type 0x{signature_type:02x}")
    public = raw[1:]
    if key_id(name, signature_type, public).hex() != id_hex:
        raise Problem(f"{what} names a key ID its key does not have")
    return name, public


def parse_log_key(text):
    if text.startswith(ED25519_PREFIX):
        return parse_ed25519_key(text, "the log key")
    name, public = _parse_vkey(text, SIGNATURE_TYPE_ED25519, "the log key")
    return LogKey(public, name)


@dataclass(frozen=True)
class WitnessKey:
    name: str
    public: bytes


def parse_witness_key(text):
    name, public = _parse_vkey(text, SIGNATURE_TYPE_COSIGNATURE, f"witness key {text!r}")
    return WitnessKey(name, public)


@dataclass
class Note:
    """A C2SP signed note: the text (with its final newline) and its (key name, key ID || signature) lines."""

    text: bytes
    signatures: list = field(default_factory=list)


def parse_note(raw, what):
    try:
        note = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(f"{what} is not UTF-8") from None
    if any(ord(character) < 0x20 and character != "\n" for character in note):
        raise Problem(f"{what} holds a control character")
    separator = note.rfind("\n\n")
    if separator < 0:
        raise Problem(f"{what} has no blank line before its signatures")
    text, block = note[: separator + 1], note[separator + 2 :]
    if block == "" or not block.endswith("\n"):
        raise Problem(f"{what} has no signature lines, or they do not end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_NOTE_SIGNATURES:
        raise Problem(f"{what} has more than {MAX_NOTE_SIGNATURES} signatures")
    signatures = []
    for line in lines:
        if not line.startswith("\u2014 "):
            raise Problem(f"{what} has a signature line that does not start with an em dash and a space")
        name, space, encoded = line[2:].partition(" ")
        if not space or not valid_key_name(name) or " " in encoded:
            raise Problem(f"{what} has a malformed signature line")
        signature = decode_base64(encoded, f"a signature in {what}")
        if len(signature) < 5:
            raise Problem(f"{what} has a signature too short to hold a key ID")
        signatures.append((name, signature))
    return Note(text.encode("utf-8"), signatures)


def format_note(text, signatures):
    """The inverse of parse_note, for tests and tools that make notes."""
    lines = "".join(f"\u2014 {name} {base64.b64encode(signature).decode('ascii')}\n" for name, signature in signatures)
    return text + b"\n" + lines.encode("utf-8")


@dataclass
class Checkpoint:
    origin: str
    size: int
    root: bytes
    note: Note


DECIMAL = re.compile(r"0|[1-9][0-9]*")


def parse_checkpoint(raw, what):
    """tlog-checkpoint text: origin, decimal size without leading zeros, base64 root; hoopctl writes no extension
    lines, so a fourth line is refused (the doc: a checkpoint text is three lines)."""
    note = parse_note(raw, what)
    lines = note.text.decode("utf-8")[:-1].split("\n")
    if len(lines) != 3:
        raise Problem(f"{what} text is {len(lines)} lines, not the three of a checkpoint")
    origin, size, root = lines
    if origin == "":
        raise Problem(f"{what} has an empty origin")
    if not DECIMAL.fullmatch(size):
        raise Problem(f"{what} size is not a decimal number without leading zeros")
    return Checkpoint(origin, int(size), decode_base64(root, f"{what} root", HASH_SIZE), note)


def checkpoint_text(origin, size, root):
    return f"{origin}\n{size}\n{base64.b64encode(root).decode('ascii')}\n".encode("utf-8")


def require_log_signature(checkpoint, key, what):
    """signed-note rules: the log key is known by (origin, key ID); every signature by it must verify (one that
    does not rejects the note) and at least one must be there."""
    if key.name is not None and key.name != checkpoint.origin:
        raise Problem(f"{what} is by origin {checkpoint.origin!r}, not the log key's {key.name!r}")
    expected = key_id(checkpoint.origin, SIGNATURE_TYPE_ED25519, key.public)
    matching = [sig for name, sig in checkpoint.note.signatures if name == checkpoint.origin and sig[:4] == expected]
    if not matching:
        raise Problem(f"{what} has no signature by the log key {key.text()}")
    for signature in matching:
        if len(signature) != 4 + 64 or not ed25519_verifies(key.public, signature[4:], checkpoint.note.text):
            raise Problem(f"{what} has a signature by the log key {key.text()} that does not verify")


def cosignature_message(timestamp, text):
    """tlog-cosignature, Ed25519: two header lines, then the whole checkpoint text."""
    return b"cosignature/v1\ntime " + str(timestamp).encode("ascii") + b"\n" + text


def cosigners(note, witnesses, what):
    """The names of the given witnesses whose cosignature is on the note. A line by a known witness (name and key
    ID both match) that does not verify rejects the note; lines by unknown keys are ignored, as signed-note says."""
    names = set()
    for witness in witnesses:
        expected = key_id(witness.name, SIGNATURE_TYPE_COSIGNATURE, witness.public)
        for name, signature in note.signatures:
            if name != witness.name or signature[:4] != expected:
                continue
            if len(signature) != 4 + 8 + 64:
                raise Problem(f"{what} has a cosignature by {witness.name} of the wrong length")
            timestamp = int.from_bytes(signature[4:12], "big")
            if timestamp > 2**63 - 1:
                raise Problem(f"{what} has a cosignature by {witness.name} with an out-of-range timestamp")
            if not ed25519_verifies(witness.public, signature[12:], cosignature_message(timestamp, note.text)):
                raise Problem(f"{what} has a cosignature by {witness.name} that does not verify")
            names.add(witness.name)
    return sorted(names)


# ---------------------------------------------------------------------------------------------------------------
# Audit events (leaves)
# ---------------------------------------------------------------------------------------------------------------

EVENT_FIELDS = ("seq", "time", "actor", "action", "resource", "session", "decision", "details")
DECISIONS = ("allow", "deny", "error", "info")
EVENT_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")
STUB_FIELDS = ("hash", "redacted", "seq")


def event_leaf_bytes(event):
    """The leaf: canonical JSON of exactly the eight fields."""
    return canonical_json({name: event[name] for name in EVENT_FIELDS})


def check_event_fields(event, what):
    seq = event["seq"]
    if type(seq) is not int or seq < 1:
        raise Problem(f"{what} seq is not a positive integer")
    if not isinstance(event["time"], str) or not EVENT_TIME.fullmatch(event["time"]):
        raise Problem(f"{what} time is not RFC 3339 UTC with milliseconds")
    for name in ("actor", "action"):
        if not isinstance(event[name], str):
            raise Problem(f"{what} {name} is not a string")
    for name in ("resource", "session"):
        if event[name] is not None and not isinstance(event[name], str):
            raise Problem(f"{what} {name} is neither a string nor null")
    if event["decision"] not in DECISIONS:
        raise Problem(f"{what} decision is not one of {', '.join(DECISIONS)}")
    if not isinstance(event["details"], dict):
        raise Problem(f"{what} details is not an object")


def event_leaf_hash(event, what):
    """Checks a full event (eight fields, `hash` optional) and returns its leaf hash; a `hash` that differs from
    the recomputed one names the event as edited."""
    require_keys(event, EVENT_FIELDS, what, optional=("hash",))
    check_event_fields(event, what)
    computed = leaf_hash(event_leaf_bytes(event))
    if "hash" in event and decode_hash_hex(event["hash"], f"{what} hash") != computed:
        raise Problem(f"event {event['seq']} does not hash to its hash field: it was edited")
    return computed


# ---------------------------------------------------------------------------------------------------------------
# Export bundle (format version 2)
# ---------------------------------------------------------------------------------------------------------------

BUNDLE_FORMAT = "hoop-evidence-bundle"
BUNDLE_VERSION = 2
MANIFEST = "manifest.json"
REQUIRED_FILES = ("checkpoint.note", "prefix.jsonl", "events.jsonl", "rotations.jsonl", "pubkey")
MANIFEST_FIELDS = (
    "format", "version", "origin", "tree_size", "root", "first_seq", "filters", "exported_at", "broker", "counts",
    "files", "signed_by", "signature",
)
SEAL_FIELDS = ("origin", "tree_size", "root", "first_seq", "filters", "exported_at", "broker")
ROTATION_FIELDS = ("v", "seq", "after_seq", "after_hash", "from", "to", "signature")
ROTATION_STATEMENT = {"type": "hoop.key_rotation", "v": 1}
EXPORT_STATEMENT = {"type": "hoop.evidence_export", "v": 2}
PREFIX_FIELDS = ("hash", "index", "level")


@dataclass
class Verdict:
    root: bytes
    tree_size: int
    witnessed_by: list
    status: str
    notes: list = field(default_factory=list)  # what a human should read on stderr


@dataclass
class Rotation:
    after_seq: int
    after_hash: bytes
    old: LogKey
    new: LogKey
    seq: int

    @property
    def effective_size(self):
        """Trees that hold the audit.key_rotated leaf (size >= its seq) are signed by the new key; the tree at
        after_seq is the one the old key hands over."""
        return self.seq


def bundle_files(directory):
    """Every file in the bundle except the manifest, as relative POSIX paths."""
    found = set()
    for folder, subfolders, names in os.walk(directory):
        for name in subfolders + names:
            path = Path(folder) / name
            if path.is_symlink():
                raise Problem(f"{path.relative_to(directory).as_posix()} is a symbolic link")
        for name in names:
            found.add((Path(folder) / name).relative_to(directory).as_posix())
    found.discard(MANIFEST)
    return found


def check_manifest_files(directory, manifest):
    listed = manifest["files"]
    if not isinstance(listed, dict):
        raise Problem("manifest files is not an object of path to SHA-256")
    present = bundle_files(directory)
    missing = sorted(set(listed) - present)
    added = sorted(present - set(listed))
    if missing:
        raise Problem(f"the manifest lists files the bundle lacks: {', '.join(missing)}")
    if added:
        raise Problem(f"the bundle holds files the manifest does not list: {', '.join(added)}")
    for name in REQUIRED_FILES:
        if name not in listed:
            raise Problem(f"the bundle has no {name}")
    for name, digest in sorted(listed.items()):
        expected = decode_hash_hex(digest, f"the manifest's digest of {name}")
        if hashlib.sha256((directory / name).read_bytes()).digest() != expected:
            raise Problem(f"{name} does not match its digest in the manifest")


def check_rotations(lines, pinned, tree_size):
    """The key chain: each rotation signed by the key it replaces over the canonical statement, in order."""
    rotations = []
    current = pinned
    for number, line in enumerate(lines, start=1):
        what = f"rotations.jsonl line {number}"
        require_keys(line, ROTATION_FIELDS, what, optional=tuple(ROTATION_STATEMENT))
        for name, value in ROTATION_STATEMENT.items():
            if name in line and (type(line[name]) is not type(value) or line[name] != value):
                raise Problem(f"{what} {name} is not {value!r}")
        after_seq = require_int(line["after_seq"], f"{what} after_seq")
        if rotations and after_seq <= rotations[-1].after_seq:
            raise Problem(f"{what} is not after the rotation before it")
        seq = require_int(line["seq"], f"{what} seq")
        if seq <= after_seq:
            raise Problem(f"{what} is at seq {seq}, not after the head it was signed over ({after_seq})")
        if seq > tree_size:
            raise Problem(f"{what} rotates at seq {seq}, beyond the bundle's tree of {tree_size}")
        old = parse_ed25519_key(line["from"], f"{what} from")
        new = parse_ed25519_key(line["to"], f"{what} to")
        if old.public != current.public:
            raise Problem(f"{what} rotates from {old.text()}, not from the key in effect {current.text()}")
        statement = dict(ROTATION_STATEMENT)
        statement.update({name: line[name] for name in ("after_seq", "after_hash", "from", "to")})
        signature = decode_base64(line["signature"], f"{what} signature", 64)
        if not ed25519_verifies(old.public, signature, canonical_json(statement)):
            raise Problem(f"{what} is not signed by the key it replaces")
        after_hash = decode_hash_hex(line["after_hash"], f"{what} after_hash")
        rotations.append(Rotation(after_seq, after_hash, old, new, seq))
        current = new
    return rotations


def key_at(pinned, rotations, size):
    key = pinned
    for rotation in rotations:
        if rotation.effective_size <= size:
            key = rotation.new
    return key


def check_prefix(lines, first):
    shape = compact_range_shape(first)
    if len(lines) != len(shape):
        raise Problem(f"prefix.jsonl has {len(lines)} lines; the compact range of {first} leaves has {len(shape)}")
    hashes = []
    for number, (line, (index, level)) in enumerate(zip(lines, shape), start=1):
        what = f"prefix.jsonl line {number}"
        require_keys(line, PREFIX_FIELDS, what)
        if type(line["index"]) is not int or type(line["level"]) is not int:
            raise Problem(f"{what} index or level is not an integer")
        if (line["index"], line["level"]) != (index, level):
            raise Problem(f"{what} is subtree ({line['index']}, {line['level']}), not ({index}, {level})")
        hashes.append(decode_hash_hex(line["hash"], f"{what} hash"))
    return hashes


def check_events(lines, first_seq, tree_size):
    if len(lines) != tree_size - first_seq + 1:
        raise Problem(f"events.jsonl has {len(lines)} lines, not the {tree_size - first_seq + 1} of seq "
                      f"{first_seq}..{tree_size}")
    hashes = []
    for offset, line in enumerate(lines):
        expected_seq = first_seq + offset
        what = f"events.jsonl line {offset + 1}"
        if not isinstance(line, dict):
            raise Problem(f"{what} is not a JSON object")
        if type(line.get("seq")) is not int or line["seq"] != expected_seq:
            raise Problem(f"{what} has seq {line.get('seq')!r} where seq {expected_seq} belongs: an event was "
                          "deleted, inserted or reordered")
        if "redacted" in line:
            require_keys(line, STUB_FIELDS, f"{what} (a redacted stub)")
            if line["redacted"] is not True:
                raise Problem(f"{what} redacted is not true")
            hashes.append(decode_hash_hex(line["hash"], f"{what} hash"))
        else:
            require_keys(line, EVENT_FIELDS + ("hash",), what)
            hashes.append(event_leaf_hash(line, what))
    return hashes


def read_checkpoint(directory, name):
    return parse_checkpoint((directory / name).read_bytes(), name)


def verify_bundle(directory, pinned, witnesses=(), min_witnesses=None):
    """Every check of docs/evidence.md §5 this verifier makes on a bundle, in order; the first failure raises."""
    directory = Path(directory)
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise Problem("the bundle has no manifest.json")
    manifest = parse_json(manifest_path.read_bytes(), MANIFEST)
    require_keys(manifest, MANIFEST_FIELDS, MANIFEST)
    if manifest["format"] != BUNDLE_FORMAT or manifest["version"] != BUNDLE_VERSION or type(
            manifest["version"]) is not int:
        raise Problem(f"the manifest is not {BUNDLE_FORMAT} version {BUNDLE_VERSION}")
    if not isinstance(manifest["origin"], str) or manifest["origin"] == "":
        raise Problem("the manifest origin is not a non-empty string")
    tree_size = require_int(manifest["tree_size"], "the manifest tree_size")
    first_seq = require_int(manifest["first_seq"], "the manifest first_seq", minimum=1)
    if first_seq > tree_size + 1:
        raise Problem(f"the manifest first_seq {first_seq} is past the tree of {tree_size}")
    manifest_root = decode_hash_hex(manifest["root"], "the manifest root")
    check_manifest_files(directory, manifest)

    if pinned.name is not None and pinned.name != manifest["origin"]:
        raise Problem(f"the bundle is of origin {manifest['origin']!r}, not the pinned key's {pinned.name!r}")
    pubkey_text = (directory / "pubkey").read_bytes().decode("utf-8", "replace")
    bundle_key = parse_ed25519_key(pubkey_text[:-1] if pubkey_text.endswith("\n") else pubkey_text, "the pubkey file")
    if bundle_key.public != pinned.public:
        raise Problem(f"the bundle's first key {bundle_key.text()} is not the pinned key {pinned.text()}")

    rotations = check_rotations(parse_json_lines((directory / "rotations.jsonl").read_bytes(), "rotations.jsonl"),
                                pinned, tree_size)
    chain = [pinned] + [rotation.new for rotation in rotations]

    first = first_seq - 1
    prefix = check_prefix(parse_json_lines((directory / "prefix.jsonl").read_bytes(), "prefix.jsonl"), first)
    leaves = check_events(parse_json_lines((directory / "events.jsonl").read_bytes(), "events.jsonl"), first_seq,
                          tree_size)
    tree = PartialTree(prefix, first, leaves)
    root = tree.root(tree_size)

    checkpoint = read_checkpoint(directory, "checkpoint.note")
    if checkpoint.origin != manifest["origin"]:
        raise Problem(f"checkpoint.note is of origin {checkpoint.origin!r}, not the manifest's")
    if checkpoint.size != tree_size:
        raise Problem(f"checkpoint.note is of size {checkpoint.size}, not the manifest's {tree_size}")
    if checkpoint.root != manifest_root:
        raise Problem("checkpoint.note has a root other than the manifest's")
    if root != checkpoint.root:
        raise Problem(f"the events do not hash to the checkpoint's root at size {tree_size}: an event was deleted, "
                      "inserted, reordered or re-hashed, or the prefix was changed")
    require_log_signature(checkpoint, key_at(pinned, rotations, tree_size), "checkpoint.note")

    seal = dict(EXPORT_STATEMENT)
    seal.update({name: manifest[name] for name in SEAL_FIELDS})
    sealer = parse_ed25519_key(manifest["signed_by"], "the manifest signed_by")
    if all(sealer.public != key.public for key in chain):
        raise Problem(f"the manifest is sealed by {sealer.text()}, a key the pinned key does not vouch for")
    signature = decode_base64(manifest["signature"], "the manifest signature", 64)
    if not ed25519_verifies(sealer.public, signature, canonical_json(seal)):
        raise Problem("the manifest's seal does not verify")

    for rotation in rotations:
        if first <= rotation.after_seq <= tree_size and tree.root(rotation.after_seq) != rotation.after_hash:
            raise Problem(f"the rotation after seq {rotation.after_seq} names a root the log did not have then")

    heads = [("checkpoint.note", checkpoint)]
    if (directory / "witnessed.note").is_file():
        witnessed = read_checkpoint(directory, "witnessed.note")
        if witnessed.origin != checkpoint.origin:
            raise Problem("witnessed.note is of another origin")
        if witnessed.size >= tree_size:
            raise Problem("witnessed.note is not smaller than the checkpoint it stands behind")
        if witnessed.size < first:
            raise Problem(f"witnessed.note is of size {witnessed.size}, before the bundle's first leaf")
        if tree.root(witnessed.size) != witnessed.root:
            raise Problem(f"witnessed.note has a root the bundle's events do not give at size {witnessed.size}: "
                          "the log forked or was rewritten")
        require_log_signature(witnessed, key_at(pinned, rotations, witnessed.size), "witnessed.note")
        heads.append(("witnessed.note", witnessed))
    return witness_verdict(heads, witnesses, min_witnesses)


def witness_verdict(heads, witnesses, min_witnesses):
    """heads: (name, checkpoint), the first covering every event. witnessed = at least K witnesses cosigned it."""
    if min_witnesses is not None and min_witnesses < 1:
        raise Problem("--min-witnesses must be at least 1")
    covering = heads[0][1]
    signed = [(name, head, cosigners(head.note, witnesses, name)) for name, head in heads]
    quorum = 1 if min_witnesses is None else min_witnesses
    status = "witnessed" if len(signed[0][2]) >= quorum else "unanchored"
    witnessed_by = next((names for _, _, names in signed if names), [])
    notes = []
    if status == "unanchored":
        newest = max((head.size for _, head, names in signed if len(names) >= quorum), default=None)
        uncovered = "every event" if newest is None else f"events {newest + 1}..{covering.size}"
        notes.append(f"unanchored: {uncovered} newer than every head cosigned by {quorum} given witness(es)")
        if min_witnesses is not None:
            raise Problem(f"only {len(signed[0][2])} of the {min_witnesses} witnesses required cosigned a head "
                          f"covering every event ({uncovered} newer than every cosigned head)")
    return Verdict(covering.root, covering.size, witnessed_by, status, notes)


# ---------------------------------------------------------------------------------------------------------------
# Inclusion proof file
# ---------------------------------------------------------------------------------------------------------------

PROOF_FORMAT = "hoop-inclusion-proof"
PROOF_VERSION = 1
PROOF_FIELDS = ("format", "version", "event", "leaf_index", "tree_size", "path", "checkpoint")


def verify_proof_document(data, keys, witnesses=(), min_witnesses=None):
    proof = parse_json(data, "the proof")
    require_keys(proof, PROOF_FIELDS, "the proof")
    if proof["format"] != PROOF_FORMAT or type(proof["version"]) is not int or proof["version"] != PROOF_VERSION:
        raise Problem(f"the file is not a {PROOF_FORMAT} version {PROOF_VERSION}")
    leaf = event_leaf_hash(proof["event"], "the proof's event")
    leaf_index = require_int(proof["leaf_index"], "the proof's leaf_index")
    tree_size = require_int(proof["tree_size"], "the proof's tree_size")
    if leaf_index != proof["event"]["seq"] - 1:
        raise Problem(f"leaf_index {leaf_index} is not the index of seq {proof['event']['seq']}")
    if not isinstance(proof["path"], list):
        raise Problem("the proof's path is not a list")
    path = [decode_hash_hex(item, "a proof path hash") for item in proof["path"]]
    if not isinstance(proof["checkpoint"], str):
        raise Problem("the proof's checkpoint is not note text")
    checkpoint = parse_checkpoint(proof["checkpoint"].encode("utf-8"), "the proof's checkpoint")
    if checkpoint.size != tree_size:
        raise Problem(f"the proof's checkpoint is of size {checkpoint.size}, not {tree_size}")
    if not verify_inclusion(leaf_index, tree_size, leaf, path, checkpoint.root):
        raise Problem(f"the path does not prove event {leaf_index + 1} in the checkpoint's tree of {tree_size}")
    require_any_log_signature(checkpoint, keys, "the proof's checkpoint")
    return witness_verdict([("the proof's checkpoint", checkpoint)], witnesses, min_witnesses)


def require_any_log_signature(checkpoint, keys, what):
    """A proof carries no rotations, so the auditor names every audit key it trusts; one must have signed."""
    failures = []
    for key in keys:
        try:
            require_log_signature(checkpoint, key, what)
            return
        except Problem as problem:
            failures.append(str(problem))
    bad = [failure for failure in failures if "does not verify" in failure]
    raise Problem(bad[0] if bad else f"{what} has no signature by any given log key")


# ---------------------------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------------------------


def hex_list(text):
    if text is None or text == "":
        return []
    return [decode_hash_hex(item, "a proof hash") for item in text.split(",")]


def print_result(result):
    print(json.dumps(result, separators=(",", ":")))
    return 0 if result["ok"] else 1


def evidence_result(run):
    try:
        verdict = run()
    except Problem as problem:
        return {"ok": False, "root": None, "tree_size": None, "witnessed_by": [], "status": None,
                "problem": str(problem)}
    for note in verdict.notes:
        print(note, file=sys.stderr)
    return {"ok": True, "root": verdict.root.hex(), "tree_size": verdict.tree_size,
            "witnessed_by": verdict.witnessed_by, "status": verdict.status, "problem": None}


def helper_result(ok, root, size, problem=None):
    return {"ok": ok, "root": root.hex() if root is not None else None, "tree_size": size,
            "problem": None if ok else problem}


def command_bundle(arguments):
    def run():
        pinned = parse_log_key(arguments.pubkey)
        witnesses = sorted(set(parse_witness_key(text) for text in arguments.witness_key), key=lambda w: w.name)
        return verify_bundle(arguments.dir, pinned, witnesses, arguments.min_witnesses)

    return evidence_result(run)


def command_proof(arguments):
    def run():
        keys = [parse_log_key(text) for text in arguments.pubkey]
        witnesses = sorted(set(parse_witness_key(text) for text in arguments.witness_key), key=lambda w: w.name)
        return verify_proof_document(Path(arguments.file).read_bytes(), keys, witnesses, arguments.min_witnesses)

    return evidence_result(run)


def command_consistency(arguments):
    try:
        old_root = decode_hash_hex(arguments.old_root, "--old-root")
        new_root = decode_hash_hex(arguments.new_root, "--new-root")
        proof = hex_list(arguments.proof)
    except Problem as problem:
        return helper_result(False, None, arguments.new_size, str(problem))
    ok = verify_consistency(arguments.old_size, arguments.new_size, old_root, new_root, proof)
    return helper_result(ok, new_root, arguments.new_size,
                         f"the proof does not show size {arguments.old_size} is a prefix of size {arguments.new_size}")


def command_inclusion(arguments):
    try:
        leaf = decode_hash_hex(arguments.leaf_hash, "--leaf-hash")
        root = decode_hash_hex(arguments.root, "--root")
        path = hex_list(arguments.path)
    except Problem as problem:
        return helper_result(False, None, arguments.size, str(problem))
    ok = verify_inclusion(arguments.index, arguments.size, leaf, path, root)
    return helper_result(ok, root, arguments.size,
                         f"the path does not prove leaf {arguments.index} in the tree of {arguments.size}")


def command_root(arguments):
    if arguments.leaf_hex and arguments.leaf_hash:
        return helper_result(False, None, None, "give leaves as --leaf-hex or as --leaf-hash, not both")
    try:
        if arguments.leaf_hash:
            hashes = [decode_hash_hex(text, "--leaf-hash") for text in arguments.leaf_hash]
        else:
            hashes = [leaf_hash(bytes.fromhex(text)) for text in arguments.leaf_hex]
    except (Problem, ValueError) as problem:
        return helper_result(False, None, None, str(problem))
    return helper_result(True, merkle_root(hashes), len(hashes))


def parser():
    top = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    commands = top.add_subparsers(dest="command", required=True)

    def witness_options(command):
        command.add_argument("--witness-key", action="append", default=[], metavar="VKEY",
                             help="a witness verifier key <name>+<hex key ID>+<base64(0x04||key)>; repeatable")
        command.add_argument("--min-witnesses", type=int, default=None, metavar="K",
                             help="fail unless at least K given witnesses cosigned a head covering every event")

    bundle = commands.add_parser("bundle", help="verify an export bundle directory (format version 2)")
    bundle.add_argument("dir", type=Path)
    bundle.add_argument("--pubkey", required=True, help="the pinned audit key: the bundle's first key")
    witness_options(bundle)
    bundle.set_defaults(run=command_bundle)

    proof = commands.add_parser("proof", help="verify a hoop-inclusion-proof JSON file")
    proof.add_argument("file")
    proof.add_argument("--pubkey", required=True, action="append", help="a trusted audit key; repeatable")
    witness_options(proof)
    proof.set_defaults(run=command_proof)

    consistency = commands.add_parser("consistency", help="verify an RFC 9162 consistency proof")
    consistency.add_argument("--old-size", type=int, required=True)
    consistency.add_argument("--old-root", required=True)
    consistency.add_argument("--new-size", type=int, required=True)
    consistency.add_argument("--new-root", required=True)
    consistency.add_argument("--proof", default="", help="comma-separated hex hashes")
    consistency.set_defaults(run=command_consistency)

    inclusion = commands.add_parser("inclusion", help="verify an RFC 9162 inclusion proof")
    inclusion.add_argument("--index", type=int, required=True)
    inclusion.add_argument("--size", type=int, required=True)
    inclusion.add_argument("--leaf-hash", required=True)
    inclusion.add_argument("--root", required=True)
    inclusion.add_argument("--path", default="", help="comma-separated hex hashes, leaf side first")
    inclusion.set_defaults(run=command_inclusion)

    root = commands.add_parser("root", help="compute the RFC 6962 tree hash of leaves")
    root.add_argument("--leaf-hex", nargs="*", default=[], metavar="HEX", help="leaf data in hex (hashed as leaves)")
    root.add_argument("--leaf-hash", nargs="*", default=[], metavar="HEX", help="leaf hashes in hex")
    root.set_defaults(run=command_root)
    return top


def main(argv=None):
    arguments = parser().parse_args(argv)
    return print_result(arguments.run(arguments))


if __name__ == "__main__":
    sys.exit(main())
