"""The review round trip, end to end, through a real Label Studio server:
migrate a dataset, push its review queue, answer the tasks through Label
Studio's API as a reviewer would, pull the decisions, apply them, and check the
final dataset row by row against what the input, the migration map and the
reviewer said. Offline, the same through exported files; and every way a
decision can be wrong is refused with nothing written."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import LabelStudio
from sources import ROOT
from taxops.cli.main import main

TRUCK_CANDIDATES = ["vehicle.truck_light", "vehicle.truck_heavy"]


def driving_dataset(path: Path, rows: int = 60) -> list[dict[str, str]]:
    """Boxes labeled with driving-objects 1.0.0: kept, merged and split labels,
    one label the version never had, and a text a reviewer reads."""
    rng = random.Random(7)
    labels = [
        "vehicle.car",
        "vehicle.van",
        "vehicle.truck",
        "animal.dog",
        "vehicle.truck",
        "no.such",
    ]
    out = [
        {
            "box_id": f"B-{i:03d}",
            # Some items look like spreadsheet formulas: the review queue makes them
            # safe to open, and the final dataset must hold them unchanged.
            "text": f'=HYPERLINK("x","{i}")'
            if i % 5 == 0
            else f'frame {i}: object "{i}", 12 px; <b>bold</b>, a, b',
            "label": rng.choice(labels),
        }
        for i in range(1, rows + 1)
    ]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["box_id", "text", "label"])
        writer.writeheader()
        writer.writerows(out)
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def migrate(tmp: Path) -> tuple[list[dict[str, str]], Path, Path]:
    rows = driving_dataset(tmp / "boxes.csv")
    out = tmp / "out" / "boxes.csv"
    code = main(
        ["migrate", str(tmp / "boxes.csv"), "--taxonomy", "driving-objects", "--from", "1.0.0",
         "--label-column", "label", "-o", str(out), "--repo", str(ROOT)]
    )  # fmt: skip
    assert code == 0
    return rows, out, tmp / "out" / "boxes.review.csv"


def decide(task_data: dict[str, Any]) -> str:
    """What our reviewer picks: heavy for even rows, else the last candidate."""
    offered = [c["alias"] for c in task_data["taxops_candidates"]]
    if "vehicle.truck_heavy" in offered and task_data["taxops_row"] % 2 == 0:
        return "vehicle.truck_heavy"
    return offered[-1]


def check_final(
    rows: list[dict[str, str]], final: list[dict[str, str]], decided: dict[int, str]
) -> None:
    machine = {
        "vehicle.car": "vehicle.car",
        "vehicle.van": "vehicle.car",
        "animal.dog": "animal.dog",
    }
    assert len(final) == len(rows)
    for number, (before, after) in enumerate(zip(rows, final, strict=True), start=1):
        assert after["box_id"] == before["box_id"] and after["text"] == before["text"]
        if number in decided:
            assert after["label"] == decided[number], number
        else:
            assert after["label"] == machine[before["label"]], number


def test_review_round_trip_through_label_studio(
    label_studio: LabelStudio,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows, out, queue = migrate(tmp_path)
    queued = read_csv(queue)
    assert {r["_taxops_reason"] for r in queued} == {"split", "unknown-label"}
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    push = ["review", "push", str(queue), "--project", "Boxes review", "--url", label_studio.url,
            "--repo", str(ROOT)]  # fmt: skip
    assert main(push) == 0
    assert main(push) == 0  # a second push updates the project and adds no duplicate task
    assert "0 task(s) imported" in capsys.readouterr().out

    [project] = [
        p
        for p in label_studio.call("GET", "/api/projects")[1]["results"]
        if p["title"] == "Boxes review"
    ]  # type: ignore[index]
    _, listing = label_studio.call("GET", f"/api/tasks?project={project['id']}&page_size=1000")
    tasks = listing["tasks"]  # type: ignore[index]
    assert len(tasks) == len(queued)
    decided: dict[int, str] = {}
    for task in tasks:
        data = task["data"]
        offered = [c["alias"] for c in data["taxops_candidates"]]
        if data["taxops_old_label"] == "vehicle.truck":
            assert offered == TRUCK_CANDIDATES  # only the row's candidates
            assert "Light or heavy truck?" in data["taxops_hints"]
        else:
            assert len(offered) > 20  # an unknown label: any label of 2.0.0
        if data["taxops_row"] == int(queued[-1]["_taxops_row"]):
            continue  # one task left open: its row stays in review
        choice = decide(data)
        decided[data["taxops_row"]] = choice
        status, _ = label_studio.call(
            "POST",
            f"/api/tasks/{task['id']}/annotations",
            {"result": [{"from_name": "decision", "to_name": "item", "type": "choices",
                         "value": {"choices": [choice]}}]},
        )  # fmt: skip
        assert status == 201

    decisions = tmp_path / "decisions.json"
    assert (
        main(
            [
                "review",
                "pull",
                "--project",
                "Boxes review",
                "--url",
                label_studio.url,
                "-o",
                str(decisions),
            ]
        )
        == 0
    )
    pulled = json.loads(decisions.read_text())
    assert {d["row"]: d["labels"] for d in pulled["decisions"]} == {
        r: [c] for r, c in decided.items()
    }
    assert pulled["open_tasks"] == 1

    final = tmp_path / "final.csv"
    capsys.readouterr()
    assert (
        main(
            [
                "migrate",
                str(out),
                "--apply-review",
                str(decisions),
                "-o",
                str(final),
                "--repo",
                str(ROOT),
            ]
        )
        == 0
    )
    said = capsys.readouterr().out
    migrated = len(read_csv(out))
    assert f"{migrated} migrated + {len(decided)} decided = {migrated + len(decided)} rows" in said
    assert f"review queue: {len(queued)} = {len(decided)} decided + 1 still open" in said
    open_row = int(queued[-1]["_taxops_row"])
    expected_rows = [r for n, r in enumerate(rows, start=1) if n != open_row]
    kept_numbers = [n for n in range(1, len(rows) + 1) if n != open_row]
    final_rows = read_csv(final)
    check_final(
        expected_rows,
        final_rows,
        {kept_numbers.index(n) + 1: label for n, label in decided.items()},
    )
    [left] = read_csv(tmp_path / "final.review.csv")
    assert int(left["_taxops_row"]) == open_row
    record = json.loads((tmp_path / "final.csv.taxops.json").read_text())
    assert (record["rows"], record["rows_in_review"]) == (len(rows) - 1, 1)


def offline_decisions(queue: Path, tmp: Path, pick: Any) -> Path:
    """The offline path: push to files, then a Label Studio JSON export as a
    reviewer's project would give it (tasks with annotations)."""
    assert (
        main(["review", "push", str(queue), "--to-files", str(tmp / "files"), "--repo", str(ROOT)])
        == 0
    )
    tasks = json.loads((tmp / "files" / "review-tasks.json").read_text())
    export = []
    for i, task in enumerate(tasks, start=1):
        choices = pick(task["data"])
        export.append(
            {**task, "id": i, "annotations": [
                {"id": 100 + i, "was_cancelled": False, "completed_by": {"email": "r@example.com"},
                 "result": [{"from_name": "decision", "to_name": "item", "type": "choices",
                             "value": {"choices": c}} for c in choices]}]}
        )  # fmt: skip
    path = tmp / "export.json"
    path.write_text(json.dumps(export))
    return path


