"""A CSV of labels, as teams keep them in spreadsheets and publishers
publish them, in one of three shapes:

- **paths**: one column of category paths (``Vehicles > Trucks > Heavy``, or
  with ``/``), every level becoming a label, parents before children;
- **rows**: a column of ids and one of names, and optionally ``parent``,
  ``level``, ``definition``, ``aliases`` (separated by ``|``), ``status`` and
  ``replaced_by`` (``|``);
- **a pair of columns per level** (UNSPSC, GS1's GPC): a code and a name for
  each level, a row a path (:mod:`~taxops.interchange.level_columns`).

A column is known by its header's words, so a publisher's table is read as it
is published: ``code`` or ``2017 NAICS US Code`` is the id, ``title`` or
``Class Title`` the name, ``description`` the definition, ``Parent code`` the
parent. Where the table has no parent column, the parents come from a
``level`` column, else from the codes themselves
(:mod:`~taxops.interchange.table_parents`); the report says which.

The delimiter (comma, semicolon, tab) and a UTF-8 byte-order mark are detected,
as spreadsheets write them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence

from taxops.diagnostics import TaxopsError
from taxops.interchange.imported import (
    Imported,
    ImportedLabel,
    file_stem,
    is_label_id,
    slug,
    taxonomy_slug,
    title_of,
    top_level_when_unknown,
    unique,
)
from taxops.interchange.level_columns import labels_from_levels, levels
from taxops.interchange.table_header import CODE_WORDS, NAME_WORDS, header_words, plain_words
from taxops.interchange.table_parents import Rows, assign_parents
from taxops.models.ids import MAX_ID_LENGTH
from taxops.textfiles import csv_rows

#: The most levels a path's ids can have and stay within MAX_ID_LENGTH.
MAX_PATH_LEVELS = MAX_ID_LENGTH // 2

PATH_SEPARATORS = (" > ", ">", " / ", "/")
STATUSES = ("active", "deprecated", "retired")

#: What a column holds, by the words of its header, in the order the roles
#: are given out: a "Parent code" column is the parent, not the id.
_ROLE_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("path", frozenset({"path"})),
    ("replaced_by", frozenset({"replaced_by", "replacedby"})),
    ("parent", frozenset({"parent", "parents", "broader", "parentid", "parentcode"})),
    ("id", CODE_WORDS | {"num", "number"}),
    ("name", NAME_WORDS),
    (
        "definition",
        frozenset({"definition", "description", "desc", "descr", "scopenote", "explanation"}),
    ),
    ("aliases", frozenset({"aliases", "alias", "synonyms", "synonym", "altlabel"})),
    ("level", frozenset({"level", "depth"})),
    ("status", frozenset({"status"})),
)


def looks_like_table(text: str) -> bool:
    """Whether a text file (a ``.txt``) is a table with a header row: its
    first line splits into columns, one of them headed like an id or a name
    (the UN's ``ISIC_Rev_4_english_structure.txt``: ``"Code","Description"``)."""
    first = next((line for line in text[:8192].splitlines() if line.strip()), "")
    for delimiter in (",", ";", "\t", "|"):
        cells = next(csv.reader([first], delimiter=delimiter), [])
        if len(cells) >= 2 and any(
            header_words(cell) & (CODE_WORDS | NAME_WORDS | {"description"}) for cell in cells
        ):
            return True
    return False


def import_csv(
    text: str,
    origin: str,
    path_separator: str | None = None,
    parents_from: str | None = None,
    lang: str = "en",
    code_levels: Sequence[int] | None = None,
) -> Imported:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise TaxopsError(f"{origin} is empty")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    rows = list(csv_rows(text, origin, dialect))
    return import_rows(rows, origin, path_separator, parents_from, lang, code_levels)


def import_rows(
    rows: list[list[str]],
    origin: str,
    path_separator: str | None = None,
    parents_from: str | None = None,
    lang: str = "en",
    code_levels: Sequence[int] | None = None,
) -> Imported:
    """A table's rows (a CSV's, or a spreadsheet's sheet), in any of the shapes
    the module reads."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise TaxopsError(f"{origin} is empty")
    rows, titles = _without_title_rows(rows)
    rows = _joined_header_rows(rows)
    header = [h.strip() for h in rows[0]]
    stem = file_stem(origin)
    by_level = levels(header)
    if by_level:
        if parents_from is not None or code_levels:
            raise TaxopsError(
                f"{origin} has a pair of columns per level: each code's parent is the code "
                "to its left",
                "leave out --parents-from and --code-levels",
            )
        labels, notes = labels_from_levels(rows, by_level, origin)
        return _imported(stem, labels, [*titles, *notes])
    columns, notes = _columns(header, lang)
    notes[:0] = titles
    if "id" in columns and "name" in columns:
        return _rows(rows, columns, notes, origin, stem, parents_from, code_levels)
    if parents_from not in (None, "none") or code_levels:
        raise TaxopsError(
            f"{origin} has no id column: its labels are paths, whose parents are the paths' levels",
            "leave out --parents-from and --code-levels, or give the table an id (or code) column",
        )
    column = columns.get("path", 0)
    body = rows[1:] if "path" in columns or not _looks_like_path(rows[0][column]) else rows
    imported = _paths([r[column] for r in body if len(r) > column], origin, stem, path_separator)
    imported.notes[:0] = titles
    return imported


#: Words that end a header word naming the field: ``hscode``, ``categoryname``.
_SUFFIXES = {"id": ("code",), "name": ("name", "title")}


#: The last word of a header that holds a code's text, not the code:
#: ``Code Title``, ``Code Description``, LOINC's ``CODE_TEXT``.
_TEXT_LAST = NAME_WORDS | {"text", "description", "desc", "descr"}


def _says(header: str, words: set[str], role: str, known: frozenset[str]) -> bool:
    """Whether a header with these words holds ``role``: one of its words, or
    for ids and names a word ending like one (``hscode``, ``classtitle``). A
    header that ends in a word for text is no id, whatever it starts with
    (``CODE_TEXT``); ``<code> text`` is a name."""
    last = (plain_words(header) or [""])[-1]
    if role == "id" and last in _TEXT_LAST:
        return False
    if role == "name" and last == "text" and words & CODE_WORDS:
        return True
    if words & known:
        return True
    ends = _SUFFIXES.get(role, ())
    return any(w.endswith(ends) and w.isalpha() and len(w) > 4 for w in words)


def _columns(header: list[str], lang: str = "en") -> tuple[dict[str, int], list[str]]:
    """Which column holds what, from the header's words (a header that is
    exactly a role's name first), and what the report says about it: the
    columns not carried over, and a column taken among several that could be.
    Names in several languages (``Title (en)``, ``name_fr``; CPV's columns
    ``EN``, ``DE``...) are taken in ``lang``."""
    notes: list[str] = []
    speaks = lang.lower().split("-")[0]
    words = [header_words(h) for h in header]
    taken: dict[str, int] = {}
    for role, _ in _ROLE_WORDS:  # exact names first: 'id' beats 'code'
        exact = [i for i, h in enumerate(header) if h.lower() == role]
        if exact:
            taken[role] = exact[0]
    for role, known in _ROLE_WORDS:
        if role in taken:
            continue
        free = [
            i
            for i in range(len(header))
            if i not in taken.values() and _says(header[i], words[i], role, known)
        ]
        if role == "name" and len(free) > 1:
            # Names in several languages: the one asked for first.
            free.sort(key=lambda i: speaks not in words[i])
        if role == "id" and len(free) > 1:
            # A code before a number: "2017 NAICS US Code" is the id, "Seq. No." is not.
            free.sort(key=lambda i: not words[i] & CODE_WORDS)
        if free:
            taken[role] = free[0]
            if len(free) > 1:
                others = ", ".join(repr(header[i]) for i in free[1:])
                notes.append(
                    f"the {role} is read from column {header[free[0]]!r}, not from {others} "
                    "(rename the columns to choose)"
                )
    languages = [
        i for i, h in enumerate(header) if i not in taken.values() and _LANGUAGE.fullmatch(h)
    ]
    if "id" in taken and "name" not in taken and languages:
        # A column per language, headed by its code (CPV: CODE, BG, CS, ... EN).
        chosen = next((i for i in languages if header[i].lower().split("-")[0] == speaks), None)
        taken["name"] = languages[0] if chosen is None else chosen
        why = "the language asked for" if chosen is not None else f"no column is in {lang}"
        notes.append(
            f"names are read from column {header[taken['name']]!r} ({why}; --lang chooses)"
        )
    if "id" in taken and "name" not in taken and "definition" in taken:
        # A code list's one text column is its titles, however it is headed.
        taken["name"] = taken.pop("definition")
        notes.append(f"names are read from column {header[taken['name']]!r}")
    # A path column is read only when the table has no id and name (below).
    used = {i for role, i in taken.items() if role != "path"}
    extra = [h for i, h in enumerate(header) if i not in used and h]
    if extra and "id" in taken and "name" in taken:
        notes.append(f"columns not carried over: {', '.join(extra)}")
    return taken, notes


def _without_title_rows(rows: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """The rows from the header on, and a note naming the title rows above it:
    a sheet often opens with a line of one cell (``UNSPSC Codeset v26``) before
    its column names. Only a table of several columns has title rows."""
    head = next((i for i, r in enumerate(rows[:10]) if sum(1 for c in r if c.strip()) >= 2), 0)
    if head == 0:
        return rows, []
    shown = "; ".join(next(c.strip() for c in r if c.strip()) for r in rows[:head])
    return rows[head:], [f"title rows above the column names left out: {shown}"]


#: Header words a second header row under group names holds (``Code``, ``Title``).
_FIELD_WORDS = frozenset(w for _, known in _ROLE_WORDS for w in known) | {"no"}


def _joined_header_rows(rows: list[list[str]]) -> list[list[str]]:
    """A sheet whose header is two rows, group names over field names
    (``Segment`` over ``Code``, ``Title``; the group written once, as a merged
    cell is), read as one: ``Segment Code``, ``Segment Title``. The second row
    is a header when each of its cells is one or two field words and the first
    leaves cells empty over it (a row of data never reads so)."""
    if len(rows) < 2:
        return rows
    first, second = rows[0], rows[1]
    cells = [c.strip() for c in second if c.strip()]
    fields = len(cells) >= 2 and all(
        0 < len(words := plain_words(c)) <= 2 and set(words) <= _FIELD_WORDS for c in cells
    )
    merged = any(  # a group over several fields leaves cells of the first row empty
        not (first[i].strip() if i < len(first) else "") for i, c in enumerate(second) if c.strip()
    )
    if not fields or not merged or not any(c.strip() for c in first):
        return rows
    joined, group = [], ""
    for i in range(max(len(first), len(second))):
        top = first[i].strip() if i < len(first) else ""
        group = top or group
        below = second[i].strip() if i < len(second) else ""
        joined.append(f"{group} {below}".strip() if below else top)
    return [joined, *rows[2:]]


def _looks_like_path(cell: str) -> bool:
    return any(sep.strip() in cell for sep in PATH_SEPARATORS)


def _rows(
    rows: list[list[str]],
    col: dict[str, int],
    notes: list[str],
    origin: str,
    stem: str,
    parents_from: str | None,
    code_levels: Sequence[int] | None,
) -> Imported:
    labels: list[ImportedLabel] = []
    raw_ids: list[str] = []
    levels: list[str] = []
    kept: list[list[str]] = []  # the rows the labels come from
    taken: set[str] = set()
    renamed: dict[str, str] = {}
    listed: set[str] = set()  # the codes read so far
    again: dict[str, list[int]] = {}  # the lines of a code's later rows

    def cell(row: list[str], name: str) -> str:
        i = col.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    for line, row in enumerate(rows[1:], start=2):
        raw = cell(row, "id")
        name = cell(row, "name")
        if not raw or not name:
            notes.append(f"{origin}:{line}: no id or no name: row skipped")
            continue
        if raw in listed:
            # A code under several parents (LOINC's multiaxial hierarchy, an
            # export of a polyhierarchy): a label has one parent, its first row's.
            again.setdefault(raw, []).append(line)
            continue
        listed.add(raw)
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
        raw_ids.append(raw)
        kept.append(row)
        levels.append(cell(row, "level"))
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
    if again:
        shown = ", ".join(
            f"'{code}' (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines[:3]))}"
            f"{', ...' if len(lines) > 3 else ''})"
            for code, lines in list(again.items())[:5]
        )
        more = f" and {len(again) - 5:,} more" if len(again) > 5 else ""
        notes.append(
            f"{len(again):,} code{'s are' if len(again) != 1 else ' is'} listed again in later "
            f"rows: {shown}{more}; a label has one parent, its first row's (those rows are "
            "left out)"
        )
    table = Rows(rows[0], kept, col, raw_ids, levels)
    assign_parents(table, labels, notes, origin, parents_from, code_levels)
    for label in labels:
        if label.parent in renamed:
            label.parent = renamed[label.parent]
        label.replaced_by = [renamed.get(r, r) for r in label.replaced_by]
    top_level_when_unknown(labels, notes)
    return _imported(stem, labels, notes)


#: A header that is a language code: ``EN``, ``de``, ``pt-BR``, ``zh_Hans``.
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?")


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
        title=title_of(stem),
        kind="hierarchical" if hierarchical else "single-label",
        labels=labels,
        notes=notes,
    )
