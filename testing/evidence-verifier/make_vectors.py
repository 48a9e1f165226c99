#!/usr/bin/env python3
"""Writes vectors.json and the sample evidence in sample/, which the Swift tests load so that both
implementations are held to the same bytes. test_verify.py checks that the committed files are what this writes.

The RFC 6962 section is the well-known certificate-transparency reference tree (eight leaves; roots, inclusion and
consistency proofs as published with the CT reference implementation and its successor transparency-dev/merkle,
proof/verify_test.go): transcribed here, never computed, so it is an answer key this verifier does not grade itself
against. The canonical-JSON answers were written by hand from docs/evidence.md. The rest (event leaves, notes,
the sample bundle) is computed by verify.py from fixed keys and pins today's output: the Swift side must agree.

Usage: make_vectors.py [--check]   (--check: exit 1 if the committed files differ from what would be written)
"""

import base64
import json
import shutil
import sys
import tempfile
from pathlib import Path

import fixture
import verify

HERE = Path(__file__).resolve().parent

RFC6962_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]

RFC6962_ROOTS = {
    0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}

# The published vectors number leaves from 1; here `index` is the 0-based leaf index (= seq - 1).
RFC6962_INCLUSION = [
    {"index": 0, "size": 1, "path": []},
    {"index": 0, "size": 8, "path": [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]},
    {"index": 5, "size": 8, "path": [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]},
    {"index": 2, "size": 3, "path": [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]},
    {"index": 1, "size": 5, "path": [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]},
]

RFC6962_CONSISTENCY = [
    {"old": 1, "new": 1, "proof": []},
    {"old": 1, "new": 8, "proof": [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]},
    {"old": 6, "new": 8, "proof": [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]},
    {"old": 2, "new": 5, "proof": [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]},
    {"old": 6, "new": 7, "proof": [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]},
]

# Input JSON text (ASCII, with escapes, so nothing depends on how the file is decoded) and the canonical bytes,
# worked out by hand from docs/evidence.md. Each names the mistake it catches.
CANONICAL_JSON = [
    {"name": "keys sort by UTF-8 bytes: U+FF61 before U+1F600 (UTF-16 order puts the surrogate pair first)",
     "json": '{"b":1,"a":2,"\\u00e9":3,"z":4,"\\uff61":5,"\\ud83d\\ude00":6,"A":7,"aa":8,"":9}',
     "canonical": '{"":9,"A":7,"a":2,"aa":8,"b":1,"z":4,"\u00e9":3,"\uff61":5,"\U0001f600":6}'},
    {"name": "canonically equivalent keys stay distinct and sort by their bytes (no Unicode normalization)",
     "json": '{"\\u00e9":1,"e\\u0301":2}',
     "canonical": '{"e\u0301":2,"\u00e9":1}'},
    {"name": "minimal escaping: short forms, other controls as lowercase \\u00xx, DEL, slash, U+2028 and non-ASCII "
             "raw",
     "json": '{"s":"q\\"b\\\\n\\nr\\rt\\tb\\bf\\f\\u0000\\u001f\\u007f\\/\\u2028\\u00e9"}',
     "canonical": '{"s":"q\\"b\\\\n\\nr\\rt\\tb\\bf\\f\\u0000\\u001f\u007f/\u2028\u00e9"}'},
    {"name": "integers keep every digit (2^53 + 1 does not fit a double); literals; empty containers",
     "json": '{"zero":0,"neg":-42,"big":9007199254740993,"list":[1,[2,[]],{}],"t":true,"f":false,"n":null}',
     "canonical": '{"big":9007199254740993,"f":false,"list":[1,[2,[]],{}],"n":null,"neg":-42,"t":true,"zero":0}'},
    {"name": "whitespace goes; nested objects sort too; arrays keep their order",
     "json": '{ "z" : { "b" : 1 , "a" : { "d" : 1 , "c" : 2 } } ,\n "a" : [ { "y" : 1 , "x" : 2 } , 0 ] }',
     "canonical": '{"a":[{"x":2,"y":1},0],"z":{"a":{"c":2,"d":1},"b":1}}'},
]

