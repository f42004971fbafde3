"""Versions: parsed once here, then only compared and printed.

Two schemes, one order. A **semantic version** (semver.org 2.0.0:
``MAJOR.MINOR.PATCH``, pre-releases sorting before their release) says in its
number how much changed. A **calendar version** (``2023``, ``2024.1``,
``2016.09.01``, ``2021-09-21``: one to four numbers joined by ``.`` or ``-``)
says when; it only has to increase. Both are ordered by their numbers, part by
part, so a taxonomy that moves from one scheme to the other still has an order,
and a version compares equal to the same numbers written in the other scheme.
A version prints as it was written (``2016.09.01`` keeps its zeros): that text
is also the name of its release file.
"""

from __future__ import annotations

import re
from functools import total_ordering
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # pydantic is loaded by the models that hold versions, not by comparing them
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import core_schema

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_CALVER = re.compile(r"^[0-9]{1,9}(?:[.-][0-9]{1,9}){0,3}$")

Key = tuple[tuple[int, ...], bool, tuple[tuple[int, int, str], ...]]


@total_ordering
class Version:
    """A version of any scheme: ordered, hashable, printed as written. Build one
    with :func:`parse_version` (or a scheme's class)."""

    __slots__ = ("text",)
    scheme: ClassVar[str] = "any"
    #: The versions of this scheme, for messages and the JSON Schema.
    pattern: ClassVar[str] = f"(?:{_SEMVER.pattern})|(?:{_CALVER.pattern})"

    text: str

    def _key(self) -> Key:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key() == other._key()

    def __lt__(self, other: Version) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{self.text}')"

    @classmethod
    def from_text(cls, text: str) -> Version:
        """Parse ``text`` as a version of this class's scheme (any: semver first)."""
        return parse_version(text)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        from pydantic_core import core_schema

        def parse(value: Any) -> Version:
            if isinstance(value, cls):
                return value
            return cls.from_text(version_text(value, cls.scheme))

        return core_schema.no_info_plain_validator_function(
            parse,
            json_schema_input_schema=core_schema.str_schema(pattern=cls.pattern),
            serialization=core_schema.to_string_ser_schema(),
        )


class SemVer(Version):
    """A semantic version (semver.org 2.0.0), ordered by precedence."""

    __slots__ = ("build", "major", "minor", "patch", "prerelease")
    scheme = "semver"
    pattern = _SEMVER.pattern

    def __init__(self, text: str) -> None:
        m = _SEMVER.fullmatch(text)
        if not m:
            hint = (
                " (a calendar version? declare 'versioning: calver')"
                if _CALVER.fullmatch(text)
                else ""
            )
            raise ValueError(
                f"'{text}' is not a semantic version; write MAJOR.MINOR.PATCH, e.g. 1.4.0{hint}"
            )
        self.text = text
        self.major, self.minor, self.patch = (int(m.group(i)) for i in (1, 2, 3))
        self.prerelease: tuple[str, ...] = tuple(m.group(4).split(".")) if m.group(4) else ()
        self.build = m.group(5) or ""

    @classmethod
    def from_text(cls, text: str) -> SemVer:
        return cls(text)

    def _key(self) -> Key:
        # A release sorts after its pre-releases; numeric identifiers before alphanumeric.
        pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.prerelease)
        return ((self.major, self.minor, self.patch), not self.prerelease, pre)

    def bumped(self, part: str) -> SemVer:
        """The smallest version that makes a ``part`` (major/minor/patch) bump."""
        if part == "major":
            return SemVer(f"{self.major + 1}.0.0")
        if part == "minor":
            return SemVer(f"{self.major}.{self.minor + 1}.0")
        return SemVer(f"{self.major}.{self.minor}.{self.patch + 1}")

    def release(self) -> SemVer:
        """The release a pre-release leads to (itself for a release)."""
        return SemVer(f"{self.major}.{self.minor}.{self.patch}")


class CalVer(Version):
    """A calendar version: numbers joined by ``.`` or ``-`` (``2016.09.01``)."""

    __slots__ = ("parts",)
    scheme = "calver"
    pattern = _CALVER.pattern

    def __init__(self, text: str) -> None:
        if not _CALVER.fullmatch(text):
            raise ValueError(
                f"'{text}' is not a calendar version; write numbers joined by '.', "
                "e.g. 2024, 2024.1 or 2016.09.01"
            )
        self.text = text
        self.parts = tuple(int(p) for p in re.split(r"[.-]", text))

    @classmethod
    def from_text(cls, text: str) -> CalVer:
        return cls(text)

    def _key(self) -> Key:
        return (self.parts, True, ())


SCHEMES: dict[str, type[Version]] = {"semver": SemVer, "calver": CalVer}


def parse_version(text: str, scheme: str | None = None) -> Version:
    """``text`` as a version of ``scheme`` (``semver`` or ``calver``); without a
    scheme, a semantic version when it is one, else a calendar version."""
    if scheme is not None:
        return SCHEMES[scheme].from_text(text)
    if _SEMVER.fullmatch(text):
        return SemVer(text)
    if _CALVER.fullmatch(text):
        return CalVer(text)
    raise ValueError(
        f"'{text}' is not a version; write MAJOR.MINOR.PATCH (e.g. 1.4.0) or a calendar "
        "version (e.g. 2024.1)"
    )


def version_text(value: Any, scheme: str) -> str:
    """The text of a version as YAML gave it: text as is; a whole number is
    read as written for calendar versions (``version: 2023``); any other number
    lost its writing (``2024.10`` reads as 2024.1) and must be quoted."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and scheme != "semver":
        return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        # ValueError, not TypeError: pydantic reports only ValueError as a finding.
        shown = f"the number {value}" if abs(value) < 10**30 else "a huge number"
        if scheme != "calver":
            raise ValueError(
                f"expected a version like '1.4.0', got {shown}; "
                "write all three parts (MAJOR.MINOR.PATCH)"
                + ("" if scheme == "semver" else ", or a calendar version in quotes")
            )
        raise ValueError(
            f"expected a version, got {shown}; write it in quotes, as text: unquoted, YAML "
            "reads a number and drops trailing zeros (2024.10 becomes 2024.1)"
        )
    raise ValueError(f"expected a version like '1.4.0', got {type(value).__name__} {value!r}")
