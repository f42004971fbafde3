"""The one diagnostic type: everything a user must fix, from a YAML syntax error to a
breaking taxonomy change, is a :class:`Diagnostic`.

Positions are 1-based for humans. Parsers count from 0; the conversion happens in
:meth:`Location.from_zero_based` and nowhere else.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Severity(str, enum.Enum):
    """How much a finding matters. ``error`` fails validation; ``warning`` is shown
    but does not change the exit code; ``info`` is context for reviewers."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"error": 2, "warning": 1, "info": 0}


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a governed file: path as the user typed or sees it, 1-based line
    and column."""

    path: str
    line: int = 1
    column: int = 1

    @classmethod
    def from_zero_based(cls, path: str, line: int, column: int) -> Location:
        """The single place where parser positions (0-based) become human ones."""
        return cls(path, line + 1, column + 1)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding. ``rule`` is a stable kebab-case id (``duplicate-label-id``),
    ``message`` says what is wrong in the user's words, ``hint`` what to do.

    ``location`` is where the finding is in the file being checked (for a
    compatibility finding: the new version); ``previous`` is the matching place in
    the old version, when there is one; ``related`` is the place in another file
    that the finding is held against, when two files disagree.
    """

    rule: str
    severity: Severity
    message: str
    location: Location | None = None
    hint: str | None = None
    previous: Location | None = None
    #: Free-form facts for machine consumers (label id, bump required, ...).
    data: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    #: Where two files disagree: the other file's place (the privacy policy's
    #: class a dataset's vendor is not cleared for). ``location`` is the line to fix.
    related: Location | None = None

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location or self.previous
        if loc is None:
            return ("", 0, 0, self.rule)
        return (loc.path, loc.line, loc.column, self.rule)


def label_data(label: str | None) -> dict[str, object]:
    """The ``data`` of a validation finding about one label: what a waiver scoped
    to a file and a label matches."""
    return {"label": label} if label is not None else {}


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


class TaxopsError(Exception):
    """Base exception for failures the user must act on (a missing file, a bad
    argument). The CLI turns it into a message and exit code 2; a traceback never
    reaches the user.

    ``message`` and ``hint`` are one line each when printed, whatever values
    they quote (a line break in a sheet name must not forge a line of output).
    ``example`` holds lines taxops itself wrote for the user to copy (the YAML
    to add), printed as lines; never put a value from a file or argument in it."""

    def __init__(self, message: str, hint: str | None = None, example: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.example = example
