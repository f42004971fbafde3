"""The integrity record of a taxonomy's releases: ``releases/SHA256SUMS``.

``taxops release`` writes one line per release file, ``<sha256>  <file name>``
(the format ``sha256sum -c`` reads), and never changes a line once written.
``taxops check`` verifies the record on every run, with or without a git base,
so a release edited or deleted and committed is caught even where there is no
history to compare with (a shallow clone, a plain ``taxops check``).

The hash is of the file's bytes with CRLF line ends read as LF, so a checkout
that converts line ends (git's ``autocrlf``) does not look like an edit.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from taxops.diagnostics import Diagnostic, Location
from taxops.repo_layout import RELEASES_FOLDER
from taxops.rules import release_modified, release_unrecorded
from taxops.versioning.versions import parse_version
from taxops.writing import write_atomic

RECORD = "SHA256SUMS"
_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")


def digest(path: Path) -> str:
    """The recorded hash of a release file."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def read_record(folder: Path) -> dict[str, str]:
    """File name -> hash, from ``folder/SHA256SUMS`` (empty when there is none).
    Lines that are not ``<hash>  <name>`` are ignored: verifying reports the
    releases they fail to cover."""
    path = folder / RECORD
    if not path.is_file():
        return {}
    record: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = _LINE.match(line.strip())
        if m:
            record.setdefault(m.group(2), m.group(1))
    return record


def record_releases(folder: Path, names: Iterable[str]) -> list[str]:
    """Add the releases ``names`` (file names in ``folder``) that the record
    lacks, keeping every existing line as it is; return the names added. The
    record is written atomically, sorted by version."""
    record = read_record(folder)
    added = [n for n in names if n not in record and (folder / n).is_file()]
    if not added:
        return []
    for name in added:
        record[name] = digest(folder / name)
    ordered = sorted(record, key=_release_order)
    write_atomic(folder / RECORD, "".join(f"{record[n]}  {n}\n" for n in ordered))
    return added


def verify(root: Path) -> list[Diagnostic]:
    """Every release of every taxonomy against its record: edited or deleted
    releases are errors; releases the record does not cover are warnings."""
    out: list[Diagnostic] = []
    for folder in sorted((root / "taxonomies").glob(f"*/{RELEASES_FOLDER}")):
        if not folder.is_dir():
            continue
        record = read_record(folder)
        shown = folder.relative_to(root).as_posix()
        files = sorted(p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
        for name in sorted(record, key=_release_order):
            path = f"{shown}/{name}"
            if not (folder / name).is_file():
                out.append(release_modified.diagnose_recorded(path, f"{shown}/{RECORD}", True))
            elif digest(folder / name) != record[name]:
                out.append(release_modified.diagnose_recorded(path, f"{shown}/{RECORD}", False))
        missing = [n for n in files if n not in record]
        if missing:
            out.append(
                release_unrecorded.diagnose(
                    [f"{shown}/{n}" for n in missing],
                    f"{shown}/{RECORD}",
                    Location(f"{shown}/{missing[0]}"),
                )
            )
    return out


def _release_order(name: str) -> tuple[int, object, str]:
    """Release files by version (names that are not versions last, by name)."""
    try:
        return (0, parse_version(Path(name).stem), name)
    except ValueError:
        return (1, 0, name)
