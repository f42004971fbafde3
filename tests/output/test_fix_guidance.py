"""``taxops fix`` keeps a removed label as a tombstone, and the guideline's
entry for it then needs ``historical: true``: fix writes that too, in place,
so ``check`` passes after it. Every other line of the guideline stays as
written; an entry fix cannot edit in place is named, never guessed at."""

from __future__ import annotations

from pathlib import Path

import pytest
from taxops.cli.main import main
from taxops.fixes.guideline_edit import mark_historical
from taxops.loading import parse_yaml

from .fleet import released_and_edited
from .test_fix import OLD, changed_lines

GUIDELINE = """\
taxops: guideline/1
taxonomy: fleet
escalation:
  - when: Unsure.
    contact: Shift lead
    channel: "#fleet-labeling"
    response_time: 2 hours
version: 1.0.0
coverage:
  min_examples: 0
  min_near_misses: 0
changelog:
  - version: 1.0.0
    date: 2026-01-05
    what: First version.
    why: The fleet team starts labeling.
labels:
  - label: vehicle
    definition: Anything that moves people or goods.
  - label: vehicle.car
    definition: A passenger car.
  - label: vehicle.other
    definition: Any other vehicle.
"""


def test_fix_marks_the_guidance_of_the_label_it_retires(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = released_and_edited(tmp_path, OLD, OLD.split("  - id: vehicle.other")[0])
    (root / "guidelines").mkdir()
    guideline = root / "guidelines" / "fleet.yaml"
    guideline.write_text(GUIDELINE, encoding="utf-8")
    assert main(["check", "--repo", str(root)]) != 0
    capsys.readouterr()

    assert main(["fix", "--repo", str(root), "--diff"]) == 1
    shown = capsys.readouterr().out
    assert "+    historical: true" in shown and guideline.read_text() == GUIDELINE

    assert main(["fix", "--repo", str(root)]) == 0
    out = capsys.readouterr().out
    assert "fixed guidelines/fleet.yaml: guidance of 1 retired label marked historical" in out
    assert changed_lines(GUIDELINE, guideline.read_text()) == ["+    historical: true"]
    assert guideline.read_text().endswith(
        "  - label: vehicle.other\n    definition: Any other vehicle.\n    historical: true\n"
    )
    assert main(["check", "--repo", str(root)]) == 0, capsys.readouterr().out
    assert main(["fix", "--repo", str(root)]) == 0
    assert "nothing to fix" in capsys.readouterr().out


#: Entries as people write them: the new line must land at the entry's keys'
#: column after its last line, whatever that line is.
SHAPES = [
    (  # a block scalar whose lines start with '#' (its text, not comments)
        "  - label: a\n    definition: |\n      # heading\n      text\n      # last\n"
        "  # a comment before the next entry\n  - label: b\n",
        "  - label: a\n    definition: |\n      # heading\n      text\n      # last\n"
        "    historical: true\n  # a comment before the next entry\n  - label: b\n",
    ),
    (  # historical written false, with a comment
        "  - label: a\n    historical: false  # still taught\n    definition: x\n",
        "  - label: a\n    historical: true  # still taught\n    definition: x\n",
    ),
    (  # the dash on a line of its own, keys at another column
        "-\n    label: a\n    definition: x\n-   label: b\n",
        "-\n    label: a\n    definition: x\n    historical: true\n-   label: b\n",
    ),
    (  # Windows line ends, and a last line with no line end
        "  - label: a\r\n    definition: x",
        "  - label: a\r\n    definition: x\r\n    historical: true\r\n",
    ),
]


@pytest.mark.parametrize(("entries", "expected"), SHAPES)
def test_the_line_goes_where_the_entry_ends(entries: str, expected: str) -> None:
    head = "taxops: guideline/1\ntaxonomy: t\nlabels:\n"
    if "\r\n" in entries:
        head = head.replace("\n", "\r\n")
    result = mark_historical(head + entries, "g.yaml", {"a"})
    assert result.text == head + expected
    assert (result.marked, result.by_hand) == (["a"], [])


def test_an_entry_in_flow_style_is_named_and_left_alone() -> None:
    text = "taxops: guideline/1\ntaxonomy: t\nlabels:\n  - {label: a, definition: x}\n"
    result = mark_historical(text, "g.yaml", {"a"})
    assert (result.text, result.marked, result.by_hand) == (text, [], ["a"])


def test_only_the_retired_labels_entries_change() -> None:
    """Many entries, a few retired: the file reads as before but for those."""
    entries = "".join(f"  - label: c{i}\n    definition: Code {i}.\n" for i in range(500))
    text = "taxops: guideline/1\ntaxonomy: t\nlabels:\n" + entries
    retired = {f"c{i}" for i in range(0, 500, 37)} | {"not-in-the-guideline"}
    result = mark_historical(text, "g.yaml", retired)
    doc, _ = parse_yaml(result.text, "g.yaml")
    assert doc is not None
    marked = {e["label"] for e in doc.data["labels"] if e.get("historical") is True}
    assert marked == retired - {"not-in-the-guideline"} == set(result.marked)
    assert len(result.text.splitlines()) == len(text.splitlines()) + len(marked)


def test_a_taxonomy_without_a_guideline_is_fixed_as_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = released_and_edited(tmp_path, OLD, OLD.split("  - id: vehicle.other")[0])
    assert main(["fix", "--repo", str(root)]) == 0
    assert "guidelines" not in capsys.readouterr().out
    assert "    status: retired\n" in (root / "taxonomies/fleet/taxonomy.yaml").read_text()


def test_an_edit_that_reads_otherwise_is_never_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """The edited file is read again: if the new line landed anywhere but at
    the end of the entry (here, forced into the middle of a block scalar),
    nothing is written and the label is named."""
    from taxops.fixes import guideline_edit

    text = (
        "taxops: guideline/1\ntaxonomy: t\nlabels:\n"
        "  - label: a\n    definition: |\n      one\n      two\n"
    )
    monkeypatch.setattr(guideline_edit, "last_line_of_entry", lambda lines, row, column: row + 2)
    result = mark_historical(text, "g.yaml", {"a"})
    assert (result.text, result.marked, result.by_hand) == (text, [], ["a"])


def test_a_guideline_that_is_not_utf8_is_named_and_the_taxonomy_fixed_all_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = released_and_edited(tmp_path, OLD, OLD.split("  - id: vehicle.other")[0])
    (root / "guidelines").mkdir()
    broken = GUIDELINE.encode().replace(b"Any other vehicle.", b"Caf\xe9 vehicle.")
    (root / "guidelines" / "fleet.yaml").write_bytes(broken)
    assert main(["fix", "--repo", str(root)]) == 0
    out = capsys.readouterr().out
    assert "guidelines/fleet.yaml: the guideline was not fixed" in out
    assert "is not UTF-8 text" in out
    assert (root / "guidelines" / "fleet.yaml").read_bytes() == broken
    assert "    status: retired\n" in (root / "taxonomies/fleet/taxonomy.yaml").read_text()


# A new edition adds labels: each defined one gets the entry `init` writes,
# after the entry of the label before it; the others need a person.
ADDED = OLD.replace(
    "  - id: vehicle.car\n",
    "  - id: vehicle.bus\n    name: Bus\n    parent: vehicle\n    definition: A bus.\n  - id: vehicle.car\n",
).replace(
    "    definition: Any other vehicle.\n",
    "    definition: Any other vehicle.\n  - id: vehicle.tram\n    name: Tram\n    parent: vehicle\n"
    "    definition: A tram.\n  - id: vehicle.sled\n    name: Sled\n    parent: vehicle\n",
)


def test_fix_gives_each_defined_new_label_its_entry_in_the_taxonomys_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = released_and_edited(tmp_path, OLD, ADDED.replace("version: 1.0.0", "version: 1.1.0", 1))
    (root / "guidelines").mkdir()
    guideline = root / "guidelines" / "fleet.yaml"
    guideline.write_text(GUIDELINE.replace("\n", "\r\n"), encoding="utf-8", newline="")
    assert main(["fix", "--repo", str(root)]) == 0
    out = capsys.readouterr().out
    assert "an entry for 2 new labels the taxonomy defines" in out
    after = guideline.read_bytes().decode()
    assert changed_lines(GUIDELINE, after.replace("\r\n", "\n")) == [
        '+  - label: "vehicle.bus"',
        '+  - label: "vehicle.tram"',
    ]
    assert after.count("\r\n") == after.count("\n")  # CR LF kept
    lines = after.splitlines()
    assert lines.index('  - label: "vehicle.bus"') == lines.index("  - label: vehicle") + 2
    assert lines[-1] == '  - label: "vehicle.tram"'
    # The sled has no definition: the check still asks a person for it.
    assert main(["check", "--repo", str(root)]) != 0
    out = capsys.readouterr().out
    assert "label 'vehicle.sled' (Sled) has no guidance: labelers would see only its name" in out
    assert "placeholder" not in out  # the guideline holds none: a person writes the definition
    assert "label-without-guidance] label 'vehicle.tram" not in out


def test_a_label_the_publisher_names_only_gets_inits_placeholder_where_the_guideline_keeps_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A code file gives names alone, so ``init`` wrote each entry with its
    placeholder definition; the next edition's new codes get the same entry,
    and the report says they still need their definition written."""
    from taxops.models.guideline import PLACEHOLDER_DEFINITION

    root = released_and_edited(tmp_path, OLD, ADDED.replace("version: 1.0.0", "version: 1.1.0", 1))
    (root / "guidelines").mkdir()
    guideline = root / "guidelines" / "fleet.yaml"
    text = GUIDELINE.replace("Anything that moves people or goods.", PLACEHOLDER_DEFINITION)
    guideline.write_text(text, encoding="utf-8")
    assert main(["check", "--repo", str(root)]) != 0
    out = capsys.readouterr().out
    assert "fix writes it with the placeholder definition the other entries have" in out
    assert main(["fix", "--repo", str(root)]) == 0
    out = capsys.readouterr().out
    assert (
        "an entry for 3 new labels: 2 defined by the taxonomy, 1 with the placeholder "
        "definition the other entries have (write each one)"
    ) in out
    assert changed_lines(text, guideline.read_text(encoding="utf-8")) == [
        '+  - label: "vehicle.bus"',
        '+  - label: "vehicle.tram"',
        '+  - label: "vehicle.sled"',
        f'+    definition: "{PLACEHOLDER_DEFINITION}"',
    ]
    assert main(["check", "--repo", str(root)]) == 0, capsys.readouterr().out


@pytest.mark.parametrize(
    ("guideline", "said"),
    [
        (GUIDELINE.replace("min_examples: 0", "min_examples: 1"), None),  # examples wanted
        (
            GUIDELINE.replace(
                "  - label: vehicle\n",
                "  - {label: vehicle, definition: Anything that moves people or goods.}\n",
            ),
            "by hand",
        ),
    ],
)
def test_no_entry_is_written_where_it_is_not_the_one_right_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], guideline: str, said: str | None
) -> None:
    text = guideline.replace("    definition: Anything that moves people or goods.\n", "", 1)
    root = released_and_edited(tmp_path, OLD, ADDED.replace("version: 1.0.0", "version: 1.1.0", 1))
    (root / "guidelines").mkdir()
    (root / "guidelines" / "fleet.yaml").write_text(text, encoding="utf-8")
    main(["fix", "--repo", str(root)])
    out = capsys.readouterr().out
    assert (root / "guidelines" / "fleet.yaml").read_text(encoding="utf-8") == text
    assert ("by hand" in out) == (said == "by hand")


def test_an_entry_goes_first_when_no_earlier_label_has_one() -> None:
    from taxops.fixes.guideline_entries import add_entries

    text = "taxops: guideline/1\ntaxonomy: t\nlabels:\n- label: b\n  definition: B.\n"
    doc, _ = parse_yaml(text, "g.yaml")
    assert doc is not None
    added = add_entries(text, doc, ["a", "b", "c"], {"a": None, "c": "To write: 'C'."})
    assert added.text == (
        'taxops: guideline/1\ntaxonomy: t\nlabels:\n- label: "a"\n- label: b\n  definition: B.\n'
        '- label: "c"\n  definition: "To write: \'C\'."\n'
    )
    assert added.added == ["a", "c"]
