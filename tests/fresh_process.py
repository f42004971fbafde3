"""What a fresh Python process loads: the tests that keep a command's or a
module's imports short (start-up time) run it in a process of its own and read
``sys.modules`` at its end."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

_AFTER_TAXOPS = (
    "import sys\n"
    "from taxops.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "print(code, ' '.join(sorted(sys.modules)), file=sys.stderr)"
)


def modules_after(code: str) -> set[str]:
    """The modules loaded once ``code`` (Python source) has run."""
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stdout.split())


def taxops_modules(
    *argv: str, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> set[str]:
    """The modules ``taxops ARGV`` loaded; the command must succeed (exit 0)."""
    done = subprocess.run(
        [sys.executable, "-c", _AFTER_TAXOPS, *argv],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env=env,
    )
    exit_code, *modules = done.stderr.split()
    assert exit_code == "0", done.stderr[-2000:]
    return set(modules)
