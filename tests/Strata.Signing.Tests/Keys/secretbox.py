#!/usr/bin/env python3
"""An independent implementation of go-securesystemslib's encrypted key body for the key tests:
scrypt from Python's hashlib (OpenSSL), secretbox from libsodium (ctypes).
  secretbox.py encrypt N PASSPHRASE PLAINTEXT-FILE JSON-FILE
  secretbox.py decrypt PASSPHRASE JSON-FILE PLAINTEXT-FILE   (exit 1 when the box does not open)"""
import base64, ctypes, ctypes.util, hashlib, json, os, sys

sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
assert sodium.sodium_init() >= 0


def key(passphrase, salt, n, r, p):
    return hashlib.scrypt(passphrase, salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)


def main():
    mode = sys.argv[1]
    source, target = sys.argv[-2], sys.argv[-1]
    data = open(source, "rb").read()
    if mode == "encrypt":
        n, passphrase = int(sys.argv[2]), sys.argv[3].encode()
        salt, nonce = os.urandom(32), os.urandom(24)
        out = ctypes.create_string_buffer(len(data) + 16)
        sodium.crypto_secretbox_easy(out, data, ctypes.c_ulonglong(len(data)), nonce, key(passphrase, salt, n, 8, 1))
        b64 = lambda b: base64.b64encode(b).decode()
        body = {"kdf": {"name": "scrypt", "params": {"N": n, "r": 8, "p": 1}, "salt": b64(salt)},
                "cipher": {"name": "nacl/secretbox", "nonce": b64(nonce)}, "ciphertext": b64(out.raw)}
        open(target, "w").write(json.dumps(body, separators=(",", ":")))
    else:
        body = json.loads(data)
        params = body["kdf"]["params"]
        box = base64.b64decode(body["ciphertext"])
        k = key(sys.argv[2].encode(), base64.b64decode(body["kdf"]["salt"]), params["N"], params["r"], params["p"])
        out = ctypes.create_string_buffer(len(box) - 16)
        if sodium.crypto_secretbox_open_easy(out, box, ctypes.c_ulonglong(len(box)), base64.b64decode(body["cipher"]["nonce"]), k) != 0:
            sys.exit(1)
        open(target, "wb").write(out.raw)


main()
