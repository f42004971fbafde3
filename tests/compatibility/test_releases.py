"""Releases as baselines (no git needed): taxops release, transitive modes,
snapshot names, waivers, and the repository's own taxonomies."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from taxops.cli.main import main
from taxops.compatibility.releases import freeze, snapshot_text
from taxops.diagnostics import TaxopsError
from taxops.models.common import SemVer

from .gitrepos import LABELS, taxonomy, write

TAX = "taxonomies/fleet/taxonomy.yaml"
REPO_ROOT = Path(__file__).resolve().parents[2]

TOMBSTONE = LABELS.replace(
    "- id: vehicle.other\n  name: Other vehicle\n  parent: vehicle\n",
    "- id: vehicle.other\n  name: Other vehicle\n  parent: vehicle\n  status: retired\n"
    "  replaced_by: [vehicle.car]\n",
)
WITHOUT_OTHER = LABELS.replace(
    "- id: vehicle.other\n  name: Other vehicle\n  parent: vehicle\n", ""
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def history(root: Path, mode: str) -> None:
    """1.0.0 has vehicle.other; 2.0.0 retires it into vehicle.car; the working
    2.0.1 deletes the tombstone."""
    head = f"compatibility: {mode}\n"
    write(root, "taxonomies/fleet/releases/1.0.0.yaml", taxonomy("1.0.0", LABELS, head=head))
    write(root, "taxonomies/fleet/releases/2.0.0.yaml", taxonomy("2.0.0", TOMBSTONE, head=head))
    write(root, TAX, taxonomy("2.0.1", WITHOUT_OTHER, head=head))


def test_transitive_mode_catches_what_only_an_earlier_release_forbids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history(tmp_path, "backward")
    code, out = run(capsys, "check", "--repo", str(tmp_path))
    assert code == 0, out  # against 2.0.0 only the tombstone went: a warning
    assert "warning [tombstone-removed]" in out and "[label-removed]" not in out

    history(tmp_path, "backward-transitive")
    code, out = run(capsys, "check", "--repo", str(tmp_path))
    assert code == 3, out
    assert "[label-removed] against release 1.0.0: label `vehicle.other` was removed" in out
    assert "was: taxonomies/fleet/releases/1.0.0.yaml:" in out


def test_an_id_reused_after_its_tombstone_was_dropped_is_caught_across_releases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1.0.0 has vehicle.other; 2.0.0 retires it; 2.0.1 drops the tombstone (a
    warning); 3.0.0 brings the id back with another meaning. Against 2.0.1 alone
    it is only an added label: every release is read."""
    history(tmp_path, "backward")
    code, _ = run(capsys, "release", "--repo", str(tmp_path))  # 2.0.1, tombstone dropped
    assert code == 0
    reused = WITHOUT_OTHER + "- id: vehicle.other\n  name: Off-road vehicle\n  parent: vehicle\n"
    write(tmp_path, TAX, taxonomy("3.0.0", reused, head="compatibility: backward\n"))
    code, out = run(capsys, "check", "--repo", str(tmp_path))
    assert code == 3, out
    assert "info [label-added] label `vehicle.other` was added" in out
    assert (
        "error [retired-id-reused] label id `vehicle.other` comes back with another meaning: "
        'it meant "Other vehicle" until retired in 2.0.0, and now "Off-road vehicle"' in out
    )
    assert "was: taxonomies/fleet/releases/2.0.0.yaml:" in out
    assert "not released" in run(capsys, "release", "--repo", str(tmp_path))[1]


def test_release_freezes_once_and_keeps_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "# Fleet objects: edit with care\n" + taxonomy("1.0.0", LABELS)
    write(tmp_path, TAX, text)
    code, out = run(capsys, "release", "--repo", str(tmp_path))
    assert code == 0, out
    assert "released fleet 1.0.0: taxonomies/fleet/releases/1.0.0.yaml" in out
    frozen = (tmp_path / "taxonomies/fleet/releases/1.0.0.yaml").read_text()
    assert frozen == text.replace("$schema=../../site", "$schema=../../../site")
    assert frozen.startswith("# Fleet objects: edit with care\n")
    code, out = run(capsys, "release", "fleet", "--repo", str(tmp_path))
    assert code == 0 and "already released" in out
    code, out = run(capsys, "check", "--repo", str(tmp_path))
    assert code == 0, out


