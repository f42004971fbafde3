"""A publisher's plain-text list of codes and titles, one code a line, as the
biggest classifications are distributed:

- **code and title**: ``A000    Cholera due to Vibrio cholerae 01, ...``
  (the code, spaces or a tab, the title: ICD-10-CM's ``icd10cm_codes_*.txt``,
  many national code lists);
- **the order file**: ``00001 A00     0 Cholera  ...  Cholera`` (ICD-10-CM's
  ``icd10cm_order_*.txt`` and ICD-10-PCS's: a sequence number, the code, 1
  for a code that can be used on a record and 0 for a heading, a short title
  in 60 columns, the full title). The full title is the name; the headings are
  the labels above the codes, and when they are exactly the codes with codes
  under them the taxonomy is ``leaf_only`` (only a code valid on a record is
  put on an item).

Codes are ids exactly as written (``ids: code``). Their parents come from the
codes (:func:`~taxops.interchange.code_hierarchy.parents_from_codes`: ``A001``
is under ``A00``), so a file that lists its headings gives the whole tree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from taxops.diagnostics import TaxopsError
from taxops.interchange.code_hierarchy import parents_from_codes, parents_from_padding
from taxops.interchange.imported import (
    Imported,
    ImportedLabel,
    file_stem,
    is_label_id,
    taxonomy_slug,
    title_of,
)
from taxops.interchange.table_parents import note_code_parents

#: A line of an order file: sequence number, code, heading flag, the two titles.
_ORDER = re.compile(r"^(\d{5}) (\S{1,7}) *([01]) (.{60}) ?(.*)$")
#: A line of a code list: the code, then whitespace, then its title.
_CODE = re.compile(r"^(\S+)[ \t]+(\S.*)$")


def looks_like_code_list(text: str) -> bool:
    """Whether the first lines with content read as codes and titles: each
    starts with a code holding a digit (``A000``, ``111110``) and is no
    category path (Google's lines, ``<id> - A > B``, or ``A > B`` in the file
    without ids, are not codes)."""
    lines = [line for line in text.splitlines()[:20] if line.strip() and not line.startswith("#")]
    return bool(lines) and all(_ORDER.match(line) or _code_line(line) for line in lines)


def _code_line(line: str) -> bool:
    found = _CODE.match(line)
    return (
        found is not None
        and any(c.isdigit() for c in found.group(1))
        and not re.match(r"^\d+ - ", line)
        and " > " not in line
    )


def import_code_list(text: str, origin: str, code_levels: Sequence[int] | None = None) -> Imported:
    text = text.removeprefix("\ufeff")
    lines = [(n, line.rstrip("\r")) for n, line in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line.strip()]
    if not lines:
        raise TaxopsError(f"{origin} is empty")
    order = all(_ORDER.match(line) for _, line in lines[:20])
    labels: list[ImportedLabel] = []
    notes: list[str] = []
    seen: set[str] = set()
    usable: dict[str, bool] = {}  # order file: whether a code is valid on a record
    for number, line in lines:
        found = (_ORDER if order else _CODE).match(line)
        if found is None:
            shape = "'00001 A00     0 Short title  Full title'" if order else "'CODE title'"
            raise TaxopsError(
                f"{origin}:{number}: not a line of codes ({shape}): {line[:80]!r}",
                "give the publisher's code list as it is published, one code a line",
            )
        if order:
            code, title = found.group(2), found.group(5).strip() or found.group(4).strip()
            usable[code] = found.group(3) == "1"
        else:
            code, title = found.group(1), found.group(2).strip()
        if not is_label_id(code) or code in seen:
            problem = "appears twice" if code in seen else "cannot be an id"
            raise TaxopsError(
                f"{origin}:{number}: the code {code!r} {problem}",
                "give the publisher's code list as it is published",
            )
        seen.add(code)
        labels.append(ImportedLabel(id=code, name=title))
    codes = [label.id for label in labels]
    parents = parents_from_padding(codes, code_levels) if code_levels else parents_from_codes(codes)
    note_code_parents(parents, codes, notes, code_levels)
    for label in labels:
        label.parent = parents.get(label.id)
    leaf_only = order and _usable_are_the_leaves(usable, parents)
    if order:
        notes.append("short titles not carried over (the names are the full titles)")
    if leaf_only:
        headings = sum(not flag for flag in usable.values())
        notes.append(
            f"'leaf_only: true': the file marks its {headings:,} headings as not valid on a "
            "record, and they are exactly the codes with codes under them"
        )
    stem = file_stem(origin)
    return Imported(
        id=taxonomy_slug(stem),
        title=title_of(stem, "Imported codes"),
        kind="hierarchical" if parents else "single-label",
        labels=labels,
        leaf_only=leaf_only,
        ids="code",
        notes=notes,
    )


def _usable_are_the_leaves(usable: dict[str, bool], parents: dict[str, str]) -> bool:
    """Whether an order file's flags say what ``leaf_only`` says: the codes
    valid on a record are the leaves, the headings the codes with children
    (as ICD-10-CM's and ICD-10-PCS's are)."""
    has_children = set(parents.values())
    return bool(parents) and all(flag != (code in has_children) for code, flag in usable.items())
