"""Versions of both schemes (parsing, order, printing), declared bumps, minimum
versions and the bump a change needs under a versioning policy."""

from __future__ import annotations

import itertools
import re

import pytest
from taxops.models.common import SemVer
from taxops.models.taxonomy import Compatibility
from taxops.models.versioning import VersioningPolicy
from taxops.rules.base import Bump
from taxops.rules.terms import is_relaxation, is_transitive, protected
from taxops.versioning.policy import bump_for, declared_bump, minimum_version
from taxops.versioning.versions import CalVer, parse_version


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
    assert found is not None and str(found) == minimum
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


#: Each version sorts strictly before the next (mixed schemes share one order).
ORDERED = [
    "0.9.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0-rc.1", "1.0.0", "1.2.0",
    "2015", "2015.1", "2015.02.19", "2016.09.01", "2016.10", "2019-07-10", "2021.09.21",
    "2023", "2024.1", "2024.1.5", "2024.2",
]  # fmt: skip


def test_versions_of_both_schemes_share_one_order() -> None:
    parsed = [parse_version(v) for v in ORDERED]
    assert [str(v) for v in parsed] == ORDERED  # printed as written, zeros kept
    assert sorted(reversed(parsed)) == parsed
    assert all(a < b for a, b in itertools.pairwise(parsed))


@pytest.mark.parametrize(
    ("text", "scheme", "kind"),
    [
        ("1.4.0", None, SemVer),
        ("2016.09.01", None, CalVer),
        ("2023", None, CalVer),
        ("2024.1.0", "calver", CalVer),
        ("1.4.0", "semver", SemVer),
    ],
)
def test_parse_by_scheme(text: str, scheme: str | None, kind: type) -> None:
    assert type(parse_version(text, scheme)) is kind


@pytest.mark.parametrize(
    ("text", "scheme", "message"),
    [
        ("2016.09.01", "semver", "declare 'versioning: calver'"),
        ("v1.2", "semver", "is not a semantic version"),
        ("2024/01", "calver", "is not a calendar version"),
        ("1.2.3-rc", "calver", "is not a calendar version"),
        ("soon", None, "is not a version"),
    ],
)
def test_what_is_not_a_version(text: str, scheme: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_version(text, scheme)


def test_the_same_numbers_are_the_same_version_in_either_scheme() -> None:
    assert parse_version("2024.1.0", "calver") == SemVer("2024.1.0")
    assert hash(parse_version("2024.1.0", "calver")) == hash(SemVer("2024.1.0"))
    assert parse_version("2016.9.1") == parse_version("2016.09.01")


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [("2023", "2024", Bump.MAJOR), ("2024.1", "2024.1", Bump.NONE), ("2024.2", "2024.1", None)],
)
def test_a_calendar_version_only_has_to_increase(old: str, new: str, bump: Bump | None) -> None:
    assert declared_bump(CalVer(old), CalVer(new)) == bump
    assert minimum_version(CalVer(old), Bump.MAJOR) is None


@pytest.mark.parametrize(
    ("table", "rule", "bump"),
    [
        ({}, "label-added", Bump.MINOR),  # the catalogue's
        ({"label-added": "patch"}, "label-added", Bump.PATCH),  # "new categories are a patch"
        ({"breaking": "minor"}, "label-removed", Bump.MINOR),  # by category
        ({"breaking": "minor", "label-removed": "major"}, "label-removed", Bump.MAJOR),
        ({"additive": "patch"}, "label-removed", Bump.MAJOR),  # another category
        ({"breaking": "patch"}, "version-bump-too-small", Bump.NONE),  # not a change
    ],
)
def test_a_policy_table_says_which_change_needs_which_bump(
    table: dict[str, str], rule: str, bump: Bump
) -> None:
    policy = VersioningPolicy.model_validate({"scheme": "semver", "bumps": table})
    assert bump_for(rule, policy) == bump
    calendar = VersioningPolicy.model_validate({"scheme": "calver"})
    assert bump_for(rule, calendar) is Bump.NONE
