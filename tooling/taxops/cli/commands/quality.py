"""``taxops quality agreement|sample|audit``: agreement and gold accuracy from
an annotation export, a reproducible audit sample, and a reviewed sample's
verdict, held against the taxonomy's quality plan (``policies/``)."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import add_repo, repo_root, say, write
from taxops.cli.commands.results import add_report_options, emit, taxonomy_of
from taxops.collisions import refuse_collisions
from taxops.diagnostics import TaxopsError
from taxops.escaping import short, terminal_lines
from taxops.textfiles import as_dict, csv_dicts, parse_json, read_json, read_text


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="quality_command", metavar="ACTION", required=True)
    agreement = sub.add_parser(
        "agreement",
        help="agreement between annotators (and accuracy on gold) against the quality plan",
        description="Cohen's and Fleiss' kappa, Krippendorff's alpha and Gwet's AC1, overall and\n"
        "per label, vendor, annotator and week, with bootstrap intervals; the most confused\n"
        "label pairs; accuracy on a gold set. Exit 1 when a figure misses the quality plan.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    agreement.add_argument("annotations", type=argtypes.reads("ANNOTATIONS"), metavar="ANNOTATIONS")
    _columns(agreement)
    agreement.add_argument(
        "--multi-label", action="store_true", help="a rating may hold several labels"
    )
    agreement.add_argument(
        "--separator", metavar="SEP", help="labels joined in one cell by SEP (multi-label)"
    )
    agreement.add_argument(
        "--gold",
        type=argtypes.reads("--gold"),
        metavar="FILE",
        help="gold set: item, label, version",
    )
    agreement.add_argument(
        "--version",
        metavar="VERSION",
        help="taxonomy version of the annotations (default: their provenance, else the newest release)",
    )
    agreement.add_argument(
        "--bootstrap",
        type=argtypes.int_range(0, 100_000),
        default=1000,
        metavar="N",
        help="bootstrap resamples for the intervals (0: none; default: %(default)s)",
    )
    agreement.add_argument(
        "--seed", type=int, default=0, help="seed of the bootstrap (default: %(default)s)"
    )
    add_report_options(agreement)

    sample = sub.add_parser(
        "sample",
        help="draw a reproducible audit sample (rate, by label, or ISO 2859-1)",
        description="Draws the items to audit from an export: a share of them (--rate), a share of\n"
        "each label (--by-label), or the ISO 2859-1 single sampling plan for the lot\n"
        "(--iso; level, AQL and inspection from the quality plan unless given). Writes the\n"
        "sample as CSV with empty reviewed_label and verdict columns, and beside it the\n"
        "plan it was drawn by (SAMPLE.taxops.json), which 'taxops quality audit' reads.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sample.add_argument("items", type=argtypes.reads("EXPORT"), metavar="EXPORT")
    way = sample.add_mutually_exclusive_group()
    way.add_argument("--rate", type=float, help="audit this share of the items")
    way.add_argument(
        "--by-label", type=float, metavar="RATE", help="audit this share of each label's items"
    )
    way.add_argument("--iso", action="store_true", help="ISO 2859-1 single sampling")
    sample.add_argument(
        "--minimum",
        type=argtypes.int_range(1, 10**9),
        default=1,
        help="with --by-label: at least this many per label",
    )
    sample.add_argument("--level", help="ISO 2859-1 inspection level (I, II, III, S-1..S-4)")
    sample.add_argument("--aql", help="ISO 2859-1 AQL (e.g. 2.5)")
    sample.add_argument(
        "--inspection",
        choices=("normal", "tightened", "reduced"),
        help="ISO 2859-1 inspection in force",
    )
    sample.add_argument(
        "--history",
        type=argtypes.reads("--history"),
        metavar="FILE",
        help="past lots (JSON lines from 'quality audit --record'): the switching rules pick the inspection",
    )
    sample.add_argument("--vendor", help="only the items this vendor labeled")
    sample.add_argument("--since", metavar="DATE", help="only items rated on or after DATE")
    sample.add_argument("--until", metavar="DATE", help="only items rated before DATE")
    sample.add_argument(
        "--seed", type=int, default=0, help="seed of the draw (default: %(default)s)"
    )
    sample.add_argument(
        "-o", "--output", type=argtypes.writes("--output"), required=True, metavar="SAMPLE.csv"
    )
    _columns(sample)
    sample.add_argument("--format", choices=("text", "json"), default="text")
    add_repo(sample)

    audit = sub.add_parser(
        "audit",
        help="score a reviewed audit sample: accept or reject the lot, and why",
        description="Reads the reviewed sample (item, label, reviewed_label and/or verdict) and the\n"
        "plan recorded beside it by 'taxops quality sample'. Exit 1 when the lot is rejected.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    audit.add_argument("reviewed", type=argtypes.reads("REVIEWED"), metavar="REVIEWED.csv")
    audit.add_argument(
        "--history",
        type=argtypes.writes("--history"),
        metavar="FILE",
        help="past lots: say which inspection the next lot gets",
    )
    audit.add_argument("--record", action="store_true", help="append this lot to --history")
    audit.add_argument(
        "--min-accuracy",
        type=argtypes.number(0, 1),
        help="for a random sample: the share that must be right (default: the plan's gold accuracy target)",
    )
    add_report_options(audit)


def _columns(p: argparse.ArgumentParser) -> None:
    for name in ("item", "annotator", "label", "vendor", "time"):
        p.add_argument(
            f"--{name}-column", metavar="COLUMN", help=f"the {name} column (default: found by name)"
        )


def run(args: argparse.Namespace) -> int:
    if args.quality_command == "agreement":
        return _agreement(args)
    if args.quality_command == "sample":
        return _sample(args)
    return _audit(args)


def _agreement(args: argparse.Namespace) -> int:
    from taxops.engines.annotations import Columns, read_annotations
    from taxops.quality import plans
    from taxops.quality.agreement_report import agreement_findings, agreement_report
    from taxops.quality.gold import gold_findings, gold_report
    from taxops.quality.text import agreement_text

    root = repo_root(args, required=False)
    taxonomy, version = taxonomy_of(args.annotations, getattr(args, "taxonomy", None), root)
    if args.version and root and taxonomy:  # a version the taxonomy never had is a typo
        from taxops.history import chain

        chain(root, taxonomy, args.version, args.version)
    gold_set = None
    if args.gold:
        if root is None or taxonomy is None:
            raise TaxopsError(
                "a gold set is carried to the current taxonomy version: which taxonomy?",
                "pass --taxonomy ID and run inside the repository (or --repo)",
            )
        gold_set = _gold(root, taxonomy, args.version or version, args.gold)
    data = read_annotations(
        args.annotations,
        Columns(
            args.item_column,
            args.annotator_column,
            args.label_column,
            args.vendor_column,
            args.time_column,
        ),
        multi_label=args.multi_label,
        separator=args.separator,
        gold=gold_set.labels if gold_set else None,
    )
    plan = plans.quality_plan(root, taxonomy) if root and taxonomy else None
    targets = plans.agreement_targets(plan, data.labels, list(data.by_vendor)) if plan else []
    report = agreement_report(
        data,
        source=str(args.annotations),
        replicates=max(0, args.bootstrap),
        seed=args.seed,
        plan_metric=plan.model.agreement.metric.value if plan else None,
    )
    findings = agreement_findings(report, targets)
    report["taxonomy"] = taxonomy
    report["plan"] = plan.display if plan else None
    report["targets"] = [{"scope": t.scope, "metric": t.metric, "target": t.bound} for t in targets]
    if gold_set is not None:
        report["gold"] = gold_report(data.gold_counts, gold_set)
        findings += gold_findings(report["gold"], plans.gold_targets(plan) if plan else [])
    from taxops.formatting.json_format import diagnostic_to_dict

    report["findings"] = [diagnostic_to_dict(d) for d in findings]
    emit(args, report, agreement_text)
    return (
        exit_codes.FINDINGS if any(d.severity.value == "error" for d in findings) else exit_codes.OK
    )


def _gold(root: Path, taxonomy: str, current: str | None, path: Path) -> Any:
    from taxops.engines.tables import connect, open_table
    from taxops.history import TaxonomyFiles, migration_map, newest, versions
    from taxops.quality.gold import GoldItem, carry_gold

    con = connect()
    table = open_table(con, path)
    item = table.require(None, ("item", "item_id", "id"), "item", "the header 'item'")
    label = table.require(None, ("label", "gold_label"), "label", "the header 'label'")
    version_col = table.column(None, ("version", "taxonomy_version"), "version", "")
    provenance = taxonomy_of(path, None)[1]
    version_sql = table.text(version_col) if version_col else "NULL"
    rows = con.execute(
        f"SELECT {table.text(item)}, {table.text(label)}, {version_sql} FROM {table.relation}"
    ).fetchall()
    files = TaxonomyFiles.of(root, taxonomy)
    known = versions(root, taxonomy, files)
    target = current or str(newest(known))
    items = []
    for n, (i, lbl, v) in enumerate(rows, start=2):
        v = v or provenance
        if not i or not v:
            raise TaxopsError(
                f"{path}, row {n}: a gold item needs an item id and the taxonomy version it was labeled against",
                "add a 'version' column, or record the version in the file's .taxops.json sidecar",
            )
        items.append(GoldItem(i, lbl or "", v))
    maps = {
        v: migration_map(root, taxonomy, v, target, files)  # each file loaded once
        for v in sorted({g.version for g in items})
    }
    return carry_gold(items, maps)


def _sample(args: argparse.Namespace) -> int:
    from taxops.quality import plans
    from taxops.quality.acceptance import Inspection
    from taxops.quality.sampling import by_label, by_plan, by_rate, sample_record
    from taxops.writing import write_atomic

    root = repo_root(args, required=False)
    taxonomy, _ = taxonomy_of(args.items, getattr(args, "taxonomy", None), root)
    plan = plans.quality_plan(root, taxonomy) if root and taxonomy else None
    settings = plans.audit_settings(plan) if plan else None
    labeled = _lot(args)
    if args.rate is not None:
        sample = by_rate(sorted(labeled), args.rate, args.seed)
    elif args.by_label is not None:
        if not any(labeled.values()):
            raise TaxopsError(
                f"{args.items} has no labels to stratify by",
                "name the label column with --label-column, or sample with --rate",
            )
        sample = by_label(labeled, args.by_label, args.seed, args.minimum)
    elif args.iso or (settings and settings["method"] == "iso-2859-1"):
        level = args.level or (settings or {}).get("level") or "II"
        aql = args.aql or (settings or {}).get("aql")
        if aql is None:
            raise TaxopsError(
                "ISO 2859-1 sampling needs an AQL",
                "pass --aql (e.g. 2.5) or set audit.aql in the quality plan",
            )
        inspection = Inspection(
            args.inspection
            or _inspection_from(args.history)
            or (settings or {}).get("inspection")
            or "normal"
        )
        sample = by_plan(sorted(labeled), level, aql, inspection, args.seed)
    elif settings and settings["rate"]:
        sample = by_rate(sorted(labeled), settings["rate"], args.seed)
    else:
        raise TaxopsError(
            "how should the sample be drawn?",
            "pass --rate, --by-label or --iso, or give the taxonomy a quality plan with an audit",
        )
    out = args.output
    record_path = out.with_name(out.name + ".taxops.json")
    refuse_collisions(
        [("the sample", out), ("the sample's record", record_path)],
        [("the export", args.items), *([("--history", args.history)] if args.history else [])],
        root,
    )
    lines = [["item", "label", "reviewed_label", "verdict"]]
    lines += [[item, labeled.get(item) or "", "", ""] for item in sample.items]
    write_atomic(out, _csv(lines))
    record = sample_record(sample, source=str(args.items), plan_file=plan.display if plan else None)
    write_atomic(record_path, json.dumps(record, indent=2) + "\n")
    if args.format == "json":
        write(json.dumps(record, indent=2) + "\n")
    else:
        shown = [
            f"{args.items}: {sample.population:,} items; drew {len(sample.items):,} "
            f"({sample.method}, seed {sample.seed})"
        ]
        if sample.plan:
            p = sample.plan
            shown.append(
                f"  {p.source}: code letter {p.code_letter}, sample {p.sample_size}, "
                f"accept with at most {p.accept} nonconforming, reject with {p.reject}"
                + (f" ({p.note})" if p.note else "")
            )
        shown.append(f"  wrote {out} (fill reviewed_label or verdict) and {record_path.name}")
        say(*shown)
    return exit_codes.OK


def _lot(args: argparse.Namespace) -> dict[str, str]:
    """The items of the lot with their delivered label (the most common rating)."""
    from taxops.engines.annotations import annotation_table
    from taxops.engines.tables import connect

    con = connect()
    with annotation_table(con, args.items, control=args.label_column) as table:
        return _lot_of(con, table, args)


def _lot_of(con: Any, table: Any, args: argparse.Namespace) -> dict[str, str]:
    from taxops.engines.annotations import ITEM, LABEL, TIME, VENDOR
    from taxops.engines.tables import ident, literal

    ls = table.format == "label-studio"  # its label column is a control, already read
    item = table.require(None if ls else args.item_column, ITEM, "item", "--item-column")
    label = table.column(None if ls else args.label_column, LABEL, "label", "--label-column")
    where = ["item IS NOT NULL"]
    if args.vendor:
        vendor = table.require(args.vendor_column, VENDOR, "vendor", "--vendor-column")
        where.append(f"{table.text(vendor)} = {literal(args.vendor)}")
    if args.since or args.until:
        time = table.require(args.time_column, TIME, "time", "--time-column")
        if args.since:
            where.append(f"{table.time(time)} >= TRY_CAST({literal(args.since)} AS TIMESTAMP)")
        if args.until:
            where.append(f"{table.time(time)} < TRY_CAST({literal(args.until)} AS TIMESTAMP)")
    if label and table.is_list(label):  # one rating with several labels: each counts
        label_sql = f"unnest(CAST({ident(label)} AS VARCHAR[]))"
    else:
        label_sql = table.text(label) if label else "NULL"
    rows = con.execute(
        f"SELECT item, (SELECT min(l) FROM (SELECT l, count(*) c FROM unnest(ls) t(l) GROUP BY l "
        f"QUALIFY c = max(c) OVER ())) FROM (SELECT item, list(lbl) FILTER (WHERE lbl IS NOT NULL) "
        f"AS ls FROM (SELECT {table.text(item)} AS item, {label_sql} AS lbl FROM {table.relation} "
        f"WHERE {' AND '.join(where)}) GROUP BY 1)"
    ).fetchall()
    if not rows:
        raise TaxopsError(f"{args.items}: no items to sample (check --vendor, --since and --until)")
    return {i: lbl for i, lbl in rows}


def _inspection_from(history: Path | None) -> str | None:
    if history is None or not history.is_file():
        return None
    from taxops.quality.switching import replay

    return replay(_read_history(history)).inspection.value


def _read_history(path: Path) -> Any:
    from taxops.quality.acceptance import Inspection
    from taxops.quality.switching import LotResult

    lots = []
    for n, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            r = parse_json(line, f"{path}, line {n}")
            lots.append(
                LotResult(
                    Inspection(r["inspection"]),
                    int(r["accept"]),
                    int(r["reject"]),
                    int(r["nonconforming"]),
                    r.get("tighter_accept"),
                )
            )
        except (ValueError, KeyError, TypeError, OverflowError, AttributeError, TaxopsError) as exc:
            raise TaxopsError(
                f"{path}, line {n}: not a recorded lot ({short(exc, 200)})",
                "the file is written by 'taxops quality audit --record'",
            ) from None
    return lots


def _audit(args: argparse.Namespace) -> int:
    from taxops.quality import plans
    from taxops.quality.acceptance import tighter_accept
    from taxops.quality.audit import audit_report, score
    from taxops.quality.sampling import plan_from_record
    from taxops.quality.switching import State, replay
    from taxops.writing import write_atomic

    root = repo_root(args, required=False)
    sidecar = args.reviewed.with_name(args.reviewed.name + ".taxops.json")
    record = _read_json(sidecar) if sidecar.is_file() else {}
    plan = plan_from_record(record)
    min_accuracy = args.min_accuracy
    taxonomy, _ = taxonomy_of(args.reviewed, getattr(args, "taxonomy", None), root)
    if plan is None and min_accuracy is None and root and taxonomy:
        quality_plan = plans.quality_plan(root, taxonomy)
        min_accuracy = plans.audit_settings(quality_plan)["min_accuracy"] if quality_plan else None
    items = _reviewed(args.reviewed)
    history = None
    if args.history and args.history.is_file():
        history = replay(_read_history(args.history))
    elif args.history:
        history = State()
    result = score(items, plan=plan, min_accuracy=min_accuracy, history=history)
    report = audit_report(result, source=str(args.reviewed), plan=plan)
    if args.record and args.history and plan is not None and result.accepted is not None:
        line = {
            "inspection": plan.inspection.value,
            "accept": plan.accept,
            "reject": plan.reject,
            "nonconforming": result.nonconforming,
            "tighter_accept": tighter_accept(plan),
            "source": str(args.reviewed),
        }
        before = read_text(args.history) if args.history.is_file() else ""
        write_atomic(args.history, before + json.dumps(line) + "\n")
    emit(args, report, _audit_text)
    return exit_codes.FINDINGS if result.accepted is False else exit_codes.OK


def _audit_text(report: dict[str, Any]) -> str:
    from taxops.escaping import terminal

    lines = [
        f"{terminal(report['source'])}: {report['reviewed']:,} of {report['sample_size']:,} sampled items "
        f"reviewed, {report['nonconforming']:,} nonconforming: {report['verdict'].upper()}"
    ]
    lines += [f"  {terminal(r)}" for r in report["reasons"]]
    for c in report["confusions"][:10]:
        lines.append(
            f"  delivered {terminal(c['delivered'])}, reviewer says {terminal(c['reviewed'])}: {c['items']}"
        )
    return terminal_lines(lines)  # each line escaped and clipped


def _reviewed(path: Path) -> Any:
    from taxops.quality.audit import Reviewed

    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv_dicts(f, path))
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxopsError(f"cannot read {path}: {exc}") from None
    if not rows or "item" not in rows[0]:
        raise TaxopsError(
            f"{path} has no 'item' column",
            "the reviewed sample starts with: item,label,reviewed_label,verdict",
        )
    from taxops.escaping import csv_cell_value

    out = []
    for n, raw in enumerate(rows, start=2):
        row = {k: csv_cell_value(v or "") for k, v in raw.items() if k is not None}
        verdict = (row.get("verdict") or "").strip().lower()
        label, reviewed = row.get("label") or None, row.get("reviewed_label") or None
        if verdict in ("pass", "ok", "correct", "true", "1", "yes", "conforming"):
            conforming: bool | None = True
        elif verdict in ("fail", "wrong", "incorrect", "false", "0", "no", "nonconforming"):
            conforming = False
        elif verdict:
            raise TaxopsError(
                f"{path}, line {n}: verdict '{verdict}' is neither pass nor fail",
                "write pass or fail (or leave it empty and fill reviewed_label)",
            )
        elif reviewed is not None:
            conforming = reviewed == label
        else:
            conforming = None
        out.append(Reviewed(row["item"], conforming, label, reviewed))
    return out


def _read_json(path: Path) -> dict[str, Any]:
    return as_dict(read_json(path))


def _csv(rows: list[list[str]]) -> str:
    import io

    from taxops.escaping import csv_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([rows[0], *[[csv_cell(c) for c in row] for row in rows[1:]]])
    return buffer.getvalue()


COMMAND = Command(
    name="quality",
    summary="agreement, gold accuracy and audits against the quality plan",
    description="Quality figures from what labeling tools export, held against the\n"
    "taxonomy's quality plan (policies/quality/*.yaml):\n"
    "  agreement  agreement between annotators, per label, vendor and week; gold accuracy\n"
    "  sample     a reproducible audit sample (rate, by label, ISO 2859-1)\n"
    "  audit      a reviewed sample's verdict: accept or reject the lot, and why",
    configure=configure,
    run=run,
)
