"""Names are data in every output: a label name or file name built to inject a CI
workflow command, a terminal escape sequence, HTML into the PR comment, a
mention, or a copy of the report's marker produces nothing live in any format.

Two routes: the formatters fed findings whose every field holds the hostile
values (so each format is held to it whatever produces the findings), and the
real ``taxops diff`` on two taxonomy files whose names and file name carry them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from markdown_it import MarkdownIt
from taxops.cli.main import main
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.formatting import format_github, format_json, format_junit, format_markdown, format_text
from taxops.formatting.report import MARKER

HOSTILE = [
    "x\n::error file=a::pwned",
    "y\r\n::add-mask::secret",
    "\x1b]8;;http://e\x07click\x1b]8;;\x07",
    "\x1b[2J\x9b31m",
    "</details><img src=x onerror=alert(1)> @org/team",
    MARKER,
    "<!-- taxops:impact:end -->",
    "admin\u202etxt.exe\u200b",
    "a`b | c ![i](http://e/x.png) [l](javascript:x)",
]

#: What our own Markdown layout may contain; nothing else may hold a raw '<'.
OUR_TAGS = re.compile(
    r"</?details( open)?>|</?summary>|</?b>|</?sub>|</?code>|<!-- taxops(-report|:impact:(start|end)) -->"
)
#: Characters that must never reach any output raw.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u200b]")


def hostile_findings() -> list[Diagnostic]:
    found = []
    for i, value in enumerate(HOSTILE):
        found.append(
            Diagnostic(
                "name-changed",
                Severity.ERROR if i % 2 else Severity.WARNING,
                f'label `{value}` was renamed from "{value}" to "{value}"',
                Location(f"taxonomies/{value}/taxonomy.yaml", 3 + i, 5),
                f'keep "{value}" in `aliases:`',
                Location(f"old/{value}.yaml", 3 + i, 5),
                {"label": value, "taxonomy": "fleet", "category": "cosmetic"},
            )
        )
    return found


def check_text(out: str) -> None:
    for line in out.splitlines():
        assert not line.lstrip().startswith("::"), line
    assert not RAW_CONTROLS.search(out)
    assert "\r" not in out


def check_github(out: str) -> None:
    assert not RAW_CONTROLS.search(out) and "\r" not in out
    for line in out.splitlines():
        assert re.match(r"::(error|warning|notice) [^\n]*::", line), line
        # Properties end at ':' or ','; escaped, a value adds neither.
        props = line.split("::")[1].split(" ", 1)[1]
        assert all(re.match(r"(file|line|col|title)=", p) for p in props.split(",")), line


def check_json(out: str) -> None:
    assert not RAW_CONTROLS.search(out)
    body = json.loads(out)
    names = {d["data"].get("label") for d in body["diagnostics"]}
    assert set(HOSTILE) <= names  # escaped in the text, the same values when parsed


def check_junit(out: str) -> None:
    assert not RAW_CONTROLS.search(out)
    root = ET.fromstring(out)  # valid XML
    assert root.tag == "testsuites"


def check_markdown(out: str) -> None:
    assert not RAW_CONTROLS.search(out)
    assert out.count(MARKER) == 1 and out.startswith(MARKER)
    assert out.count("<!-- taxops:impact:end -->") == 1
    assert "<" not in OUR_TAGS.sub("", out), [
        line for line in out.splitlines() if "<" in OUR_TAGS.sub("", line)
    ]
    assert "@" not in out
    assert out.count("<details") == out.count("</details>")
    # Rendered as GitHub would (CommonMark, raw HTML allowed, tables): nothing
    # but our own elements comes out.
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(out)
    assert "<img" not in html and "<script" not in html
    assert html.count("<details") == out.count("<details")
    assert html.count("<!--") == 3  # the marker and the impact section's two
    assert "<a " not in html


FORMATS: list[tuple[str, Callable[[list[Diagnostic]], str], Callable[[str], None]]] = [
    ("text", lambda ds: format_text(ds, files=1), check_text),
    ("text-all", lambda ds: format_text(ds, per_rule=None), check_text),
    ("github", lambda ds: format_github(ds), check_github),
    ("json", lambda ds: format_json(ds, files=1), check_json),
    ("junit", lambda ds: format_junit(ds, files=1), check_junit),
    ("markdown", lambda ds: format_markdown(ds), check_markdown),
]


@pytest.mark.parametrize(("name", "fmt", "check"), FORMATS, ids=[f[0] for f in FORMATS])
def test_every_format_keeps_hostile_values_inert(
    name: str, fmt: Callable[[list[Diagnostic]], str], check: Callable[[str], None]
) -> None:
    check(fmt(hostile_findings()))


TAXONOMY = """\
taxops: taxonomy/1
id: fleet
title: Fleet
version: {version}
kind: hierarchical
owners: ["@fleet"]
labels:
  - id: vehicle
    name: {vehicle}
  - id: vehicle.car
    name: {car}
    parent: vehicle
    definition: {definition}
  - id: vehicle.van
    name: Van
    parent: vehicle