def test_release_loads_the_repository_once_and_names_a_mistyped_taxonomy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check release runs is the one load of the repository (a second
    load cost 2.5 s for an 89,000-code classification)."""
    import taxops.validate as validate

    write(tmp_path, TAX, taxonomy("1.0.0", LABELS))
    loads: list[int] = []  # the checks across files run once per load of the repository
    real = validate.check_repository
    monkeypatch.setattr(
        validate, "check_repository", lambda *a, **k: loads.append(1) or real(*a, **k)
    )
    code, out = run(capsys, "release", "--repo", str(tmp_path))
    assert code == 0 and "released fleet 1.0.0" in out, out
    assert loads == [1]
    code, out = run(capsys, "release", "flet", "--repo", str(tmp_path))
    assert code == 2 and "did you mean 'fleet'" in out, out


def test_edited_and_deleted_releases_are_caught_without_a_git_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No git at all: the integrity record taxops release keeps is enough."""
    write(tmp_path, TAX, taxonomy("1.0.0", LABELS))
    assert run(capsys, "release", "--repo", str(tmp_path))[0] == 0
    write(tmp_path, TAX, taxonomy("1.1.0", LABELS.replace("name: Van", "name: Minivan")))
    assert run(capsys, "release", "--repo", str(tmp_path))[0] == 0
    releases = tmp_path / "taxonomies/fleet/releases"
    record = (releases / "SHA256SUMS").read_text()
    assert [line.split("  ")[1] for line in record.splitlines()] == ["1.0.0.yaml", "1.1.0.yaml"]
    code, out = run(capsys, "check", "--repo", str(tmp_path))
    assert code == 0 and "[release-" not in out, out

    first = releases / "1.0.0.yaml"
    first.write_text(first.read_text().replace("Other vehicle", "Misc vehicle"))
    (releases / "1.1.0.yaml").unlink()
    code, out = run(capsys, "check", "--repo", str(tmp_path))
    assert code == 1, out
    assert (
        "taxonomies/fleet/releases/1.0.0.yaml:1:1: error [release-modified] released snapshot "
        "taxonomies/fleet/releases/1.0.0.yaml was edited" in out
    )
    assert (
        "taxonomies/fleet/releases/1.1.0.yaml:1:1: error [release-modified] released snapshot "
        "taxonomies/fleet/releases/1.1.0.yaml was deleted (the integrity record "
        "taxonomies/fleet/releases/SHA256SUMS lists it)" in out
    )
    # An edited release blocks releasing, and the record keeps its lines.
    code, out = run(capsys, "release", "--repo", str(tmp_path))
    assert code == 1 and "not released" in out
    assert (releases / "SHA256SUMS").read_text() == record
    # A line ending conversion (git autocrlf on checkout) is not an edit.
    first.write_text(first.read_text().replace("Misc vehicle", "Other vehicle"))
    first.write_bytes(first.read_bytes().replace(b"\n", b"\r\n"))
    code, out = run(capsys, "check", "--repo", str(tmp_path))
    assert "1.0.0.yaml was edited" not in out and "1.1.0.yaml was deleted" in out


def test_releases_without_a_record_are_recorded_by_the_next_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = taxonomy("1.0.0", LABELS)
    write(tmp_path, "taxonomies/fleet/releases/1.0.0.yaml", snapshot_text(text))
    write(tmp_path, TAX, text)
    code, out = run(capsys, "check", "--repo", str(tmp_path))
    assert code == 0
    assert (
        "warning [release-unrecorded] release not in the integrity record "
        "taxonomies/fleet/releases/SHA256SUMS: taxonomies/fleet/releases/1.0.0.yaml" in out
    )
    code, out = run(capsys, "release", "--repo", str(tmp_path))
    assert code == 0 and "recorded the integrity of taxonomies/fleet/releases/1.0.0.yaml" in out
    code, out = run(capsys, "check", "--repo", str(tmp_path))
    assert code == 0 and "[release-unrecorded]" not in out


