"""A large comparison's findings placed in both files at once: a worker
(:mod:`taxops.forked`) places those in the old file while this process places
those in the new one.

Placing a finding reads its label's lines in each file (thousands of labels
for a diff of two 200,000-label versions, a fifth of its time), and the two
files are independent. The worker is forked only where :func:`forked.unavailable
<taxops.forked.unavailable>` allows one (``--jobs 1`` or ``TAXOPS_JOBS=1``
never fork) and when the old file has enough places to find to repay the fork
(:data:`WORTH_A_WORKER`). It hands back each place's line and column, as
machine integers in a file of a private folder; anything else (it failed, was
killed, handed back something else) and this process places them itself: the
places are the same either way.
"""

from __future__ import annotations

import os
import shutil
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from taxops import forked
from taxops.diagnostics import Location
from taxops.positions import NodePath, Positions

#: Fewer places than this in the old file are found here: a fork and its
#: hand-over cost about as much as placing a thousand findings.
WORTH_A_WORKER = 2_000


@contextmanager
def placed_beside(
    doc: Positions | None, requests: list[tuple[NodePath, str]], jobs: int | None
) -> Iterator[Callable[[], list[Location]] | None]:
    """While the block runs, a worker finds ``requests`` in ``doc``; the
    block's callable returns them (found here when the worker did not). None
    when no worker is worth it or allowed: the caller finds them itself."""
    if doc is None or len(requests) < WORTH_A_WORKER or forked.unavailable(jobs) is not None:
        yield None
        return
    folder = forked.private_folder()
    out = folder / "places"

    def work() -> None:
        found = doc.locate_all(requests)
        if any(place.path != doc.path for place in found):
            raise ValueError("a place in another file")  # not handed back: found again
        numbers = array("q", [n for place in found for n in (place.line, place.column)])
        written = folder / "places.tmp"
        written.write_bytes(numbers.tobytes())
        os.replace(written, out)  # whole, or not there

    try:
        with forked.beside(work) as worker:

            def places() -> list[Location]:
                handed = _handed(out, len(requests)) if worker and worker.wait() else None
                if handed is None:
                    return doc.locate_all(requests)
                return [Location(doc.path, line, column) for line, column in handed]

            yield places
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _handed(path: Path, count: int) -> list[tuple[int, int]] | None:
    """The ``count`` places the worker wrote, or None."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if len(raw) != 16 * count:
        return None
    numbers = array("q")
    numbers.frombytes(raw)
    return list(zip(numbers[0::2], numbers[1::2], strict=True))
