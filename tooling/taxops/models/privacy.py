"""The privacy policy: the data classes the organisation handles, which dataset
fields hold which class, how each class is redacted, how long it is kept, and
who may access it, from where.

One file, ``policies/privacy.yaml``. taxops enforces it where it acts: guideline
examples are redacted by their class's rules before they reach the published
site (and the build fails on personal data in an example marked public),
``taxops redact`` applies the rules to dataset files, the review queue of
``taxops migrate`` is redacted when the dataset's class requires it, and
``taxops check`` fails when a vendor is assigned a dataset whose class or region
it is not cleared for, or when a dataset is kept past its retention.
"""

from __future__ import annotations

import enum
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from taxops.models.common import DocId, Owner, Region, Strict

PRIVACY_FORMAT = "privacy/1"


class BuiltinDetector(str, enum.Enum):
    """Detectors taxops ships, each backed by a well-kept library that checks
    more than a pattern can."""

    EMAIL = "email"
    """Email addresses (syntax checked by email-validator)."""
    PHONE = "phone"
    """Phone numbers (libphonenumber: the number must be valid for its region)."""
    PAYMENT_CARD = "payment_card"
    """Payment card numbers (python-stdnum: 13 to 19 digits passing the Luhn checksum)."""
    IBAN = "iban"
    """International bank account numbers (python-stdnum: country format and checksum)."""


#: Regular-expression features DuckDB's engine (RE2) does not have; patterns run
#: there for datasets and in Python for guideline examples, so both must read them.
_NOT_RE2 = re.compile(r"\(\?[=!]|\(\?<[=!]|\\[1-9]|\(\?P=|\\[Zz]\b|\(\?>|[*+?}][+]")


class Detector(Strict):
    """A pattern the policy adds to the built-in detectors (an internal customer
    number, a national id format)."""

    id: DocId
    """Stable id of the detector, used by redaction rules and reports."""
    pattern: str = Field(min_length=1)
    """A regular expression (RE2 syntax: no look-around, no back-references)
    matching what must be redacted."""
    description: str | None = None
    """What it finds, for the privacy officer and labelers."""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            compiled = re.compile(value)
        except re.error as exc:
            raise ValueError(f"the pattern does not compile: {exc}") from None
        if _NOT_RE2.search(value):
            raise ValueError(
                "the pattern uses look-around, back-references or possessive repeats, "
                "which DuckDB's regular expressions (RE2) do not support"
            )
        if compiled.match(""):
            raise ValueError("the pattern matches the empty text, so it would match everywhere")
        return value


class RedactionRule(Strict):
    """What is masked in a class's data, and how."""

    detect: str = Field(min_length=1)
    """A built-in detector (email, phone, payment_card, iban) or the id of a
    detector this policy defines."""
    mask: str | None = None
    """What replaces each match (default: the detector's id in brackets, e.g.
    ``[email]``). ``{last}`` in it stands for the characters kept by ``keep_last``."""
    keep_last: int = Field(default=0, ge=0, le=8)
    """Characters kept from the end of the match, shown where the mask says
    ``{last}`` (4 for the last digits of a card)."""

    @model_validator(mode="after")
    def _kept_somewhere(self) -> RedactionRule:
        if self.keep_last and self.mask is not None and "{last}" not in self.mask:
            raise ValueError("'keep_last' needs '{last}' in the mask, where the kept characters go")
        if not self.keep_last and self.mask is not None and "{last}" in self.mask:
            raise ValueError("the mask shows '{last}' but 'keep_last' keeps nothing")
        return self

    @property
    def mask_template(self) -> str:
        """The mask, with ``{last}`` where the kept characters go (the redaction
        SQL fills it in per match)."""
        if self.mask is not None:
            return self.mask
        return f"[{self.detect} …{{last}}]" if self.keep_last else f"[{self.detect}]"


class Access(Strict):
    """Who may access a class's data, and where it may be processed. An omitted
    list means no restriction."""

    roles: tuple[str, ...] | None = None
    """Roles that may access it (e.g. labeler, reviewer, privacy-officer)."""
    vendors: tuple[DocId, ...] | None = None
    """Vendors cleared for it, by id (empty list: in-house only)."""
    regions: tuple[Region, ...] | None = None
    """Regions where it may be stored and processed (e.g. eu)."""


class DataClass(Strict):
    """One data class (public, internal, confidential, personal, health ...)."""

    id: DocId
    """Stable id of the class, used by datasets, fields and guideline examples."""
    description: str = Field(min_length=1)
    """What data belongs in it, in plain words."""
    redaction: tuple[RedactionRule, ...] | None = None
    """What is masked before data of this class leaves the labeling systems (the
    published site, review queues, shared copies); ``[]`` when nothing is. Every
    class must say."""
    published: bool = True
    """Whether items of this class may appear on the guideline site at all
    (after redaction). ``false`` for data no redaction makes safe to show."""
    retention_days: int | Literal["indefinite"] | None = None
    """Days a dataset of this class is kept after its creation date, or
    ``indefinite``. Every class must say."""
    access: Access = Access()
    """Roles, vendors and regions cleared for it."""

    @field_validator("retention_days")
    @classmethod
    def _positive(cls, value: int | str | None) -> int | str | None:
        if isinstance(value, int) and value <= 0:
            raise ValueError("retention must be a positive number of days, or 'indefinite'")
        return value

    @property
    def requires_redaction(self) -> bool:
        return bool(self.redaction)


class FieldClass(Strict):
    """The class of one field of a dataset (a field holding free text typed by
    customers is personal even when the dataset as a whole is internal)."""

    field: str = Field(min_length=1)
    """Column or JSON key, as in the dataset."""
    data_class: DocId
    """Id of the class its values belong to."""
    dataset: DocId | None = None
    """Id of the registered dataset; omit for a field of that name in every dataset."""


class Privacy(Strict):
    """The organisation's privacy policy."""

    taxops: Literal["privacy/1"]
    """File format marker: this file is the privacy policy, format version 1."""
    owners: tuple[Owner, ...] = ()
    """Who approves changes to it (the privacy officer): @user, @org/team or
    emails. Used for CODEOWNERS."""
    classes: tuple[DataClass, ...] = Field(min_length=1)
    """The data classes, from least to most sensitive."""
    detectors: tuple[Detector, ...] = ()
    """Patterns added to the built-in detectors (email, phone, payment_card, iban)."""
    phone_regions: tuple[str, ...] = ("US",)
    """Countries (ISO 3166 alpha-2, e.g. US, GB, DE) whose national phone number
    formats are recognised without a leading +country code."""
    fields: tuple[FieldClass, ...] = ()
    """Which dataset fields hold which class."""
    example_class: DocId | None = None
    """Class of a guideline example that names none. Omitted: such an example is
    treated as public, and the site build fails if a detector finds personal
    data in it."""

    @field_validator("phone_regions")
    @classmethod
    def _regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for region in value:
            if not re.fullmatch(r"[A-Z]{2}", region):
                raise ValueError(f"'{region}' is not a country code; write two capitals, e.g. US")
        return value

    def data_class(self, class_id: str) -> DataClass | None:
        return next((c for c in self.classes if c.id == class_id), None)

    def detector_ids(self) -> set[str]:
        return {d.value for d in BuiltinDetector} | {d.id for d in self.detectors}
