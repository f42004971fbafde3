"""Exact and near duplicates (:func:`taxops.engines.inspect._duplicates`) are
counted with plain GROUP BYs over distinct pairs, not a ``count(DISTINCT)``
per group. Held here to a reference computed in Python from the rows, on
random datasets of templated texts (digits, case, accents, punctuation),
labels that agree or conflict, nulls and blanks."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import duckdb
import pytest
from taxops.engines.inspect import NORMALISED, SHOWN, inspect_dataset

TEMPLATES = ["Order {n} is late", "order {n} IS late!", "Ordér {n} is late", "Refund {n}?",
             "Where is parcel {n}", "where is parcel {n} ??", "Cancel", "cancel.", "  "]  # fmt: skip
LABELS = ["orders.status", "orders.delay", "billing.refund", None]


def dataset(rng: random.Random) -> list[tuple[int, str | None, str | None]]:
    rows = []
    for i in range(rng.randint(0, 60)):
        text = rng.choice(TEMPLATES).format(n=rng.choice([1, 2, 17, 1234]))
        rows.append((i, None if rng.random() < 0.05 else text, rng.choice(LABELS)))
    return rows


def reference(rows: list[tuple[int, str | None, str | None]]) -> dict[str, Any]:
    texts = sorted({t for _, t, _ in rows if t is not None and t.strip()})
    con = duckdb.connect()
    near_of = dict(
        con.execute(
            f"SELECT t, {NORMALISED.format(x='t')} FROM (SELECT unnest(?::VARCHAR[]) AS t)",
            [texts],
        ).fetchall()
    )
    kept = [(t, label) for _, t, label in rows if t is not None and t.strip()]
    out: dict[str, Any] = {"text_column": "text"}
    for kind, key in (("exact", lambda t: t), ("near", near_of.__getitem__)):
        groups: dict[str, list[tuple[str, str | None]]] = {}
        for t, label in kept:
            groups.setdefault(key(t), []).append((t, label))
        found = []
        for members in groups.values():
            variants = len({t for t, _ in members})
            if len(members) < 2 or (kind == "near" and variants < 2):
                continue
            labels = sorted({label for _, label in members if label is not None})
            example = min(t for t, _ in members)
            found.append((len(members), labels, example, variants))
        found.sort(key=lambda g: (-g[0], g[2]))
        out[kind] = {
            "groups": len(found),
            "rows": sum(g[0] for g in found),
            "groups_with_conflicting_labels": sum(1 for g in found if len(g[1]) > 1),
            "largest": [
                {"rows": n, "labels": labels, "example": example, "variants": variants}
                for n, labels, example, variants in found[:SHOWN]
            ],
        }
    return out


@pytest.mark.parametrize("seed", range(40))
def test_duplicate_groups_equal_a_reference_computed_from_the_rows(
    tmp_path: Path, seed: int
) -> None:
    rows = dataset(random.Random(seed))
    path = tmp_path / "d.parquet"
    con = duckdb.connect()
    con.execute("CREATE TABLE t (id INTEGER, text VARCHAR, label VARCHAR)")
    if rows:
        con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    assert inspect_dataset(path, "label").duplicates == reference(rows)


def test_one_template_for_every_row_is_one_near_group(tmp_path: Path) -> None:
    """Texts that differ only in their numbers (an order id) are one near
    group however many rows it holds: counted without a DISTINCT per group."""
    path = tmp_path / "d.parquet"
    duckdb.execute(
        f"COPY (SELECT i AS id, 'Order ' || i || ' is late' AS text, "
        f"'l' || (i % 7) AS label FROM range(200000) t(i)) TO '{path}' (FORMAT parquet)"
    )
    near = inspect_dataset(path, "label").duplicates["near"]
    assert (near["groups"], near["rows"], near["groups_with_conflicting_labels"]) == (1, 200000, 1)
    (group,) = near["largest"]
    assert group["variants"] == 200000 and group["labels"] == [f"l{i}" for i in range(7)]
    assert group["example"] == "Order 0 is late"
