"""The law cache: validated law as plain data, trusted only when it is provably ours and current.

A cache that can run code, or that answers from law the files no longer
say, would undermine every answer socins gives. So:

- the file holds data only (JSON, read back into the model's own types);
  nothing in it is executed when it is read;
- it is keyed by a hash (blake2b) of the bytes of every statutes file and of the code
  that shapes the law (not by names, sizes and times, which an edit can
  keep), and carries a checksum over its own bytes: a stale, damaged,
  truncated or foreign file is a miss, and the law is built afresh;
- it is read only from a folder and a file owned by the user and writable
  by nobody else (as ssh treats its keys); it is written 0600 into a 0700
  folder whatever the umask, through a temporary file and ``os.replace``,
  so concurrent builders and readers only ever see whole files;
- beside the key it may hold a stamp of every file's status (``stamp``):
  while each file's inode, size, mtime and ctime are still what they were
  when its bytes were hashed, the key holds without reading them again;
- where it lives follows the XDG base-directory spec: ``SOCINS_CACHE_DIR``,
  else an absolute ``XDG_CACHE_HOME``, else ``$HOME/.cache``; with no usable
  home there is no cache, and the answer is built without one.
"""

from __future__ import annotations

import os
import stat
import time
import zlib
from pathlib import Path

try:  # the built-in module: hashlib would load OpenSSL, some milliseconds of every start-up
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

#: Start of every cache file; a file that does not start with it is not ours.
MAGIC = b"socins-law-cache\x00v5\x00"
_DIGEST = 32  # bytes of the content key (blake2b)
_CHECK = 4  # bytes of the checksum (CRC-32: damage, not forgery, which the ownership checks stop)
_STAMP = 32  # bytes of the stamp of the files' status (all zero: none)
NO_STAMP = bytes(_STAMP)


def cache_dir() -> Path | None:
    """The folder for cache files, or None when there must be none."""
    if os.environ.get("SOCINS_NO_CACHE"):
        return None
    base = os.environ.get("SOCINS_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the spec: a relative value is invalid and ignored
        return Path(xdg) / "socins"
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home) or home == "/":
        return None  # no home of our own: answer without a cache rather than write one in / or here
    return Path(home) / ".cache" / "socins"


def content_key(parts) -> bytes:
    """A hash of ``(name, bytes)`` pairs, each framed by its lengths so no two sets of parts collide."""
    h = blake2b(digest_size=_DIGEST)
    for name, data in parts:
        encoded = name.encode("utf-8", "surrogateescape")
        h.update(len(encoded).to_bytes(8, "little"))
        h.update(encoded)
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


#: How long ago every file must have last changed for its status to vouch for its bytes (see ``stamp``).
SETTLED_NS = 2_000_000_000


def stamp(files, salt: bytes) -> bytes:
    """A hash of each ``(name, path)``'s status (device, inode, size, mtime, ctime), or NO_STAMP.

    Any write to a file, or a change of its times, sets its ctime to the
    clock's now, and only the kernel sets ctime: an edit that keeps the size
    and puts the mtime back still changes it. So while every file's status
    is what it was when its bytes were hashed, the bytes are those bytes.
    Two limits are kept out: ctime is only this on POSIX (Windows reports the
    creation time), and a file changed in the last ``SETTLED_NS`` could
    change again within the same tick of the file system's clock, keeping
    its ctime; in either case there is no stamp, and the files are hashed.
    """
    if os.name != "posix":
        return NO_STAMP
    settled = time.time_ns() - SETTLED_NS
    parts = [("salt", salt)]
    for name, path in files:
        try:
            st = os.stat(path)
        except OSError:
            return NO_STAMP
        if st.st_ctime_ns >= settled:
            return NO_STAMP
        parts.append((name, b"%d %d %d %d %d" % (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)))
    found = content_key(parts)
    return found if found != NO_STAMP else bytes([1]) + found[1:]


def cache_file(folder_id: str) -> Path | None:
    """The one cache file for a statutes folder (``folder_id`` names the folder, not its content)."""
    d = cache_dir()
    if d is None:
        return None
    name = blake2b(folder_id.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
    return d / f"law-{name}.cache"  # a header, then JSON


def _checksum(key: bytes, payload) -> bytes:
    return zlib.crc32(payload, zlib.crc32(key)).to_bytes(_CHECK, "little")


def _private(st: os.stat_result) -> bool:
    """Owned by us and writable by no one else: nobody but the user could have put the bytes there."""
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _cache_name(name: str) -> bool:
    """A name ``write`` gives its files: a folder holding only these is the cache's own to tighten."""
    return (name.startswith("law-") and name.endswith(".cache")) or (name.startswith(".law-") and name.endswith(".tmp"))


def read(path: Path, key: bytes) -> memoryview | None:
    """The payload stored under ``key``, or None: missing, foreign, stale, damaged or unsafe are all a miss."""
    entry = read_entry(path)
    return entry[2] if entry is not None and entry[0] == key else None


def read_entry(path: Path) -> tuple[bytes, bytes, memoryview] | None:
    """``(key, stamp, payload)`` as stored, or None: missing, foreign, damaged or unsafe are all a miss.

    The caller decides whether the stored key is the key of the files now
    (``socins_cli.law.load.load_law``). The payload is a view into the bytes
    read, not a copy: copying ~800 KB costs a fresh process ~0.35 ms each
    time (the new memory's page faults), and every command reads this file.
    """
    try:
        if not _private(os.stat(path.parent)):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _private(st):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            blob = fh.read()
    except OSError:
        return None
    finally:
        os.close(fd)
    head = len(MAGIC)
    if len(blob) < head + _DIGEST + _CHECK + _STAMP or not blob.startswith(MAGIC):
        return None
    stored_key = blob[head:head + _DIGEST]
    checksum = blob[head + _DIGEST:head + _DIGEST + _CHECK]
    body = memoryview(blob)[head + _DIGEST + _CHECK:]
    if _checksum(stored_key, body) != checksum:
        return None
    return stored_key, bytes(body[:_STAMP]), body[_STAMP:]


def write(path: Path, key: bytes, payload, stamp: bytes = NO_STAMP) -> None:
    """Best effort: an unwritable or unsafe folder only costs speed, never an answer."""
    import tempfile

    try:
        folder = path.parent
        for missing in reversed([folder, *folder.parents]):  # the spec: every folder made is 0700, parents too
            if not missing.exists():
                missing.mkdir(mode=0o700, exist_ok=True)
        st = os.stat(folder)
        if st.st_uid != os.getuid():
            return  # someone else's folder: neither trust it nor write into it
        if stat.S_IMODE(st.st_mode) & 0o077:
            if not all(_cache_name(name) for name in os.listdir(folder)):
                return  # a folder shared with other files (SOCINS_CACHE_DIR=/tmp): never re-mode it, write nothing
            os.chmod(folder, 0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".law-", suffix=".tmp")  # 0600 whatever the umask
        try:
            with os.fdopen(fd, "wb") as fh:
                body = stamp + payload
                fh.write(MAGIC + key + _checksum(key, body) + body)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        pass
