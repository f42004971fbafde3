"""``taxops impact``: what a migration would touch, before anything runs."""

from __future__ import annotations

import argparse
import json

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import add_repo, repo_root, write
from taxops.diagnostics import TaxopsError
from taxops.engines.dataset_input import guess_label_column
from taxops.engines.datasets import detect_format, read_counts, read_provenance
from taxops.engines.job import Job
from taxops.engines.registered import dataset_counts
from taxops.history import migration_map
from taxops.migration.impact import impact, impact_text
from taxops.models.datasets import Dataset
from taxops.models.sla import Sla
from taxops.policies import Policies, load_policies, registered_dataset
from taxops.suggestions import unknown_name

__all__ = ["COMMAND", "find_sla", "read_counts"]  # also used by the PR report


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("taxonomy", metavar="TAXONOMY", help="taxonomy id")
    p.add_argument(
        "--from",
        dest="start",
        metavar="VERSION",
        help="old version (default: the dataset's provenance)",
    )
    p.add_argument(
        "--to", dest="end", metavar="VERSION", help="new version (default: the newest release)"
    )
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--dataset",
        type=argtypes.reads("--dataset"),
        metavar="DATASET",
        help="count labels in this dataset: a file, or a registered dataset's id "
        "(its counts file when it has one; priced under its SLA)",
    )
    source.add_argument(
        "--counts",
        type=argtypes.reads("--counts"),
        metavar="FILE",
        help="a CSV file with columns label,count",
    )
    p.add_argument("--label-column", metavar="COLUMN", help="with --dataset: the label column")
    p.add_argument(
        "--multi-label", action="store_true", help="with --dataset: the column holds lists"
    )
    pricing = p.add_mutually_exclusive_group()
    pricing.add_argument(
        "--vendor", metavar="ID", help="price reviews under this vendor's SLA for the taxonomy"
    )
    pricing.add_argument("--sla", metavar="ID", help="price reviews under this SLA (policies/)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="default: text")
    add_repo(p)


def run(args: argparse.Namespace) -> int:
    root = repo_root(args)
    assert root is not None
    policies = load_policies(root)
    registered = None
    is_file = bool(args.dataset and args.dataset.is_file())
    if args.dataset and not args.dataset.exists():  # a registered dataset's id, or a typo
        found, _ = registered_dataset(root, str(args.dataset))  # a typo: the registered ones
        registered = _registered(found.dataset, str(args.dataset), args.taxonomy)
    elif is_file:  # a file that is a registered dataset's location is that dataset
        at = policies.dataset_at(root, args.dataset)
        if at is not None:
            registered = _registered(at.dataset, str(args.dataset), args.taxonomy)
    provenance = read_provenance(args.dataset) if is_file else None
    start = args.start or (
        str(registered.version) if registered else (provenance or {}).get("version")
    )
    if not start:
        raise TaxopsError("which version are the items labeled with?", "pass --from VERSION")
    migration = migration_map(root, args.taxonomy, start, args.end)
    if registered is not None and not is_file:
        counts, _ = dataset_counts(root, registered)
    elif args.dataset:
        counts = _dataset_counts(args, registered.label_column if registered else None)
    else:
        counts = read_counts(args.counts)
    sla = find_sla(policies, args.taxonomy, vendor=args.vendor, sla_id=args.sla)
    if registered is not None and not (args.vendor or args.sla):
        sla = policies.sla_of(registered)
    result = impact(migration, counts, sla)
    write(json.dumps(result, indent=2) + "\n" if args.format == "json" else impact_text(result))
    return exit_codes.OK


def _registered(found: Dataset, name: str, taxonomy: str) -> Dataset:
    if found.taxonomy != taxonomy:
        raise TaxopsError(
            f"{name} is registered dataset '{found.id}', labeled with '{found.taxonomy}', "
            f"not '{taxonomy}'"
            if found.id != name
            else f"registered dataset '{name}' is labeled with '{found.taxonomy}', not '{taxonomy}'"
        )
    return found


def _dataset_counts(
    args: argparse.Namespace, registered_column: str | None
) -> dict[str | None, int]:
    if not args.dataset.is_file():
        raise TaxopsError(f"not a file: {args.dataset}")
    fmt = detect_format(args.dataset)
    if fmt == "label-studio":
        raise TaxopsError(
            "impact counts CSV, TSV, JSON lines and Parquet datasets",
            "export label counts to --counts",
        )
    column = (
        args.label_column
        or (read_provenance(args.dataset) or {}).get("label_column")
        or registered_column
    )
    column = column or guess_label_column(args.dataset, fmt)
    if not column:
        raise TaxopsError("which column holds the labels?", "pass --label-column COLUMN")
    from taxops.engines.duckdb_migrate import count_values  # loads DuckDB

    return count_values(Job(args.dataset, fmt, column, args.multi_label))


def find_sla(
    policies: Policies, taxonomy: str, *, vendor: str | None = None, sla_id: str | None = None
) -> Sla | None:
    """The SLA named, the one of the vendor named covering the taxonomy, or the
    only SLA covering it (None when there is none or several)."""
    if sla_id is not None:
        found = policies.sla(sla_id)
        if found is None:
            slas = (s.model.id for s in policies.slas)
            raise unknown_name("valid SLA", sla_id, slas, " under policies/", "SLAs")
        return found.model
    if vendor is not None:
        if policies.vendor(vendor) is None:
            vendors = (v.model.id for v in policies.vendors)
            raise unknown_name("vendor", vendor, vendors, " under policies/", "vendors")
        sla = policies.sla_for(taxonomy, vendor=vendor)
        if sla is None:
            known = ", ".join(s.model.id for s in policies.slas if s.model.vendor == vendor)
            raise TaxopsError(
                f"vendor '{vendor}' has no SLA covering '{taxonomy}' under policies/",
                f"its SLAs: {known}; pass --sla ID" if known else "add an SLA file (sla/1)",
            )
        return sla
    return policies.sla_for(taxonomy)


COMMAND = Command(
    name="impact",
    summary="count what a taxonomy change would relabel, and what review would cost",
    description="Before migrating: how many items each change touches, how many need human\n"
    "review, and the estimated review cost and days under a vendor's SLA (prices and\n"
    "throughput from policies/slas/*.yaml). Counts come from a dataset or a label,count\n"
    "CSV file.",
    configure=configure,
    run=run,
)
