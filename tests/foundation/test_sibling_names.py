"""Which repeated names make a ``duplicate-sibling-name`` finding: only two
labels under one parent that read the same; never the same title under
different parents (a classification repeats "Other" under thousands), nor a
label whose own name and alias read the same."""

from __future__ import annotations

import pytest
from taxops.checks.taxonomy import sibling_names
from taxops.loading import parse_yaml
from taxops.models.taxonomy import Taxonomy

HEAD = "taxops: taxonomy/1\nid: t\ntitle: T\nversion: 1.0.0\nkind: hierarchical\nowners: ['@a']\n"


def _labels(rows: list[tuple[str, str, str | None, list[str]]]) -> str:
    out = ["labels:"]
    for label_id, name, parent, aliases in rows:
        out += [f"- id: {label_id}", f"  name: {name}"]
        if parent:
            out.append(f"  parent: {parent}")
        if aliases:
            out.append(f"  aliases: [{', '.join(aliases)}]")
    return "\n".join(out) + "\n"


def _findings(rows: list[tuple[str, str, str | None, list[str]]]) -> list[str]:
    doc, problems = parse_yaml(HEAD + _labels(rows), "t.yaml")
    assert doc is not None and not problems
    tax = Taxonomy.model_validate(doc.data)
    return [d.message for d in sibling_names(tax, doc)]


GROUPS = [(f"g{i}", f"Group {i}", None, []) for i in range(50)]
OTHER_EVERYWHERE = [(f"g{i}.other", "Other", f"g{i}", []) for i in range(50)]

CASES = [
    ("the same title under fifty parents", GROUPS + OTHER_EVERYWHERE, 0),
    ("a name and its own alias", [("a", "Car", None, ["car"])], 0),
    (
        "fifty parents, one with the title twice",
        [*GROUPS, *OTHER_EVERYWHERE, ("g7.misc", "other", "g7", [])],
        1,
    ),
    ("an alias of one sibling, the name of another", [("a", "Car", None, ["Auto"]), ("b", "AUTO", None, [])], 1),
    (
        "a name and alias shared by a label, and its sibling's name",
        [("a", "Car", None, ["car"]), ("b", "Car", None, [])],
        1,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_duplicate_sibling_names(
    rows: list[tuple[str, str, str | None, list[str]]], expected: int
) -> None:
    assert len(_findings(rows)) == expected
