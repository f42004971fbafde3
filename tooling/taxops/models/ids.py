"""Label ids as a taxonomy publishes them.

A label id is what datasets store, so taxops keeps it exactly as written: it is
never lower-cased, trimmed or otherwise normalised, and ids are compared byte
for byte everywhere. What an id may look like is the taxonomy's own choice,
declared in its ``ids:`` field:

* ``slug`` (the default): lowercase dotted segments, ``vehicle.truck_heavy``;
* ``code``: a published code as it is, ``150``, ``A00.0``, ``31-33``,
  ``80DV8O``, ``weiß_schwarz``: any text without whitespace;
* ``{pattern: REGEX, case: sensitive|insensitive}``: the publisher's own rule.

Whatever the shape, an id never holds control characters, invisible characters
(zero-width spaces, joiners, fillers) or bidirectional controls: two ids that
look the same must be the same id.

``case`` says whether case carries meaning. ``sensitive`` (the default for
``code`` and patterns): ``80DV8O`` and ``80dv8o`` are two labels, and a dataset
value is matched to a label only with the same case. ``insensitive``: ids that
differ only in case are the same id (a duplicate), and a dataset value that
equals an id but for case is repaired to the id's spelling. Slugs are lowercase,
so case never tells two of them apart, and they are matched case-insensitively.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any

from pydantic import Discriminator, Tag, field_validator, model_validator

from taxops.models.characters import forbidden_character
from taxops.models.common import Strict

#: Today's rule, the ``slug`` preset: lowercase, dotted segments.
SLUG_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9_]*)*$"
#: Longer than any published code; bounds what a dataset column must hold.
MAX_ID_LENGTH = 200
_SLUG_BODY = SLUG_PATTERN.removeprefix("^").removesuffix("$").replace("(", "(?:")
#: One slug. Matched id by id (``map`` in C): one match over all the ids joined
#: kept the regex engine's repeat stack for every id, about 100 MB at 200,000 ids.
_SLUG = re.compile(_SLUG_BODY)


class IdPreset(str, enum.Enum):
    """A named id shape."""

    SLUG = "slug"
    """Lowercase letters, digits and ``_``, with ``.`` between segments
    (``vehicle.truck_heavy``). The default."""
    CODE = "code"
    """A published code as it is: any text without whitespace (``150``,
    ``A00.0``, ``31-33``, ``80DV8O``)."""


class IdCase(str, enum.Enum):
    """Whether case carries meaning in ids."""

    SENSITIVE = "sensitive"
    """``A1`` and ``a1`` are two labels; values are matched with their case."""
    INSENSITIVE = "insensitive"
    """``A1`` and ``a1`` are one id (a duplicate); a value in another case is
    repaired to the id's spelling."""


class IdReuse(str, enum.Enum):
    """Whether an id may ever take another meaning."""

    FORBIDDEN = "forbidden"
    """Never: an id used in any release keeps its meaning (the default)."""
    DECLARED = "declared"
    """When the version declares it (a publisher's crosswalk reuses a code and
    says where the items with the old meaning go); still reported."""


class IdShape(Strict):
    """The shape of a taxonomy's label ids, in full: a preset or a pattern, and
    the case rule."""

    preset: IdPreset | None = None
    """``slug`` or ``code`` (give this or ``pattern``)."""
    pattern: str | None = None
    """A regular expression every id must match in full (Python syntax), e.g.
    ``'[A-Z][0-9]{2}(\\.[0-9]{1,2})?'`` for ICD-10 style codes."""
    case: IdCase | None = None
    """``sensitive`` or ``insensitive``; default: insensitive for slugs (they
    are lowercase), sensitive otherwise."""
    reuse: IdReuse = IdReuse.FORBIDDEN
    """``forbidden`` (default): an id never takes another meaning; ``declared``:
    a declared reuse is accepted (and reported)."""

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"'{value}' is not a valid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _one_shape(self) -> IdShape:
        if (self.preset is None) == (self.pattern is None):
            raise ValueError("give either 'preset' (slug or code) or 'pattern', one of them")
        return self


def _shape_tag(value: Any) -> str:
    return "preset" if isinstance(value, str | IdPreset) else "shape"


