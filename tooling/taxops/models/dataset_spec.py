"""The dataset spec: one labeling request, written before the work starts and
signed off by engineering and product. It says why the data is labeled, what an
item looks like, with which taxonomy version, how much, to what quality, and
when and how it is delivered.

Kept under ``policies/specs/<spec-id>.yaml``; published on the site as a
one-page document vendors and labelers work from.
"""

from __future__ import annotations

import datetime
import enum
from typing import Literal

from pydantic import Field

from taxops.models.common import DocId, Owner, Share, Strict
from taxops.models.dataset_formats import DatasetFormat
from taxops.versioning.versions import Version

DATASET_SPEC_FORMAT = "dataset-spec/1"


class FieldType(str, enum.Enum):
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    JSON = "json"


class ItemField(Strict):
    """One field of the items to label."""

    name: str = Field(min_length=1)
    """Column or JSON key."""
    type: FieldType
    """text, integer, number, boolean, date, datetime, image, audio, video or json."""
    description: str | None = None
    """What it holds."""
    data_class: DocId | None = None
    """Id of the privacy policy's class of its values, when it holds anything
    beyond the dataset's class."""
    required: bool = True
    """Whether every item has it."""


class SpecQuality(Strict):
    """Quality targets of this request; omitted ones come from the taxonomy's
    quality plan."""

    agreement_target: float | None = Field(default=None, gt=-1, le=1)
    """Agreement the delivered labels must reach, by the quality plan's metric."""
    gold_accuracy_target: Share | None = None
    """Accuracy on gold items, 0 to 1."""


class Delivery(Strict):
    """How and when the labeled data is handed over."""

    format: DatasetFormat
    """csv, tsv, jsonl, parquet or label-studio."""
    date: datetime.date
    """The day it is due (YYYY-MM-DD)."""
    location: str | None = None
    """Where it goes (a path or URI)."""


class SignOffRole(str, enum.Enum):
    ENGINEERING = "engineering"
    PRODUCT = "product"
    PRIVACY = "privacy"
    OPERATIONS = "operations"


class SignOff(Strict):
    """One approval of the spec."""

    role: SignOffRole
    """engineering, product, privacy or operations."""
    name: str = Field(min_length=1)
    """Who signs: a person, with an @handle or email."""
    date: datetime.date | None = None
    """When they signed (YYYY-MM-DD); omit while the sign-off is pending."""


class DatasetSpec(Strict):
    """One labeling request."""

    taxops: Literal["dataset-spec/1"]
    """File format marker: this file is a dataset spec, format version 1."""
    id: DocId
    """Stable id of the spec (kebab-case)."""
    title: str = Field(min_length=1)
    """The request in a few words."""
    owners: tuple[Owner, ...] = ()
    """Who approves changes to it: @user, @org/team or emails. Used for CODEOWNERS."""
    purpose: str = Field(min_length=1)
    """Why the data is labeled: the model or decision it serves (Markdown)."""
    dataset: DocId | None = None
    """Id of the registered dataset the request produces, once registered."""
    taxonomy: DocId
    """Id of the taxonomy to label with."""
    version: Version
    """The released taxonomy version to label with."""
    item_schema: tuple[ItemField, ...] = Field(min_length=1)
    """The fields of an item."""
    volume: int = Field(gt=0)
    """Items to label."""
    data_class: DocId
    """Id of the privacy policy's class of the items."""
    quality: SpecQuality = SpecQuality()
    """Quality targets (default: the taxonomy's quality plan)."""
    vendor: DocId | None = None
    """Id of the vendor doing the work (omit for in-house work)."""
    workflow: DocId | None = None
    """Id of the workflow the tasks go through."""
    delivery: Delivery
    """Delivery format, date and place."""
    sign_off: tuple[SignOff, ...] = ()
    """Approvals; engineering and product must sign before the work starts."""
