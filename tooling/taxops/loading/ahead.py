"""Reading and parsing the next files on a worker thread while the command works.

The YAML parser (yaml-rs) lets go of Python's interpreter lock while it parses
the text; only building the Python objects holds it. A file parsed on a second
thread therefore runs beside the command's own Python work on a second core:
``taxops validate`` of a lone 200,000-label file parses it while taxops loads
its checks and every kind of document's model (about 0.2 s), and a repository's
next files parse while the current one is validated.

What the worker does is exactly what the command would do in its place
(:func:`taxops.loading.sources.read_source`: the same guard against links out
of the repository, the same size limit, the same findings), so a file read
ahead gives the same result as a file read in turn; a test compares the two on
every governed file of the repository and every invalid case.

Bounded, so that reading ahead never raises the command's peak memory by more
than a small amount: the first file is read ahead whatever its size (nothing is
loaded yet), later ones only while the files read ahead and not yet taken come
to at most :data:`BUDGET` bytes of YAML. A larger one is read once the command
asks for it (every file before it taken): a large taxonomy's labels then still
parse in parts while the command validates them, holding no more than the
command reading it itself would. Releases are left to the command: most
come from the release cache, which is cheaper than parsing them. A file the
worker cannot read ahead, or fails on in any way, is left to the command too,
which then reads it itself, as it always did: the worker never causes an error.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType

from taxops.loading.sources import Source, read_source
from taxops.repo_layout import display_path, is_release

#: YAML bytes the worker may hold parsed ahead of the command, after the first
#: file (about ten times as much in parsed objects).
BUDGET = 4_000_000


class ReadAhead:
    """``paths`` read and parsed in order on a worker thread, taken in the
    same order with :meth:`sources`. Use it as a context manager: leaving it
    (normally, on an error or on Ctrl-C) stops the worker after the file it is
    on."""

    def __init__(
        self, paths: Sequence[Path], root: Path | None, max_bytes: int, budget: int = BUDGET
    ) -> None:
        self._paths = list(paths)
        self._root, self._max_bytes, self._budget = root, max_bytes, budget
        self._done: dict[int, tuple[Source | None, int]] = {}  # index: source, bytes held
        self._held = 0  # bytes of files read ahead and not yet taken
        self._wanted = -1  # the file the command asks for (or works on) now
        self._busy = False  # reading or parsing a file (not to be waited for)
        self._stopped = False
        self._ready = threading.Condition()
        self._worker = threading.Thread(target=self._work, name="taxops-read-ahead", daemon=True)
        if self._paths:
            self._worker.start()

    @property
    def paths(self) -> list[Path]:
        """The files it reads, in order."""
        return list(self._paths)

    def sources(self) -> Iterator[tuple[Path, Source | None]]:
        """Each path with its parsed source, or None: the caller reads that one
        itself (a release, or a file the worker failed on). A file over the
        budget is read once it is asked for here."""
        for i, path in enumerate(self._paths):
            with self._ready:
                self._wanted = i
                self._ready.notify_all()
                while i not in self._done:
                    self._ready.wait()
                source, size = self._done.pop(i)
                self._held -= size
                self._ready.notify_all()
            yield path, source

    def close(self) -> None:
        """Stop after the current file. The worker is waited for only when it
        is not reading one (it then ends at once), never through a parse: on an
        error or Ctrl-C the command ends without it (a daemon thread)."""
        with self._ready:
            self._stopped = True
            busy = self._busy
            self._ready.notify_all()
        if not busy and self._worker.is_alive():
            self._worker.join()

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _work(self) -> None:
        for i, path in enumerate(self._paths):
            size = self._size(path) if i else 0  # the first file whatever its size
            ahead = not is_release(path)
            large = size > self._budget  # read once the command asks for it
            with self._ready:
                while (
                    ahead
                    and not self._stopped
                    and (self._wanted < i if large else self._held + size > self._budget)
                ):
                    self._ready.wait()
                if self._stopped:
                    return
                self._busy = ahead
            source = None
            if ahead:
                try:
                    display = display_path(path, self._root)
                    source = read_source(path, display, self._root, self._max_bytes, in_parts=True)
                except BaseException:  # left to the command, which reads it and reports
                    source = None
            rest = source.rest if source is not None else None
            with self._ready:
                self._busy = rest is not None  # still parsing the labels' parts
                self._done[i] = (source, size if source is not None else 0)
                self._held += self._done[i][1]
                self._ready.notify_all()
            if rest is not None:
                rest()  # the command validates the parts already here meanwhile
                with self._ready:
                    self._busy = False
                    self._ready.notify_all()

    @staticmethod
    def _size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0  # the command reads it and reports why it cannot