#: What ``ids:`` holds: a preset name, or the full shape as a mapping.
IdsField = Annotated[
    Annotated[IdPreset, Tag("preset")] | Annotated[IdShape, Tag("shape")],
    Discriminator(_shape_tag),
]


@dataclass(frozen=True)
class IdRule:
    """A taxonomy's id shape, ready to check ids and compare them."""

    preset: IdPreset | None
    pattern: str | None
    case: IdCase
    reuse: IdReuse = IdReuse.FORBIDDEN

    @classmethod
    def of(cls, ids: IdPreset | IdShape) -> IdRule:
        shape = IdShape(preset=ids) if isinstance(ids, IdPreset) else ids
        default = IdCase.INSENSITIVE if shape.preset is IdPreset.SLUG else IdCase.SENSITIVE
        return cls(shape.preset, shape.pattern, shape.case or default, shape.reuse)

    @property
    def case_insensitive(self) -> bool:
        return self.case is IdCase.INSENSITIVE

    @cached_property
    def _regex(self) -> re.Pattern[str] | None:
        if self.preset is IdPreset.SLUG:
            return re.compile(SLUG_PATTERN)
        return re.compile(self.pattern) if self.pattern is not None else None

    def key(self, label_id: str) -> str:
        """What makes two ids the same id: the id itself, or its lower case when
        case carries no meaning."""
        return label_id.lower() if self.case_insensitive else label_id

    def problems(self, ids: Sequence[str]) -> Iterator[tuple[int, str]]:
        """``(index, problem)`` for each id with one. The ids are screened
        together first (a few passes in C over all of them joined); only when
        the screen finds something is each id asked :meth:`problem`."""
        if not self._all_fine(ids):
            for i, label_id in enumerate(ids):
                problem = self.problem(label_id)
                if problem is not None:
                    yield i, problem

    def _all_fine(self, ids: Sequence[str]) -> bool:
        """Whether every id is printable ASCII, not blank, not padded, not too
        long, and of this taxonomy's shape (a cheap, exact screen: anything it
        does not clear goes through :meth:`problem`)."""
        if not ids:
            return True
        joined = "\n".join(ids)
        if (
            joined.count("\n") != len(ids) - 1
            or not joined.isascii()
            or not joined.replace("\n", "").isprintable()
            or joined.startswith(" ")
            or joined.endswith(" ")
            or " \n" in joined
            or "\n " in joined
            or "\n\n" in joined
            or not joined
            or max(map(len, ids)) > MAX_ID_LENGTH
        ):
            return False
        if self.preset is IdPreset.SLUG:
            return all(map(_SLUG.fullmatch, ids))
        if self.preset is IdPreset.CODE:
            return " " not in joined
        regex = self._regex
        return regex is None or all(map(regex.fullmatch, ids))

    def problem(self, label_id: str) -> str | None:
        """What is wrong with ``label_id`` as an id of this shape, as the end of
        a sentence that starts with the id ("label id 'x' ..."), or None."""
        if not label_id.strip():
            return "is blank"
        if len(label_id) > MAX_ID_LENGTH:
            return f"is longer than {MAX_ID_LENGTH} characters"
        bad = forbidden_character(label_id)
        if bad is not None:
            return f"holds {bad}, which no label id may hold"
        if label_id != label_id.strip():
            return "starts or ends with a space, which no label id may"
        if self.preset is IdPreset.SLUG:
            if not self._regex or not self._regex.fullmatch(label_id):
                return (
                    "is not a valid id: use lowercase letters, digits and '_', with '.' "
                    "between segments (e.g. 'vehicle.truck_heavy')"
                )
        elif self.preset is IdPreset.CODE:
            if any(c.isspace() for c in label_id):
                return "holds a space: a code is written without spaces"
        elif self._regex is not None and not self._regex.fullmatch(label_id):
            return f"does not match this taxonomy's id pattern '{self.pattern}'"
        return None


def id_rule(ids: IdPreset | IdShape) -> IdRule:
    """The rule of a taxonomy's ``ids:`` value."""
    return IdRule.of(ids)
