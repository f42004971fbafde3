"""All-or-nothing outputs: every file is written beside its target under a
hidden temporary name and renamed over it only when the whole run succeeded.
A crash at any point before the renames leaves the previous outputs untouched;
leftovers of a killed run are removed by the next one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from taxops import interrupts

_TAG = ".taxops-tmp-"


def temp_path(final: Path) -> Path:
    return final.with_name(f".{final.name}{_TAG}{os.getpid()}")


@contextmanager
def staged(finals: list[Path]) -> Iterator[dict[Path, Path]]:
    """Yield final path -> temporary path; on success rename every temporary
    file that was written over its final path, in the order given (the dataset
    first: its provenance sidecar records the dataset's fingerprint, so a
    sidecar left stale by a crash between two renames is recognised)."""
    for final in finals:
        final.parent.mkdir(parents=True, exist_ok=True)
        leftover = f".{final.name}{_TAG}"  # compared as text: a name is not a pattern
        for stale in final.parent.iterdir():
            if stale.name.startswith(leftover) and stale.is_file():
                stale.unlink(missing_ok=True)
            elif stale.name.startswith(leftover) and stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
    temps = {final: temp_path(final) for final in finals}
    try:
        yield temps
        interrupts.check()  # a Ctrl-C the engine missed still stops the run here
        for final in finals:
            tmp = temps[final]
            if tmp.exists() and final.exists() and not final.is_file() and not final.is_dir():
                # A pipe or a device (-o /dev/stdout): written as a stream, never
                # renamed over (which would replace the device node itself).
                with open(tmp, "rb") as src, open(final, "wb") as stream:
                    shutil.copyfileobj(src, stream)
            elif tmp.is_dir():
                _replace_folder(tmp, final)
            elif tmp.exists():
                with open(tmp, "rb") as f:
                    os.fsync(f.fileno())
                os.replace(tmp, final)
    finally:
        for tmp in temps.values():
            if tmp.is_dir() and not tmp.is_symlink():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)


def _replace_folder(tmp: Path, final: Path) -> None:
    """Put a written folder (Spark's part files) where ``final`` is. A rename
    cannot replace a folder that has files, so what was there is renamed aside
    first, then removed: at every moment ``final`` is the old output or the new."""
    aside = final.with_name(f".{final.name}{_TAG}old-{os.getpid()}")
    if final.is_symlink() or final.exists():
        os.replace(final, aside)
    os.replace(tmp, final)
    if aside.is_dir() and not aside.is_symlink():
        shutil.rmtree(aside, ignore_errors=True)
    else:
        aside.unlink(missing_ok=True)
