"""The file formats taxops reads datasets in, and the extensions that name
them: one table for the registry's model and for every command that reads a
dataset. Plain data, apart from the registry's Pydantic model, so the relabel
engine reads it without loading the policy models."""

from __future__ import annotations

from typing import Literal

DatasetFormat = Literal["csv", "tsv", "jsonl", "parquet", "label-studio"]
#: File extensions and the format they mean, for every command that reads datasets.
FORMAT_BY_EXTENSION: dict[str, DatasetFormat] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "label-studio",
}
