"""A release's SHA-256 known from its file's status, as git's index knows a
file unchanged: a command that reads a release seen before neither reads nor
hashes its 60 MB to find its cache entry (:mod:`taxops.release_cache`).

The release cache is keyed by the SHA-256 of a release's bytes, and stays so.
This memo only saves computing it again: a record per file (its device and
inode) says which digest the file had when its size, modification time and
change time (nanoseconds) were what they are now. A file whose status differs
in any of them is read and hashed as before, and its record replaced.

**Never a racy record.** A record is written only when the file's status did
not move while it was read, and when its modification and change times are
both more than :data:`SETTLED_NS` in the past. A file written in the same
tick as its record (a coarse clock, an editor saving twice in a second) could
otherwise change with its status unchanged. A later edit always moves the
change time, which no program can set back (``touch`` and ``utime`` restore
the modification time, and move the change time to now): a release edited
behind the cache's back, its modification time put back, is read again.

**Off where the change time is not one.** On Windows ``st_ctime`` is (or was,
before Python 3.12) the creation time, which an edit does not move: there the
memo is never read or written, and releases are hashed on every run.

**Read in the parts asked for.** On a hit, the release's bytes are a
:class:`SourceBytes`: read where they are sliced, so placing a finding on a
label reads that label's lines; read whole (and checked against the digest)
only when a question needs the whole file. A file found to differ from its
record then loses the record, and :class:`Stale` is raised: the caller reads
the release again (``taxops diff`` does, as for a damaged cache entry).

Records live in the cache folder (:func:`taxops.cache_entries.folder`), framed
like every entry there (:func:`taxops.cache_entries.write_entry`): a damaged
or foreign record is a miss.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from pathlib import Path

from taxops.cache_entries import Tail, folder, read_body, sha256, write_entry
from taxops.models.lazy_labels import Damaged

#: How long a file must have been left alone before its digest is recorded.
SETTLED_NS = 2_000_000_000

#: The layout of a record; bumped when it changes, so old records are misses.
FORMAT = "taxops-source-digest/1"


class Stale(Damaged):
    """A release read through the memo does not hash to its recorded digest:
    it changed while this command ran. The record is gone; read it again."""


def enabled() -> bool:
    """Whether the memo is used here (see the module: not on Windows)."""
    return sys.platform != "win32" and folder() is not None


def _now_ns() -> int:
    return time.time_ns()


def _record_path(base: Path, status: os.stat_result) -> Path:
    return base / "sources" / f"{status.st_dev}-{status.st_ino}.json"


def _identity(status: os.stat_result) -> dict[str, object]:
    """What a record answers for: one file in one state."""
    return {
        "format": FORMAT,
        "device": status.st_dev,
        "inode": status.st_ino,
        "size": status.st_size,
        "mtime_ns": status.st_mtime_ns,
        "ctime_ns": status.st_ctime_ns,
    }


def _digest_of(body: bytes) -> str | None:
    text = body.decode("ascii", errors="replace")
    if len(text) != 64 or text.strip("0123456789abcdef"):
        return None
    return text


def known(path: Path, max_bytes: int) -> tuple[str, SourceBytes] | None:
    """The recorded digest of the file at ``path`` and its bytes (read in
    parts), when its record matches its status now; else None. The status is
    read from the open file, so the bytes are those of the file the record
    answers for, whatever replaces it at ``path`` meanwhile."""
    base = folder()
    if base is None or not enabled():
        return None
    try:  # never waits: a FIFO named like a release is not opened for good
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or not 0 < status.st_size <= max_bytes:
            os.close(fd)
            return None
        body = read_body(_record_path(base, status), _identity(status), 4096)
    except OSError:
        os.close(fd)
        return None
    key = _digest_of(body) if body is not None else None
    if key is None:
        os.close(fd)
        return None
    return key, SourceBytes(fd, status, key, base)


def remember(path: Path, before: os.stat_result, key: str) -> None:
    """Record that the file at ``path`` hashes to ``key``, when it was read
    with status ``before`` and that status is still its own and settled (see
    the module). Failing to write is silent: the memo only saves time."""
    base = folder()
    if base is None or not enabled():
        return
    try:
        after = os.stat(path)
    except OSError:
        return
    if _identity(after) != _identity(before) or not stat.S_ISREG(after.st_mode):
        return  # it moved while it was read, or is not a plain file
    if _now_ns() - max(after.st_mtime_ns, after.st_ctime_ns) <= SETTLED_NS:
        return  # racy: it could change again within the same tick
    # One record per file, replaced in place (atomically): nothing else to prune.
    record = _record_path(base, after)
    write_entry(record, _identity(after), key.encode(), record.name, base=base)


def forget(base: Path, status: os.stat_result) -> None:
    """Drop the record of the file with ``status``."""
    with contextlib.suppress(OSError):
        _record_path(base, status).unlink(missing_ok=True)


#: Bytes read on either side of a small slice (see :meth:`SourceBytes.__getitem__`).
_BLOCK_AROUND = 512


class SourceBytes(Tail):
    """A release's bytes known by their digest: read where they are sliced
    (:class:`~taxops.cache_entries.Tail`), and whole, checked against the
    digest, for any other question (:meth:`whole`)."""

    def __init__(self, fd: int, status: os.stat_result, key: str, base: Path) -> None:
        super().__init__(fd, 0, status.st_size)
        self._status = status
        self._key = key
        self._base = base
        self._whole: bytes | None = None
        self._block: tuple[int, bytes] = (0, b"")

    def __getitem__(self, part: slice) -> bytes:
        """The bytes of ``part``, from the last block read when it holds them:
        placing a finding reads an item, then a byte or two on either side of
        it (one read, not five)."""
        a, b = part.start, part.stop
        at, block = self._block
        # Tens of thousands of calls, nearly all inside the block: the short way.
        if (
            type(a) is int
            and type(b) is int
            and part.step is None
            and at <= a <= b <= at + len(block)
        ):
            return block[a - at : b - at]
        a, b, step = part.indices(self.length)
        if step != 1 or b - a > _BLOCK_AROUND:
            return super().__getitem__(part)
        start = max(0, a - _BLOCK_AROUND)
        block = super().__getitem__(slice(start, min(self.length, b + _BLOCK_AROUND)))
        self._block = (start, block)
        return block[a - start : b - start]

    def startswith(self, prefix: bytes, start: int = 0) -> bool:
        return self[start : start + len(prefix)] == prefix

    def whole(self) -> bytes:
        """All the bytes, read once; :class:`Stale` (the record dropped) when
        they are not those the record answers for."""
        if self._whole is None:
            raw = self[0 : self.length]
            if len(raw) != self.length or sha256(raw) != self._key:
                forget(self._base, self._status)
                raise Stale("the release changed while it was read")
            self._whole = raw
        return self._whole
