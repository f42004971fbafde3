"""The JSON layout of long documents (findings, map entries): the same values
as an indented dump, one row per line in the long lists, indented elsewhere."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from taxops.jsondoc import readable_json

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(
    st.dictionaries(st.text(), values, max_size=5),
    st.lists(values, max_size=6),
    st.dictionaries(st.text(), values, max_size=6),
)
def test_the_values_are_those_of_an_indented_dump(
    head: dict[str, Any], rows: list[Any], per_label: dict[str, Any]
) -> None:
    """Rows in a list, and entries of a mapping (a migration report's counts
    per label), each on a line of its own."""
    document = {**head, "rows": rows, "per_label": per_label}
    text = readable_json(document, rows=("rows", "per_label"))
    assert json.loads(text) == json.loads(json.dumps(document, indent=2))
    if per_label:  # one line per entry, between the key's line and its closing brace
        lines = text.split("\n")
        start = lines.index('  "per_label": {')
        end = lines.index("  }", start)
        assert end - start - 1 == len(per_label)


def test_a_row_per_line_and_the_head_indented() -> None:
    rows = [{"rule": "label-removed", "label": "vehicle.truck"}, {"rule": "x", "n": [1, 2]}]
    text = readable_json({"summary": {"error": 1}, "diagnostics": rows}, rows=("diagnostics",))
    lines = text.split("\n")
    assert lines[:4] == ["{", '  "summary": {', '    "error": 1', "  },"]
    assert lines[5:7] == [
        f"    {json.dumps(r)}," if i == 0 else f"    {json.dumps(r)}" for i, r in enumerate(rows)
    ]
    assert lines[-2:] == ["  ]", "}"]


@pytest.mark.parametrize(
    ("document", "expected"),
    [({}, "{}"), ({"diagnostics": []}, '{\n  "diagnostics": []\n}')],
)
def test_empty(document: dict[str, Any], expected: str) -> None:
    assert readable_json(document, rows=("diagnostics",)) == expected


def test_names_stay_readable() -> None:
    assert '"Café"' in readable_json({"rows": [{"name": "Café"}]}, rows=("rows",))
