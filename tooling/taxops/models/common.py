"""Types shared by every governed file: label id references, versions, owners."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from taxops.models.characters import forbidden_character
from taxops.versioning.versions import SemVer

__all__ = ["DocId", "LabelId", "Owner", "Region", "SemVer", "Share", "Strict"]


def _label_reference(value: str) -> str:
    """Any id some taxonomy may declare; whether it has *this* taxonomy's shape
    and exists there is checked across files, where the taxonomy is known."""
    bad = forbidden_character(value)
    if bad is not None:
        raise ValueError(f"a label id never holds {bad}")
    if value != value.strip():
        raise ValueError(f"'{value}' starts or ends with a space; label ids never do")
    return value


#: A reference to a label id (in guidelines and policies): text as the taxonomy
#: writes the id, compared exactly. The taxonomy's ``ids:`` decides its shape.
LabelId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200),
    AfterValidator(_label_reference),
]
#: Identifiers of governed documents (taxonomies, vendors, datasets): kebab or snake case.
DOC_ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
DocId = Annotated[str, StringConstraints(pattern=DOC_ID_PATTERN, max_length=100)]


class Strict(BaseModel):
    """Base for governed models: unknown keys are errors (a typo must not pass
    silently), field docstrings become the JSON Schema descriptions."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        str_strip_whitespace=False,
    )


#: A region where data is stored or processed, as the privacy policy names it
#: (``eu``, ``us``, ``eu-west``): lowercase, kebab case.
REGION_PATTERN = r"^[a-z][a-z0-9-]*$"
Region = Annotated[str, StringConstraints(pattern=REGION_PATTERN, max_length=50)]
#: Who owns a governed file, in a form CODEOWNERS accepts: ``@user``,
#: ``@org/team`` or an email address.
OWNER_PATTERN = r"^(@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9][A-Za-z0-9._-]*)?|[^@\s]+@[^@\s]+\.[^@\s]+)$"


def _owner(value: str) -> str:
    if not re.fullmatch(OWNER_PATTERN, value):  # '$' alone lets a trailing newline by
        raise ValueError(
            f"'{value[:60]}' is not an owner CODEOWNERS understands; "
            "write @user, @org/team or an email address"
        )
    return value


Owner = Annotated[
    str,
    StringConstraints(max_length=200),
    AfterValidator(_owner),
    WithJsonSchema({"type": "string", "pattern": OWNER_PATTERN, "maxLength": 200}),
]
#: A share of items, 0 to 1 (0.05 = 5 %).
Share = Annotated[float, Field(ge=0, le=1)]
