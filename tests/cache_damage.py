"""Damage done to a cache entry (a header line, then the body), for the tests
of both caches: whatever is done, the entry must be a miss, never an error."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

#: Damage any entry can take; each cache's tests add forgeries of their own.
COMMON = ("truncated", "flipped byte", "garbage", "empty", "other code")


def split(entry: Path) -> tuple[dict[str, Any], bytes]:
    """The entry's header and body."""
    head, _, body = entry.read_bytes().partition(b"\n")
    return json.loads(head), body


def parts(entry: Path) -> tuple[dict[str, Any], bytes, bytes]:
    """The entry's header, body and tail (the part after the body that the
    entry checks itself: a release's labels)."""
    fields, rest = split(entry)
    return fields, rest[: fields["body_bytes"]], rest[fields["body_bytes"] :]


def reseal(entry: Path, body: bytes, tail: bytes = b"", **header: Any) -> None:
    """Write ``body`` and ``tail`` under a header whose checksum matches (a
    forgery the checksum cannot catch), with ``header``'s fields changed."""
    fields, _ = split(entry)
    fields.update(
        header,
        body_sha256=hashlib.sha256(body).hexdigest(),
        body_bytes=len(body),
        tail_bytes=len(tail),
    )
    entry.write_bytes(json.dumps(fields).encode() + b"\n" + body + tail)


def damage(entry: Path, how: str) -> None:
    """One of :data:`COMMON`."""
    blob = entry.read_bytes()
    head, _, body = blob.partition(b"\n")
    if how == "truncated":
        entry.write_bytes(blob[: len(blob) // 2])
    elif how == "flipped byte":
        i = len(head) + 1 + len(body) // 2
        entry.write_bytes(blob[:i] + bytes([blob[i] ^ 0x01]) + blob[i + 1 :])
    elif how == "garbage":
        entry.write_bytes(b"\x00\xff not json at all")
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "other code":
        _, body, tail = parts(entry)
        reseal(entry, body, tail, code="0" * 16)
    else:
        raise AssertionError(how)
