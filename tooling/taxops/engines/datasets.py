"""Dataset files: which format a path holds, where the outputs of a migration go,
and the provenance record that says which taxonomy version a dataset conforms to.

Provenance lives in a sidecar ``<dataset>.taxops.json`` for every format, and
also in the key-value metadata of Parquet files (keys ``taxops.taxonomy``,
``taxops.version``), so a Parquet file carries it wherever it is copied.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taxops.collisions import same_file
from taxops.diagnostics import TaxopsError
from taxops.escaping import short
from taxops.models.dataset_formats import FORMAT_BY_EXTENSION
from taxops.textfiles import csv_rows, read_json, read_text

FORMATS = ("csv", "tsv", "jsonl", "parquet", "label-studio")
_SUFFIXES = FORMAT_BY_EXTENSION
PROVENANCE_SCHEMA = "taxops/dataset-provenance/1"


def detect_format(path: Path, given: str | None = None) -> str:
    if given:
        return given
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise TaxopsError(
            f"cannot tell the format of {path} from its extension",
            f"pass --format ({', '.join(FORMATS)})",
        )
    return fmt


@dataclass(frozen=True)
class Outputs:
    dataset: Path
    review: Path
    report: Path

    @property
    def sidecar(self) -> Path:
        return sidecar_path(self.dataset)

    def all(self) -> list[Path]:
        return [self.dataset, self.review, self.report, self.sidecar]


def refuse_overlaps(source: Path, outputs: Outputs, in_place: bool) -> None:
    """Refuse outputs that are one file, or that are the input (or its
    provenance sidecar), before anything runs: ``-o o.csv --review o.csv`` would
    leave the review rows as the dataset. "One file" means the same path once
    symlinks are resolved, the same inode (a hard link), or paths that differ
    only in case or Unicode normalisation (one file on macOS and Windows)."""
    named = [
        ("the migrated dataset", outputs.dataset),
        ("the review queue", outputs.review),
        ("the report", outputs.report),
        ("the dataset's provenance sidecar", outputs.sidecar),
    ]
    for (a, path_a), (b, path_b) in itertools.combinations(named, 2):
        if same_file(path_a, path_b):
            raise TaxopsError(
                f"{a} and {b} would both be written to {path_b}: one would overwrite the other",
                "name a different file for each with -o, --review and --report",
            )
    inputs = [
        ("the input dataset", source),
        ("the input's provenance sidecar", sidecar_path(source)),
    ]
    for (a, path_a), (b, path_b) in itertools.product(named, inputs):
        replaced_on_purpose = in_place and (a, b) in (
            ("the migrated dataset", "the input dataset"),
            ("the dataset's provenance sidecar", "the input's provenance sidecar"),
        )
        if not replaced_on_purpose and same_file(path_a, path_b):
            raise TaxopsError(
                f"{a} would overwrite {b} ({path_b})",
                "taxops never modifies its input unless asked: write elsewhere with -o, "
                "or pass --in-place to replace the dataset itself",
            )


#: A review queue named like this is written as JSON lines, whatever the input.
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


def review_format(dataset_format: str, review: Path | None = None) -> str:
    """The review queue is in the input's own format, so it opens in the tool
    that opens the dataset: CSV/TSV for delimited input, JSON lines for JSON
    lines, Label Studio tasks for Label Studio, Parquet for Parquet (the input's
    column types kept; a queue named ``*.jsonl`` is JSON lines instead)."""
    if dataset_format == "parquet":
        named_json = review is not None and review.suffix.lower() in JSON_LINES_SUFFIXES
        return "jsonl" if named_json else "parquet"
    return {"csv": "csv", "tsv": "tsv", "label-studio": "label-studio"}.get(dataset_format, "jsonl")


#: What taxops adds to each queued row: CSV/TSV columns ``_taxops_row``...,
#: fields of a ``_taxops`` object (JSON lines) or struct (Parquet). The prefix
#: is ``_taxops2``, ``_taxops3``... when the data already has ``_taxops``.
REVIEW_FIELDS = ("row", "reason", "old_label", "candidates", "raw")


def queue_fields_without_personal_data(queue_format: str, key: str) -> list[str]:
    """The fields taxops added to a review queue that hold no personal data
    (row numbers, reasons, labels), which redaction leaves alone. A malformed
    record's raw text does hold some: the CSV column ``{key}_raw`` and a JSON
    line's ``key`` object (which holds it) are redacted; a Parquet queue holds
    no malformed rows, so its ``key`` struct is left alone."""
    if queue_format in ("csv", "tsv"):
        return [f"{key}_{f}" for f in REVIEW_FIELDS if f != "raw"]
    return [key] if queue_format == "parquet" else []


#: The extension of each review queue format.
QUEUE_EXTENSIONS = {
    "csv": ".csv",
    "tsv": ".tsv",
    "jsonl": ".jsonl",
    "label-studio": ".json",
    "parquet": ".parquet",
}


def default_outputs(output: Path, dataset_format: str) -> Outputs:
    stem = output.name[: -len(output.suffix)] if output.suffix else output.name
    ext = QUEUE_EXTENSIONS[review_format(dataset_format)]
    return Outputs(
        dataset=output,
        review=output.with_name(f"{stem}.review{ext}"),
        report=output.with_name(f"{stem}.report.json"),
    )


def sidecar_path(dataset: Path) -> Path:
    return dataset.with_name(dataset.name + ".taxops.json")


def provenance_record(taxonomy: str, version: str, **extra: Any) -> dict[str, Any]:
    return {"schema": PROVENANCE_SCHEMA, "taxonomy": taxonomy, "version": version, **extra}


def read_provenance(path: Path) -> dict[str, Any] | None:
    """The taxonomy id and version a dataset records, from its Parquet metadata
    or its sidecar; None when it records none. A sidecar whose recorded
    fingerprint no longer matches the file comes back with ``stale: True``."""
    if path.suffix.lower() in (".parquet", ".pq") and path.is_file():
        from taxops.engines.paths import parquet_query

        rows = parquet_query(
            path, "SELECT decode(key), decode(value) FROM parquet_kv_metadata({path})"
        )
        meta = {k: v for k, v in rows}
        if meta.get("taxops.taxonomy") and meta.get("taxops.version"):
            return provenance_record(meta["taxops.taxonomy"], meta["taxops.version"])
    sidecar = sidecar_path(path)
    if sidecar.is_file():
        data = read_json(sidecar)
        if not (isinstance(data, dict) and data.get("taxonomy") and data.get("version")):
            return None
        recorded = data.get("dataset_fingerprint")
        if recorded and (not path.is_file() or fingerprint(path) != recorded):
            return {**data, "stale": True}  # the file changed after taxops wrote the sidecar
        return data
    return None


#: Files up to this size are hashed whole; larger ones by their size and both ends.
_HASH_WHOLE = 32 * 1024 * 1024
_SAMPLE = 8 * 1024 * 1024


def fingerprint(path: Path) -> str:
    """A content fingerprint that survives copies and git checkouts (unlike a
    modification time): sha256 of the whole file, or for large files of its size
    and first and last 8 MiB (``sampled:`` prefix). A folder of part files (what
    Spark writes) is fingerprinted by each file's name and fingerprint
    (``folder:`` prefix)."""
    if path.is_dir():
        digest = hashlib.sha256()
        for part in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(f"{part.relative_to(path).as_posix()}\0{fingerprint(part)}\n".encode())
        return "folder:" + digest.hexdigest()
    size = path.stat().st_size
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        if size <= _HASH_WHOLE:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
            return "sha256:" + digest.hexdigest()
        digest.update(str(size).encode())
        digest.update(f.read(_SAMPLE))
        f.seek(size - _SAMPLE)
        digest.update(f.read(_SAMPLE))
    return "sampled:" + digest.hexdigest()


def read_counts(path: Path) -> dict[str | None, int]:
    """A ``label,count`` CSV (header required; a spreadsheet's byte order mark
    is not part of it), or say which row is wrong."""
    rows = list(csv_rows(read_text(path, "utf-8-sig"), path))  # a binary file is an error
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["label", "count"]:
        raise TaxopsError(f"{path} must start with the header 'label,count'")
    counts: dict[str | None, int] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        try:
            label, count = row[0], int(row[1])
            if count < 0:
                raise ValueError
        except (IndexError, ValueError):
            raise TaxopsError(
                f"{path}, line {n}: expected a label and a whole number of items, got {short(','.join(row), 200)}"
            ) from None
        counts[label] = counts.get(label, 0) + count
    return counts
