"""A large taxonomy validated while it is still being parsed.

The YAML parser (yaml-rs) lets go of Python's interpreter lock while it reads
the text; validating labels holds it. Parsed whole and then validated, a
200,000-label file costs the sum of the two (about 1.4 s and 0.8 s); parsed
in parts on the read-ahead thread (:mod:`taxops.loading.ahead`) while the
command validates the parts already parsed, it costs about the larger.

The file is cut at the items of its labels list, found by the line scan of
:mod:`taxops.loading.yaml_source` (each item reads alone as it does in place:
:mod:`taxops.loading.item_source`). The rest of the file (its list emptied)
is parsed first: the command gets the document at once, its labels an
:class:`Arriving` list that holds them as their parts are parsed; reading one
not parsed yet waits for it.

Each part is checked by parsing it: what could make an item read otherwise
than in place makes its part fail or hold another number of items (an alias
of an anchor outside the part is unknown in it; a document marker ends it; a
cut inside a quoted scalar leaves it unclosed). Anything unexpected stops the
parts: a part that does not parse, or holds another number of items than it
was cut with, or the rest of the file that does not parse, with its list's
key empty, into a taxonomy's mapping. Then the file is parsed whole, as it
always was, and every finding is the one a whole parse gives (a reader of the
list gets :class:`Unparsed`, and the caller checks the file again from its
text). A test compares both ways on every governed file of the repository and
every invalid case, cut into parts of two items.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, SupportsIndex, overload

from taxops.documents import MARKER, TAXONOMY
from taxops.loading.yaml_source import _end_of_top_entry, _item_offsets

#: Files smaller than this are parsed whole (a fraction of a second).
PIPELINE_MIN_CHARS = 4_000_000
#: Lists shorter than this are validated in one call (see
#: :data:`taxops.models.streaming.STREAM_MIN_ITEMS`): nothing to overlap.
PIPELINE_MIN_ITEMS = 20_000
#: Items parsed per part: a few MB of text, so the command never waits long.
PART_ITEMS = 10_000
#: The list a large file is cut at (a taxonomy's labels: what makes a file large).
KEY = "labels"

_PENDING = object()


class Unparsed(Exception):
    """The list's parts could not all be parsed: parse the file whole."""


class Arriving(list[Any]):
    """The items of a list, each readable once its part is parsed. ``len`` is
    the number of items from the start; reading an item or a slice waits until
    it has arrived (or raises :class:`Unparsed` when the parts stopped).
    Writing is left to the list: the command only overwrites items it has
    read (streaming validation lets go of them)."""

    def __init__(self, n: int) -> None:
        super().__init__([_PENDING] * n)
        self._arrived = 0
        self._failed = False
        self._ready = threading.Condition()

    def arrive(self, items: list[Any]) -> None:
        with self._ready:
            start = self._arrived
            list.__setitem__(self, slice(start, start + len(items)), items)
            self._arrived = start + len(items)
            self._ready.notify_all()

    def fail(self) -> None:
        with self._ready:
            self._failed = True
            self._ready.notify_all()

    def wait_all(self) -> None:
        """Wait for every item (or raise :class:`Unparsed`)."""
        self._wait(len(self))

    def _wait(self, needed: int) -> None:
        with self._ready:
            while self._arrived < needed and not self._failed:
                self._ready.wait()
            if self._arrived < needed:
                raise Unparsed

    @overload
    def __getitem__(self, i: SupportsIndex) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...

    def __getitem__(self, i: SupportsIndex | slice) -> Any:
        if isinstance(i, slice):
            _, stop, step = i.indices(len(self))
            self._wait(stop if step == 1 else len(self))
        else:
            k = i.__index__()
            self._wait((k if k >= 0 else k + len(self)) + 1)
        return list.__getitem__(self, i)

    def __iter__(self) -> Iterator[Any]:
        self.wait_all()
        return list.__iter__(self)


def parse_in_parts(
    text: str, load: Callable[[str], Any]
) -> tuple[dict[str, Any], Callable[[], None], list[int]] | None:
    """The file's top-level mapping with its labels :class:`Arriving`, the
    function that parses the parts (to run on the read-ahead thread), and
    where the labels' items start (the document keeps them: locating a
    finding needs them, and the scan is a tenth of a second at 200,000
    labels); or None: the caller parses the file whole (the caller keeps
    texts under :data:`PIPELINE_MIN_CHARS` out)."""
    starts = _item_offsets(text, KEY)
    if starts is None or len(starts) < max(PIPELINE_MIN_ITEMS, 1):
        return None
    bounds = [*starts, _end_of_top_entry(text, starts[-1])]
    try:
        data = load(text[: bounds[0]] + text[bounds[-1] :])
    except Exception:
        return None
    if type(data) is not dict or data.get(MARKER) != TAXONOMY or data.get(KEY, ...) is not None:
        return None
    n = len(starts)
    arriving = Arriving(n)
    data[KEY] = arriving

    def parse_parts() -> None:
        try:
            for start in range(0, n, PART_ITEMS):
                end = min(n, start + PART_ITEMS)
                part = load(f"{KEY}:\n" + text[bounds[start] : bounds[end]])
                found = part.get(KEY) if type(part) is dict and len(part) == 1 else None
                if type(found) is not list or len(found) != end - start:
                    arriving.fail()
                    return
                arriving.arrive(found)
        except BaseException:
            arriving.fail()

    return data, parse_parts, starts
