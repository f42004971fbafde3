"""Settings every test shares."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from taxops import forked

# The numeric libraries some tests import (numpy, scipy) start a pool of native
# threads when they load; a process with threads never forks a worker (see
# taxops.forked), so the tests of diff's worker could not run in the suite.
# The tests' data are small: one thread each is plenty.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")


@pytest.fixture(autouse=True, scope="session")
def _private_release_cache() -> Iterator[None]:
    """The release cache of the test session lives in a folder of its own, so
    tests never read or fill the user's cache (and commands the tests run in
    subprocesses inherit it)."""
    with tempfile.TemporaryDirectory(prefix="taxops-test-cache-") as folder:
        saved = os.environ.get("TAXOPS_CACHE_DIR")
        os.environ["TAXOPS_CACHE_DIR"] = folder
        yield
        if saved is None:
            os.environ.pop("TAXOPS_CACHE_DIR", None)
        else:
            os.environ["TAXOPS_CACHE_DIR"] = saved


@pytest.fixture
def fresh_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """An empty cache folder of the test's own, turned on (tests of the caches)."""
    folder = tmp_path_factory.mktemp("cache") / "cache"
    monkeypatch.setenv("TAXOPS_CACHE_DIR", str(folder))
    monkeypatch.delenv("TAXOPS_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def worker_threads() -> Callable[[], int]:
    """How many threads keep a worker away (:func:`taxops.forked.unavailable`)
    in a test of workers. Libraries other tests import at collection (pandas
    with pyarrow for the agreement reference; polars where the benchmark
    extras are installed) start native thread pools that the worker never
    uses: here only Python threads count (test_a_running_thread_keeps_the_worker_away
    and friends start one of their own). A thread an earlier test left behind
    (a read-ahead finishing its file, a git reader) would rightly keep the
    worker away: it is let end first."""
    deadline = time.monotonic() + 30
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))
    return threading.active_count


@pytest.fixture
def workers(
    monkeypatch: pytest.MonkeyPatch, worker_threads: Callable[[], int]
) -> list[forked.Worker]:
    """Every worker forked during the test, once it was stopped. The machine
    counts as idle (the test suite itself keeps a core busy)."""
    monkeypatch.setattr(forked, "_load", lambda: 0.0)
    monkeypatch.setattr(forked, "_threads", worker_threads)
    seen: list[forked.Worker] = []
    real = forked.beside

    @contextlib.contextmanager
    def spy(work: Callable[[], object]) -> Iterator[forked.Worker | None]:
        with real(work) as worker:
            yield worker
        if worker is not None:
            seen.append(worker)

    monkeypatch.setattr(forked, "beside", spy)
    why = forked.unavailable()
    assert why is None, f"no worker can be forked here: {why} ({threading.enumerate()})"
    return seen


#: How a worker fails in :func:`failing_in_workers`.
Failing = Callable[[Callable[..., Any], str], Callable[..., Any]]


@pytest.fixture
def failing_in_workers() -> Failing:
    """``wrap(real, how)``: ``real`` as it is in this process, and failing in
    a forked worker as ``how`` says: ``"raises"`` (an exception) or
    ``"killed"`` (the worker is killed)."""
    parent = os.getpid()

    def wrap(real: Callable[..., Any], how: str) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if os.getpid() != parent:
                if how == "raises":
                    raise RuntimeError("worker broke")
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return wrapped

    return wrap
