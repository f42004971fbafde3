"""Vendor policies: who labels for us, where they work, what they are cleared for,
and until when their contract and certifications run.

Kept under ``policies/vendors/<vendor-id>.yaml``. What a vendor commits to
(throughput, turnaround, quality floors, prices) is not here: it is in the
vendor's SLA files (``taxops: sla/1``, :mod:`taxops.models.sla`), one per
workflow, so each term is written once. Which data classes a vendor may see is
the privacy policy's to say (:mod:`taxops.models.privacy`); the vendor file says
where its people work, which the privacy checks hold against each dataset.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from taxops.models.common import DocId, Owner, Region, Strict

VENDOR_FORMAT = "vendor/1"


class Contract(Strict):
    """The framework agreement the vendor works under."""

    reference: str | None = None
    """The contract's reference in the procurement system, e.g. 'MSA-2024-017'."""
    start: datetime.date
    """First day of the contract (YYYY-MM-DD)."""
    end: datetime.date | None = None
    """Last day of the contract (YYYY-MM-DD); omit for an open-ended contract."""
    notice_days: int | None = Field(default=None, ge=0)
    """Days of notice either side must give to end or renew it. ``taxops check``
    warns about the end at least this early."""

    @model_validator(mode="after")
    def _ordered(self) -> Contract:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"the contract ends ({self.end}) before it starts ({self.start})")
        return self


class Certification(Strict):
    """A certification or attestation the vendor holds (ISO/IEC 27001, SOC 2,
    HIPAA training), with the day it lapses."""

    name: str = Field(min_length=1)
    """What it certifies, as the certificate names it."""
    expires: datetime.date
    """Last day it is valid (YYYY-MM-DD). ``taxops check`` warns before and fails after."""
    scope: str | None = None
    """What it covers, when not the whole vendor (a site, a team)."""


class Vendor(Strict):
    """A labeling vendor (or an in-house team): who they are and where they work."""

    taxops: Literal["vendor/1"]
    """File format marker: this file is a vendor policy, format version 1."""
    id: DocId
    """Stable id of the vendor (kebab-case), used by SLAs, datasets and reports."""
    name: str = Field(min_length=1)
    """The vendor's name as people say it."""
    contact: str | None = None
    """Who to talk to: an email or a handle."""
    owners: tuple[Owner, ...] = ()
    """Who approves changes to this file (vendor management): @user, @org/team or
    emails. Used for CODEOWNERS."""
    regions: tuple[Region, ...] = Field(min_length=1)
    """Regions where the vendor's people and systems process data (e.g. eu, us).
    A dataset whose data class may not be processed in one of them cannot go to
    this vendor."""
    contract: Contract | None = None
    """The framework contract, when there is one (in-house teams have none)."""
    certifications: tuple[Certification, ...] = ()
    """Certifications the vendor holds, with their expiry dates."""
    taxonomies: tuple[DocId, ...] = ()
    """Taxonomies the vendor labels (empty: any)."""

    # vendor/1 files once carried prices and service levels. They are accepted
    # here only so the check can point at them and say where they live now
    # (policies/slas/); the JSON Schema does not list them.
    sla: SkipJsonSchema[Any] = Field(default=None, exclude=True)
    rates: SkipJsonSchema[Any] = Field(default=None, exclude=True)
    throughput_per_day: SkipJsonSchema[Any] = Field(default=None, exclude=True)
    currency: SkipJsonSchema[Any] = Field(default=None, exclude=True)

    @property
    def moved_terms(self) -> list[str]:
        """Fields of an older vendor file that now belong in an SLA file."""
        return [
            f
            for f in ("sla", "rates", "throughput_per_day", "currency")
            if f in self.model_fields_set
        ]
