"""The start of journey 7 in a test: a publisher's file imported as a new
taxonomy of a repository and released, with ``compatibility: none`` (a
publisher's edition breaks what it breaks; the team holds it against its own
policy later), ready for the next edition to go ``--into`` it."""

from __future__ import annotations

from pathlib import Path

from taxops.cli.main import main


def released_import(root: Path, source: Path, taxonomy: str, *options: str) -> Path:
    """``source`` imported into a repository at ``root`` and released; the
    path of the taxonomy's working file."""
    (root / "taxonomies").mkdir(parents=True)
    run = ["--repo", str(root)]
    assert main(["import", str(source), *options, *run]) == 0
    working = root / "taxonomies" / taxonomy / "taxonomy.yaml"
    text = working.read_text(encoding="utf-8")
    working.write_text(text.replace("owners:", "compatibility: none\nowners:"), encoding="utf-8")
    assert main(["release", *run]) == 0
    return working
