"""A command writes only the files it was asked to write, and never one it reads
or one the repository governs.

``quality sample ann.csv -o ann.csv`` would replace a week of annotations with a
20-row sample; ``export ID -o taxonomies/ID/releases/1.0.0.yaml`` a frozen
release with Turtle; ``redact x.csv -o r.csv --report r.csv`` the redacted copy
with its report. Each is refused before anything runs, whatever the spelling:
the same path once symlinks are resolved, the same inode (a hard link), or paths
that differ only in case or Unicode normalisation (one file on macOS and Windows).
"""

from __future__ import annotations

import itertools
import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from taxops.diagnostics import TaxopsError

#: Where the governed files live (a release, a guideline, a vendor policy...).
GOVERNED = ("taxonomies", "guidelines", "policies")
#: What a dataset's provenance is kept in, beside it (``x.csv.taxops.json``).
SIDECAR = ".taxops.json"


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file, or would on some filesystem."""
    try:
        if a.exists() and b.exists() and os.path.samefile(a, b):
            return True
    except OSError:
        pass
    return _path_key(a) == _path_key(b)


def _path_key(path: Path) -> str:
    return unicodedata.normalize("NFC", str(path.resolve())).casefold()


def refuse_collisions(
    writes: Sequence[tuple[str, Path]],
    reads: Sequence[tuple[str, Path]] = (),
    root: Path | None = None,
) -> None:
    """Raise :class:`TaxopsError` when two outputs are one file, when an output is
    an input (or an input's provenance sidecar), or when an output would replace
    an existing file of the governance repository at ``root``. Each pair is
    ``(what it is, path)``: ``("--report", Path("r.json"))``."""
    for (a, path_a), (b, path_b) in itertools.combinations(writes, 2):
        if same_file(path_a, path_b):
            raise TaxopsError(
                f"{a} and {b} would both be written to {path_b}: one would overwrite the other",
                f"name a different file for {a} and {b}",
            )
    inputs = [*reads, *((f"{what}'s provenance", _sidecar(p)) for what, p in reads)]
    for (a, path_a), (b, path_b) in itertools.product(writes, inputs):
        if same_file(path_a, path_b):
            raise TaxopsError(
                f"{a} would overwrite {b} ({path_b}), which this command reads",
                "taxops never writes over its input: write the output elsewhere",
            )
    for what, path in writes:
        governed = _governed(path, root)
        if governed is not None:
            raise TaxopsError(
                f"{what} would overwrite {governed}, a governed file of the repository",
                "write outputs outside taxonomies/, guidelines/ and policies/ (e.g. out/)",
            )


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR)


def _governed(path: Path, root: Path | None) -> str | None:
    """``path`` relative to ``root`` when it is an existing file (or folder) under
    the governed folders."""
    if root is None or not path.exists():
        return None
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    return relative.as_posix() if relative.parts[:1] and relative.parts[0] in GOVERNED else None