def test_offline_round_trip_in_place(tmp_path: Path) -> None:
    rows, out, queue = migrate(tmp_path)

    def by_name(d: dict[str, Any]) -> list[list[str]]:
        return [[next(c["value"] for c in d["taxops_candidates"] if c["alias"] == decide(d))]]

    export = offline_decisions(queue, tmp_path, by_name)  # names map back to ids
    assert (
        main(
            ["migrate", str(out), "--apply-review", str(export), "--in-place", "--repo", str(ROOT)]
        )
        == 0
    )
    assert not queue.exists()  # everything decided: no queue left
    tasks = json.loads((tmp_path / "files" / "review-tasks.json").read_text())
    decided = {t["data"]["taxops_row"]: decide(t["data"]) for t in tasks}
    check_final(rows, read_csv(out), decided)


@pytest.mark.parametrize(
    ("pick", "message"),
    [
        (lambda d: [["vehicle.car"]] if d["taxops_old_label"] == "vehicle.truck" else [[decide(d)]],
         "is decided as 'vehicle.car', which is not one of its candidates (vehicle.truck_light, vehicle.truck_heavy)"),
        (lambda d: [[decide(d)], [decide(d)]], "is decided 2 times"),
        (lambda d: [["vehicle.truck_light", "vehicle.truck_heavy"]] if d["taxops_old_label"] == "vehicle.truck" else [[decide(d)]],
         "gets 2 labels; it takes one"),
        (lambda d: [["nonsense"]], "which is not one of its candidates (a label of the new version)"),
    ],
)  # fmt: skip
def test_wrong_decisions_are_refused_and_nothing_is_written(
    tmp_path: Path, pick: Any, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, queue = migrate(tmp_path)
    before = out.read_bytes(), queue.read_bytes()
    export = offline_decisions(queue, tmp_path, pick)
    if "2 times" in message:  # two annotations on one task: one decision each
        data = json.loads(export.read_text())
        for task in data:
            task["annotations"] = [
                {**task["annotations"][0], "id": 1, "result": task["annotations"][0]["result"][:1]},
                {**task["annotations"][0], "id": 2, "result": task["annotations"][0]["result"][1:]},
            ]
        export.write_text(json.dumps(data))
    capsys.readouterr()
    code = main(
        ["migrate", str(out), "--apply-review", str(export), "--in-place", "--repo", str(ROOT)]
    )
    assert code == 1
    assert message in capsys.readouterr().err
    assert (out.read_bytes(), queue.read_bytes()) == before


def test_a_decision_for_a_row_not_in_the_queue_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = migrate(tmp_path)
    decisions = tmp_path / "d.json"
    decisions.write_text(
        json.dumps(
            {
                "taxops": "taxops/review-decisions/1",
                "decisions": [{"row": 1_000_000, "labels": ["pedestrian"]}],
            }
        )
    )
    assert (
        main(
            [
                "migrate",
                str(out),
                "--apply-review",
                str(decisions),
                "-o",
                str(tmp_path / "f.csv"),
                "--repo",
                str(ROOT),
            ]
        )
        == 1
    )
    assert "row 1000000 is not in the review queue boxes.review.csv" in capsys.readouterr().err
    assert not (tmp_path / "f.csv").exists()


@pytest.mark.parametrize(
    ("fmt", "queue_ext"), [("jsonl", "jsonl"), ("parquet", "parquet"), ("parquet", "jsonl")]
)
def test_decisions_merge_into_json_lines_and_parquet(
    tmp_path: Path, fmt: str, queue_ext: str
) -> None:
    """A Parquet dataset's queue is Parquet (or JSON lines, when named so)."""
    import duckdb

    rows = driving_dataset(tmp_path / "boxes.csv")
    source = tmp_path / f"boxes.{fmt}"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT *, row_number() OVER () AS n FROM read_csv('{tmp_path / 'boxes.csv'}', all_varchar=true)) "
        f"TO '{source}' (FORMAT {'json' if fmt == 'jsonl' else 'parquet'})"
    )
    out = tmp_path / "out" / f"boxes.{fmt}"
    queue = tmp_path / "out" / f"boxes.review.{queue_ext}"
    named = ["--review", str(queue)] if queue_ext != fmt else []
    assert main(["migrate", str(source), "--taxonomy", "driving-objects", "--from", "1.0.0",
                 "--label-column", "label", "-o", str(out), *named, "--repo", str(ROOT)]) == 0  # fmt: skip
    assert queue.read_bytes().startswith(b"PAR1") == (queue_ext == "parquet")
    export = offline_decisions(queue, tmp_path, lambda d: [[decide(d)]])
    final = tmp_path / f"final.{fmt}"
    assert (
        main(
            [
                "migrate",
                str(out),
                "--apply-review",
                str(export),
                "-o",
                str(final),
                "--repo",
                str(ROOT),
            ]
        )
        == 0
    )
    read = "read_json_auto" if fmt == "jsonl" else "read_parquet"
    got = con.execute(f"SELECT box_id, text, label, n FROM {read}('{final}')").fetchall()
    tasks = json.loads((tmp_path / "files" / "review-tasks.json").read_text())
    decided = {t["data"]["taxops_row"]: decide(t["data"]) for t in tasks}
    check_final(rows, [{"box_id": b, "text": t, "label": lbl} for b, t, lbl, _ in got], decided)
    assert [int(n) for *_, n in got] == list(range(1, len(rows) + 1))
