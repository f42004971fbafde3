"""A CSV of labels, as teams keep them in spreadsheets, in one of two shapes:

- **paths**: one column of category paths (``Vehicles > Trucks > Heavy``, or
  with ``/``), every level becoming a label, parents before children;
- **rows**: columns ``id``, ``name`` and optionally ``parent``, ``definition``,
  ``aliases`` (separated by ``|``), ``status`` and ``replaced_by`` (``|``).
  Publishers' tables say ``code`` and ``title``: read as ``id`` and ``name``
  when those are not there.

The delimiter (comma, semicolon, tab) and a UTF-8 byte-order mark are detected,
as spreadsheets write them.
"""

from __future__ import annotations

import csv

from taxops.diagnostics import TaxopsError
from taxops.interchange.imported import (
    Imported,
    ImportedLabel,
    is_label_id,
    slug,
    taxonomy_slug,
    unique,
)
from taxops.models.ids import MAX_ID_LENGTH
from taxops.textfiles import csv_rows

#: The most levels a path's ids can have and stay within MAX_ID_LENGTH.
MAX_PATH_LEVELS = MAX_ID_LENGTH // 2

PATH_SEPARATORS = (" > ", ">", " / ", "/")
STATUSES = ("active", "deprecated", "retired")


def import_csv(text: str, origin: str, path_separator: str | None = None) -> Imported:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise TaxopsError(f"{origin} is empty")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    rows = [r for r in csv_rows(text, origin, dialect) if any(c.strip() for c in r)]
    header = _canonical([h.strip().lower() for h in rows[0]])
    stem = origin.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if "id" in header and "name" in header:
        return _rows(rows, header, origin, stem)
    column = header.index("path") if "path" in header else 0
    body = rows[1:] if "path" in header or not _looks_like_path(rows[0][column]) else rows
    return _paths([r[column] for r in body if len(r) > column], origin, stem, path_separator)


#: Column names publishers use for what a row of labels calls ``id`` and ``name``.
_SYNONYMS = (("code", "id"), ("title", "name"))


def _canonical(header: list[str]) -> list[str]:
    """``header`` with a publisher's ``code`` and ``title`` read as ``id`` and
    ``name`` (when the table has no column of that name)."""
    out = list(header)
    for theirs, ours in _SYNONYMS:
        if ours not in out and theirs in out:
            out[out.index(theirs)] = ours
    return out


def _looks_like_path(cell: str) -> bool:
    return any(sep.strip() in cell for sep in PATH_SEPARATORS)


def _rows(rows: list[list[str]], header: list[str], origin: str, stem: str) -> Imported:
    notes: list[str] = []
    col = {name: i for i, name in enumerate(header)}
    known = {"id", "name", "parent", "definition", "aliases", "status", "replaced_by"}
    extra = [h for h in header if h not in known]
    if extra:
        notes.append(f"columns not carried over: {', '.join(extra)}")
    labels: list[ImportedLabel] = []
    taken: set[str] = set()
    renamed: dict[str, str] = {}

    def cell(row: list[str], name: str) -> str:
        i = col.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    for line, row in enumerate(rows[1:], start=2):
        raw = cell(row, "id")
        name = cell(row, "name")
        if not raw or not name:
            notes.append(f"{origin}:{line}: no id or no name: row skipped")
            continue
        label_id = raw if is_label_id(raw) else slug(raw)
        label_id = unique(label_id, taken)
        if label_id != raw:
            renamed[raw] = label_id
            notes.append(
                f"{origin}:{line}: {raw!r} cannot be an id as it is: its id is '{label_id}'"
            )
        status = cell(row, "status").lower() or "active"
        if status not in STATUSES:
            notes.append(f"{origin}:{line}: unknown status '{status}': read as active")
            status = "active"
        aliases = [a.strip() for a in cell(row, "aliases").split("|") if a.strip()]
        labels.append(
            ImportedLabel(
                id=label_id,
                name=name,
                parent=cell(row, "parent") or None,
                definition=cell(row, "definition") or None,
                aliases=aliases,
                status=status,
                replaced_by=[r.strip() for r in cell(row, "replaced_by").split("|") if r.strip()],
            )
        )
    for label in labels:
        if label.parent in renamed:
            label.parent = renamed[label.parent]
        label.replaced_by = [renamed.get(r, r) for r in label.replaced_by]
    return _imported(stem, labels, notes)


def _paths(cells: list[str], origin: str, stem: str, separator: str | None) -> Imported:
    separator = separator or next((s for s in PATH_SEPARATORS if any(s in c for c in cells)), " > ")
    notes: list[str] = []
    labels: list[ImportedLabel] = []
    by_path: dict[tuple[str, ...], str] = {}
    taken: set[str] = set()
    for n, cell in enumerate(cells, start=1):
        parts = tuple(p.strip() for p in cell.split(separator) if p.strip())
        if len(parts) > MAX_PATH_LEVELS:
            # Each level adds at least two characters to the ids made from the
            # path, so a deeper path can never give valid ids; building them
            # costs the square of the depth (a 5,000-level row ran for minutes).
            raise TaxopsError(
                f"{origin}, path {n:,}: {len(parts):,} levels; the ids "
                f"made from it would be longer than {MAX_ID_LENGTH} characters",
                "check the level separator (--path-separator), or give the labels an id column",
            )
        for depth in range(1, len(parts) + 1):
            path = parts[:depth]
            if path in by_path:
                continue
            parent = by_path.get(path[:-1]) if depth > 1 else None
            wanted = f"{parent}.{slug(path[-1])}" if parent else slug(path[-1])
            label_id = unique(wanted, taken)
            by_path[path] = label_id
            labels.append(ImportedLabel(id=label_id, name=path[-1], parent=parent))
    if not labels:
        raise TaxopsError(f"{origin} has no category paths")
    notes.append("ids were made from the names (the CSV has no id column)")
    return _imported(stem, labels, notes)


def _imported(stem: str, labels: list[ImportedLabel], notes: list[str]) -> Imported:
    """The taxonomy, named after the file (``my-labels.csv`` -> ``my-labels``)."""
    hierarchical = any(label.parent for label in labels)
    return Imported(
        id=taxonomy_slug(stem),
        title=stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Imported labels",
        kind="hierarchical" if hierarchical else "single-label",
        labels=labels,
        notes=notes,
    )
