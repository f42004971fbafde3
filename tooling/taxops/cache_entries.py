"""The cache folder and the framing every entry in it shares: where the folder
is, which taxops code an entry belongs to, and how an entry is written and read
so that a damaged, forged or stale one is never trusted.

Two kinds of entries live there, each a function of immutable inputs and of
the code that read them: a release's validated model
(:mod:`taxops.release_cache`) and the migration map between releases
(:mod:`taxops.map_cache`). An entry is one file, written atomically:

* a header line, the JSON of what the entry was made from (its ``identity``:
  the SHA-256 of the files, the versions...), the code fingerprint and taxops'
  version, and the SHA-256 and length of the body;
* the body, read only when the header equals the one this run would write for
  the same identity (so an entry from other code, for other files, or damaged
  anywhere is a miss);
* optionally a tail, whose length the header holds and whose content the entry
  checks itself (a release's labels: a comparison checks the few it reads
  against their digests instead of hashing 60 MB).

Nothing here is ever an error: a miss is rebuilt and overwritten; a folder that
cannot be written only makes commands slower. The folder is the user's own
cache folder (outside the repository, created private), so a pull request
cannot plant an entry for CI to trust; whoever can write that folder can already
change what the user runs. Plain JSON only (never pickle): nothing in an entry
is executed or imported.

Where: ``$TAXOPS_CACHE_DIR`` if set, else the platform's user cache folder
(``$XDG_CACHE_HOME/taxops`` or ``~/.cache/taxops`` on Linux,
``~/Library/Caches/taxops`` on macOS, ``%LOCALAPPDATA%\\taxops\\Cache`` on
Windows). ``TAXOPS_NO_CACHE=1`` turns it off. Delete the folder at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from taxops import __version__

_PACKAGE = Path(__file__).resolve().parent


def folder() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("TAXOPS_NO_CACHE"):
        return None
    given = os.environ.get("TAXOPS_CACHE_DIR")
    if given:
        return Path(given)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "taxops" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "taxops"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "taxops"


@cache
def code_fingerprint() -> str:
    """taxops' version and a fingerprint of its code (each module's path and
    content, about a megabyte, hashed once per process): a development
    checkout never reads an entry that other code wrote, and the same release
    of taxops installed afresh (a CI runner) reads the entries the last run
    left."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(f"|{path.relative_to(_PACKAGE).as_posix()}:".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def sha256(raw: bytes) -> str:
    """The SHA-256 of some bytes, in hex: how entries name the files they stand for."""
    return hashlib.sha256(raw).hexdigest()


def header(identity: Mapping[str, object], body: bytes, tail_bytes: int = 0) -> dict[str, object]:
    """The first line of an entry: what it was made from, this taxops and its
    code, and what its body must be (and the length of its tail, if any)."""
    return {
        **identity,
        "code": code_fingerprint(),
        "taxops": __version__,
        "body_sha256": sha256(body),
        "body_bytes": len(body),
        "tail_bytes": tail_bytes,
    }


def read_body(path: Path, identity: Mapping[str, object], max_bytes: int) -> bytes | None:
    """The body of the entry at ``path`` when its header is the one this run
    would write for ``identity`` and the body is whole; else None (no entry, too
    large, damaged, another identity or other code)."""
    found = read_entry(path, identity, max_bytes)
    if found is None or found[1]:
        return None
    return found[0]


def read_entry(
    path: Path, identity: Mapping[str, object], max_bytes: int
) -> tuple[bytes, bytes] | None:
    """The body and the tail of the entry at ``path``, as :func:`read_body`
    checks them. The tail is only as long as the header says: its content is
    the entry's own to check (a release checks each label it reads against
    the digest its body keeps, so a command that reads a few labels does not
    hash them all)."""
    found = open_entry(path, identity, max_bytes)
    if found is None:
        return None
    body, tail = found
    try:
        return body, tail[0 : len(tail)]
    except OSError:
        return None


def open_entry(
    path: Path, identity: Mapping[str, object], max_bytes: int
) -> tuple[bytes, Tail | bytes] | None:
    """:func:`read_entry`, the tail left in the file and read in the parts
    asked for (:class:`Tail`): a comparison of two releases reads a few
    thousand labels of 60 MB. Where the system cannot read at an offset, the
    tail is read whole."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    tail: Tail | bytes | None = None
    whole = False
    try:
        with open(fd, "rb", closefd=False) as entry:  # each part read once, never copied
            head = json.loads(entry.readline(1 << 20))
            if type(head) is not dict or type(head.get("body_bytes")) is not int:
                return None
            body = entry.read(head["body_bytes"])
            start = entry.tell()
            if hasattr(os, "pread"):
                tail = Tail(fd, start, os.fstat(fd).st_size - start)
            else:
                tail = entry.read()
        if head != header(identity, body, len(tail)):
            return None
        whole = True
    except (OSError, ValueError):
        return None
    finally:
        if not isinstance(tail, Tail):
            os.close(fd)
        elif not whole:
            tail.close()
    return body, tail


class Tail:
    """The tail of an entry still in its file, read where it is sliced
    (``tail[a:b]``, bytes). The file stays open while the tail lives: an entry
    replaced meanwhile (always atomically, by rename) is not seen, and one cut
    short by another program reads short, which the entry's own checks find."""

    def __init__(self, fd: int, start: int, length: int) -> None:
        self._fd: int | None = fd
        self._start = start
        self.length = length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, part: slice) -> bytes:
        a, b, step = part.indices(self.length)
        if step != 1 or self._fd is None:
            raise ValueError("a tail is read in plain slices, while open")
        got = os.pread(self._fd, b - a, self._start + a) if b > a else b""
        if len(got) == b - a:
            return got
        out = bytearray(got)
        while got and a + len(out) < b:
            got = os.pread(self._fd, b - a - len(out), self._start + a + len(out))
            out += got  # nothing more: cut short, which the caller's checks find
        return bytes(out)

    def __reduce__(self) -> tuple[type[bytes], tuple[bytes]]:
        # Sent to another process (a worker loading a release), a tail is its
        # bytes: a file descriptor means nothing there.
        return bytes, (self[0 : self.length],)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.close()


def write_entry(
    path: Path,
    identity: Mapping[str, object],
    body: bytes,
    stale_prefix: str,
    tail: bytes = b"",
    *,
    base: Path | None = None,
) -> None:
    """Write an entry (its header, ``body``, then ``tail``) atomically (a reader sees the old one or the new one,
    whole), then remove the entries it replaces: those in the same folder whose
    name starts with ``stale_prefix``. ``path`` is under ``base``, the cache
    folder (:func:`folder` unless given). Failing (a read-only or full disk) is
    silent: the cache only saves time. Interrupted (Ctrl-C), it leaves no
    partial file behind."""
    base = base or folder()
    if base is None:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)  # private: see the module
        path.parent.mkdir(exist_ok=True, mode=0o700)
        with tmp.open("wb") as out:  # not joined first: a tail can be 60 MB
            out.write(json.dumps(header(identity, body, len(tail))).encode() + b"\n")
            out.write(body)
            out.write(tail)
        os.replace(tmp, path)
        for other in path.parent.glob(f"{stale_prefix}*.json"):
            if other != path:
                other.unlink(missing_ok=True)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    except BaseException:  # interrupted: no half-written file in the folder
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
