"""taxops and Python's cyclic garbage collector.

A large taxonomy is millions of small, long-lived objects (dicts from the
parser, then models): data that is never garbage, and that the collector
would rescan on every full pass, again and again, freeing nothing. At 200,000
labels each pass cost about a second, and they came back through a whole
comparison. Two tools, used by every layer (below all of them: this module
imports nothing of taxops):

* :func:`paused`: no collection while a parser or a validator builds a mass of
  objects. On the way out, what was built is moved past the young
  generations, so re-enabling the collector does not walk it at once;
* :func:`keep`: everything alive now stays out of the collector's sight for the
  rest of the process (``gc.freeze``), and whatever a later pause builds joins
  it. The CLI keeps what it has loaded: a command is one short process, and its
  data lives until it exits. A library caller (the MkDocs plugin, the tests)
  never calls it, so nothing is frozen behind its back.

In the ``taxops`` program (:func:`taxops.cli.main.console`, which calls
:func:`hold_until_exit` first), what :func:`keep` is given is also held until
the process ends, and :func:`holding` says so: the program then ends without
freeing it object by object. A caller of ``main()`` in its own process (the
tests, a tool) holds nothing, so running commands one after another does not
pile up their data. The memory goes back to
the system with the process; freeing 200,000 labels one by one took about a
quarter of a second, after the command's work was done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_keeping = False
_holding = False
_held: list[object] = []
#: Pauses under way (in every thread), and whether the collector was on before the first.
_pauses = 0
_resume = False
_switch = threading.Lock()


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block (see the module's docstring).

    The collector is one switch for the whole process, and two threads may
    pause it at once (files are parsed ahead on a worker thread while the
    command validates: :mod:`taxops.loading.ahead`), so pauses are counted:
    the first one in switches the collector off, the last one out switches it
    back on as it found it."""
    global _pauses, _resume
    with _switch:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _switch:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.freeze()  # everything allocated meanwhile leaves the young generations
                if not _keeping:
                    gc.unfreeze()  # ... into the oldest one, still collectable
                gc.enable()


def keep(*loaded: object) -> None:
    """From now on, what is alive, and what later pauses build, is never
    scanned again (for a command's process: its data lives until it exits).
    ``loaded`` is held until the process ends (see the module's docstring)."""
    global _keeping
    _keeping = True
    if _holding:
        _held.extend(loaded)
    gc.freeze()


def release() -> None:
    """The command is over and the process goes on (``main()`` called by the
    tests or a tool): what :func:`keep` froze is scanned again, so a cycle the
    command left (a lazily read release holds its cache entry's file open) is
    freed, not kept for the life of the process. The ``taxops`` program, which
    holds its data until it exits, keeps it frozen."""
    global _keeping
    if _holding:
        return
    _keeping = False
    gc.unfreeze()


def hold_until_exit() -> None:
    """From now on, :func:`keep` holds what it is given until the process ends
    (the ``taxops`` program, which ends without freeing it)."""
    global _holding
    _holding = True


def holding() -> bool:
    """Whether :func:`keep` holds data that the process need not free."""
    return bool(_held)
