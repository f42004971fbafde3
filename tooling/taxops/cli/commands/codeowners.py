"""``taxops codeowners``: the CODEOWNERS lines the governed files' owners make."""

from __future__ import annotations

import argparse

from taxops.cli import exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import add_repo, repo_root, say, write


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--write",
        action="store_true",
        help="write the block into the repository's CODEOWNERS file (.github/CODEOWNERS "
        "unless one exists elsewhere), keeping every other line",
    )
    add_repo(p)


def run(args: argparse.Namespace) -> int:
    from taxops.codeowners import LOCATIONS, block, entries, find, merged
    from taxops.repository import assemble
    from taxops.validate import check_paths, governed_files
    from taxops.writing import write_atomic

    root = repo_root(args)
    assert root is not None
    repo = assemble(check_paths(governed_files(root), root), root)
    generated = block(entries(repo))
    if not args.write:
        write(generated)
        return exit_codes.OK
    path = find(root) or root / LOCATIONS[0]
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    updated = merged(current, generated)
    if updated == current:
        say(f"{path.relative_to(root)} is up to date")
    else:
        write_atomic(path, updated)
        say(f"wrote {path.relative_to(root)}")
    return exit_codes.OK


COMMAND = Command(
    name="codeowners",
    summary="print or write CODEOWNERS from the owners the governed files declare",
    description="A taxonomy's owners own its folder and its guideline; a policy file's owners\n"
    "own that file. Prints the block; --write puts it in the CODEOWNERS file between\n"
    "taxops markers, keeping the lines written by hand. taxops check fails when the\n"
    "committed block drifts from the files.",
    configure=configure,
    run=run,
)
