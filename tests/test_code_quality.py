"""The house style, enforced by the test command: ruff (lint and format) and
mypy in strict mode over the package. A red lint is a red build, as in CI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: install the test extra (pip install -e '.[test]')")
    return found


@pytest.mark.parametrize(
    "args",
    [
        ["check", "tooling", "tests", "benchmarks"],
        ["format", "--check", "tooling", "tests", "benchmarks"],
    ],
    ids=["lint", "format"],
)
def test_ruff(args: list[str]) -> None:
    done = subprocess.run([_tool("ruff"), *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict() -> None:
    done = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
