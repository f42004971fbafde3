"""Real git repositories in temporary folders, for end-to-end checks."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], env=ENV, capture_output=True, text=True, check=True
    )
    return done.stdout


def init(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    (root / "taxonomies").mkdir(exist_ok=True)
    return root


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def taxonomy(
    version: str,
    labels: str,
    *,
    taxonomy_id: str = "fleet",
    head: str = "",
) -> str:
    """A small hierarchical taxonomy; ``labels`` is the YAML list, indented by two."""
    return (
        "# yaml-language-server: $schema=../../site/docs/schemas/taxonomy.schema.json\n"
        f"taxops: taxonomy/1\nid: {taxonomy_id}\ntitle: Fleet objects\nversion: {version}\n"
        f'kind: hierarchical\nowners: ["@fleet"]\n{head}labels:\n'
        + textwrap.dedent(labels).strip("\n").replace("\n", "\n  ").join(["  ", "\n"])
    )


LABELS = """
- id: vehicle
  name: Vehicle
- id: vehicle.car
  name: Car
  parent: vehicle
- id: vehicle.other
  name: Other vehicle
  parent: vehicle
"""


def write(root: Path, path: str, text: str) -> Path:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)
