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
            elif tmp.exists():
                with open(tmp, "rb") as f:
                    os.fsync(f.fileno())
                os.replace(tmp, final)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