def test_release_refuses_changed_content_under_a_released_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, TAX, taxonomy("1.0.0", LABELS))
    assert run(capsys, "release", "--repo", str(tmp_path))[0] == 0
    write(tmp_path, TAX, taxonomy("1.0.0", WITHOUT_OTHER))
    code, out = run(capsys, "release", "--repo", str(tmp_path))
    assert code == 3, out  # removed without a tombstone, and the version did not move
    assert "not released: fleet 1.0.0" in out
    assert "[version-unchanged]" in out
    assert not (tmp_path / "taxonomies/fleet/releases/1.0.1.yaml").exists()


def test_freeze_never_overwrites_a_different_release(tmp_path: Path) -> None:
    path = write(tmp_path, TAX, taxonomy("1.0.0", LABELS))
    write(tmp_path, "taxonomies/fleet/releases/1.0.0.yaml", "something else\n")
    from taxops.validate import check_file

    model = check_file(path).model
    with pytest.raises(TaxopsError, match="already exists with different content"):
        freeze(path, model)  # type: ignore[arg-type]
    assert (tmp_path / "taxonomies/fleet/releases/1.0.0.yaml").read_text() == "something else\n"


def test_snapshot_text_only_touches_a_relative_schema_path() -> None:
    assert snapshot_text("# yaml-language-server: $schema=../x.json\nid: a\n") == (
        "# yaml-language-server: $schema=../../x.json\nid: a\n"
    )
    absolute = "# yaml-language-server: $schema=https://taxops.dev/t.json\nid: a\n"
    assert snapshot_text(absolute) == absolute
    assert str(SemVer("1.2.3")) == "1.2.3"


def test_snapshot_whose_version_disagrees_with_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, TAX, taxonomy("1.1.0", LABELS))
    write(tmp_path, "taxonomies/fleet/releases/1.1.0.yaml", taxonomy("1.0.0", LABELS))
    code, out = run(capsys, "check", "--repo", str(tmp_path))
    assert code == 1
    assert (
        "taxonomies/fleet/releases/1.1.0.yaml:5:10: error [release-version-mismatch] released "
        "snapshot taxonomies/fleet/releases/1.1.0.yaml has version 1.0.0, but its place says 1.1.0"
    ) in out


def waivers(root: Path, expires: str, label: str = "vehicle.other") -> None:
    write(
        root,
        "policies/waivers.yaml",
        "taxops: waivers/1\nwaivers:\n"
        f"  - rule: label-removed\n    taxonomy: fleet\n    label: {label}\n"
        '    reason: datasets were purged of it\n    owner: "@fleet"\n'
        f"    expires: {expires}\n",
    )


def test_waiver_accepts_one_finding_until_it_expires(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "taxonomies/fleet/releases/1.0.0.yaml", taxonomy("1.0.0", LABELS))
    write(tmp_path, TAX, taxonomy("2.0.0", WITHOUT_OTHER))
    code, out = run(capsys, "check", "--repo", str(tmp_path))
    assert code == 3

    waivers(tmp_path, "2030-01-31")
    code, out = run(capsys, "check", "--repo", str(tmp_path), "--today", "2030-01-31")
    assert code == 0, out
    assert "info [label-removed]" in out and "[waived until 2030-01-31 by @fleet" in out

    code, out = run(capsys, "check", "--repo", str(tmp_path), "--today", "2030-02-01")
    assert code == 3
    assert "policies/waivers.yaml:3:5: warning [waiver-expired] waiver of [label-removed]" in out

    waivers(tmp_path, "2030-01-31", label="vehicle.car")
    code, out = run(capsys, "check", "--repo", str(tmp_path), "--today", "2030-01-01")
    assert code == 3
    assert (
        "warning [waiver-unused] waiver of [label-removed] for `fleet` label `vehicle.car`" in out
    )


def test_waiver_naming_an_unknown_rule_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, TAX, taxonomy("1.0.0", LABELS))
    write(
        tmp_path,
        "policies/waivers.yaml",
        "taxops: waivers/1\nwaivers:\n  - rule: label-remove\n    taxonomy: fleet\n"
        "    reason: r\n    owner: o\n    expires: 2030-01-01\n",
    )
    code, out = run(capsys, "validate", "--repo", str(tmp_path))
    assert code == 1
    assert (
        "policies/waivers.yaml:3:11: error [unknown-rule]" in out
        and "did you mean 'label-removed'?" in out
    )


