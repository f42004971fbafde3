"""What the quality, operations and inspection commands share: their output
options (text or JSON on the terminal, the JSON result also written to a file
for the dashboard) and which taxonomy an export is about."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from taxops.cli import argtypes
from taxops.cli.commands.common import add_repo, write
from taxops.escaping import json_text


def add_report_options(p: argparse.ArgumentParser, taxonomy: bool = True) -> None:
    if taxonomy:
        p.add_argument(
            "--taxonomy",
            metavar="ID",
            help="the taxonomy the export is labeled with (default: its provenance)",
        )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people, json for tools (default: text)",
    )
    p.add_argument(
        "--output",
        type=argtypes.writes("--output"),
        metavar="FILE.json",
        help="also write the JSON result here (for the dashboard: commit it under reports/)",
    )
    add_repo(p)


def emit(
    args: argparse.Namespace, report: dict[str, Any], text: Callable[[dict[str, Any]], str]
) -> None:
    """Print the report, and write its JSON to ``--output`` (atomically)."""
    # Bidi and invisible characters as \u escapes: the same values for a parser,
    # inert on a terminal and visible in a diff of a committed report.
    body = json_text(json.dumps(report, indent=2, ensure_ascii=False, default=str)) + "\n"
    if getattr(args, "output", None):
        from taxops.writing import write_atomic

        write_atomic(args.output, body)
    write(body if args.format == "json" else text(report))


def taxonomy_of(
    path: Path, given: str | None, root: Path | None = None
) -> tuple[str | None, str | None]:
    """The taxonomy id and version an export is labeled with: ``--taxonomy``, else
    the export's provenance (sidecar or Parquet metadata). A ``--taxonomy`` the
    repository at ``root`` does not have is an error listing the ones it has (a
    typo must not quietly drop the quality plan and its targets)."""
    from taxops.engines.datasets import read_provenance

    if given is not None and root is not None:
        from taxops.suggestions import taxonomy_folder

        taxonomy_folder(root, given)

    provenance = read_provenance(path) if path.is_file() else None
    taxonomy = given or (provenance or {}).get("taxonomy")
    version = (
        (provenance or {}).get("version")
        if not given or given == (provenance or {}).get("taxonomy")
        else None
    )
    return taxonomy, version
