"""What migrate (and impact, migration-script, crosswalk) do with the paths and options a
user types: a path is that one file, two outputs are never one file, every
option is checked when parsed, and Ctrl-C is one line and exit 130."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from taxops.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
BASE = ["--repo", str(ROOT), "--taxonomy", "support-intents", "--from", "1.0.0", "--to", "2.0.0"]
R, K = "billing.refund_status", "orders.order_status"


def migrate(*args: str) -> int:
    return main(["migrate", *args, *BASE, "--no-progress"])


# --- a path is a path ----------------------------------------------------------

# Each name is created beside decoys a glob would match instead.
GLOB_NAMES = ["a[1].csv", "a*.csv", "a?.csv", "[ab].csv", "it's.csv", "with space.csv", "é ü.csv", "a{1,2}.csv", "back\\slash.csv", "**.csv"]  # fmt: skip


@pytest.mark.parametrize("name", GLOB_NAMES)
def test_a_path_is_that_one_file_never_a_pattern(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for decoy in ("a1.csv", "ab.csv", "a.csv", "b.csv"):
        (folder / decoy).write_text(f"id,intent\ndecoy-{decoy},{K}\n")
    (folder / name).write_text(f"id,intent\nthe-one,{R}\n")
    out = tmp_path / "out" / "o.csv"
    assert migrate(str(folder / name), "-o", str(out), "--label-column", "intent") == 0
    assert out.read_text() == "id,intent\nthe-one,returns.refund_status\n"
    # impact and migration-script read the same file, never a match of it.
    assert main(["impact", "support-intents", "--from", "1.0.0", "--dataset", str(folder / name),
                 "--label-column", "intent", "--format", "json", "--repo", str(ROOT)]) == 0  # fmt: skip


def test_a_pattern_is_not_several_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i in (1, 2):
        (tmp_path / f"data{i}.csv").write_text(f"id,intent\n{i},{K}\n")
    assert (
        migrate(
            str(tmp_path / "data*.csv"), "-o", str(tmp_path / "o.csv"), "--label-column", "intent"
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "data*.csv' is neither a file nor a registered dataset" in err


def test_a_relative_path_under_a_folder_named_tilde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB expands a leading '~' to the home folder; './~/x.csv' is a folder here."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "~").mkdir()
    (tmp_path / "~" / "x.csv").write_text(f"id,intent\n1,{R}\n")
    assert migrate("~/x.csv", "-o", "o.csv", "--label-column", "intent") == 0
    assert (tmp_path / "o.csv").read_text().endswith("returns.refund_status\n")


def test_parquet_provenance_and_columns_from_a_bracketed_name(tmp_path: Path) -> None:
    src = tmp_path / "t[1].parquet"
    duckdb.sql(f"COPY (SELECT 1 AS id, '{R}' AS intent) TO '{src}' (FORMAT parquet)")  # no glob
    assert src.is_file()
    (tmp_path / "t1.parquet").write_bytes(b"not parquet")  # what a glob would pick
    out = tmp_path / "o.parquet"
    assert migrate(str(src), "-o", str(out), "--label-column", "intent") == 0
    # The output records its version; migrating it again reads that provenance.
    assert (
        main(
            [
                "migrate",
                str(out),
                "-o",
                str(tmp_path / "o2.parquet"),
                "--repo",
                str(ROOT),
                "--no-progress",
            ]
        )
        == 0
    )
    code = main(["migration-script", "support-intents", "--from", "1.0.0", "--dialect", "duckdb",
                 "--table", "t", "--label-column", "intent", "--like", str(src), "--repo", str(ROOT)])  # fmt: skip
    assert code == 0


# --- outputs never overwrite each other ----------------------------------------

OVERLAPS = [
    (["-o", "out/o.csv", "--review", "out/o.csv"], "would both be written"),
    (["-o", "out/o.csv", "--report", "out/o.csv"], "would both be written"),
    (["-o", "out/o.csv", "--review", "r.csv", "--report", "r.csv"], "would both be written"),
    (["-o", "out/o.csv", "--review", "out/O.CSV"], "would both be written"),
    (["-o", "out/o.csv", "--report", "out/./sub/../o.csv"], "would both be written"),
    (["-o", "out/o.csv", "--review", "out/o.csv.taxops.json"], "would both be written"),
    (["-o", "out/o.csv", "--review", "in.csv"], "would overwrite the input dataset"),
    (["-o", "out/o.csv", "--report", "in.csv.taxops.json"], "input's provenance sidecar"),
    (["-o", "in.csv"], "would overwrite the input dataset"),
    (["-o", "IN.csv"], "would overwrite the input dataset"),
    (["-o", "link.csv"], "would overwrite the input dataset"),
    (["-o", "hard.csv"], "would overwrite the input dataset"),
    (["-o", "out/o.csv", "--review", "hard.csv"], "would overwrite the input dataset"),
    (["--in-place", "--review", "in.csv"], "would both be written"),
    (["--in-place", "--review", "hard.csv"], "would both be written"),
    (["--in-place", "--report", "in.csv.taxops.json"], "would both be written"),
]


@pytest.mark.parametrize(("args", "message"), OVERLAPS, ids=[" ".join(a) for a, _ in OVERLAPS])
def test_outputs_that_are_one_file_are_refused_before_anything_runs(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "in.csv"
    src.write_text(f"id,intent\n1,{R}\n2,product.general_question\n")
    (tmp_path / "link.csv").symlink_to(src)
    os.link(src, tmp_path / "hard.csv")
    before = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in tmp_path.iterdir()
        if p.is_file()
    }
    assert migrate("in.csv", "--label-column", "intent", *args) == 2
    assert message in capsys.readouterr().err
    after = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in tmp_path.iterdir()
        if p.is_file()
    }
    assert after == before and not (tmp_path / "out").exists()


# --- options are checked when parsed -------------------------------------------

OPTIONS = [
    (["--memory-limit", "banana"], "is not a size"),
    (["--memory-limit", "1KB"], "out of range"),
    (["--memory-limit=-5GB"], "is not a size"),
    (["--threads", "-3"], "out of range"),
    (["--threads", "0"], "out of range"),
    (["--threads", "many"], "not a whole number"),
    (["--list-separator", ""], "separator is empty"),
    (["--list-separator", "a\nb"], "line break"),
    (["--delimiter", ";;"], "not one character"),
    (["--delimiter", '"'], "cannot separate fields"),
    (["--delimiter", "a"], "cannot separate fields"),
    (["--encoding", "ebcdic"], "invalid choice"),
    (["--max-line-size", "0"], "out of range"),
    (["--max-line-size", "5XB"], "is not a size"),
    (["--format", "xml"], "invalid choice"),
]


@pytest.mark.parametrize(("args", "message"), OPTIONS, ids=[" ".join(a) for a, _ in OPTIONS])
def test_bad_option_values_are_usage_errors(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(f"id,intent\n1,{R}\n")
    with pytest.raises(SystemExit) as exit_info:
        migrate(str(src), "-o", str(tmp_path / "o.csv"), "--label-column", "intent", *args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_good_option_values_run(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(f"id;intent\n1;{R}|{K}\n")
    args = [
        "--memory-limit",
        "256MB",
        "--threads",
        "1",
        "--delimiter",
        ";",
        "--max-line-size",
        "4MiB",
    ]
    assert migrate(str(src), "-o", str(tmp_path / "o.csv"), "--label-column", "intent",
                   "--multi-label", "--list-separator", "|", *args) == 0  # fmt: skip
    assert (
        tmp_path / "o.csv"
    ).read_text() == "id;intent\n1;returns.refund_status|orders.order_status\n"


# --- the label column and the CSV dialect are found, and said ------------------


def test_a_column_named_label_is_taken_and_the_output_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "export.csv"
    src.write_bytes(b"\xef\xbb\xbfid;label;text\r\n1;" + R.encode() + b';"a;b"\r\n')
    assert migrate(str(src), "-o", str(tmp_path / "o.csv")) == 0
    out = capsys.readouterr().out
    assert "label column: 'label' (found by its name" in out
    assert (
        tmp_path / "o.csv"
    ).read_bytes() == b'\xef\xbb\xbfid;label;text\n1;returns.refund_status;"a;b"\n'
    assert json.loads((tmp_path / "o.csv.taxops.json").read_text())["label_column"] == "label"


def test_without_a_label_column_or_a_column_named_label_it_asks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(f"id,intent\n1,{R}\n")
    assert migrate(str(src), "-o", str(tmp_path / "o.csv")) == 2
    assert "which column holds the labels?" in capsys.readouterr().err


# --- Ctrl-C ---------------------------------------------------------------------


def test_ctrl_c_is_one_line_and_exit_130_and_keeps_earlier_outputs(tmp_path: Path) -> None:
    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    small.write_text(f"id,intent\n1,{R}\n2,product.general_question\n")
    labels = f"['{R}', '{K}', 'product.general_question']"
    duckdb.sql(
        f"COPY (SELECT i AS id, {labels}[(i % 3)::INTEGER + 1] AS intent, repeat('x', 40) AS text "
        f"FROM range(2000000) t(i)) TO '{big}' (FORMAT csv, HEADER true)"
    )
    out = tmp_path / "out.csv"
    command = [sys.executable, "-m", "taxops.cli.main", "migrate", "SOURCE", *BASE,
               "--label-column", "intent", "-o", str(out), "--no-progress"]  # fmt: skip
    subprocess.run(
        [str(small) if a == "SOURCE" else a for a in command], check=True, capture_output=True
    )
    outputs = sorted(p for p in tmp_path.iterdir() if p.name.startswith("out"))
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in outputs}
    proc = subprocess.Popen(
        [str(big) if a == "SOURCE" else a for a in command],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.csv.taxops-tmp-*")):  # DuckDB is at work
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == "taxops: interrupted\n"
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in outputs}
    assert after == before
    assert not list(tmp_path.glob(".*taxops-tmp*"))


def test_migration_map_says_when_its_default_end_maps_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--to`` defaults to the newest release; when that is ``--from`` itself and
    the working version is newer (a crosswalk was just imported into it), the
    map changes nothing, and the user is told which version to pass."""
    folder = tmp_path / "taxonomies" / "shop"
    (folder / "releases").mkdir(parents=True)
    head = "taxops: taxonomy/1\nid: shop\ntitle: Shop\nkind: single-label\nowners: ['@x']\n"
    (folder / "releases" / "1.0.0.yaml").write_text(
        head + "version: 1.0.0\nlabels:\n  - {id: a, name: A}\n  - {id: b, name: B}\n"
    )
    (folder / "taxonomy.yaml").write_text(
        head + "version: 2.0.0\nlabels:\n  - {id: a, name: A}\n"
        "  - {id: b, name: B, status: retired, replaced_by: [a]}\n"
    )
    args = ["migration-map", "shop", "--from", "1.0.0", "--repo", str(tmp_path)]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "1.0.0 is the newest release" in err and "pass --to 2.0.0" in err
    assert main([*args, "--to", "2.0.0"]) == 0
    out, err = capsys.readouterr()
    assert "action: merge" in out and err == ""