def test_outputs_json_junit_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "taxonomies/fleet/releases/1.0.0.yaml", taxonomy("1.0.0", LABELS))
    write(tmp_path, TAX, taxonomy("1.1.0", WITHOUT_OTHER))
    report = tmp_path / "report.md"
    code, out = run(
        capsys, "check", "--repo", str(tmp_path), "--format", "json", "--report", str(report)
    )
    assert code == 3
    body = json.loads(out)
    assert body["schema"] == "taxops/diagnostics/1"
    assert body["summary_line"] == "major bump required: 1 breaking, 0 additive, 0 cosmetic"
    [comparison] = body["comparisons"]
    assert comparison["required_bump"] == "major" and comparison["declared_bump"] == "minor"
    removed = next(d for d in body["diagnostics"] if d["rule"] == "label-removed")
    assert removed["data"]["allowed"] is False and removed["data"]["breaks"] == ["data"]
    assert removed["previous"]["path"] == "taxonomies/fleet/releases/1.0.0.yaml"
    assert len(removed["data"]["fingerprint"]) == 12

    markdown = report.read_text()
    assert markdown.startswith(
        "<!-- taxops-report -->\n## taxops check: ❌ **blocked**: 2 changes not allowed"
    )
    assert "**major bump required: 1 breaking, 0 additive, 0 cosmetic**" in markdown
    assert "<!-- taxops:impact:start -->" in markdown and "<!-- taxops:impact:end -->" in markdown

    code, out = run(capsys, "check", "--repo", str(tmp_path), "--format", "junit")
    suites = ET.fromstring(out)
    assert suites.get("failures") == "2"
    failure = suites.find(".//testcase/failure[@type='label-removed']")
    assert failure is not None and "was: taxonomies/fleet/releases/1.0.0.yaml" in (
        failure.text or ""
    )


def test_the_repositorys_own_taxonomies_pass_against_their_last_release(
    capsys: pytest.CaptureFixture[str],
) -> None:
    taxonomies = sorted(
        p.parent.parent.name for p in REPO_ROOT.glob("taxonomies/*/releases/*.yaml")
    )
    if not taxonomies:
        pytest.skip("no released example taxonomies yet")
    code, out = run(capsys, "check", "--repo", str(REPO_ROOT), "--format", "json")
    body = json.loads(out)
    compared = {c["taxonomy"] for c in body["comparisons"]}
    assert set(taxonomies) <= compared
    assert [d for d in body["diagnostics"] if d["severity"] == "error"] == []
    assert code == 0


def test_counts_fill_the_relabel_impact_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "taxonomies/fleet/releases/1.0.0.yaml", taxonomy("1.0.0", LABELS))
    write(tmp_path, TAX, taxonomy("2.0.0", TOMBSTONE))
    counts = write(tmp_path, "counts.csv", "label,count\nvehicle.other,40\nvehicle.car,60\n")
    report = tmp_path / "report.md"
    code, _ = run(
        capsys, "check", "--repo", str(tmp_path), "--counts", str(counts), "--report", str(report)
    )
    assert code == 0
    section = report.read_text().split("<!-- taxops:impact:start -->")[1]
    assert "| `fleet` `1.0.0` → `2.0.0` | 100 | 60 | 40 | 0 |" in section
    assert "| `fleet` | `vehicle.other` | merge | 40 | `vehicle.car` |" in section
    # Saved from a spreadsheet, with its byte order mark: the same counts.
    counts.write_text("\ufeff" + counts.read_text(), encoding="utf-8")
    report.unlink()
    code, _ = run(
        capsys, "check", "--repo", str(tmp_path), "--counts", str(counts), "--report", str(report)
    )
    assert code == 0 and report.read_text().split("<!-- taxops:impact:start -->")[1] == section
    # Counts for a taxonomy that does not exist are a typo, not "no impact".
    code, out = run(capsys, "check", "--repo", str(tmp_path), "--counts", f"other={counts}")
    assert code == 2 and "Relabel impact" not in out
