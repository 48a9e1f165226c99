#!/usr/bin/env python3
"""A stand-in for an HSM or KMS front end: signs stdin with an Ed25519 key the broker never sees.

Usage: sign.py KEYFILE           sign stdin, print the base64 signature
       sign.py KEYFILE --public  print the key's public half as ed25519:<base64>
       sign.py --generate KEYFILE  write a new key (base64 of the 32-byte seed, mode 0600)
"""
import base64
import os
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def load(path):
    with open(path, "rb") as handle:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(handle.read().strip()))


def main(argv):
    if len(argv) == 3 and argv[1] == "--generate":
        seed = os.urandom(32)
        descriptor = os.open(argv[2], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(descriptor, base64.b64encode(seed) + b"\n")
        os.close(descriptor)
        return 0
    if len(argv) == 3 and argv[2] == "--public":
        raw = load(argv[1]).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        print("ed25519:" + base64.b64encode(raw).decode())
        return 0
    if len(argv) == 2:
        message = sys.stdin.buffer.read()
        print(base64.b64encode(load(argv[1]).sign(message)).decode())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
