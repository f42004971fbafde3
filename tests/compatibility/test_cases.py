"""Every rule case: tests/cases/<rule-id>/<case>/{old.yaml,new.yaml,expected.txt}.

One parametrized test runs ``taxops diff old.yaml new.yaml`` in the case folder
and compares the output and exit code with expected.txt. A case named
``not-...`` asserts its rule does *not* fire; any other asserts it does.
``TAXOPS_REGENERATE=1 pytest tests/compatibility/test_cases.py`` rewrites the
expected files: review every one of them by hand before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from taxops.cli.main import main

CASES = Path(__file__).parent.parent / "cases"
ALL = sorted(p.parent for p in CASES.glob("*/*/new.yaml"))


def run_diff(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:
    monkeypatch.chdir(folder)
    code = main(["diff", "old.yaml", "new.yaml"])
    return capsys.readouterr().out + f"# exit code: {code}\n"


@pytest.mark.parametrize("folder", ALL, ids=[f"{p.parent.name}/{p.name}" for p in ALL])
def test_case(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    output = run_diff(folder, capsys, monkeypatch)
    expected = folder / "expected.txt"
    if os.environ.get("TAXOPS_REGENERATE") == "1":
        expected.write_text(output, encoding="utf-8")
    rule = folder.parent.name
    fired = f"[{rule}]" in output
    if folder.name.startswith("not-"):
        assert not fired, f"{rule} fired in a case that says it must not"
    else:
        assert fired, f"{rule} did not fire in its own case"
    assert expected.is_file(), "no expected.txt: run with TAXOPS_REGENERATE=1, then review it"
    assert output == expected.read_text(encoding="utf-8")
