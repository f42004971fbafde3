"""Declared bumps, minimum versions and the version findings."""

from __future__ import annotations

import pytest
from taxops.compatibility.semver import declared_bump, minimum_version
from taxops.compatibility.terms import is_relaxation, is_transitive, protected
from taxops.models.common import SemVer
from taxops.models.taxonomy import Compatibility
from taxops.rules.base import Bump


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("1.0.0", "1.0.0", Bump.NONE),
        ("1.0.0", "1.0.1", Bump.PATCH),
        ("1.0.0", "1.1.0", Bump.MINOR),
        ("1.4.2", "2.0.0", Bump.MAJOR),
        ("1.4.2", "3.1.0", Bump.MAJOR),
        ("0.3.0", "0.4.0", Bump.MAJOR),  # 0.y.z: minor is breaking
        ("0.3.0", "0.3.1", Bump.MINOR),
        ("2.0.0-rc.1", "2.0.0", Bump.MAJOR),  # pre-releases promise nothing
        ("2.0.0", "1.9.9", None),
        ("2.0.0", "2.0.0-rc.1", None),
    ],
)
def test_declared_bump(old: str, new: str, bump: Bump | None) -> None:
    assert declared_bump(SemVer(old), SemVer(new)) == bump


@pytest.mark.parametrize(
    ("old", "required", "minimum"),
    [
        ("1.4.2", Bump.MAJOR, "2.0.0"),
        ("1.4.2", Bump.MINOR, "1.5.0"),
        ("1.4.2", Bump.PATCH, "1.4.3"),
        ("0.3.1", Bump.MAJOR, "0.4.0"),
        ("0.3.1", Bump.MINOR, "0.3.2"),
        ("2.0.0-rc.2", Bump.MAJOR, "2.0.0"),
    ],
)
def test_minimum_version_satisfies_the_requirement(old: str, required: Bump, minimum: str) -> None:
    found = minimum_version(SemVer(old), required)
    assert str(found) == minimum
    declared = declared_bump(SemVer(old), found)
    assert declared is not None and declared.rank >= required.rank


def test_modes() -> None:
    assert {d.value for d in protected(Compatibility.FULL_TRANSITIVE)} == {"data", "consumers"}
    assert protected(Compatibility.NONE) == frozenset()
    assert is_transitive(Compatibility.BACKWARD_TRANSITIVE)
    assert not is_transitive(Compatibility.FULL)
    assert is_relaxation(Compatibility.FULL, Compatibility.BACKWARD)
    assert is_relaxation(Compatibility.BACKWARD_TRANSITIVE, Compatibility.BACKWARD)
    assert not is_relaxation(Compatibility.BACKWARD, Compatibility.FULL)
    assert not is_relaxation(Compatibility.BACKWARD, Compatibility.BACKWARD_TRANSITIVE)
