"""``taxops migrate DATASET --apply-review DECISIONS``: reviewers' decisions
merged into a migrated dataset, in place of its queued rows, in the original
order. Nothing is written unless every decision is valid and the counts add up."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from taxops import __version__
from taxops.cli import exit_codes
from taxops.cli.commands.common import repo_root, say, tell
from taxops.diagnostics import TaxopsError
from taxops.textfiles import read_json


def apply_review(args: argparse.Namespace) -> int:
    from taxops.engines.datasets import (
        detect_format,
        fingerprint,
        provenance_record,
        read_provenance,
        sidecar_path,
    )
    from taxops.engines.staging import staged
    from taxops.interchange.load import load_source
    from taxops.review.decisions import check_decisions, read_decisions
    from taxops.review.merge import Target, merge, write_remaining
    from taxops.review.queue import read_queue

    dataset: Path = args.dataset
    # The sidecar holds what a merge needs (label column, queue); Parquet
    # metadata alone names only the version.
    record = _sidecar(sidecar_path(dataset), dataset, fingerprint) or read_provenance(dataset)
    fmt = detect_format(dataset, args.format)
    # A Label Studio export's label column is its control, unnamed when it has one.
    if not record or not (record.get("label_column") or fmt == "label-studio"):
        raise TaxopsError(
            f"{dataset} is not a dataset taxops migrate wrote (no {sidecar_path(dataset).name})",
            "pass the migrated dataset (the --output of taxops migrate), not the input",
        )
    if record.get("stale"):
        raise TaxopsError(
            f"{dataset} changed after taxops migrate wrote it, so its review queue may no longer fit",
            "migrate again, review, then apply the decisions",
        )
    queue_path = args.review or (
        dataset.parent / record["review_queue"] if record.get("review_queue") else None
    )
    if queue_path is None:
        raise TaxopsError(f"{dataset} has no review queue: nothing to apply")
    queue = read_queue(queue_path)
    decisions = read_decisions(args.apply_review)
    taxonomy, version = str(record["taxonomy"]), str(record["version"])
    if (decisions.taxonomy, decisions.version) not in ((None, None), (taxonomy, version)):
        raise TaxopsError(
            f"the decisions are for {decisions.taxonomy} {decisions.version}, but {dataset} "
            f"conforms to {taxonomy} {version}"
        )
    root = repo_root(args)
    assert root is not None
    any_label = [label.id for label in load_source(root, taxonomy, version).assignable()]
    multi = bool(record.get("multi_label"))
    decided, problems = check_decisions(decisions, queue, any_label, multi)
    if problems:
        tell(*(f"{args.apply_review}: error: {problem}" for problem in problems))
        tell(f"taxops: {len(problems)} decision(s) refused; nothing was written")
        return exit_codes.FINDINGS

    output: Path = dataset if args.in_place else args.output
    remaining = output.with_name(_remaining_name(output, queue_path))
    finals = [output, remaining, sidecar_path(output)]
    # Decided rows join their labels as the migrated rows around them do.
    separator = args.list_separator or record.get("list_separator") or "|"
    target = Target(str(record.get("label_column") or ""), multi, separator)
    with staged(finals) as tmp:
        merged = merge(dataset, fmt, queue, decided, target, tmp[output])
        left = write_remaining(queue, decided, tmp[remaining]) if merged.still_open else 0
        if merged.decided + left != len(queue.rows) or merged.still_open != left:
            raise TaxopsError(
                f"rows do not add up: {merged.decided} decided + {left} still open != "
                f"{len(queue.rows)} queued; nothing was written",
                "this is a bug in taxops: please report it",
            )
        sidecar = provenance_record(
            taxonomy,
            version,
            **{
                k: v
                for k, v in record.items()
                if k not in ("schema", "taxonomy", "version", "stale")
            },
        )
        sidecar.update(
            rows=merged.written,
            rows_in_review=left,
            review_queue=remaining.name if left else None,
            review_decisions_applied=merged.decided,
            dataset_fingerprint=fingerprint(tmp[output]),
            written_by=f"taxops {__version__}",
        )
        tmp[sidecar_path(output)].write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
    if not left:
        remaining.unlink(missing_ok=True)
    say(
        f"{dataset}: {merged.migrated} migrated + {merged.decided} decided = "
        f"{merged.written} rows  (checked)",
        f"  review queue: {len(queue.rows)} = {merged.decided} decided + {left} still open",
        f"  wrote {output}" + (f", still to review {remaining}" if left else ""),
    )
    return exit_codes.OK


def _sidecar(path: Path, dataset: Path, fingerprint: Any) -> dict[str, Any] | None:
    try:
        data = read_json(path)
    except TaxopsError:
        return None
    if not isinstance(data, dict):
        return None
    recorded = data.get("dataset_fingerprint")
    if recorded and fingerprint(dataset) != recorded:
        data["stale"] = True
    return data


def _remaining_name(output: Path, queue: Path) -> str:
    """``out.review.csv`` when writing in place; else beside the output."""
    stem = output.name[: -len(output.suffix)] if output.suffix else output.name
    return f"{stem}.review{queue.suffix}"
