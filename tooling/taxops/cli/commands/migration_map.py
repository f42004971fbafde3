"""``taxops migration-map``: what happens to every label of an old version."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from taxops import escaping
from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import add_repo, repo_root, say, write
from taxops.history import TaxonomyFiles, migration_map, release_named, versions
from taxops.migration.clusters import clusters
from taxops.migration.formats import FORMATS
from taxops.migration.sssom import map_to_sssom
from taxops.writing import write_atomic


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("taxonomy", metavar="TAXONOMY", help="taxonomy id, e.g. support-intents")
    p.add_argument("--from", dest="start", required=True, metavar="VERSION", help="old version")
    p.add_argument(
        "--to",
        dest="end",
        metavar="VERSION",
        help="new version (default: the newest release); an older version than --from "
        "gives the backward map",
    )
    p.add_argument("--format", choices=sorted(FORMATS), default="yaml", help="default: yaml")
    p.add_argument(
        "--output",
        "-o",
        type=argtypes.writes("--output"),
        metavar="FILE",
        help="write to FILE (atomically)",
    )
    add_repo(p)


def _names(
    root: Path, taxonomy: str, wanted: tuple[str, ...], files: TaxonomyFiles
) -> dict[str, dict[str, str]]:
    """Display names by label, for the versions ``wanted`` (the map's two
    ends): their releases alone where files are named after them, else read
    from every version."""
    picked = [release_named(root, taxonomy, text, files) for text in wanted]
    found = (
        [v for v in picked if v is not None]
        if all(picked)
        else [v for v in versions(root, taxonomy, files) if str(v.version) in wanted]
    )
    return {str(v.version): {lbl.id: lbl.name for lbl in v.taxonomy.labels} for v in found}


def run(args: argparse.Namespace) -> int:
    root = repo_root(args)
    assert root is not None
    files = TaxonomyFiles.of(root, args.taxonomy)  # the map and the names read each file once
    migration = migration_map(root, args.taxonomy, args.start, args.end, files)
    if args.end is None and migration.from_version == migration.to_version:
        _unreleased_note(root, args.taxonomy, migration.to_version, files)
    if args.format == "sssom":
        ends = (migration.from_version, migration.to_version)
        text = map_to_sssom(migration, _names(root, args.taxonomy, ends, files))
    else:
        text = FORMATS[args.format](migration)
    if args.output:
        write_atomic(args.output, text)
        counts = ", ".join(f"{n} {a}" for a, n in migration.summary().items() if n)
        found = clusters(migration)
        tangles = (
            f"; {len(found)} clusters of labels, the largest {found[0].shape} with "
            f"{found[0].size} labels"
            if found
            else ""
        )
        say(
            f"wrote {args.output}: {len(migration)} labels of {migration.taxonomy} "
            f"{migration.from_version} -> {migration.to_version} ({counts}){tangles}"
        )
    else:
        write(text)
    return exit_codes.OK


def _unreleased_note(root: Path, taxonomy: str, newest: str, files: TaxonomyFiles) -> None:
    """``--to`` left out maps to the newest release: when that is ``--from``
    itself while the working version is newer (a crosswalk just imported into
    it), the map changes nothing; say which version the user probably meant."""
    working = [v for v in versions(root, taxonomy, files) if not v.released]
    if working and str(working[-1].version) != newest:
        version = escaping.terminal(str(working[-1].version))
        sys.stderr.write(
            f"note: {escaping.terminal(taxonomy)} {escaping.terminal(newest)} is the newest "
            f"release, so this map changes nothing; the working version {version} is not "
            f"released yet: pass --to {version} to map to it\n"
        )


COMMAND = Command(
    name="migration-map",
    summary="say what happens to every label of an old taxonomy version",
    description="Print the migration map between two versions of a taxonomy: for every label\n"
    "of the old version exactly one entry (keep, rename, merge, split, replace, review,\n"
    "parent, unmapped, narrowed, became-group or reused), composed through every\n"
    "release in between. With --to older than --from, the backward map (a merge\n"
    "read backwards is a review among its sources).\n"
    "Formats: yaml, json (schema taxops/migration-map/1, with the clusters of labels\n"
    "the map connects), csv (one row per old label), sssom (an SSSOM mapping set).",
    configure=configure,
    run=run,
)
