"""Reading a publisher's correspondence table: rows of old code, new code and,
when the table has them, the relationship and automatic-conversion flags.

CSV, TSV, XLSX (the first sheet, or one named) and SSSOM mapping sets are read
into the same :class:`Row` shape. Columns are named by the user or detected:

* the old and new code columns are the ones whose values are codes of the old
  and of the new version (a code only the old version has, or only the new one,
  tells them apart; otherwise headers such as ``old``/``new``, ``from``/``to`` or
  the versions themselves, then column order);
* flag columns hold yes/no values (``A``, ``Y``, ``x``, ``1``, ``true``...); one
  named ``forward``/``backward`` (or after the old and after the new code, as in
  transition tables without a header) is read as such;
* SSSOM's ``subject_id``/``object_id`` are the old and new codes, and its
  predicate gives the flags (:data:`SKOS_FLAGS`).

The rows of data start at the first row naming a code: rows above it are the
header (several header rows, as merged group cells over column names, are
joined per column; a title row of one cell is left out).

Codes are kept exactly as written, except surrounding whitespace; a number cell
of a spreadsheet is written without ``.0`` and, when its cell format pads it
with zeros, with them. Two ways publishers' tables lose or pack codes are
undone and reported (:class:`_Codes`): digits that lost their leading zeros,
and several codes in one cell.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from taxops.diagnostics import TaxopsError
from taxops.spreadsheet import read_xlsx
from taxops.textfiles import csv_dicts, csv_rows, read_published_text

#: How each SKOS (and OWL) predicate reads as (forward, backward) automatic flags:
#: old ``exactMatch`` new converts both ways; the new code is broader
#: (``broadMatch``): old items go to it by machine, not back; narrower
#: (``narrowMatch``): the reverse; ``closeMatch``: a human checks both ways.
SKOS_FLAGS: dict[str, tuple[bool, bool]] = {
    "skos:exactMatch": (True, True),
    "owl:equivalentClass": (True, True),
    "skos:broadMatch": (True, False),
    "rdfs:subClassOf": (True, False),
    "skos:narrowMatch": (False, True),
    "skos:closeMatch": (False, False),
}
NO_TERM = "sssom:NoTermFound"
_YES = {"a", "y", "yes", "true", "t", "1", "x", "auto", "automatic", "ja", "j", "oui", "si", "sí"}
_NO = {"n", "no", "false", "f", "0", "", "-", "nein", "non", "manual"}
_OLD_WORDS = re.compile(r"old|from|source|subject|previous|prior|before|alt", re.I)
_NEW_WORDS = re.compile(r"new|\bto\b|target|object|current|after|neu", re.I)
_FORWARD_WORDS = re.compile(r"forw|vorw|auto.*(old|alt)|(old|alt).*auto", re.I)
_BACKWARD_WORDS = re.compile(r"back|rück|ruck|reverse|auto.*(new|neu)|(new|neu).*auto", re.I)
_RELATION_WORDS = re.compile(r"relat|predicate|match|type|cardinal", re.I)


@dataclass(frozen=True)
class Row:
    """One correspondence of the table. ``new`` is None when the old code has no
    successor (SSSOM's ``sssom:NoTermFound``, or an empty cell)."""

    line: int
    old: str | None
    new: str | None
    forward: bool | None = None
    """Whether the publisher converts old to new automatically (None: not said)."""
    backward: bool | None = None
    """Whether new converts back to old automatically (None: not said)."""
    relationship: str | None = None
    note: str | None = None


@dataclass
class Table:
    rows: list[Row]
    columns: dict[str, str]
    """Which column was read as what: old, new, forward, backward, relationship."""
    skipped: list[str] = field(default_factory=list)
    """Rows left out, each with why (an unknown predicate, a low confidence)."""
    notes: list[str] = field(default_factory=list)
    """Cells read otherwise than written (lost leading zeros, packed codes)."""


@dataclass(frozen=True)
class Columns:
    """Column names (or 1-based numbers) the user gave; None: detect."""

    old: str | None = None
    new: str | None = None
    forward: str | None = None
    backward: str | None = None
    relationship: str | None = None
    note: str | None = None
    sheet: str | None = None
    min_confidence: float = 0.0


def require_table(path: Path) -> None:
    """Refuse a table that is not a file, before the versions it maps are read
    (seconds, for a classification's)."""
    if not path.is_file():
        raise TaxopsError(f"no such table: {path}")


def read_table(
    path: Path, old_ids: Iterable[str], new_ids: Iterable[str], given: Columns | None = None
) -> Table:
    """The rows of the table at ``path``; ``old_ids``/``new_ids`` are the codes of
    the two versions, used to find the code columns."""
    given = given or Columns()
    old_set, new_set = set(old_ids), set(new_ids)
    require_table(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        records = read_xlsx(path, given.sheet)
    else:
        text, _ = read_published_text(path)
        if _is_sssom(text):
            return _sssom(text, old_set, new_set, given.min_confidence, path)
        records = _delimited(text, "\t" if suffix in (".tsv", ".tab") else None, path)
    if not records:
        raise TaxopsError(f"{path} holds no rows")
    return _rows(records, old_set, new_set, given, str(path))


# -- reading cells ---------------------------------------------------------------


def _delimited(text: str, delimiter: str | None, origin: Path) -> list[list[str]]:
    if delimiter is None:
        sample = "\n".join(text.splitlines()[:20])
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    return [row for row in csv_rows(text, origin, delimiter) if any(row)]


# -- plain tables -------------------------------------------------------------


class _Codes:
    """How a table's cells read as codes of either version. Publishers' tables
    lose and pack codes in ways a reader must undo, each reported:

    * a spreadsheet stores ``010121`` as the number 10121 (and a CSV saved from
      it keeps ``10121``): digits that are no code, but are one once the lost
      leading zeros are put back, are that code (only when one length fits);
    * one cell names several codes (``A15.4, A15.5``, as conversion tables list
      a new code's previous codes): a cell that is no code but whose parts,
      split at commas, semicolons or spaces, include codes, is read as them.
    """

    def __init__(self, ids: set[str]) -> None:
        self.ids = ids
        self.widths = sorted({len(i) for i in ids if i.isascii() and i.isdigit()})
        self.padded: dict[str, str] = {}
        self.packed: dict[str, tuple[int, tuple[str, ...]]] = {}

    def one(self, cell: str) -> str:
        """The code a single value stands for (the value itself if none)."""
        if cell in self.ids or not (cell.isascii() and cell.isdigit()):
            return cell
        fits = [cell.zfill(w) for w in self.widths if w > len(cell) and cell.zfill(w) in self.ids]
        if len(fits) != 1:
            return cell
        self.padded.setdefault(cell, fits[0])
        return fits[0]

    def read(self, cell: str, line: int | None = None) -> tuple[str, ...]:
        """The codes a cell names: none for an empty cell, else one or several."""
        cell = cell.strip()
        if not cell:
            return ()
        code = self.one(cell)
        if code in self.ids:
            return (code,)
        parts = [p for p in _PACKED.split(cell) if p]
        if len(parts) > 1:
            codes = tuple(self.one(p) for p in parts)
            if any(c in self.ids for c in codes):
                if line is not None:
                    self.packed.setdefault(cell, (line, codes))
                return tuple(dict.fromkeys(codes))
        return (cell,)

    def is_code(self, cell: str) -> bool:
        return any(c in self.ids for c in self.read(cell))

    def notes(self) -> list[str]:
        """What was read otherwise than written, in a few lines."""
        out = []
        if self.padded:
            shown = ", ".join(f"'{k}' as '{v}'" for k, v in list(self.padded.items())[:3])
            out.append(
                f"{len(self.padded)} codes were read with the leading zeros the table lost "
                f"(a spreadsheet's number cells): {shown}"
                + (", ..." if len(self.padded) > 3 else "")
            )
        if self.packed:
            (cell, (line, codes)), *_ = self.packed.items()
            out.append(
                f"{len(self.packed)} cells name several codes, read as one row per code "
                f"(line {line}: '{cell}' as {', '.join(repr(c) for c in codes)})"
            )
        return out


_PACKED = re.compile(r"[\s,;]+")


def _header(records: list[list[str]], codes: _Codes) -> tuple[list[str] | None, int]:
    """The column names and the index of the first row of data. The data start
    at the first row naming a code; the rows above are headers, less title rows
    (one cell of text, as a sheet's merged title). Several header rows (merged
    group cells over column names) are joined per column: ``HS 2017 Code``."""
    start = next((i for i, r in enumerate(records) if any(codes.is_code(c) for c in r)), None)
    if start is None:
        return [c.strip() for c in records[0]], 1
    above = [[c.strip() for c in r] for r in records[:start]]
    above = [r for r in above if sum(1 for c in r if c) > 1]
    if not above:
        return None, start
    width = max(len(r) for r in records)
    rows = [r + [""] * (width - len(r)) for r in above]
    for row in rows[:-1]:  # a group name spans the empty cells right of it
        for i in range(1, width):
            row[i] = row[i] or row[i - 1]
    names = []
    for i in range(width):
        parts = [r[i] for r in rows if r[i]]
        names.append(" ".join(dict.fromkeys(parts)))
    return names, start


def _rows(
    records: list[list[str]], old_ids: set[str], new_ids: set[str], given: Columns, source: str
) -> Table:
    codes = _Codes(old_ids | new_ids)
    named, start = _header(records, codes)
    width = max(len(r) for r in records)
    header = named or [str(i + 1) for i in range(width)]
    header += [str(i + 1) for i in range(len(header), width)]
    body = records[start:]
    cells = [[(r[i].strip() if i < len(r) else "") for i in range(width)] for r in body]

    def pick(name: str | None, what: str) -> int | None:
        if name is None:
            return None
        if name in header:
            return header.index(name)
        ends = [i for i, h in enumerate(header) if h.endswith(f" {name}")]
        if len(ends) == 1:
            return ends[0]
        if name.isdigit() and 1 <= int(name) <= width:
            return int(name) - 1
        raise TaxopsError(
            f"{source} has no column '{name}' (for the {what} codes)",
            f"its columns: {', '.join(header)}",
        )

    old_col = pick(given.old, "old")
    new_col = pick(given.new, "new")
    if old_col is None or new_col is None:
        old_col, new_col = _code_columns(
            header, cells, old_ids, new_ids, old_col, new_col, source, codes
        )
    taken = {old_col, new_col}
    forward = pick(given.forward, "forward flag")
    backward = pick(given.backward, "backward flag")
    if given.forward is None and given.backward is None:
        forward, backward = _flag_columns(header, cells, old_col, new_col, taken)
    relationship = pick(given.relationship, "relationship")
    if relationship is None and given.relationship is None:
        relationship = next(
            (
                i
                for i, name in enumerate(header)
                if i not in taken | {forward, backward} and _RELATION_WORDS.search(name)
            ),
            None,
        )
    note = pick(given.note, "note")
    rows = []
    skipped = []
    for n, row in enumerate(cells, start + 1):
        olds = codes.read(row[old_col], n) or (None,)
        news = codes.read(row[new_col], n) or (None,)
        if olds == (None,) and news == (None,):
            continue
        rel = row[relationship] if relationship is not None else None
        fwd = _flag(row[forward]) if forward is not None else None
        bwd = _flag(row[backward]) if backward is not None else None
        if rel in SKOS_FLAGS:
            fwd, bwd = SKOS_FLAGS[rel] if fwd is None and bwd is None else (fwd, bwd)
        elif rel and rel.startswith(("skos:", "owl:", "rdfs:")):
            skipped.append(
                f"line {n}: {row[old_col]} {rel} {row[new_col]} is not a correspondence taxops reads"
            )
            continue
        text = (row[note] or None) if note is not None else None
        rows += [Row(n, o, w, fwd, bwd, rel or None, text) for o in olds for w in news]
    columns = {"old": header[old_col], "new": header[new_col]}
    for what, col in (("forward", forward), ("backward", backward), ("relationship", relationship)):
        if col is not None:
            columns[what] = header[col]
    return Table(rows, columns, skipped, codes.notes())


def _code_columns(
    header: list[str],
    cells: list[list[str]],
    old_ids: set[str],
    new_ids: set[str],
    old_col: int | None,
    new_col: int | None,
    source: str,
    reader: _Codes,
) -> tuple[int, int]:
    """The old and new code columns: by the codes only one version has, then by
    the share of codes, then by header words, then by order."""
    only_old, only_new = old_ids - new_ids, new_ids - old_ids
    stats = []
    for i in range(len(header)):
        cells_read = [reader.read(cell) for cell in {row[i] for row in cells if row[i]}]
        values = {c for read in cells_read for c in read}
        stats.append(
            (
                len(values & only_old),
                len(values & only_new),
                sum(1 for read in cells_read if any(c in reader.ids for c in read))
                / max(len(cells_read), 1),
            )
        )
    codes = [i for i, s in enumerate(stats) if s[2] >= 0.5]
    if len(codes) < 2 and (old_col is None or new_col is None):
        raise TaxopsError(
            f"cannot tell which columns of {source} hold the old and new codes: "
            f"{len(codes)} column(s) hold codes of either version",
            "name them with --old-column and --new-column",
        )

    def best(score: int, exclude: int | None, words: re.Pattern[str]) -> int:
        candidates = [i for i in codes if i != exclude]
        return max(
            candidates,
            key=lambda i: (stats[i][score], bool(words.search(header[i])), -candidates.index(i)),
        )

    if old_col is None:
        old_col = best(0, new_col, _OLD_WORDS)
    if new_col is None:
        new_col = best(1, old_col, _NEW_WORDS)
    if stats[old_col][0] == stats[new_col][0] == stats[old_col][1] == stats[new_col][1] == 0:
        # No code tells the versions apart: trust words, then order.
        old_words = [i for i in codes if _OLD_WORDS.search(header[i])]
        new_words = [i for i in codes if _NEW_WORDS.search(header[i])]
        if old_words and new_words and old_words[0] != new_words[0]:
            old_col, new_col = old_words[0], new_words[0]
    return old_col, new_col


def _flag_columns(
    header: list[str], cells: list[list[str]], old_col: int, new_col: int, taken: set[int]
) -> tuple[int | None, int | None]:
    flags = [
        i
        for i in range(len(header))
        if i not in taken
        and all(row[i].lower() in _YES | _NO for row in cells)
        and any(row[i] for row in cells)
    ]
    forward = next((i for i in flags if _FORWARD_WORDS.search(header[i])), None)
    backward = next((i for i in flags if _BACKWARD_WORDS.search(header[i]) and i != forward), None)
    if forward is None and backward is None and flags:
        # Unnamed: a flag beside the old code is about the old code's conversion
        # (forward), one beside the new code about the new code's (backward).
        forward = next((i for i in flags if i == old_col + 1 and i != new_col), None)
        backward = next((i for i in flags if i == new_col + 1 and i != forward), None)
    return forward, backward


def _flag(value: str) -> bool | None:
    low = value.strip().lower()
    if low in _YES:
        return True
    return False if low in _NO else None


# -- SSSOM --------------------------------------------------------------------


def _is_sssom(text: str) -> bool:
    head = [line for line in text.splitlines()[:200] if line and not line.startswith("#")]
    return bool(head) and {"subject_id", "object_id", "predicate_id"} <= set(head[0].split("\t"))


def _sssom(
    text: str, old_ids: set[str], new_ids: set[str], min_confidence: float, origin: Path
) -> Table:
    lines = text.splitlines()
    body_start = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
    reader = csv_dicts("\n".join(lines[body_start:]), origin, "\t")
    rows: list[Row] = []
    skipped: list[str] = []
    for n, record in enumerate(reader, body_start + 2):
        subject = _local(record.get("subject_id") or "", old_ids)
        obj_raw = (record.get("object_id") or "").strip()
        predicate = (record.get("predicate_id") or "").strip()
        confidence = _float(record.get("confidence"))
        if confidence is not None and confidence < min_confidence:
            skipped.append(f"line {n}: {subject} -> {obj_raw}: confidence {confidence} is too low")
            continue
        if obj_raw == NO_TERM:
            rows.append(Row(n, subject, None, None, None, predicate, _note(record)))
            continue
        if predicate not in SKOS_FLAGS:
            skipped.append(
                f"line {n}: {subject} {predicate} {obj_raw} is not a correspondence taxops reads"
            )
            continue
        fwd, bwd = SKOS_FLAGS[predicate]
        rows.append(Row(n, subject, _local(obj_raw, new_ids), fwd, bwd, predicate, _note(record)))
    return Table(
        rows, {"old": "subject_id", "new": "object_id", "relationship": "predicate_id"}, skipped
    )


def _local(curie: str, ids: set[str]) -> str:
    """The code a CURIE names: itself when it is a code, else its local part
    (percent-decoded when that is a code)."""
    value = curie.strip()
    if value in ids or ":" not in value:
        return value
    local = value.split(":", 1)[1]
    for candidate in (local, unquote(local)):
        if candidate in ids:
            return candidate
    return unquote(local)


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _note(record: dict[str, Any]) -> str | None:
    parts = [record.get("comment"), record.get("mapping_justification")]
    text = "; ".join(p.strip() for p in parts[:1] if p and p.strip())
    return text or None


def columns_text(table: Table) -> str:
    """Which columns were read as what, for the import's report."""
    return ", ".join(f"{what} = '{name}'" for what, name in table.columns.items())


def codes(rows: Sequence[Row]) -> tuple[set[str], set[str]]:
    """The old and the new codes the rows name."""
    return {r.old for r in rows if r.old}, {r.new for r in rows if r.new}
