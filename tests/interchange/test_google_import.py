"""Google's product taxonomy (the 2021-09-21 edition, all 5,595 categories,
copied into fixtures/): imported with its published numeric ids exactly, a
valid taxonomy whose hierarchy matches the source line by line."""

from __future__ import annotations

from pathlib import Path

import pytest
from taxops.diagnostics import TaxopsError
from taxops.interchange.google_product import import_google
from taxops.interchange.imported import validate_imported

SOURCE = Path(__file__).parent / "fixtures" / "taxonomy-with-ids.en-US.2021-09-21.txt"


@pytest.fixture(scope="module")
def lines() -> list[tuple[str, list[str]]]:
    out = []
    for line in SOURCE.read_text(encoding="utf-8").splitlines()[1:]:
        code, _, path = line.partition(" - ")
        out.append((code, path.split(" > ")))
    return out


def test_google_taxonomy_imports_line_by_line(lines: list[tuple[str, list[str]]]) -> None:
    imported = import_google(SOURCE.read_text(encoding="utf-8"), SOURCE.name)
    assert len(lines) == len(imported.labels) == 5595
    by_id = {label.id: label for label in imported.labels}
    for (code, path), label in zip(lines, imported.labels, strict=True):
        assert label.id == code  # the published id, exactly
        assert label.name == path[-1]
        names, at = [], label
        while at is not None:
            names.append(at.name)
            at = by_id[at.parent] if at.parent else None  # type: ignore[assignment]
        assert names[::-1] == path
    assert (imported.version, imported.ids, imported.versioning) == ("2021.09.21", "code", "calver")
    assert imported.notes == []
    errors = [
        d
        for d in validate_imported(imported.to_yaml(), "google.yaml")
        if d.severity.value == "error"
    ]
    assert errors == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# Google_Product_Taxonomy_Version: 2021-09-21\nAnimals > Pets\n", "not a category line"),
        ("# Google_Product_Taxonomy_Version: 2021-09-21\n", "has no categories"),
    ],
)
def test_a_file_without_ids_is_refused_with_the_line(text: str, message: str) -> None:
    with pytest.raises(TaxopsError, match=message):
        import_google(text, "taxonomy.txt")