# JSON that canonical JSON cannot hold: a verifier refuses it rather than guessing.
REFUSED_JSON = [
    {"name": "a fraction", "json": '{"a":1.5}'},
    {"name": "an exponent", "json": '{"a":1e3}'},
    {"name": "a repeated key", "json": '{"a":1,"a":2}'},
    {"name": "a lone surrogate", "json": '{"a":"\\ud800"}'},
]

EVENTS = [
    {"seq": 1, "time": "2025-01-02T03:04:05.678Z", "actor": "alice", "action": "session.grant",
     "resource": "db/prod", "session": None, "decision": "allow", "details": {"reason": "on call", "ttl": 3600}},
    {"seq": 2, "time": "2025-01-02T03:04:06.000Z", "actor": "b\u00f6b \U0001f600", "action": "session.deny",
     "resource": None, "session": "s-1", "decision": "deny",
     "details": {"z": [], "a": {"quote": "\"", "newline": "\n", "tab": "\t", "nul": "\u0000"}, "\u00e9": True}},
]

ORIGIN = "audit.example.com/vectors"
WITNESS_NAME = "witness.example.com/w1"
# Label 2 is the first whose verifier key has "+" and "/" in its base64: a parser that splits the whole vkey on
# "+" (names have none, base64 may) fails on it.
WITNESS_KEY_LABEL = "hoopctl evidence vectors: witness key 2"
LOG_KEY_LABEL = "hoopctl evidence vectors: log key"
SECOND_LOG_KEY_LABEL = "hoopctl evidence vectors: second log key"
COSIGNATURE_TIME = 1_700_000_000


def note_vectors():
    log_key = fixture.fixed_key(LOG_KEY_LABEL)
    witness = fixture.Witness(WITNESS_NAME, fixture.fixed_key(WITNESS_KEY_LABEL))
    public = fixture.public_bytes(log_key)
    root = bytes.fromhex(RFC6962_ROOTS[8])
    text = verify.checkpoint_text(ORIGIN, 8, root)
    note = verify.format_note(text, [fixture.log_signature(ORIGIN, log_key, text)])
    cosigned = verify.format_note(text, [fixture.log_signature(ORIGIN, log_key, text),
                                         witness.cosign(text, COSIGNATURE_TIME)])
    key_id = verify.key_id(ORIGIN, verify.SIGNATURE_TYPE_ED25519, public)
    return {
        "log_private_seed": log_key.private_bytes_raw().hex(),
        "log_pubkey": fixture.key_text(log_key),
        "log_key_id": key_id.hex(),
        "log_vkey": f"{ORIGIN}+{key_id.hex()}+" + base64.b64encode(b"\x01" + public).decode("ascii"),
        "witness_private_seed": witness.private.private_bytes_raw().hex(),
        "witness_vkey": witness.vkey,
        "origin": ORIGIN,
        "tree_size": 8,
        "root": RFC6962_ROOTS[8],
        "checkpoint_text": text.decode("utf-8"),
        "checkpoint_note": note.decode("utf-8"),
        "cosignature_time": COSIGNATURE_TIME,
        "cosignature_message": verify.cosignature_message(COSIGNATURE_TIME, text).decode("utf-8"),
        "cosigned_note": cosigned.decode("utf-8"),
    }


def sample_log():
    """A small deterministic log with one key rotation, for the sample bundle and proof."""
    log = fixture.Log(ORIGIN, fixture.fixed_key(LOG_KEY_LABEL))
    log.fill(5)
    log.rotate(fixture.fixed_key(SECOND_LOG_KEY_LABEL))
    log.fill(6)
    return log


