"""Review decisions on a multi-label dataset: a row queued because one of its
labels was split comes back with every label the reviewer chose (the split's
and the labels the row kept), joined in the cell as the dataset joins them."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from taxops.cli.main import main

TAXONOMY = """taxops: taxonomy/1
id: comment-flags
title: Comment flags
version: {version}
kind: multi-label
owners: ["@moderation"]
compatibility: backward
labels:
  - id: insult
    name: Insult
    definition: Attacks someone.{split}
  - id: spam
    name: Spam
    definition: Advertises something.
  - id: link
    name: Link
    definition: Holds a link.
"""
SPLIT = """
    status: retired
    replaced_by: [insult_user, insult_group]
  - id: insult_user
    name: Insult (a person)
    definition: Attacks one person.
  - id: insult_group
    name: Insult (a group)
    definition: Attacks a group of people."""
ROWS = [("1", "buy now, idiot", ["insult", "spam"]), ("2", "see http://x", ["link"]),
        ("3", "you people", ["insult"]), ("4", "hi", []), ("5", "spam", ["spam", "link"])]  # fmt: skip
#: What the reviewer picks, by the candidates' names (as Label Studio stores them) or ids.
PICKS = {1: ["Insult (a person)", "Spam"], 3: ["insult_group"]}
FINAL = [["insult_user", "spam"], ["link"], ["insult_group"], [], ["spam", "link"]]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    path = root / "taxonomies" / "comment-flags" / "taxonomy.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(TAXONOMY.format(version="1.0.0", split=""))
    assert main(["release", "comment-flags", "--repo", str(root)]) == 0
    path.write_text(TAXONOMY.format(version="2.0.0", split=SPLIT))
    return root


def _export(queue: Path, tmp: Path, repo: Path, picks: dict[int, list[str]] = PICKS) -> Path:
    assert main(["review", "push", str(queue), "--to-files", str(tmp / "files"),
                 "--repo", str(repo)]) == 0  # fmt: skip
    tasks: list[dict[str, Any]] = json.loads((tmp / "files" / "review-tasks.json").read_text())
    for i, task in enumerate(tasks, start=1):
        picked = picks[task["data"]["taxops_row"]]
        task.update(id=i, annotations=[{"id": 10 + i, "completed_by": 1, "result": [
            {"from_name": "decision", "to_name": "item", "type": "choices",
             "value": {"choices": picked}}]}])  # fmt: skip
    path = tmp / "export.json"
    path.write_text(json.dumps(tasks))
    return path


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_multi_label_decisions_merge_with_the_labels_the_row_kept(
    repo: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / f"flags.{fmt}"
    if fmt == "csv":  # a ';'-joined cell, named once at migration
        with open(source, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(
                [("id", "text", "flags")] + [(i, t, ";".join(ls)) for i, t, ls in ROWS]
            )
        given = ["--list-separator", ";"]
    else:
        source.write_text("".join(json.dumps({"id": i, "text": t, "flags": ls}) + "\n"
                                  for i, t, ls in ROWS))  # fmt: skip
        given = []
    out = tmp_path / "out" / f"flags.{fmt}"
    assert main(["migrate", str(source), "--taxonomy", "comment-flags", "--from", "1.0.0",
                 "--to", "2.0.0", "--label-column", "flags", "-o", str(out), "--repo", str(repo),
                 *given]) == 0  # fmt: skip
    queue = out.with_name(f"flags.review.{fmt}")
    tasks_export = _export(queue, tmp_path, repo)
    capsys.readouterr()
    assert main(["migrate", str(out), "--apply-review", str(tasks_export), "--in-place",
                 "--repo", str(repo)]) == 0  # fmt: skip
    assert "3 migrated + 2 decided = 5 rows" in capsys.readouterr().out
    if fmt == "csv":
        with open(out, newline="", encoding="utf-8") as f:
            cells = [r["flags"] for r in csv.DictReader(f)]
        assert cells == [";".join(ls) for ls in FINAL]
    else:
        assert [json.loads(line)["flags"] for line in out.read_text().splitlines()] == FINAL
    assert not queue.exists()


def test_a_multi_label_decision_outside_the_candidates_is_refused(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Row 3 held only 'insult': 'spam' is not one of its candidates."""
    source = tmp_path / "flags.jsonl"
    source.write_text("".join(json.dumps({"flags": ls}) + "\n" for _, _, ls in ROWS))
    out = tmp_path / "out" / "flags.jsonl"
    assert main(["migrate", str(source), "--taxonomy", "comment-flags", "--from", "1.0.0",
                 "--to", "2.0.0", "--label-column", "flags", "-o", str(out),
                 "--repo", str(repo)]) == 0  # fmt: skip
    picks = {**PICKS, 3: ["insult_group", "spam"]}
    export = _export(out.with_name("flags.review.jsonl"), tmp_path, repo, picks)
    before = out.read_bytes()
    capsys.readouterr()
    assert main(["migrate", str(out), "--apply-review", str(export), "--in-place",
                 "--repo", str(repo)]) == 1  # fmt: skip
    assert "'spam', which is not one of its candidates" in capsys.readouterr().err
    assert out.read_bytes() == before


