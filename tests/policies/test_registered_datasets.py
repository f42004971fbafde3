"""Registered datasets in the change workflow: a pull request that retires a
label used by two registered datasets shows, in its Markdown report, both
datasets, their counts (one counted from its file, one from its counts file,
each from the version it is labeled with) and the relabel cost under its SLA;
``taxops impact`` and ``taxops migrate`` take a registered dataset by name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from compatibility.gitrepos import commit_all, git, init
from taxops.cli.main import main

BASE = Path(__file__).parent / "base"
TAXONOMY = "taxonomies/pets/taxonomy.yaml"


@pytest.fixture()
def pull_request(tmp_path: Path) -> Path:
    """The base repository on main, and a branch retiring 'bird' in favour of a
    reviewer's choice between two new labels."""
    repo = init(tmp_path / "repo")
    shutil.rmtree(repo / "taxonomies")
    shutil.copytree(BASE, repo, dirs_exist_ok=True)
    commit_all(repo, "pets 1.1.0")
    git(repo, "checkout", "-q", "-b", "retire-bird")
    path = repo / TAXONOMY
    text = path.read_text()
    text = text.replace("version: 1.1.0", "version: 2.0.0")
    text = text.replace(
        "  - id: bird\n    name: Bird\n    definition: A bird kept as a pet.\n",
        "  - id: bird\n    name: Bird\n    definition: A bird kept as a pet.\n"
        "    status: retired\n    replaced_by: [parrot, songbird]\n    replacement: review\n"
        "  - id: parrot\n    name: Parrot\n    definition: A parrot.\n"
        "  - id: songbird\n    name: Songbird\n    definition: A songbird.\n",
    )
    path.write_text(text)
    commit_all(repo, "retire bird")
    return repo