def write_samples(directory):
    """Sample evidence from one log of 12 events with a key rotation after seq 5 (the audit.key_rotated leaf is
    seq 6; trees from size 6 on are signed by the second key):
    - bundle/: first_seq 4 (a prefix of 3 leaves), seq 7 redacted, checkpoint of 12 cosigned by the witness;
    - bundle-witnessed-earlier/: every event, checkpoint of 12 not cosigned, witnessed.note of size 8 cosigned;
    - proof.json: seq 9 in the tree of 12, cosigned."""
    log = sample_log()
    witness = _FixedTimeWitness(fixture.Witness(WITNESS_NAME, fixture.fixed_key(WITNESS_KEY_LABEL)),
                                COSIGNATURE_TIME)
    root = log.root(12).hex()
    log.export(directory / "bundle", first_seq=4, redact={7}, witnesses=[witness])
    log.export(directory / "bundle-witnessed-earlier", witnesses=[], witnessed_size=8, witnessed_by=[witness])
    (directory / "proof.json").write_text(json.dumps(log.proof(9, witnesses=[witness]), indent=2) + "\n")
    return {
        "pubkey": fixture.key_text(log.first_key),
        "second_pubkey": fixture.key_text(log.key),
        "witness_vkey": witness.witness.vkey,
        "bundles": [
            {"dir": "bundle", "first_seq": 4, "tree_size": 12, "root": root, "status": "witnessed",
             "witnessed_by": [WITNESS_NAME]},
            {"dir": "bundle-witnessed-earlier", "first_seq": 1, "tree_size": 12, "root": root,
             "status": "unanchored", "witnessed_by": [WITNESS_NAME], "witnessed_size": 8},
        ],
        "proof": {"file": "proof.json", "seq": 9, "tree_size": 12, "root": root, "status": "witnessed",
                  "witnessed_by": [WITNESS_NAME], "log_key": "second_pubkey"},
    }


class _FixedTimeWitness:
    def __init__(self, witness, timestamp):
        self.witness = witness
        self.timestamp = timestamp

    def cosign(self, text):
        return self.witness.cosign(text, self.timestamp)


def vectors(samples):
    leaf_hashes = [verify.leaf_hash(bytes.fromhex(leaf)) for leaf in RFC6962_LEAVES]
    return {
        "source": "RFC 6962 reference tree of certificate-transparency (as in transparency-dev/merkle "
                  "proof/verify_test.go); inclusion index is 0-based; see make_vectors.py",
        "leaves": RFC6962_LEAVES,
        "leaf_hashes": [h.hex() for h in leaf_hashes],
        "roots": {str(size): root for size, root in RFC6962_ROOTS.items()},
        "inclusion": RFC6962_INCLUSION,
        "consistency": RFC6962_CONSISTENCY,
        "compact_ranges": [{"size": size, "nodes": [{"index": i, "level": l}
                                                    for i, l in verify.compact_range_shape(size)]}
                           for size in (0, 1, 2, 3, 5, 7, 8, 13, 1000)],
        "canonical_json": [dict(case, canonical_hex=case["canonical"].encode("utf-8").hex())
                           for case in CANONICAL_JSON],
        "refused_json": REFUSED_JSON,
        "events": [{"event": event, "leaf_bytes": verify.event_leaf_bytes(event).decode("utf-8"),
                    "leaf_hash": verify.leaf_hash(verify.event_leaf_bytes(event)).hex()} for event in EVENTS],
        "notes": note_vectors(),
        "sample": samples,
    }


def write_all(directory):
    directory = Path(directory)
    shutil.rmtree(directory / "sample", ignore_errors=True)
    (directory / "sample").mkdir(parents=True)
    samples = write_samples(directory / "sample")
    (directory / "vectors.json").write_text(json.dumps(vectors(samples), indent=1, ensure_ascii=True) + "\n")


def tree_files(directory):
    return {path.relative_to(directory).as_posix(): path.read_bytes()
            for path in sorted(Path(directory).rglob("*")) if path.is_file()}


def differences():
    """Paths whose committed bytes differ from what write_all would write now."""
    with tempfile.TemporaryDirectory() as scratch:
        write_all(scratch)
        fresh = tree_files(scratch)
    committed = {name: data for name, data in tree_files(HERE).items()
                 if name == "vectors.json" or name.startswith("sample/")}
    return sorted(name for name in set(fresh) | set(committed) if fresh.get(name) != committed.get(name))


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        changed = differences()
        print("\n".join(changed) or "up to date")
        sys.exit(1 if changed else 0)
    write_all(HERE)