def test_decisions_merge_into_a_label_studio_export_with_several_controls(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Label Studio dataset takes decisions too: each decided task comes back
    whole from the queue, in its place, only its 'flags' control relabeled (the
    sentiment choice and the annotation's other fields as they were)."""
    tasks = [
        {"id": 100 + int(i), "data": {"text": text}, "annotations": [{"id": int(i), "result": [
            {"from_name": "sentiment", "to_name": "text", "type": "choices",
             "value": {"choices": ["neg"]}},
            {"from_name": "flags", "to_name": "text", "type": "choices",
             "value": {"choices": labels}}]}]}
        for i, text, labels in ROWS
    ]  # fmt: skip
    source = tmp_path / "project.json"
    source.write_text(json.dumps(tasks))
    out = tmp_path / "out" / "project.json"
    assert main(["migrate", str(source), "--taxonomy", "comment-flags", "--from", "1.0.0",
                 "--to", "2.0.0", "--label-column", "flags", "-o", str(out),
                 "--repo", str(repo)]) == 0  # fmt: skip
    export = _export(out.with_name("project.review.json"), tmp_path, repo)
    capsys.readouterr()
    assert main(["migrate", str(out), "--apply-review", str(export), "--in-place",
                 "--repo", str(repo)]) == 0  # fmt: skip
    assert "3 migrated + 2 decided = 5 rows" in capsys.readouterr().out
    final = json.loads(out.read_text())
    assert [t["id"] for t in final] == [101, 102, 103, 104, 105]
    assert [[r["value"]["choices"] for r in t["annotations"][0]["result"]] for t in final] == [
        [["neg"], labels] for labels in FINAL
    ]


def test_a_decision_cannot_relabel_regions() -> None:
    from taxops.diagnostics import TaxopsError
    from taxops.engines.labelstudio import decided_task

    task = {"id": 7, "annotations": [{"result": [
        {"from_name": "topic", "type": "taxonomy", "value": {"taxonomy": [["shipping", "late"]]}},
        {"from_name": "ner", "type": "labels", "value": {"start": 0, "end": 3, "labels": ["a"]}},
    ]}]}  # fmt: skip
    decided = decided_task(task, "topic", ["delayed", "lost"])
    assert decided["annotations"][0]["result"][0]["value"]["taxonomy"] == [
        ["shipping", "delayed"], ["shipping", "lost"]
    ]  # fmt: skip
    assert task["annotations"][0]["result"][0]["value"]["taxonomy"] == [["shipping", "late"]]
    with pytest.raises(TaxopsError, match="'ner' labels regions"):
        decided_task(task, "ner", ["b"])
