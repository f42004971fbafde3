"""Ctrl-C that is never lost. DuckDB turns SIGINT into its own 'query
interrupted' error only while a query is checking for it; a signal that lands
between two checks can be consumed without effect, and the run would then
publish its outputs as if nothing happened. So the CLI installs a handler that
also records the request, and code about to publish asks :func:`check` first."""

from __future__ import annotations

import signal
import threading
from types import FrameType

_requested = threading.Event()


def _handler(signum: int, frame: FrameType | None) -> None:
    _requested.set()
    raise KeyboardInterrupt


def install() -> None:
    """Record every SIGINT (and raise KeyboardInterrupt, as Python does)."""
    _requested.clear()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _handler)


def check() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed during the run."""
    if _requested.is_set():
        raise KeyboardInterrupt
