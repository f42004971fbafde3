"""Settings every test shares."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest

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
