"""Types shared by every governed file: label id references, versions, owners."""

from __future__ import annotations

import re
from functools import total_ordering
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import core_schema

from taxops.models.characters import forbidden_character


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

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


@total_ordering
class SemVer:
    """A semantic version (semver.org 2.0.0), ordered by precedence."""

    __slots__ = ("build", "major", "minor", "patch", "prerelease")

    def __init__(self, text: str) -> None:
        m = _SEMVER.match(text)
        if not m:
            raise ValueError(
                f"'{text}' is not a semantic version; write MAJOR.MINOR.PATCH, e.g. 1.4.0"
            )
        self.major, self.minor, self.patch = (int(m.group(i)) for i in (1, 2, 3))
        self.prerelease: tuple[str, ...] = tuple(m.group(4).split(".")) if m.group(4) else ()
        self.build = m.group(5) or ""

    def _key(self) -> tuple[Any, ...]:
        # A release sorts after its pre-releases; numeric identifiers before alphanumeric.
        pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.prerelease)
        return (self.major, self.minor, self.patch, not self.prerelease, pre)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SemVer) and self._key() == other._key()

    def __lt__(self, other: SemVer) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += "-" + ".".join(self.prerelease)
        if self.build:
            text += "+" + self.build
        return text

    def __repr__(self) -> str:
        return f"SemVer('{self}')"

    def bumped(self, part: str) -> SemVer:
        """The smallest version that makes a ``part`` (major/minor/patch) bump."""
        if part == "major":
            return SemVer(f"{self.major + 1}.0.0")
        if part == "minor":
            return SemVer(f"{self.major}.{self.minor + 1}.0")
        return SemVer(f"{self.major}.{self.minor}.{self.patch + 1}")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def parse(value: Any) -> SemVer:
            if isinstance(value, SemVer):
                return value
            if isinstance(value, int | float) and not isinstance(value, bool):
                # YAML reads 'version: 1.2' as a number before we see it. (ValueError,
                # not TypeError: pydantic reports only ValueError as a validation error.)
                shown = f"the number {value}" if abs(value) < 10**30 else "a huge number"
                raise ValueError(
                    f"expected a version like '1.4.0', got {shown}; "
                    "write all three parts (MAJOR.MINOR.PATCH)"
                )
            if not isinstance(value, str):
                raise ValueError(
                    f"expected a version like '1.4.0', got {type(value).__name__} {value!r}"
                )
            return cls(value)

        return core_schema.no_info_plain_validator_function(
            parse,
            json_schema_input_schema=core_schema.str_schema(pattern=_SEMVER.pattern),
            serialization=core_schema.to_string_ser_schema(),
        )


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
    if not re.match(OWNER_PATTERN, value):
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
