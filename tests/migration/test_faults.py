"""A migration killed mid-run leaves the previous outputs exactly as they were."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]


def _digests(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_killed_run_leaves_previous_outputs_intact(tmp_path: Path) -> None:
    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    small.write_text("id,intent\n1,billing.refund_status\n2,product.general_question\n")
    labels = "['billing.refund_status', 'orders.order_status', 'product.general_question']"
    duckdb.sql(
        f"COPY (SELECT i AS id, {labels}[(i % 3)::INTEGER + 1] AS intent, repeat('x', 40) AS text "
        f"FROM range(3000000) t(i)) TO '{big}' (FORMAT csv, HEADER true)"
    )
    out = tmp_path / "out.csv"
    command = [
        sys.executable, "-m", "taxops.cli.main", "migrate", "--repo", str(ROOT),
        "--taxonomy", "support-intents", "--from", "1.0.0", "--to", "2.0.0",
        "--label-column", "intent", "-o", str(out), "--no-progress",
    ]  # fmt: skip
    subprocess.run([*command[:4], str(small), *command[4:]], check=True, capture_output=True)
    outputs = [
        out,
        tmp_path / "out.review.csv",
        tmp_path / "out.report.json",
        tmp_path / "out.csv.taxops.json",
    ]
    before = _digests(outputs)

    proc = subprocess.Popen([*command[:4], str(big), *command[4:]], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.csv.taxops-tmp-*")):  # the new dataset is being written
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    assert _digests(outputs) == before
    # The next run cleans up what the killed one left and succeeds.
    subprocess.run([*command[:4], str(small), *command[4:]], check=True, capture_output=True)
    assert _digests(outputs)["out.csv"] == before["out.csv"]
    assert not list(tmp_path.glob(".*taxops-tmp*"))
