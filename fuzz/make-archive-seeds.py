#!/usr/bin/env python3
"""Writes the binary seeds of the tar and layer targets (fuzz/corpus/tar, fuzz/corpus/layer).

Each archive shows one feature of the tar format or of layers, kept small: AFL mutates small seeds best.
The output is committed; rerun this after changing it: python3 fuzz/make-archive-seeds.py
"""
import gzip
import io
import os
import subprocess
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
MTIME = 1700000000


def member(name, kind=tarfile.REGTYPE, data=b"", **fields):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mtime = MTIME
    info.mode = fields.pop("mode", 0o644)
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    for key, value in fields.items():
        setattr(info, key, value)
    return info, (io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def archive(members, fmt=tarfile.USTAR_FORMAT, pax_headers=None, end=True):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt, pax_headers=pax_headers or {}) as tar:
        for info, data in members:
            tar.addfile(info, data)
    # Drop the record padding, and the end-of-archive blocks unless asked for: the reader tolerates their absence.
    raw = buffer.getvalue().rstrip(b"\0")
    raw += b"\0" * (-len(raw) % 512)
    return raw + (b"\0" * 1024 if end else b"")


SEEDS = {
    "ustar-basic.tar": archive([
        member("etc/", tarfile.DIRTYPE, mode=0o755),
        member("etc/os-release", data=b"ID=debian\nVERSION_ID=12\n", uname="root", gname="root"),
        member("bin/sh", tarfile.SYMTYPE, linkname="/bin/dash", mode=0o777),
        member("bin/dash", data=b"\x7fELF", mode=0o4755),
        member("bin/rbash", tarfile.LNKTYPE, linkname="bin/dash"),
    ], end=False),
    "gnu-long-names.tar": archive([
        member("usr/share/" + "d" * 120 + "/file.txt", data=b"long\n"),
        member("usr/lib/link", tarfile.SYMTYPE, linkname="../" + "t" * 140),
    ], fmt=tarfile.GNU_FORMAT, end=False),
    "pax.tar": archive([
        member("app/ünïcode name.txt", data=b"pax\n", uid=3000000, gid=3000000, mtime=1700000000.25,
               pax_headers={"SCHILY.xattr.security.capability": "\x01\x00\x00\x02", "comment": "x"}),
        member("app/" + "p" * 110, data=b""),
    ], fmt=tarfile.PAX_FORMAT, end=False),
    "pax-global.tar": archive([
        member("opt/tool", data=b"#!/bin/sh\n", mode=0o755),
    ], fmt=tarfile.PAX_FORMAT, pax_headers={"mtime": "1600000000.5", "uname": "builder"}, end=False),
    "whiteouts.tar": archive([
        member("var/cache/.wh..wh..opq"),
        member("etc/.wh.passwd-"),
        member(".wh..wh.plnk/123"),
        member("tmp/.wh..wh.aufs"),
        member("root/.bashrc", data=b"export PS1='# '\n"),
    ], end=False),
    "special-files.tar": archive([
        member("dev/null", tarfile.CHRTYPE, devmajor=1, devminor=3, mode=0o666),
        member("dev/loop0", tarfile.BLKTYPE, devmajor=7, devminor=0),
        member("run/fifo", tarfile.FIFOTYPE),
        member("./", tarfile.DIRTYPE),
        member("./srv/../srv/data", data=b"x" * 600),
    ], end=False),
    "complete.tar": archive([
        member("hello.txt", data=b"hello\n"),
    ]),
}


def main():
    tar_dir = os.path.join(HERE, "corpus", "tar")
    layer_dir = os.path.join(HERE, "corpus", "layer")
    os.makedirs(tar_dir, exist_ok=True)
    os.makedirs(layer_dir, exist_ok=True)
    for name, raw in SEEDS.items():
        with open(os.path.join(tar_dir, name), "wb") as out:
            out.write(raw)

    # Base-256 (GNU binary) numbers: uid and size as 0x80-prefixed big-endian fields, checksum fixed up.
    header = bytearray(SEEDS["complete.tar"][:512])
    header[108:116] = b"\x80" + (70000).to_bytes(7, "big")
    header[124:136] = b"\x80" + (6).to_bytes(11, "big")
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\0 " % sum(header)
    with open(os.path.join(tar_dir, "base256.tar"), "wb") as out:
        out.write(bytes(header) + SEEDS["complete.tar"][512:])

    with open(os.path.join(layer_dir, "plain.tar"), "wb") as out:
        out.write(SEEDS["ustar-basic.tar"])
    for name in ("ustar-basic.tar", "whiteouts.tar", "pax.tar"):
        with open(os.path.join(layer_dir, name + ".gz"), "wb") as out:
            out.write(gzip.compress(SEEDS[name], compresslevel=9, mtime=0))
    for name in ("ustar-basic.tar", "gnu-long-names.tar"):
        compressed = subprocess.run(["zstd", "-19", "-q", "-c"], input=SEEDS[name], stdout=subprocess.PIPE, check=True).stdout
        with open(os.path.join(layer_dir, name + ".zst"), "wb") as out:
            out.write(compressed)


if __name__ == "__main__":
    main()
