"""A name that matches nothing is an error that says what exists (exit 2), never
a command that compares nothing and passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from taxops.cli.main import main

ROOT = Path(__file__).resolve().parents[2]

# (command line, what stderr must say)
CASES = [
    (["check", "support-intent"], "did you mean 'support-intents'?"),
    (["check", "support-intents", "nosuch"], "no taxonomy 'nosuch'"),
    (["check", "--format", "json", "Support-Intents"], "did you mean 'support-intents'?"),
    (["check", "--counts", "support-intent=COUNTS"], "did you mean 'support-intents'?"),
    (["migration-map", "support-intent", "--from", "1.0.0"], "did you mean 'support-intents'?"),
    (["migration-map", "..", "--from", "1.0.0"], "no taxonomy '..'"),
    (["migration-map", "support-intents/../driving-objects", "--from", "1.0.0"], "no taxonomy"),
    (["impact", "support-intent", "--from", "1.0.0", "--counts", "COUNTS"], "did you mean"),
    (["diff", "support-intent@1.0.0", "support-intents@2.0.0"], "did you mean"),
    (["impact", "support-intents", "--from", "1.0.0", "--counts", "COUNTS", "--vendor", "x"], "vendor 'x'"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_unknown_name_is_refused_with_what_exists(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counts = tmp_path / "counts.csv"
    counts.write_text("label,count\nbilling.refund_status,3\n")
    argv = [str(counts) if a == "COUNTS" else a.replace("COUNTS", str(counts)) for a in argv]
    assert main([*argv, "--repo", str(ROOT)]) == 2
    err = capsys.readouterr().err
    assert message in err and "internal error" not in err
