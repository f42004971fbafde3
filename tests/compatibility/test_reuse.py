"""Ids that come back with another meaning, across every release, and how the
team's policy (``ids: {reuse: ...}``) treats a reuse the publisher declares."""

from __future__ import annotations

from typing import Any

import pytest
from taxops.changes.reuse import find_reuses
from taxops.diagnostics import Severity
from taxops.models.ids import IdReuse
from taxops.models.taxonomy import Taxonomy
from taxops.rules import retired_id_reused


def version(number: str, *labels: dict[str, Any]) -> Taxonomy:
    return Taxonomy.model_validate(
        {
            "taxops": "taxonomy/1", "id": "t", "title": "T", "version": number,
            "kind": "single-label", "owners": ["@t"], "ids": "code", "labels": list(labels),
        }
    )  # fmt: skip


TRAM = {"id": "150", "name": "Tram", "definition": "A street rail vehicle."}
TRACTOR = {"id": "150", "name": "Tractor"}
RETIRED = {**TRAM, "status": "retired", "replacement": "review"}
OTHER = {"id": "9", "name": "Other"}


@pytest.mark.parametrize(
    ("releases", "new", "reused"),
    [
        # dropped, then back with another meaning: caught two releases later
        ([[TRAM, OTHER], [RETIRED, OTHER], [OTHER]], [TRACTOR, OTHER], ["150"]),
        # deleted without a tombstone, then back with another name
        ([[TRAM, OTHER], [OTHER]], [TRACTOR, OTHER], ["150"]),
        # retired, then reactivated with another definition
        ([[RETIRED]], [{**TRAM, "definition": "A farm vehicle."}], ["150"]),
        # back as it was (name case and spacing do not make a new meaning)
        ([[TRAM, OTHER], [OTHER]], [{**TRAM, "name": "tram "}, OTHER], []),
        # renamed while in use all along: a rename, not a reuse
        ([[TRAM], [TRAM]], [TRACTOR], []),
        # new ids are not reuses
        ([[OTHER]], [TRACTOR, OTHER], []),
    ],
)
def test_reused_ids(
    releases: list[list[dict[str, Any]]], new: list[dict[str, Any]], reused: list[str]
) -> None:
    history = [version(f"{i + 1}.0.0", *labels) for i, labels in enumerate(releases)]
    found = find_reuses(history, version("9.0.0", *new))
    assert [r.label.id for r in found] == reused


def test_a_declared_reuse_stays_a_finding_of_its_own() -> None:
    """A publisher's crosswalk may declare that a code takes a new meaning: the
    finding is kept, an error where the team's policy forbids reuse, else a
    warning that blocks nothing."""
    history = [version("1.0.0", TRAM)]
    [reuse] = find_reuses(history, version("2.0.0", TRACTOR), declared={"150"})
    assert reuse.declared and reuse.left_in is None  # in use throughout
    forbidden = retired_id_reused.diagnose(reuse, "t", "1.0.0", None, IdReuse.FORBIDDEN, None, None)
    assert forbidden.severity is Severity.ERROR and forbidden.data["breaks"] == [
        "consumers",
        "data",
    ]
    assert "this taxonomy's policy forbids (ids: reuse: forbidden)" in forbidden.message
    allowed = retired_id_reused.diagnose(reuse, "t", "1.0.0", None, IdReuse.DECLARED, None, None)
    assert allowed.severity is Severity.WARNING and allowed.data["breaks"] == []
    assert "is reused, as declared" in allowed.message


def test_the_reuse_policy_is_part_of_the_id_shape() -> None:
    data = version("1.0.0", OTHER).model_dump(mode="json")
    allowing = Taxonomy.model_validate({**data, "ids": {"preset": "code", "reuse": "declared"}})
    assert allowing.id_rule.reuse is IdReuse.DECLARED
    assert version("1.0.0", OTHER).id_rule.reuse is IdReuse.FORBIDDEN