# --- what an argument lacks is said before the versions are read ----------------

MISSING_ARGUMENTS = [
    (["migration-script", "x", "--from", "1.0.0", "--to", "2.0.0", "--dialect", "duckdb"], "SQL needs the table and its label column"),
    (["migration-script", "x", "--from", "1.0.0", "--dialect", "spark", "--table", "t", "--label-column", "l"], "SQL needs the table's columns"),
    (["crosswalk", "check", "--taxonomy", "x", "missing.csv"], "no such table: missing.csv"),
    (["crosswalk", "import", "--taxonomy", "x", "missing.csv"], "no such table: missing.csv"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"), MISSING_ARGUMENTS, ids=[" ".join(a) for a, _ in MISSING_ARGUMENTS]
)
def test_a_missing_argument_is_said_before_the_versions_are_read(
    args: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Reading a classification's versions takes seconds: a command told too
    little says so first. The taxonomy here does not even parse, so any
    command that read it would say that instead."""
    broken = tmp_path / "taxonomies" / "x"
    (broken / "releases").mkdir(parents=True)
    (broken / "taxonomy.yaml").write_text("labels: [unclosed\n")
    (broken / "releases" / "1.0.0.yaml").write_text("labels: [unclosed\n")
    monkeypatch.chdir(tmp_path)
    assert main([*args, "--repo", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "unclosed" not in err and "x.yaml" not in err
