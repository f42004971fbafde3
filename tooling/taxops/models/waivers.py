"""Waivers: a team's decision to accept one finding for a while.

Kept in ``policies/waivers.yaml`` so they are reviewed like any other governed
change (CODEOWNERS can require the policy owners' approval). A waiver is scoped
and expires. A compatibility finding is named by its rule, taxonomy and label
(or its fingerprint); a validation finding (any rule ``taxops validate``
reports) by its rule, the file it is in and its label.
"""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import Field, model_validator

from taxops.models.common import DocId, Strict

WAIVERS_FORMAT = "waivers/1"


class Waiver(Strict):
    """One accepted finding."""

    rule: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    """Id of the rule whose finding is accepted: a compatibility rule (``taxops
    rules`` lists them) with ``taxonomy``, or any validation rule with ``file``."""
    taxonomy: DocId | None = None
    """Id of the taxonomy a compatibility finding is about."""
    file: str | None = Field(default=None, min_length=1)
    """For a validation finding: the file it is in, as findings show it
    (relative to the repository root, e.g.
    ``taxonomies/products/releases/2019.07.10.yaml``)."""
    label: str | None = None
    """The label the finding is about. Omit it (and ``fingerprint``) to accept a
    finding about no label, such as ``kind-changed``."""
    fingerprint: str | None = Field(default=None, pattern=r"^[0-9a-f]{12}$")
    """The finding's fingerprint (``data.fingerprint`` in ``taxops check --format
    json``), to accept exactly one finding when a label has several of one rule."""
    reason: str = Field(min_length=1)
    """Why the finding is acceptable, for reviewers."""
    owner: str = Field(min_length=1)
    """Who decided and answers for it: an email or an @team handle."""
    expires: datetime.date
    """The last day the waiver applies (YYYY-MM-DD); after it, the finding is reported again."""

    @model_validator(mode="after")
    def _scoped(self) -> Waiver:
        if self.label is not None and self.fingerprint is not None:
            raise ValueError("give either 'label' or 'fingerprint', not both")
        if (self.taxonomy is None) == (self.file is None):
            raise ValueError(
                "give 'taxonomy' (a compatibility finding) or 'file' (a validation finding)"
            )
        if self.file is not None and self.fingerprint is not None:
            raise ValueError(
                "a validation finding is named by 'file' and 'label', not 'fingerprint'"
            )
        return self

    @property
    def scope(self) -> str:
        """The waiver's scope in words, for messages."""
        if self.file:
            return f"{self.file}" + (f" label `{self.label}`" if self.label else "")
        if self.fingerprint:
            return f"`{self.taxonomy}` finding {self.fingerprint}"
        if self.label:
            return f"`{self.taxonomy}` label `{self.label}`"
        return f"taxonomy `{self.taxonomy}`"


class Waivers(Strict):
    """The repository's waivers file (``policies/waivers.yaml``)."""

    taxops: Literal["waivers/1"]
    """File format marker: this file lists waivers, format version 1."""
    waivers: tuple[Waiver, ...] = ()
    """The accepted findings."""
