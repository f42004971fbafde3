"""Settings every test shares."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest


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
