"""``taxops inspect DATASET --taxonomy ID@VERSION``: a dataset held against a
taxonomy version (unknown and retired labels, imbalance), its duplicates and
empty fields, and label drift against another dataset."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import repo_root
from taxops.cli.commands.results import add_report_options, emit
from taxops.diagnostics import Diagnostic, TaxopsError
from taxops.escaping import terminal_lines


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "dataset",
        type=argtypes.reads("DATASET"),
        metavar="DATASET",
        help="a CSV, TSV, JSONL or Parquet file, or a registered dataset's id (policies/datasets.yaml)",
    )
    p.add_argument(
        "--taxonomy",
        metavar="ID@VERSION",
        help="the taxonomy version to hold the labels against (default: the dataset's provenance)",
    )
    p.add_argument("--label-column", metavar="COLUMN", help="default: the dataset's provenance")
    p.add_argument(
        "--text-column",
        metavar="COLUMN",
        help="the item text, for duplicates (default: found by name)",
    )
    p.add_argument("--multi-label", action="store_true", help="the label column holds lists")
    p.add_argument(
        "--against",
        type=argtypes.reads("--against"),
        metavar="DATASET",
        help="compare label distributions with this dataset (a file or a registered dataset's id)",
    )
    p.add_argument(
        "--against-taxonomy",
        metavar="ID@VERSION",
        help="the other dataset's version (default: its provenance)",
    )
    p.add_argument(
        "--minimum",
        type=argtypes.int_range(0, 10**12),
        default=10,
        help="labels with fewer items are listed as rare (default: %(default)s)",
    )
    add_report_options(p, taxonomy=False)


def _split(text: str) -> tuple[str, str]:
    taxonomy, _, version = text.rpartition("@")
    if not taxonomy or not version:
        raise TaxopsError(f"'{text}' is not ID@VERSION", "e.g. --taxonomy support-intents@2.0.0")
    return taxonomy, version


@dataclass(frozen=True)
class _Dataset:
    """A dataset to inspect: its file, and the taxonomy version and label column
    it is labeled with (from the option, else the registry, else its sidecar)."""

    path: Path
    #: How the user named it (a path, or a registered dataset's id).
    shown: str
    taxonomy: str
    version: str
    label_column: str | None


def _which(
    root: Path, name: str, given: str | None, label_column: str | None, option: str
) -> _Dataset:
    from taxops.engines.datasets import read_provenance
    from taxops.policies import dataset_file

    path, registered, _ = dataset_file(
        root, name, "inspect a local copy, or export its label counts and use taxops impact"
    )
    provenance = read_provenance(path) or {}
    if registered is not None:
        provenance = {
            "taxonomy": registered.taxonomy,
            "version": str(registered.version),
            "label_column": registered.label_column,
        }
    if given:
        taxonomy, version = _split(given)
    elif provenance.get("taxonomy"):
        taxonomy, version = provenance["taxonomy"], provenance["version"]
    else:
        raise TaxopsError(
            f"which taxonomy version is {path} labeled with?",
            f"pass {option} ID@VERSION, or register the dataset (policies/datasets.yaml)",
        )
    return _Dataset(path, name, taxonomy, version, label_column or provenance.get("label_column"))


def run(args: argparse.Namespace) -> int:
    from taxops.engines.inspect import inspect_dataset
    from taxops.formatting.json_format import diagnostic_to_dict
    from taxops.history import TaxonomyFiles, Version, migration_map, release_named, versions
    from taxops.quality.inspection import (
        INSPECT_SCHEMA,
        carry_counts,
        drift,
        imbalance,
        label_findings,
    )

    root = repo_root(args)
    assert root is not None
    this = _which(root, args.dataset, args.taxonomy, args.label_column, "--taxonomy")
    dataset, taxonomy_id, version, column = (
        this.path,
        this.taxonomy,
        this.version,
        this.label_column,
    )
    if not column:
        raise TaxopsError("which column holds the labels?", "pass --label-column COLUMN")
    picked = release_named(root, taxonomy_id, version)  # the usual case: one file read
    known: dict[str, Version] = {}
    files = TaxonomyFiles.of(root, taxonomy_id)  # each file read once, if at all
    if picked is None:
        known = {str(v.version): v for v in versions(root, taxonomy_id, files)}
        if version not in known:
            raise TaxopsError(
                f"{taxonomy_id} has no version {version}", f"known versions: {', '.join(known)}"
            )
        picked = known[version]
    taxonomy = picked.taxonomy
    counts = inspect_dataset(
        dataset, column, text_column=args.text_column, multi_label=args.multi_label
    )
    labels, findings = label_findings(counts.labels, taxonomy, this.shown)
    report: dict[str, Any] = {
        "schema": INSPECT_SCHEMA,
        "dataset": this.shown,
        "taxonomy": taxonomy_id,
        "version": version,
        "rows": counts.rows,
        "label_column": counts.label_column,
        "labels": dict(
            sorted(((k or "", v) for k, v in counts.labels.items()), key=lambda kv: (-kv[1], kv[0]))
        ),
        **labels,
        "imbalance": imbalance(counts.labels, taxonomy, args.minimum),
        "empty_fields": counts.empty,
        "duplicates": counts.duplicates,
    }
    if args.against:
        that = _which(
            root, args.against, args.against_taxonomy, args.label_column, "--against-taxonomy"
        )
        other_id, other_version = that.taxonomy, that.version
        if other_id != taxonomy_id:
            raise TaxopsError(
                f"{that.shown} is labeled with {other_id}, {this.shown} with {taxonomy_id}: their labels cannot be compared"
            )
        other = inspect_dataset(
            that.path,
            that.label_column or column,
            text_column=args.text_column,
            multi_label=args.multi_label,
        )
        first = {k: v for k, v in counts.labels.items() if k}
        second = {k: v for k, v in other.labels.items() if k}
        a, b = (version, other_version)
        carried = None
        if a != b:
            # Carry the older dataset's counts to the newer version first.
            known = known or {str(v.version): v for v in versions(root, taxonomy_id, files)}
            older_is_first = known[a].version < known[b].version if b in known else True
            old, new = (a, b) if older_is_first else (b, a)
            migration = migration_map(root, taxonomy_id, old, new, files)
            if older_is_first:
                first = carry_counts(first, migration)
            else:
                second = carry_counts(second, migration)
            carried = f"{old} -> {new}"
        # The other dataset is the baseline: shares move from it to this one.
        result, found = drift(second, first, (that.shown, this.shown))
        result["carried"] = carried
        report["drift"] = result
        findings += found
    report["findings"] = [diagnostic_to_dict(d) for d in findings]
    emit(args, report, _text)
    return exit_codes.FINDINGS if any(_is_error(d) for d in findings) else exit_codes.OK


def _is_error(d: Diagnostic) -> bool:
    return d.severity.value == "error"


def _items(n: int) -> str:
    return f"{n:,} item{'s' if n != 1 else ''}"


def _text(r: dict[str, Any]) -> str:
    from taxops.escaping import terminal
    from taxops.quality.text import findings_text, pct, table

    lines = [
        f"{terminal(r['dataset'])}: {r['rows']:,} rows against {terminal(r['taxonomy'])} {terminal(r['version'])}"
    ]
    imb = r["imbalance"]
    if imb.get("labels_used"):
        lines.append(
            f"  {imb['labels_used']:,} labels used; largest '{terminal(imb['largest']['label'])}' "
            f"{pct(imb['largest']['share'])}, smallest '{terminal(imb['smallest']['label'])}' "
            f"({_items(imb['smallest']['items'])}); ratio {imb['ratio_largest_to_smallest']:,.1f}:1, "
            f"normalised entropy {imb['normalised_entropy']:.2f}"
        )
        if imb["below_minimum"]:
            lines.append(
                f"  {len(imb['below_minimum']):,} labels have fewer than {imb['minimum']:,} items"
            )
        never = imb.get("active_labels_never_used") or []
        if never:
            lines.append(
                f"  {len(never):,} active labels never used: "
                + ", ".join(terminal(x) for x in never[:8])
                + (" ..." if len(never) > 8 else "")
            )
    if r["unlabeled"]:
        lines.append(f"  {r['unlabeled']:,} rows without a label")
    if r["empty_fields"]:
        lines.append(
            "  empty fields: "
            + ", ".join(f"{terminal(k)} {v:,}" for k, v in r["empty_fields"].items())
        )
    d = r["duplicates"]
    if d:
        for kind in ("exact", "near"):
            x = d[kind]
            lines.append(
                f"  {kind} duplicates in '{terminal(d['text_column'])}': {x['groups']:,} groups, {x['rows']:,} rows"
                + (
                    f", {x['groups_with_conflicting_labels']:,} with different labels"
                    if x["groups_with_conflicting_labels"]
                    else ""
                )
            )
            for g in x["largest"][:3]:
                labels = ", ".join(terminal(lbl) for lbl in g["labels"][:8])
                if len(g["labels"]) > 8:  # a template's group can carry every label
                    labels += f" and {len(g['labels']) - 8:,} more"
                lines.append(f"    {g['rows']:,} x {terminal(g['example'][:70])!s} -> {labels}")
    drift_ = r.get("drift")
    if drift_:
        lines.append("")
        if drift_["statistic"] is None:
            lines.append("drift: not enough labels to compare")
        else:
            lines.append(
                f"drift from {terminal(drift_['datasets'][0])}"
                + (f" (counts carried {drift_['carried']})" if drift_.get("carried") else "")
                + f": chi-squared {drift_['statistic']:.1f}, {drift_['dof']} degrees of freedom, "
                f"p = {drift_['p_value']:.3g}, Cramer's V {drift_['cramers_v']:.2f}"
            )
            if drift_["sparse_cells"]:
                lines.append(
                    f"  ({drift_['sparse_cells']} of {drift_['cells']} cells expect fewer than 5 "
                    "items: the p-value is approximate)"
                )
            lines += table(
                ["label", "before", "after", "change"],
                [
                    [
                        m["label"],
                        pct(m["share_before"]),
                        pct(m["share_after"]),
                        f"{m['change'] * 100:+.1f} pts",
                    ]
                    for m in drift_["moves"][:8]
                ],
                {1, 2, 3},
            )
    if r["findings"]:
        lines += ["", *findings_text(r["findings"])]
    return terminal_lines(lines)  # each line escaped and clipped


COMMAND = Command(
    name="inspect",
    summary="a dataset against a taxonomy version: unknown and retired labels, imbalance, duplicates, drift",
    description="Labels the version does not know or has retired, class imbalance, exact and\n"
    "near-duplicate items, empty fields; with --against, whether two datasets' labels are\n"
    "distributed alike (chi-squared test). Exit 1 when labels are unknown or retired.",
    configure=configure,
    run=run,
)
