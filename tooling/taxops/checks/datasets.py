"""In-file checks of dataset registries and dataset specs. References to
taxonomies, vendors, classes and workflows are resolved against the rest of the
repository in :mod:`taxops.checks.policy_refs`."""

from __future__ import annotations

from collections.abc import Iterator

from taxops.checks.common import duplicates, repeats
from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument
from taxops.models.dataset_spec import DatasetSpec, SignOffRole
from taxops.models.datasets import Dataset, DatasetRegistry

#: Sign-offs a spec needs before the work starts.
REQUIRED_SIGN_OFFS = (SignOffRole.ENGINEERING, SignOffRole.PRODUCT)


def check_registry(registry: DatasetRegistry, doc: YamlDocument) -> list[Diagnostic]:
    ids = [d.id for d in registry.datasets]
    found = list(duplicates(doc, "datasets", ids, "id", "dataset", "duplicate-dataset"))
    for i, dataset in enumerate(registry.datasets):
        found += _readable(dataset, doc, i)
    return found


def _readable(dataset: Dataset, doc: YamlDocument, i: int) -> Iterator[Diagnostic]:
    fmt = dataset.file_format
    if fmt is None:
        yield Diagnostic(
            "dataset-format-unknown",
            Severity.ERROR,
            f"dataset '{dataset.id}': cannot tell the format of '{dataset.location}' from "
            "its extension",
            doc.locate(("datasets", i, "location")),
            "add 'format:' (csv, tsv, jsonl, parquet or label-studio)",
        )
    elif fmt != "label-studio" and not dataset.label_column:
        yield Diagnostic(
            "dataset-without-label-column",
            Severity.ERROR,
            f"dataset '{dataset.id}' does not say which column holds the labels",
            doc.locate(("datasets", i, "id")),
            "add 'label_column:'",
        )


def check_spec(spec: DatasetSpec, doc: YamlDocument) -> list[Diagnostic]:
    names = [f.name for f in spec.item_schema]
    found = list(duplicates(doc, "item_schema", names, "name", "field", "duplicate-field"))
    for i, first in repeats(s.role for s in spec.sign_off):
        found.append(
            Diagnostic(
                "duplicate-sign-off",
                Severity.ERROR,
                f"'{spec.sign_off[i].role.value}' signs off twice (first at line "
                f"{doc.locate(('sign_off', first, 'role')).line})",
                doc.locate(("sign_off", i, "role")),
                "one sign-off per role",
            )
        )
    signed = {s.role for s in spec.sign_off if s.date is not None}
    for role in REQUIRED_SIGN_OFFS:
        if role not in signed:
            found.append(
                Diagnostic(
                    "spec-not-signed-off",
                    Severity.WARNING,
                    f"spec '{spec.id}' is not signed off by {role.value} yet",
                    doc.locate(("sign_off",) if spec.sign_off else ("id",), at="key"),
                    f"the work starts once engineering and product have signed: add "
                    f"'- role: {role.value}' with 'name:' and 'date:'",
                )
            )
    return found
