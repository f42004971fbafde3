"""``taxops fix``: write the fixes a check asks for into the taxonomy files
and their guidelines."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from taxops.cli import exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import add_repo, repo_root, say, write
from taxops.compatibility.check import run_check
from taxops.compatibility.compare import Comparison, Version, compare
from taxops.diagnostics import TaxopsError
from taxops.escaping import terminal_lines
from taxops.fixes.guideline_edit import mark_historical
from taxops.fixes.guideline_entries import add_entries
from taxops.fixes.plan import FixPlan, plan_labels, version_to_set
from taxops.fixes.yaml_edit import apply
from taxops.history import guideline_file
from taxops.loading import parse_yaml
from taxops.models.taxonomy import Status, Taxonomy
from taxops.textdiff import unified_diff
from taxops.textfiles import read_text
from taxops.writing import write_atomic


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "taxonomies", nargs="*", metavar="TAXONOMY", help="taxonomy ids to fix (default: all)"
    )
    p.add_argument(
        "--against",
        metavar="REF",
        help="fix what taxops check --against REF finds (default: against the last release)",
    )
    p.add_argument(
        "--merge-base", action="store_true", help="with --against: compare with the merge base"
    )
    p.add_argument(
        "--accept-suggestions",
        type=_confidence,
        metavar="SCORE",
        help="a removed label with a suggested replacement at least this alike (0 to 1, e.g. "
        "0.9) is retired into it (replaced_by) instead of to review",
    )
    p.add_argument(
        "--diff",
        action="store_true",
        help="print the edits as a unified diff and write nothing (exit 1 if there are any)",
    )
    add_repo(p)


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number between 0 and 1") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not between 0 and 1")
    return value


def run(args: argparse.Namespace) -> int:
    root = repo_root(args)
    assert root is not None
    report = run_check(
        root, against=args.against, merge_base=args.merge_base, only=tuple(args.taxonomies)
    )
    edited = 0
    for comparison in report.comparisons:
        if not comparison.primary:
            continue
        path = root / comparison.new.source
        text = path.read_text(encoding="utf-8")
        plan = plan_labels(comparison.changes, args.accept_suggestions)
        fixed = apply(text, plan)
        if fixed == text:  # no label to fix: the check's comparison holds as it is
            plan.version = version_to_set(comparison.versioning)
            model = comparison.new.taxonomy
        else:
            plan.version, model = _version_after(comparison, fixed)
        fixed = apply(fixed, FixPlan(version=plan.version))
        if fixed != text:
            edited += 1
            shown = comparison.new.source
            _write(args, path, shown, text, fixed, _described(plan, comparison))
        unguided = {
            str(d.data["label"])
            for d in report.validation
            if d.rule == "label-without-guidance" and d.data.get("taxonomy") == model.id
        }
        edited += _fix_guidance(args, root, model, unguided)
    if not edited:
        say("nothing to fix")
        return exit_codes.OK
    if args.diff:
        return exit_codes.FINDINGS
    say("run 'taxops check' to see what is left")
    return exit_codes.OK


def _write(
    args: argparse.Namespace, path: Path, shown: str, text: str, fixed: str, what: str
) -> None:
    """The fixed file written (atomically), or its edits shown (``--diff``)."""
    if args.diff:
        lines = unified_diff(
            text.splitlines(), fixed.splitlines(), f"a/{shown}", f"b/{shown}", lineterm=""
        )
        write(terminal_lines(lines))
    else:
        write_atomic(path, fixed)
        say(f"fixed {shown}: {what}")


def _fix_guidance(args: argparse.Namespace, root: Path, model: Taxonomy, unguided: set[str]) -> int:
    """The taxonomy's guideline brought up to its labels (1 when it was
    edited): the entries of retired labels marked historical, and an entry
    added for each label the check found without guidance (``unguided``)
    whose entry has one right content (:mod:`~taxops.fixes.guideline_entries`).
    Entries that cannot be edited in place are named, to be marked by hand."""
    guideline = guideline_file(root, model.id)
    columns = model.columns  # not the labels: a model read lazily builds each one read
    retired = {
        label_id
        for label_id, status in zip(columns.ids, columns.statuses, strict=True)
        if status is Status.RETIRED
    }
    if guideline is None or not (retired or unguided):
        return 0
    shown = guideline.relative_to(root).as_posix()
    try:
        text = read_text(guideline)
    except TaxopsError as exc:  # check reported the file: the taxonomy is fixed all the same
        say(f"{shown}: the guideline was not fixed: {exc.message}")
        return 0
    done = []
    result = mark_historical(text, shown, retired) if retired else None
    if result is not None and result.by_hand:
        names = ", ".join(result.by_hand[:5])  # say() escapes the line
        more = f" and {len(result.by_hand) - 5:,} more" if len(result.by_hand) > 5 else ""
        say(
            f"{shown}: add 'historical: true' by hand to the guidance of {names}{more} "
            "(written in a way taxops does not edit)"
        )
    fixed = result.text if result is not None else text
    if result is not None and result.marked:
        n = len(result.marked)
        done.append(f"guidance of {n:,} retired label{'s' if n != 1 else ''} marked historical")
    doc, _ = parse_yaml(fixed, shown) if unguided else (None, [])
    wanted = _entries_wanted(doc.data, model, unguided) if doc is not None else {}
    if doc is not None and wanted:
        added = add_entries(fixed, doc, columns.ids, wanted)
        if added.added:
            fixed = added.text
            done.append(_entries_added(added.added, wanted))
        else:
            say(
                f"{shown}: add the entries of {len(wanted):,} new labels by hand "
                "(the guideline's entries are written in a way taxops does not edit)"
            )
    if fixed == text:
        return 0
    _write(args, guideline, shown, text, fixed, "; ".join(done))
    return 1


def _entries_wanted(data: Any, model: Taxonomy, unguided: set[str]) -> dict[str, str | None]:
    """The labels among ``unguided`` (found by the check without guidance)
    whose entry has one right content, with the definition it holds: the
    guideline (``data``, as read) asks for no examples and no near misses, and
    the taxonomy defines the label (no definition in the entry), or the
    guideline's entries still hold the placeholder ``init`` wrote for the
    labels their taxonomy did not define (that placeholder). Only those
    labels are built (a classification's guideline names most of its labels)."""
    from pydantic import ValidationError

    from taxops.models.guideline import PLACEHOLDER_DEFINITION, Coverage

    entries = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return {}
    try:
        need = Coverage.model_validate(data.get("coverage") or {})
    except ValidationError:
        return {}  # check reports it; nothing here has one right answer
    if need.min_examples or need.min_near_misses:
        return {}
    placeholder = next(
        (
            PLACEHOLDER_DEFINITION
            for e in entries
            if isinstance(e, dict) and e.get("definition") == PLACEHOLDER_DEFINITION
        ),
        None,
    )
    at = model.index
    wanted: dict[str, str | None] = {}
    for label_id in unguided:
        if label_id not in at:
            continue
        if model.labels[at[label_id]].definition:
            wanted[label_id] = None
        elif placeholder is not None:
            wanted[label_id] = placeholder
    return wanted


def _entries_added(added: list[str], wanted: dict[str, str | None]) -> str:
    """What adding the entries of ``added`` did, in the report's words."""
    n = len(added)
    said = f"an entry for {n:,} new label{'s' if n != 1 else ''}"
    waiting = sum(wanted[label] is not None for label in added)
    if not waiting:
        return f"{said} the taxonomy defines"
    if waiting == n:
        return f"{said}, with the placeholder definition the other entries have (write each one)"
    return (
        f"{said}: {n - waiting:,} defined by the taxonomy, {waiting:,} with the placeholder "
        "definition the other entries have (write each one)"
    )


def _version_after(comparison: Comparison, fixed: str) -> tuple[str | None, Taxonomy]:
    """The version the fixed file must declare: its changes compared again with
    the same old version (a tombstone changes what the change requires); and
    the fixed taxonomy."""
    shown = comparison.new.source
    doc, problems = parse_yaml(fixed, shown)
    if doc is None:
        raise TaxopsError(f"taxops fix made {shown} unreadable: {problems[0].message}")
    try:
        model = Taxonomy.model_validate(doc.data)
    except ValueError as exc:
        raise TaxopsError(f"taxops fix made {shown} invalid: {exc}") from None
    again = compare(comparison.old, Version(model, doc, shown))
    return version_to_set(again.versioning), model


def _described(plan: FixPlan, comparison: Comparison) -> str:
    parts = []
    if plan.tombstones:
        n = len(plan.tombstones)
        part = (
            f"{n:,} removed label{'s' if n != 1 else ''} kept as tombstone{'s' if n != 1 else ''}"
        )
        if plan.accepted:
            part += f" ({plan.accepted:,} replaced by an accepted suggestion, the rest to review)"
        else:
            part += " (items to review)"
        parts.append(part)
    if plan.review:
        parts.append(f"{len(plan.review):,} inactive label(s) given 'replacement: review'")
    if plan.version:
        parts.append(f"version {comparison.new.taxonomy.version} -> {plan.version}")
    return "; ".join(parts)


COMMAND = Command(
    name="fix",
    summary="write the fixes a check asks for: tombstones, replacements, the version",
    description="Fix what has one right fix, in the taxonomy files, keeping comments and\n"
    "layout (like ruff --fix): a label removed without a tombstone comes back as\n"
    "'status: retired' with its old name, parent and definition and 'replacement:\n"
    "review' (or, with --accept-suggestions SCORE, 'replaced_by' the suggested new\n"
    "label); a deprecated or retired label without a replacement gets 'replacement:\n"
    "review'; the version is bumped to the smallest the changes require; the\n"
    "guideline's entries for retired labels get 'historical: true', and new labels\n"
    "the taxonomy defines get an entry when the guideline asks for no examples.\n"
    "Files are written atomically; --diff shows the edits instead. Running it twice\n"
    "changes nothing the second time.",
    configure=configure,
    run=run,
)
