"""``taxops release``: freeze the current version of a taxonomy as an immutable
snapshot under ``taxonomies/<id>/releases/<version>.yaml``."""

from __future__ import annotations

import argparse

from taxops.cli import exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import add_repo, repo_root, say, write
from taxops.cli.commands.reporting import exit_code
from taxops.compatibility.check import run_check
from taxops.compatibility.integrity import record_releases
from taxops.compatibility.releases import freeze
from taxops.diagnostics import Diagnostic, Severity, TaxopsError
from taxops.file_check import CheckedFile
from taxops.formatting import format_text
from taxops.repository import assemble


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "taxonomies",
        nargs="*",
        metavar="TAXONOMY",
        help="taxonomy ids to release (default: every taxonomy whose version is not released yet)",
    )
    add_repo(p)


def _concerns(d: Diagnostic, taxonomy_id: str, folder: str) -> bool:
    loc = d.location or d.previous
    return d.data.get("taxonomy") == taxonomy_id or bool(loc and loc.path.startswith(folder))


def run(args: argparse.Namespace) -> int:
    root = repo_root(args)
    assert root is not None
    # The same check CI runs, against the last release: nothing blocking may be
    # frozen. Its files, as it loaded them, are the taxonomies to release: loading
    # the repository twice cost 2.5 s for an 89,000-code classification.
    loaded: list[CheckedFile] = []
    report = run_check(root, only=tuple(args.taxonomies), after_load=loaded.extend)
    repo = assemble(loaded, root)
    wanted = list(args.taxonomies) or sorted(repo.taxonomies)
    if not wanted:  # every taxonomy failed to load: saying nothing would look like success
        from taxops.suggestions import taxonomy_folders

        folders = ", ".join(taxonomy_folders(root)) or "none"
        raise TaxopsError(
            "no valid taxonomy to release",
            f"taxonomies/ holds: {folders} (taxops validate shows why a taxonomy does not load)",
        )
    unknown = [t for t in wanted if t not in repo.taxonomies]
    if unknown:
        raise TaxopsError(
            f"no valid taxonomy '{unknown[0]}' to release",
            f"taxonomies: {', '.join(sorted(repo.taxonomies)) or 'none'} (taxops validate "
            "shows why a taxonomy does not load)",
        )
    status = exit_codes.OK
    for taxonomy_id in wanted:
        current = repo.taxonomies[taxonomy_id]
        folder = current.display.rsplit("/", 1)[0] + "/"
        problems = [
            d
            for d in report.diagnostics
            if d.severity is Severity.ERROR and _concerns(d, taxonomy_id, folder)
        ]
        if problems:
            write(format_text(problems, per_rule=None))
            say(f"not released: {taxonomy_id} {current.model.version} has the errors above")
            status = max(status, exit_code(problems))
            continue
        frozen = freeze(current.path, current.model)
        shown = frozen.path.relative_to(root).as_posix()
        if frozen.written:
            say(f"released {taxonomy_id} {current.model.version}: {shown}")
        else:
            say(f"{taxonomy_id} {current.model.version} is already released ({shown})")
        # The new release, and any earlier one the record lacks (a repository
        # adopting the record), get their line; existing lines never change.
        releases = frozen.path.parent
        names = sorted(p.name for p in releases.iterdir() if p.suffix in (".yaml", ".yml"))
        for name in record_releases(releases, names):
            if not (frozen.written and name == frozen.path.name):
                say(f"  recorded the integrity of {shown.rsplit('/', 1)[0]}/{name}")
    return status


COMMAND = Command(
    name="release",
    summary="freeze the current version of a taxonomy as an immutable release",
    description="Copy taxonomies/<id>/taxonomy.yaml to taxonomies/<id>/releases/<version>.yaml\n"
    "(byte for byte, comments kept; only the editor's relative $schema path gains a\n"
    "'../'), after the same check CI runs against the last release. An existing\n"
    "release is never overwritten: bump the version instead. Its hash goes into\n"
    "releases/SHA256SUMS (with any earlier release not recorded yet). Commit both:\n"
    "taxops check then fails if a release is ever edited or deleted.",
    configure=configure,
    run=run,
)
