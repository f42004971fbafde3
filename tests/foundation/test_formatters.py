"""The formatters are pure functions from diagnostics to text; these pin the three
formats users and tools read: text, JSON (a documented schema) and GitHub
workflow annotations."""

from __future__ import annotations

import json

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.formatting import (
    FORMATTERS,
    JSON_SCHEMA_VERSION,
    format_github,
    format_json,
    format_text,
)

TAXONOMY = "taxonomies/driving-objects/taxonomy.yaml"

PARENT = Diagnostic(
    "unknown-parent",
    Severity.ERROR,
    "label 'vehicle.truck' has parent 'vehicles', which is not a label of this taxonomy",
    Location(TAXONOMY, 41, 13),
    "did you mean 'vehicle'?",
)
REMOVED = Diagnostic(
    "label-removed",
    Severity.WARNING,
    "label 'vehicle.other' was removed",
    Location(TAXONOMY, 12, 5),
    previous=Location("releases/1.1.0.yaml", 80, 5),
)
NOTE = Diagnostic("guideline-missing", Severity.INFO, "no guideline yet")


def test_text_starts_with_the_summary_then_findings_by_rule_errors_first() -> None:
    out = format_text([PARENT, NOTE, REMOVED], files=2)
    assert out.splitlines() == [
        "2 files checked: 1 error, 1 warning, 1 info",
        "",
        (
            f"{TAXONOMY}:41:13: error [unknown-parent] label 'vehicle.truck' has parent "
            "'vehicles', which is not a label of this taxonomy"
        ),
        "    hint: did you mean 'vehicle'?",
        f"{TAXONOMY}:12:5: warning [label-removed] label 'vehicle.other' was removed",
        "    was: releases/1.1.0.yaml:80:5",
        "info [guideline-missing] no guideline yet",
    ]


def test_text_summary_when_clean_and_singular() -> None:
    assert format_text([], files=3) == "3 files checked: no problems found\n"
    assert format_text([PARENT], files=1).splitlines()[0] == "1 file checked: 1 error"
    assert format_text([PARENT, PARENT]).splitlines()[0] == "2 errors"


def _removed(n: int) -> list[Diagnostic]:
    return [
        Diagnostic(
            "label-removed",
            Severity.ERROR,
            f"label `l{i}` was removed",
            Location(TAXONOMY, 10 + i, 5),
            "keep a tombstone",
            data={"label": f"l{i}"},
        )
        for i in range(n)
    ]


def test_text_caps_each_rule_and_says_how_many_were_left_out() -> None:
    out = format_text([*_removed(500), PARENT], files=1, per_rule=3).splitlines()
    assert out[0] == "1 file checked: 501 errors"
    assert out[1] == "findings by rule: label-removed 500, unknown-parent 1"
    shown = [line for line in out if "[label-removed]" in line and line.startswith(TAXONOMY)]
    assert [line.split(":")[1] for line in shown] == ["10", "11", "12"]  # the first, in order
    assert "    ... and 497 more [label-removed] errors not shown" in out
    assert out[-1] == (
        "497 findings not shown: --max-findings 0 shows all, --format json lists them for tools"
    )
    assert len(out) < 20
    everything = format_text(_removed(500), files=1, per_rule=None)
    assert everything.count("[label-removed]") == 500 and "not shown" not in everything


def test_text_does_not_repeat_previous_when_it_is_the_same_place() -> None:
    same = Diagnostic(
        "x", Severity.ERROR, "m", Location("a.yaml", 1, 1), previous=Location("a.yaml", 1, 1)
    )
    assert "was:" not in format_text([same])


def test_json_has_the_documented_shape() -> None:
    body = json.loads(format_json([PARENT, REMOVED, NOTE], files=2))
    assert body["schema"] == JSON_SCHEMA_VERSION == "taxops/diagnostics/1"
    assert body["summary"] == {"files": 2, "error": 1, "warning": 1, "info": 1}
    assert list(body) == ["schema", "summary", "diagnostics"]
    for d in body["diagnostics"]:
        assert set(d) == {
            "rule",
            "severity",
            "message",
            "hint",
            "location",
            "previous",
            "related",
            "data",
        }
        assert d["severity"] in {"error", "warning", "info"}
        for loc in (d["location"], d["previous"]):
            assert loc is None or set(loc) == {"path", "line", "column"}
    # Sorted like the text output; positions are 1-based numbers, not strings.
    assert [d["rule"] for d in body["diagnostics"]] == [
        "guideline-missing",
        "label-removed",
        "unknown-parent",
    ]
    removed = body["diagnostics"][1]
    assert removed["location"] == {"path": TAXONOMY, "line": 12, "column": 5}
    assert removed["previous"] == {"path": "releases/1.1.0.yaml", "line": 80, "column": 5}
    assert body["diagnostics"][0]["location"] is None
    assert body["diagnostics"][2]["hint"] == "did you mean 'vehicle'?"