"""


def _yaml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


@pytest.mark.parametrize("fmt", ["text", "github", "json", "junit", "markdown"])
def test_a_real_diff_with_hostile_names_and_file_name(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    old = tmp_path / "old.yaml"
    old.write_text(
        TAXONOMY.format(version="1.0.0", vehicle="Vehicle", car="Car", definition="A car."),
        encoding="utf-8",
    )
    new = tmp_path / "x\n::error file=a::pwned <details> @org\x1b[2J.yaml"
    new.write_text(
        TAXONOMY.format(
            version="1.0.0",  # unchanged: a version finding too
            vehicle=_yaml_string(HOSTILE[0] + HOSTILE[4]),
            car=_yaml_string(HOSTILE[2] + HOSTILE[5]),
            definition=_yaml_string(HOSTILE[7] + HOSTILE[8]),
        ),
        encoding="utf-8",
    )
    code = main(["diff", old.name, new.name, "--format", fmt, "--max-findings", "0"])
    out = capsys.readouterr().out
    assert code in (0, 1, 3)
    {
        "text": check_text,
        "github": check_github,
        "json": lambda out: json.loads(out),
        "junit": check_junit,
        "markdown": check_markdown,
    }[fmt](out)
    assert not RAW_CONTROLS.search(out)
    if fmt != "json":
        assert "\n::error file=a" not in out


REPO_ROOT = Path(__file__).resolve().parents[2]


def test_commands_own_lines_escape_the_values_in_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'wrote FILE' and argument errors quote what the user typed: one line each."""
    target = tmp_path / "map\n::error file=a::pwned\x1b[2J.yaml"
    code = main(
        ["migration-map", "support-intents", "--from", "1.0.0", "-o", str(target),
         "--repo", str(REPO_ROOT)]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and target.is_file()
    assert out.count("\n") == 1 and "map\\n::error file=a::pwned\\x1b[2J.yaml" in out
    with pytest.raises(SystemExit):
        main(["diff", "a", "b", "--format", "x\n::error file=a::pwned"])
    err = capsys.readouterr().err
    check_text(err)
    assert "x\\n::error" in err


# -- the migration map written out: YAML and CSV ------------------------------------

#: What a hint (a guideline's decision rule), a note or a suggested label's name
#: may hold: bidi and invisible characters, controls, formula starts.
MAP_VALUES = [
    *HOSTILE,
    '=HYPERLINK("http://e/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\uff1d1+1",  # a full-width equals sign, which spreadsheets also read as one
    "'=already quoted",
    "line\u2028separator\u2029paragraph",
]


def hostile_map() -> object:
    from taxops.migration.formats import map_from_dict

    entries = [
        {
            "label": f"old-{i}",
            "action": "split",
            "mode": "review",
            "targets": ["a", "b"],
            "hints": [value, f"pick a or b: {value}"],
            "note": value,
            "suggestions": [
                {"label": "a", "score": 0.5, "name": value, "definition": value, "path": value}
            ],
        }
        for i, value in enumerate(MAP_VALUES)
    ]
    return map_from_dict(
        {
            "schema": "taxops/migration-map/1",
            "taxonomy": "fleet",
            "from": "1.0.0",
            "to": "2.0.0",
            "kind": "single-label",
            "entries": entries,
            "valid_labels": ["a", "b"],
        }
    )


def test_migration_map_yaml_shows_hidden_characters_and_keeps_the_values() -> None:
    from ruamel.yaml import YAML
    from taxops.migration.formats import map_to_dict, map_to_yaml

    migration = hostile_map()
    out = map_to_yaml(migration)  # type: ignore[arg-type]
    assert not RAW_CONTROLS.search(out) and "\r" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert YAML(typ="safe").load(out) == map_to_dict(migration)  # type: ignore[arg-type]


def test_migration_map_csv_cells_are_never_formulas_and_read_back_exactly() -> None:
    import csv
    import io

    from taxops.escaping import FORMULA_START, csv_cell_value
    from taxops.migration.formats import map_to_csv

    rows = list(csv.DictReader(io.StringIO(map_to_csv(hostile_map()))))  # type: ignore[arg-type]
    assert len(rows) == len(MAP_VALUES)
    for row, value in zip(rows, MAP_VALUES, strict=True):
        for cell in row.values():
            assert not cell.startswith(FORMULA_START), cell
        assert csv_cell_value(row["note"]) == value


@pytest.mark.parametrize("value", HOSTILE)
def test_an_error_hint_quoting_a_value_stays_one_line(value: str) -> None:
    """A TaxopsError's message and hint quote what the user gave (a column name,
    a sheet name): each is one line, so a line break in the value cannot forge a
    line of output or a workflow command; only the example keeps its lines."""
    from taxops.cli.main import error_text
    from taxops.diagnostics import TaxopsError

    text = error_text(
        TaxopsError(f"no column '{value}'", f"its columns are: {value}", "columns:\n  - id")
    )
    check_text(text)
    assert text.splitlines() == [
        text.splitlines()[0],
        text.splitlines()[1],
        "    columns:",
        "      - id",
    ]
    assert text.splitlines()[0].startswith("taxops: no column")
    assert text.splitlines()[1].startswith("  hint: its columns are: ")