def test_the_pull_request_report_shows_both_registered_datasets_and_their_cost(
    pull_request: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = pull_request / "report.md"
    main(["check", "--repo", str(pull_request), "--against", "main", "--report", str(report),
          "--today", "2026-06-01"])  # fmt: skip
    out = capsys.readouterr().out
    markdown = report.read_text()
    section = markdown[markdown.index("#### Registered datasets") :]
    rows = {
        line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| `")
    }
    assert set(rows) == {"`pets-2025`", "`pets-archive`"}
    # pets-2025 is a 4-row CSV labeled with 1.0.0: counted from the file; its one
    # bird needs review; its hamster is deprecated, still valid: it stays.
    assert [c.strip() for c in rows["`pets-2025`"].split("|")[2:9]] == [
        "`1.0.0`", "4", "0", "1", "0.10 EUR (`acme-pets`)", "0.0 (3)", "`data/pets-2025.csv`",
    ]  # fmt: skip
    # pets-archive (1.1.0) from its counts file: 300 birds to review at 0.10 EUR.
    assert [c.strip() for c in rows["`pets-archive`"].split("|")[2:9]] == [
        "`1.1.0`", "2,590", "0", "300", "30.00 EUR (`acme-pets`)", "0.6 (3)",
        "`data/pets-archive.counts.csv`",
    ]  # fmt: skip
    assert "Relabel cost across registered datasets: **30.10 EUR**." in section
    # They are the relabel impact: between its markers, and nothing says "not computed".
    impact = markdown.split("<!-- taxops:impact:start -->")[1].split("<!-- taxops:impact:end -->")[
        0
    ]
    assert "#### Registered datasets" in impact and "Not computed" not in markdown
    # The terminal says it too.
    assert "pets-archive (1.1.0): 2,590 items, 0 relabeled by machine, 300 needing review" in out


def test_the_json_output_carries_the_same_registered_datasets(
    pull_request: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the Markdown report shows, for tools: one entry per registered
    dataset, its counts' source and its relabel impact (taxops/relabel-impact/1)."""
    main(["check", "--repo", str(pull_request), "--against", "main", "--format", "json",
          "--today", "2026-06-01"])  # fmt: skip
    document = json.loads(capsys.readouterr().out)
    assert document["schema"] == "taxops/diagnostics/1"  # additive: the same schema
    found = {d["dataset"]: d for d in document["registered_datasets"]}
    assert set(found) == {"pets-2025", "pets-archive"}
    archive = found["pets-archive"]
    assert (archive["taxonomy"], archive["version"], archive["counts_from"], archive["problem"]) == (
        "pets", "1.1.0", "data/pets-archive.counts.csv", None,
    )  # fmt: skip
    impact = archive["impact"]
    assert impact["schema"] == "taxops/relabel-impact/1"
    assert (impact["items"], impact["items_needing_review"]) == (2590, 300)
    assert (impact["cost"]["review_cost"], impact["cost"]["sla"]) == (30.0, "acme-pets")
    assert found["pets-2025"]["impact"]["from"] == "1.0.0"  # priced from its own version


def test_github_annotations_end_with_a_notice_of_the_registered_datasets(
    pull_request: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--repo", str(pull_request), "--against", "main", "--format", "github",
          "--today", "2026-06-01"])  # fmt: skip
    [notice] = [
        line for line in capsys.readouterr().out.splitlines() if "registered datasets" in line
    ]
    title, message = notice.split("::")[1:3]
    assert title == "notice title=taxops%3A registered datasets of pets"
    lines = message.split("%0A")  # one annotation, a line per dataset
    assert len(lines) == 2
    assert lines[1].startswith("pets-archive (1.1.0): 2,590 items, 0 relabeled by machine, 300")


def _named(repo: Path, named: str) -> str:
    """pets-2025 by its id, or by its file's path (written another way than the
    registry's location)."""
    return "pets-2025" if named == "by id" else str(repo / "data" / ".." / "data" / "pets-2025.csv")


@pytest.mark.parametrize("named", ["by id", "by its path"])
def test_impact_takes_a_registered_dataset_by_name(
    pull_request: Path, capsys: pytest.CaptureFixture[str], named: str
) -> None:
    git(pull_request, "checkout", "-q", "main")
    code = main(
        [
            "impact",
            "pets",
            "--repo",
            str(pull_request),
            "--dataset",
            _named(pull_request, named),
            "--format",
            "json",
        ]
    )
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["from"] == "1.0.0" and result["to"] == "1.1.0"
    assert result["items"] == 4 and result["items_unchanged"] == 4  # hamster: deprecated, kept
    assert result["cost"]["sla"] == "acme-pets"


@pytest.mark.parametrize("named", ["by id", "by its path"])
def test_migrate_takes_a_registered_dataset_by_name_and_redacts_its_review_queue(
    pull_request: Path, capsys: pytest.CaptureFixture[str], named: str
) -> None:
    """pets-2025's captions are personal (policies/privacy.yaml): the row a
    reviewer must see goes to the queue with its caption redacted, whether the
    dataset is named by its id or by its file."""
    git(pull_request, "checkout", "-q", "main")
    data = pull_request / "data" / "pets-2025.csv"
    data.write_text(data.read_text() + 'p5.jpg,"Found him! Call +1 415-555-0132",dgo\n')
    out = pull_request / "out" / "pets.csv"
    name = _named(pull_request, named)
    code = main(["migrate", name, "--repo", str(pull_request), "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert (
        "pets-2025" in printed
        and "review queue redacted by the privacy policy: 1 values masked" in printed
    )
    assert out.read_text().splitlines()[1:] == [
        "p1.jpg,A dog on a sofa,dog", "p2.jpg,Two cats,cat", "p3.jpg,Hamster in a wheel,hamster",
        "p4.jpg,Parrot,bird",
    ]  # fmt: skip
    queue = (out.parent / "pets.review.csv").read_text()
    assert "415-555-0132" not in queue and "Found him! Call [phone]" in queue
    assert ",dgo," in queue  # the label a reviewer must fix is kept
    report = json.loads((out.parent / "pets.report.json").read_text())
    [caption] = [f for f in report["review_redaction"]["fields"] if f["field"] == "caption"]
    assert {r["detect"]: r["masked"] for r in caption["rules"]}["phone"] == 1


def test_an_unknown_name_lists_the_registered_datasets(
    pull_request: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate", "pets-2052", "--repo", str(pull_request), "-o", "x.csv"]) == 2
    err = capsys.readouterr().err
    assert "'pets-2052' is neither a file nor a registered dataset" in err
    assert "pets-2025, pets-archive" in err


@pytest.mark.parametrize("named", ["by id", "by its path"])
def test_inspect_takes_a_registered_dataset_and_its_version_from_the_registry(
    pull_request: Path, capsys: pytest.CaptureFixture[str], named: str
) -> None:
    """No --taxonomy and no sidecar: the registry says pets-2025 is labeled with
    pets 1.0.0 in its column 'label'; --against takes a registered dataset too."""
    git(pull_request, "checkout", "-q", "main")
    name = _named(pull_request, named)
    code = main(["inspect", name, "--repo", str(pull_request), "--against", "pets-2025",
                 "--format", "json"])  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (result["dataset"], result["taxonomy"], result["version"]) == (name, "pets", "1.0.0")
    assert result["label_column"] == "label" and result["rows"] == 4
    assert result["drift"]["datasets"] == ["pets-2025", name]


def test_inspect_of_an_unregistered_file_asks_for_the_version_of_each_dataset(
    pull_request: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.csv"
    other.write_text("label\ndog\n")
    code = main(["inspect", "pets-2025", "--repo", str(pull_request), "--against", str(other)])
    assert code == 2
    assert "pass --against-taxonomy ID@VERSION" in capsys.readouterr().err


def test_the_review_queue_of_a_semicolon_export_is_redacted_in_its_own_dialect(
    pull_request: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A spreadsheet's export: ';'-delimited, with a BOM, and already a column
    named '_taxops_row' (so migrate names its own fields '_taxops2_*'). The
    queue keeps its header and delimiter, every caption and a malformed row's
    raw text are masked, and the fields taxops added are not redaction fields."""
    data = pull_request / "export.csv"
    lines = ["photo;caption;_taxops_row;label"] + [
        f"p{i}.jpg;Call owner{i}@example.com, or +1 415-555-{i:04d};{i};{'bird' if i % 2 else 'dog'}"
        for i in range(6)
    ] + ["p9.jpg;too;many;fields;from leak@example.com"]  # fmt: skip
    data.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    out = pull_request / "out" / "export.csv"
    code = main(["migrate", str(data), "--repo", str(pull_request), "-o", str(out),
                 "--taxonomy", "pets", "--from", "1.1.0", "--to", "2.0.0",
                 "--data-class", "personal"])  # fmt: skip
    assert code == 0, capsys.readouterr()
    queue = (out.parent / "export.review.csv").read_text(encoding="utf-8-sig").splitlines()
    assert queue[0] == (
        "photo;caption;_taxops_row;label;_taxops2_row;_taxops2_reason;_taxops2_old_label;"
        "_taxops2_candidates;_taxops2_raw"
    )
    assert queue[1] == "p1.jpg;Call [email], or [phone];1;bird;2;split;bird;parrot|songbird;"
    assert len(queue) == 5 and "@example.com" not in "".join(queue) and "[email]" in queue[-1]
    report = json.loads((out.parent / "export.report.json").read_text())
    redacted = {f["field"] for f in report["review_redaction"]["fields"]}
    assert redacted == {"photo", "caption", "_taxops_row", "_taxops2_raw"}
    assert report["review_redaction"]["dataset"] == str(out.parent / "export.review.csv")


def test_the_parquet_review_queue_of_a_personal_dataset_is_redacted(
    pull_request: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Parquet dataset's queue is Parquet: its text and list fields are masked
    (the list keeps its type), the struct taxops adds is left as it is."""
    import duckdb

    data = pull_request / "export.parquet"
    duckdb.sql(
        "COPY (SELECT 'p' || i || '.jpg' AS photo, 'Call owner' || i || '@example.com' AS caption, "
        "['tag', 'x' || i || '@example.com'] AS tags, CASE WHEN i % 2 = 1 THEN 'bird' ELSE 'dog' "
        f"END AS label FROM range(6) t(i)) TO '{data}' (FORMAT parquet)"
    )
    out = pull_request / "out" / "export.parquet"
    code = main(["migrate", str(data), "--repo", str(pull_request), "-o", str(out),
                 "--taxonomy", "pets", "--from", "1.1.0", "--to", "2.0.0",
                 "--data-class", "personal"])  # fmt: skip
    assert code == 0, capsys.readouterr()
    queue = out.parent / "export.review.parquet"
    rows = duckdb.sql(f"SELECT caption, tags, label, _taxops FROM '{queue}'").fetchall()
    assert rows == [
        ("Call [email]", ["tag", "[email]"], "bird",
         {"row": n, "reason": "split", "old_label": "bird", "candidates": ["parrot", "songbird"]})
        for n in (2, 4, 6)
    ]  # fmt: skip
    report = json.loads((out.parent / "export.report.json").read_text())
    redacted = {f["field"] for f in report["review_redaction"]["fields"]}
    assert {"caption", "tags"} <= redacted and "_taxops" not in redacted
    assert report["review_redaction"]["dataset"] == str(queue)


def test_a_taxonomy_no_dataset_is_labeled_with_builds_no_whole_map(
    pull_request: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The registered datasets' impact needs the whole migration map (one entry
    per old label); a change to a taxonomy no registered dataset is labeled with
    must not build it (about 2 s at 200,000 labels, for nothing)."""
    import taxops.migration as migration

    registry = pull_request / "policies" / "datasets.yaml"
    registry.write_text(registry.read_text().replace("taxonomy: pets", "taxonomy: other"))
    built: list[object] = []
    real = migration.build_map

    def spy(changes: object, *args: object, **kwargs: object) -> object:
        built.append(kwargs.get("only"))
        return real(changes, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(migration, "build_map", spy)
    main(["check", "--repo", str(pull_request), "--against", "main", "--format", "json",
          "--today", "2026-06-01"])  # fmt: skip
    assert json.loads(capsys.readouterr().out)["registered_datasets"] == []
    assert None not in built  # no map of every label