def test_json_keeps_unicode_and_data() -> None:
    d = Diagnostic(
        "x", Severity.ERROR, "name 'Café' clashes", Location("a.yaml", 2, 3), data={"bump": "major"}
    )
    out = format_json([d], files=1)
    assert "Café" in out  # not \u00e9: the file is read by people too
    assert json.loads(out)["diagnostics"][0]["data"] == {"bump": "major"}


def test_json_when_clean() -> None:
    body = json.loads(format_json([], files=4))
    assert body["diagnostics"] == []
    assert body["summary"] == {"files": 4, "error": 0, "warning": 0, "info": 0}


def test_github_annotation_per_finding_with_levels() -> None:
    lines = format_github([PARENT, REMOVED, NOTE]).splitlines()
    assert lines[0] == (
        f"::error file={TAXONOMY},line=41,col=13,title=taxops [unknown-parent]::"
        "label 'vehicle.truck' has parent 'vehicles', which is not a label of this taxonomy"
        "%0Adid you mean 'vehicle'?"
    )
    assert lines[1].startswith(
        f"::warning file={TAXONOMY},line=12,col=5,title=taxops [label-removed]::"
    )
    assert lines[2] == "::notice title=taxops [guideline-missing]::no guideline yet"


def test_github_caps_each_level_and_says_how_many_were_left_out() -> None:
    """GitHub shows 10 annotations of each level in a step: the rest would be
    dropped without a word."""
    notes = [
        Diagnostic("label-added", Severity.INFO, f"added n{i}", Location(TAXONOMY, 900 + i, 5))
        for i in range(12)
    ]
    lines = format_github([*_removed(500), PARENT, *notes]).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    notices = [line for line in lines if line.startswith("::notice ")]
    assert len(errors) == 10 and len(notices) == 10
    assert any("[unknown-parent]" in line for line in errors)  # one of each rule first
    assert lines[-1].startswith("::notice title=taxops%3A more findings::")
    assert "491 errors, 3 notices not annotated" in lines[-1]


def test_github_bundles_findings_of_one_rule_on_one_line() -> None:
    """Labels removed under one parent all point at its line: one annotation."""
    here = [
        Diagnostic(
            "label-removed",
            Severity.ERROR,
            f"label `l{i}` was removed",
            Location(TAXONOMY, 7, 5),
            data={"label": f"l{i}"},
        )
        for i in range(490)
    ]
    (line,) = format_github(here).splitlines()
    assert "title=taxops [label-removed] x490::" in line
    assert "... and 489 more like it here: `l1`, `l2`, `l3`, `l4`, `l5` and 484 more" in line


def test_github_escapes_data_and_properties() -> None:
    """A message may hold '%', newlines and carriage returns; a path may hold ',' and
    ':'. Unescaped, they would end the annotation or split a property."""
    d = Diagnostic(
        "x",
        Severity.ERROR,
        "100% sure\r\nsecond line",
        Location("taxonomies/a,b:c/taxonomy.yaml", 3, 4),
        "hint with 50%",
    )
    (line,) = format_github([d]).splitlines()
    assert line == (
        "::error file=taxonomies/a%2Cb%3Ac/taxonomy.yaml,line=3,col=4,title=taxops [x]::"
        "100%25 sure%0D%0Asecond line%0Ahint with 50%25"
    )


def test_github_when_clean_prints_nothing() -> None:
    assert format_github([], files=3) == ""


def test_formatter_registry_matches_cli_choices() -> None:
    assert {"text", "json", "github"} <= set(FORMATTERS)  # the formats the issue requires
    assert FORMATTERS["text"] is format_text
