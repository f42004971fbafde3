"""The datasets registry: every labeled dataset the organisation keeps, with the
taxonomy version it is labeled with, where it is, what class of data it holds,
who owns it and who labels it.

Kept in ``policies/datasets.yaml`` (several registry files may split it by team;
dataset ids are unique across them). A taxonomy change in a pull request is
reported against the registered datasets it touches, with their counts and the
relabel cost under their vendor's SLA; ``taxops migrate`` and ``taxops redact``
take a registered dataset by id; retention is reported from ``created``.
"""

from __future__ import annotations

import datetime
from pathlib import PurePosixPath
from typing import Literal

from pydantic import Field

from taxops.models.common import DocId, Owner, Region, Strict
from taxops.models.dataset_formats import FORMAT_BY_EXTENSION, DatasetFormat
from taxops.versioning.versions import Version

DATASETS_FORMAT = "datasets/1"


class Dataset(Strict):
    """One registered dataset."""

    id: DocId
    """Stable id of the dataset (kebab-case), as commands and reports name it."""
    title: str | None = None
    """What it is, in a few words."""
    taxonomy: DocId
    """Id of the taxonomy its labels come from."""
    version: Version
    """The released taxonomy version it is labeled with (a file under
    taxonomies/<id>/releases/)."""
    location: str = Field(min_length=1)
    """Where it is: a path relative to the repository root, or a URI
    (``s3://bucket/key.parquet``, ``https://...``)."""
    format: DatasetFormat | None = None
    """csv, tsv, jsonl, parquet or label-studio (default: from the location's extension)."""
    label_column: str | None = None
    """Column (or JSON key) holding the label(s); not needed for Label Studio exports."""
    multi_label: bool = False
    """Whether the label column holds a list of labels."""
    counts: str | None = None
    """A ``label,count`` CSV of the labels' item counts, relative to the
    repository root, for datasets taxops cannot read (remote, too large to scan
    in CI). Used instead of the dataset itself when present."""
    data_class: DocId
    """Id of the privacy policy's class of its most sensitive data."""
    region: Region | None = None
    """Where the data is stored and processed (e.g. eu)."""
    owner: Owner
    """Who answers for it: @user, @org/team or an email."""
    vendor: DocId | None = None
    """Id of the vendor labeling it (omit for in-house work)."""
    sla: DocId | None = None
    """Id of the SLA its labeling runs under, when the vendor has several."""
    workflow: DocId | None = None
    """Id of the workflow its tasks go through."""
    created: datetime.date
    """When it was created (YYYY-MM-DD); retention counts from here."""

    @property
    def file_format(self) -> DatasetFormat | None:
        """Its format: declared, or from its location's extension (None: unknown)."""
        if self.format is not None:
            return self.format
        suffix = PurePosixPath(self.location.split("?", 1)[0]).suffix.lower()
        return FORMAT_BY_EXTENSION.get(suffix)

    @property
    def is_remote(self) -> bool:
        """Whether ``location`` is a URI (``s3://``, ``https://``) rather than a path."""
        return "://" in self.location


class DatasetRegistry(Strict):
    """A registry file: a list of datasets."""

    taxops: Literal["datasets/1"]
    """File format marker: this file registers datasets, format version 1."""
    owners: tuple[Owner, ...] = ()
    """Who approves changes to it: @user, @org/team or emails. Used for CODEOWNERS."""
    datasets: tuple[Dataset, ...] = Field(min_length=1)
    """The datasets."""
