"""A large taxonomy gets a crosswalk's declarations where they go: each run
of labels the declarations touch is round tripped alone. What it writes must
be what the whole round trip writes, on the crosswalks of the test data, as
published and with comments between their labels (the whole round trip of a
150,000-code taxonomy took 93 s)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from taxops.crosswalk import write
from taxops.crosswalk.compile import compile_table
from taxops.crosswalk.table import read_table
from taxops.loading import parse_yaml
from taxops.models.taxonomy import Taxonomy

DATA = Path(__file__).parent / "data"
CASES = {"synthetic": "crosswalk.csv", "trade": "correlation.csv"}


def _model(text: str) -> Taxonomy:
    doc, problems = parse_yaml(text, "t.yaml")
    assert doc is not None, problems
    return Taxonomy.model_validate(doc.data)


def _commented(text: str, rng: random.Random) -> str:
    """Comment lines and blank lines before some of the labels."""
    out = []
    for line in text.splitlines(keepends=True):
        if line.startswith("  - ") and rng.random() < 0.4:
            out.append(rng.choice(["  # a section\n", "\n", "\n  # after a blank line\n"]))
        out.append(line)
    return "".join(out)


@pytest.mark.parametrize("case", sorted(CASES))
def test_local_writes_equal_the_whole_round_trip(case: str) -> None:
    folder = DATA / case
    old = _model((folder / "old.yaml").read_text(encoding="utf-8"))
    published = (folder / "new.yaml").read_text(encoding="utf-8")
    new = _model(published)
    ids = ([lb.id for lb in old.labels], [lb.id for lb in new.labels])
    plan = compile_table(read_table(folder / CASES[case], *ids).rows, old, new)
    rng = random.Random(7)
    for text in [published, *(_commented(published, rng) for _ in range(5))]:
        local = write._locally(text, plan, old, new)
        assert local is not None
        whole = write._whole(text, plan, old, new)
        assert local[0] == whole[0]
        assert local[1] == whole[1]  # the same declarations counted, replaced and kept
        assert local[1].changed
        again = write._locally(local[0], plan, old, _model(local[0]))
        assert again is not None and not again[1].changed  # idempotent


def _codes(version: str, labels: list[tuple[str, str | None]]) -> str:
    head = (
        f"taxops: taxonomy/1\nid: codes\ntitle: Codes\nversion: {version}\n"
        "kind: hierarchical\nids: code\nowners: ['@x']\nlabels:\n"
    )
    items = "".join(
        f"  - id: '{code}'\n    name: Name of {code}\n" + (f"    parent: '{p}'\n" if p else "")
        for code, p in labels
    )
    return head + items


@pytest.mark.parametrize("seed", range(6))
def test_generated_crosswalks_write_the_same_locally(seed: int, tmp_path: Path) -> None:
    """Removed codes (runs of them, the first and the last code among them),
    merged into one code or split between two, in a file with comments."""
    rng = random.Random(seed)
    labels: list[tuple[str, str | None]] = []
    for g in range(6):
        labels.append((f"{g}0", None))
        labels += [(f"{g}0{k}", f"{g}0") for k in range(1, 12)]
    gone = {c for c, p in labels if p and rng.random() < 0.3}
    gone |= {labels[1][0], labels[-1][0]}
    kept = [(c, p) for c, p in labels if c not in gone]
    survivors = [c for c, p in kept if p]
    table = tmp_path / "table.csv"
    rows = ["old,new"] + [f"{c},{c}" for c, _ in kept]
    for code in sorted(gone):
        for target in rng.sample(survivors, rng.choice([1, 1, 2])):
            rows.append(f"{code},{target}")
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    old, text = _model(_codes("1.0.0", labels)), _commented(_codes("2.0.0", kept), rng)
    new = _model(text)
    ids = ([lb.id for lb in old.labels], [lb.id for lb in new.labels])
    plan = compile_table(read_table(table, *ids).rows, old, new)
    local = write._locally(text, plan, old, new)
    assert local is not None
    whole = write._whole(text, plan, old, new)
    assert local[0] == whole[0]
    assert local[1] == whole[1] and local[1].added["tombstone"] == len(gone)
