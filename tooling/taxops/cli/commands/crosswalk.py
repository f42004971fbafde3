"""``taxops crosswalk import|check``: a publisher's correspondence table as a
version's declarations, and whether a version agrees with one."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import add_repo, repo_root, write
from taxops.crosswalk.agree import disagreements
from taxops.crosswalk.compile import Kind, Plan, compile_table
from taxops.crosswalk.table import Columns, Table, columns_text, read_table, require_table
from taxops.crosswalk.write import Written, plan_to_text
from taxops.diagnostics import TaxopsError, has_errors
from taxops.escaping import terminal, terminal_lines
from taxops.history import (
    TaxonomyFiles,
    Version,
    migration_map,
    parse_version_argument,
    versions,
)
from taxops.models.taxonomy import Status, Taxonomy
from taxops.textdiff import unified_diff
from taxops.validate import check_paths
from taxops.writing import write_atomic

_SHOWN_NOTES = 20


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="crosswalk_command", metavar="ACTION", required=True)
    imp = sub.add_parser(
        "import",
        help="write a correspondence table into the new version's file as its declarations",
        description="Read an official correspondence table (CSV, TSV, XLSX or an SSSOM\n"
        "mapping set) from an old version to the taxonomy's working version, and write\n"
        "what it says into taxonomies/<id>/taxonomy.yaml: tombstones with replaced_by\n"
        "(merges direct, splits review), narrowed labels, leaves that became groups,\n"
        "reused ids and backward flags. Comments and layout are kept.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    chk = sub.add_parser(
        "check",
        help="say, per code, where a version's declarations disagree with a table",
    )
    for action in (imp, chk):
        action.add_argument(
            "table", type=argtypes.reads("TABLE"), metavar="TABLE", help="the correspondence table"
        )
        action.add_argument("--taxonomy", required=True, metavar="ID", help="taxonomy id")
        action.add_argument(
            "--from",
            dest="start",
            metavar="VERSION",
            help="the old version the table starts from (default: the newest release "
            "before the working version)",
        )
        cols = action.add_argument_group("columns (default: detected)")
        for name, what in (
            ("old", "old codes"),
            ("new", "new codes"),
            ("forward", "the old-to-new automatic-conversion flag"),
            ("backward", "the new-to-old automatic-conversion flag"),
            ("relationship", "the relationship (1:n, skos:narrowMatch...)"),
            ("note", "a remark to keep as the declaration's note"),
        ):
            cols.add_argument(
                f"--{name}-column", metavar="COLUMN", help=f"column (name or number) of {what}"
            )
        cols.add_argument("--sheet", metavar="NAME", help="XLSX: the sheet (default: the first)")
        cols.add_argument(
            "--min-confidence",
            type=argtypes.number(0, 1),
            default=0.0,
            metavar="X",
            help="SSSOM: leave out mappings with a lower confidence (default: 0)",
        )
        add_repo(action)
    imp.add_argument(
        "--diff", action="store_true", help="show the edit as a unified diff; write nothing"
    )
    chk.add_argument(
        "--to",
        dest="end",
        metavar="VERSION",
        help="the version whose declarations to check (default: the working version)",
    )


def run(args: argparse.Namespace) -> int:
    root = repo_root(args)
    assert root is not None
    require_table(args.table)
    files = TaxonomyFiles.of(root, args.taxonomy)
    known = versions(root, args.taxonomy, files)
    working = next((v for v in known if not v.released), None) or known[-1]
    new = _version(known, args.end, args.taxonomy) if getattr(args, "end", None) else working
    old = (
        _version(known, args.start, args.taxonomy)
        if args.start
        else _previous(known, new, args.taxonomy)
    )
    given = Columns(
        old=args.old_column,
        new=args.new_column,
        forward=args.forward_column,
        backward=args.backward_column,
        relationship=args.relationship_column,
        note=args.note_column,
        sheet=args.sheet,
        min_confidence=args.min_confidence,
    )
    # Codes in use tell the columns apart (the new file may already hold
    # tombstones for every old code, from an earlier import).
    table = read_table(
        args.table,
        _in_use(old.taxonomy),
        _in_use(new.taxonomy),
        given,
    )
    plan = compile_table(table.rows, old.taxonomy, new.taxonomy)
    # Everything is done before anything is printed: a closed pipe (| head)
    # must not stop the import half way.
    out = [_read_line(args.table, table), _plan_line(args.taxonomy, old, new, plan)]
    if args.crosswalk_command == "check":
        code = _check(root, args, files, old, new, plan, out)
    else:
        code = _import(root, args, old, new, plan, table, out)
    # Escape sequences and bidi characters in codes or file names are shown,
    # not obeyed (each piece here ends its own lines).
    write(terminal_lines("".join(out).splitlines()))
    return code


def _import(
    root: Path,
    args: argparse.Namespace,
    old: Version,
    new: Version,
    plan: Plan,
    table: Table,
    out: list[str],
) -> int:
    if new.released:
        raise TaxopsError(
            f"{args.taxonomy} {new.version} is released and releases never change",
            "bump the working file's version first, then import the table into it",
        )
    path = root / "taxonomies" / args.taxonomy / "taxonomy.yaml"
    text = path.read_text(encoding="utf-8")
    result, written = plan_to_text(text, plan, old.taxonomy, new.taxonomy)
    out += _notes(plan, table)
    if written.kept:  # said whether or not anything else is written
        shown = ", ".join(written.kept[:10]) + (
            f" and {len(written.kept) - 10:,} more" if len(written.kept) > 10 else ""
        )
        out.append(
            f"{len(written.kept):,} declarations in the file say otherwise than the table and "
            f"are left as they are: {terminal(shown)}\n"
            "  edit them by hand (a tombstone whose replaced_by you remove takes the table's)\n"
        )
    if args.diff:
        shown = path.relative_to(root).as_posix()
        out.append(
            "".join(
                unified_diff(
                    text.splitlines(keepends=True),
                    result.splitlines(keepends=True),
                    f"a/{shown}",
                    f"b/{shown}",
                )
            )
        )
        return exit_codes.OK
    if not written.changed:
        if written.kept:
            out.append(f"{path.relative_to(root)}: nothing else to write\n")
        else:
            out.append(
                f"{path.relative_to(root)} already says what the table says: nothing written\n"
            )
        return exit_codes.OK
    write_atomic(path, result)
    out.append(_written_line(path.relative_to(root), written))
    [checked] = check_paths([path], root)
    if has_errors(checked.diagnostics):
        for d in checked.diagnostics[:_SHOWN_NOTES]:
            out.append(f"  {d.location}: {d.severity.value} [{d.rule}] {terminal(d.message)}\n")
        out.append(f"run 'taxops validate {path.relative_to(root)}' to see every finding\n")
        return exit_codes.FINDINGS
    return exit_codes.OK


def _check(
    root: Path,
    args: argparse.Namespace,
    files: TaxonomyFiles,
    old: Version,
    new: Version,
    plan: Plan,
    out: list[str],
) -> int:
    # The versions read above, not read again (the working file is validated once).
    migration = migration_map(root, args.taxonomy, str(old.version), str(new.version), files)
    found = disagreements(plan, migration)
    if not found:
        out.append(f"{args.taxonomy} {new.version} agrees with the table, code by code\n")
        return exit_codes.OK
    out.append(f"{len(found)} codes disagree with the table:\n")
    for d in found:
        out.append(
            f"  {terminal(d.code)}: table says {terminal(d.table)}; {new.version} says {terminal(d.declared)}\n"
        )
    return exit_codes.FINDINGS


def _in_use(taxonomy: Taxonomy) -> Iterator[str]:
    """The ids of the labels not retired, from the id and status columns (a
    release read from the cache builds a label only when it is read)."""
    columns = taxonomy.columns
    return (
        label_id
        for label_id, status in zip(columns.ids, columns.statuses, strict=True)
        if status is not Status.RETIRED
    )


def _version(known: list[Version], text: str, taxonomy: str) -> Version:
    wanted = parse_version_argument(text)
    for v in known:
        if v.version == wanted:
            return v
    listing = ", ".join(str(v.version) for v in known)
    raise TaxopsError(f"{taxonomy} has no version {text}", f"known versions: {listing}")


def _previous(known: list[Version], new: Version, taxonomy: str) -> Version:
    before = [v for v in known if v.version < new.version and v.released]
    if not before:
        raise TaxopsError(
            f"{taxonomy} has no release before {new.version} for the table to start from",
            "release the old version first (taxops release), or name it with --from",
        )
    return before[-1]


def _read_line(path: Path, table: Table) -> str:
    skipped = f"; {len(table.skipped)} left out" if table.skipped else ""
    return f"read {path}: {len(table.rows):,} rows ({terminal(columns_text(table))}){skipped}\n"


def _plan_line(taxonomy: str, old: Version, new: Version, plan: Plan) -> str:
    retired = [f for f in plan.fates.values() if f.kind is Kind.RETIRED]
    direct = sum(1 for f in retired if f.mode == "direct")
    derived = sum(1 for f in retired if f.derived)
    parts = [
        f"{plan.count(Kind.UNCHANGED):,} unchanged",
        f"{len(retired):,} retired ({direct} direct, {len(retired) - direct} review"
        + (f"; {derived} derived from their sub-codes" if derived else "")
        + ")",
        f"{plan.count(Kind.NARROWED)} narrowed",
        f"{plan.count(Kind.BECAME_GROUP)} became groups",
        f"{plan.count(Kind.REUSED)} reused",
        f"{len(plan.backward)} backward",
    ]
    if plan.skipped:
        parts.append(f"{len(plan.skipped)} left as they are (see the notes)")
    return f"{taxonomy} {old.version} -> {new.version}: " + ", ".join(parts) + "\n"


def _written_line(path: Path, written: Written) -> str:
    parts = [f"{n} {what}" for what, n in sorted(written.added.items())]
    if written.replaced:
        more = len(written.replaced) - 5
        parts.append(
            f"{len(written.replaced):,} replaced ({terminal('; '.join(written.replaced[:5]))}"
            + (f"; {more:,} more" if more > 0 else "")
            + ")"
        )
    return f"wrote {path}: " + (", ".join(parts) or "declarations updated") + "\n"


def _notes(plan: Plan, table: Table) -> list[str]:
    notes = [*table.notes, *table.skipped, *plan.notes]
    if not notes:
        return []
    out = [f"{len(notes)} notes:\n", *(f"  {terminal(note)}\n" for note in notes[:_SHOWN_NOTES])]
    if len(notes) > _SHOWN_NOTES:
        out.append(f"  ... and {len(notes) - _SHOWN_NOTES} more\n")
    return out


COMMAND = Command(
    name="crosswalk",
    summary="import an official correspondence table as a version's declarations, or check one",
    description="taxops crosswalk import TABLE --taxonomy ID: write the table into the new\n"
    "version's file (tombstones, merges, splits, narrowed labels, leaves that became\n"
    "groups, reused ids, backward flags), keeping its comments and layout.\n"
    "taxops crosswalk check TABLE --taxonomy ID: list, per code, where the version's\n"
    "declarations route items otherwise than the table.",
    configure=configure,
    run=run,
)
