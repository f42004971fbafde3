"""Registered datasets under a taxonomy change: for each dataset of the registry
labeled with the changed taxonomy, its label counts (from the dataset itself
where it is a readable file, else from its counts file) and the relabel impact
of the change, priced under the SLA its labeling runs under.

The map for a dataset labeled with an older release than the one compared is
the composition of the released steps up to it and the change itself, so every
registered dataset is priced from the version it really has."""

from __future__ import annotations

from pathlib import Path

from taxops.diagnostics import TaxopsError
from taxops.migration.compose import compose
from taxops.migration.impact import RegisteredImpact, impact
from taxops.migration.model import MigrationMap
from taxops.models.datasets import Dataset
from taxops.policies import Policies
from taxops.versioning.versions import Version


def dataset_counts(root: Path, dataset: Dataset) -> tuple[dict[str | None, int], str]:
    """Label counts of a registered dataset and where they came from: its counts
    file when it names one (remote or large data), else the dataset file."""
    from taxops.engines.datasets import read_counts

    if dataset.counts is not None:
        return read_counts(root / dataset.counts), dataset.counts
    path = root / dataset.location
    fmt = dataset.file_format
    if dataset.is_remote or not path.is_file():
        raise TaxopsError(
            f"dataset '{dataset.id}' is not readable here ({dataset.location})",
            "add 'counts:' to its registry entry: a label,count CSV exported from it",
        )
    if fmt in (None, "label-studio") or not dataset.label_column:
        raise TaxopsError(
            f"dataset '{dataset.id}': taxops counts CSV, TSV, JSON lines and Parquet files",
            "add 'counts:' to its registry entry: a label,count CSV exported from it",
        )
    from taxops.engines.duckdb_migrate import Job, count_values

    return count_values(Job(path, fmt, dataset.label_column, dataset.multi_label)), dataset.location


def registered_impacts(
    root: Path,
    policies: Policies,
    taxonomy: str,
    old_version: Version,
    change: MigrationMap,
) -> list[RegisteredImpact]:
    """The impact of ``change`` (from ``old_version``) on every registered dataset
    of ``taxonomy``."""
    from taxops.history import migration_map

    out = []
    for registered in policies.datasets():
        d = registered.dataset
        if d.taxonomy != taxonomy:
            continue
        try:
            if d.version == old_version:
                steps = change
            elif d.version < old_version:
                steps = compose(
                    [migration_map(root, taxonomy, str(d.version), str(old_version)), change]
                )
            else:
                raise TaxopsError(
                    f"labeled with {d.version}, newer than the version compared ({old_version})"
                )
            counts, source = dataset_counts(root, d)
        except TaxopsError as exc:
            out.append(RegisteredImpact(d, None, None, exc.message))
            continue
        out.append(RegisteredImpact(d, source, impact(steps, counts, policies.sla_of(d))))
    return out
