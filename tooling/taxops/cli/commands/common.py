"""Pieces several commands share: finding the repository, output formats."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from taxops.diagnostics import TaxopsError
from taxops.escaping import terminal_lines
from taxops.validate import find_root


def add_format(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json", "github")
) -> None:
    parser.add_argument(
        "--format",
        choices=choices,
        default="text",
        help="output format: text for people, json for tools (documented schema), "
        "github for workflow annotations (default: text)",
    )


def add_repo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--repo",
        type=Path,
        default=None,
        help="the governance repository (default: found from the current folder)",
    )


def repo_root(args: argparse.Namespace, required: bool = True) -> Path | None:
    if getattr(args, "repo", None):
        given = Path(args.repo)
        if not (given / "taxonomies").is_dir():
            raise TaxopsError(
                f"{given} is not a governance repository: it has no taxonomies/ folder",
                "point --repo at the folder holding taxonomies/, guidelines/ and policies/",
            )
        return given.resolve()
    root = find_root(Path.cwd())
    if root is None and required:
        raise TaxopsError(
            "no governance repository here: no taxonomies/ folder in this folder or above",
            "run taxops inside the repository, pass --repo, or name files to check",
        )
    return root


def write(text: str) -> None:
    """A document a formatter made (its values already escaped for its format)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def say(*lines: object) -> None:
    """Lines a command prints itself ("wrote out/x.csv"): each is escaped for the
    terminal as a whole (:func:`taxops.escaping.terminal_lines`), so a file name
    or label in it cannot start a line of its own or drive the terminal."""
    write(terminal_lines(lines))
