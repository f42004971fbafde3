"""Hostile YAML never crashes validate: each file below gets a located finding
(or loads), and the other files of the run are still checked. Generated here
rather than committed: the deep ones are a megabyte of indentation."""

from __future__ import annotations

from pathlib import Path

import pytest
from taxops.cli.main import main
from taxops.loading import parse_yaml

HEAD = "taxops: taxonomy/1\nid: x\ntitle: X\nversion: 1.0.0\nkind: single-label\nowners: ['@a']\n"
LABEL = "labels:\n- id: a\n  name: A\n"


def _block_seq(depth: int) -> str:
    return (
        HEAD + "labels:\n" + "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + "x\n"
    )


def _block_map(depth: int) -> str:
    return (
        HEAD
        + "labels:\n"
        + "".join(" " * i + f"k{i}:\n" for i in range(1, depth))
        + " " * depth
        + "x\n"
    )


# (case, text, the rule of the first finding, or None when it loads)
CASES = [
    ("block sequences 1,200 deep", _block_seq(1200), "nesting-too-deep"),
    ("block mappings 1,300 deep", _block_map(1300), "nesting-too-deep"),
    ("block sequences 150 deep", _block_seq(150), "nesting-too-deep"),
    ("block mappings 60 deep", _block_map(60), None),
    ("compact sequences 1,500 deep", HEAD + "labels: " + "- " * 1500 + "x\n", "yaml-syntax"),
    ("flow sequences 5,000 deep", HEAD + "labels: " + "[" * 5000 + "]" * 5000 + "\n", "yaml-syntax"),
    ("flow mappings 3,000 deep", HEAD + "labels: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", "yaml-syntax"),
    ("a line separator in plain text", HEAD + LABEL + "x: a\u2028b\n", None),
    ("a 5,000-digit number", HEAD + LABEL + "x: " + "9" * 5000 + "\n", None),
    ("a huge exponent", HEAD + LABEL + "x: 1e99999\n", None),
    ("a 2 MB key", HEAD + LABEL + "k" * 2_000_000 + ": 1\n", "yaml-syntax"),
    ("a list as a key", HEAD + LABEL + "? [a, b]\n: c\n", None),
    ("a mapping as a key", HEAD + LABEL + "{a: 1}: c\n", None),
    ("null keys twice", HEAD + LABEL + "null: c\n~: d\n", "yaml-syntax"),
    ("an alias of its own list", HEAD + "labels: &a\n- *a\n", None),
    ("a %TAG directive", "%YAML 1.1\n%TAG ! tag:x,2000:\n---\n" + HEAD + LABEL, None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "rule"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_yaml_gives_a_finding_not_a_crash(
    text: str, rule: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc, problems = parse_yaml(text, "x.yaml")
    if rule is None:
        assert problems == [] and doc is not None
    else:
        assert doc is None and problems[0].rule == rule
        assert problems[0].location.line is not None  # located, not just the file
    # The whole command: findings (exit 1) or none (0), never a crash (70).
    folder = tmp_path / "taxonomies" / "x"
    folder.mkdir(parents=True)
    (folder / "taxonomy.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", "--repo", str(tmp_path)]) in (0, 1)
    assert "internal error" not in capsys.readouterr().err


def test_one_hostile_file_does_not_hide_the_findings_of_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, text in {
        "deep": _block_seq(1200),
        "ok": HEAD.replace("id: x", "id: ok") + LABEL,
        "typo": HEAD.replace("id: x", "id: typo") + LABEL + "colour: red\n",
        "sep": HEAD.replace("id: x", "id: sep") + LABEL + "x: a\u2028b\n",
    }.items():
        folder = tmp_path / "taxonomies" / name
        folder.mkdir(parents=True)
        (folder / "taxonomy.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", "--repo", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "taxonomies/deep/taxonomy.yaml:107:" in out and "[nesting-too-deep]" in out
    assert "taxonomies/typo/taxonomy.yaml:" in out and "unknown field 'colour'" in out
    assert "taxonomies/sep/taxonomy.yaml:" in out and "unknown field 'x'" in out
    assert "4 files checked" in out


def test_site_build_reports_hostile_files_and_builds_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """The site build reads the same files: findings, never a crash."""
    for name, text in {
        "deep": _block_seq(1200),
        "sep": HEAD.replace("id: x", "id: sep") + LABEL + "x: a\u2028b\n",
        "ok": HEAD.replace("id: x", "id: ok") + LABEL,
    }.items():
        folder = tmp_path / "taxonomies" / name
        folder.mkdir(parents=True)
        (folder / "taxonomy.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "site" / "docs").mkdir(parents=True)
    (tmp_path / "site" / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ndocs_dir: site/docs\nsite_dir: site-build\n"
        "theme: {name: material, font: false}\nplugins: [taxops]\n"
    )
    assert main(["site", "build", "--repo", str(tmp_path)]) == 0
    assert main(["site", "build", "--strict", "--repo", str(tmp_path)]) == 1  # findings
    assert "[nesting-too-deep]" in caplog.text
    assert "internal error" not in capsys.readouterr().err
    assert (tmp_path / "site-build" / "ok" / "index.html").is_file()
