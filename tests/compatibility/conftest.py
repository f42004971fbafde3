"""Fixtures of the comparison tests."""

from __future__ import annotations

import pytest
from taxops.loading import yaml_source


@pytest.fixture(params=["small", "large"])
def located_as(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Files located as small ones are (composed) or as large ones are (from
    the line index, which a cached release keeps in bytes: its findings are
    placed from the bytes of their labels, never the decoded text)."""
    if request.param == "large":
        monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)
    return str(request.param)
