"""Google's product taxonomy, in its published "taxonomy-with-ids" text format:
a comment line naming the version, then one category per line,
``<id> - <Level 1> > <Level 2> > ...``, parents before children.

Categories keep their published numeric ids exactly (datasets store them), so
the taxonomy declares ``ids: code``, and its date-named versions make it
``versioning: calver`` (``2021.09.21``); the name is the last level and the parent is
the category whose path is the path without its last level.
"""

from __future__ import annotations

import re

from taxops.diagnostics import TaxopsError
from taxops.interchange.imported import Imported, ImportedLabel

_LINE = re.compile(r"^(?P<id>\d+) - (?P<path>.+)$")
_VERSION = re.compile(r"^#.*?(\d{4})-(\d{2})-(\d{2})")
SEPARATOR = " > "


def import_google(text: str, origin: str) -> Imported:
    text = text.removeprefix("\ufeff")
    notes: list[str] = []
    labels: list[ImportedLabel] = []
    by_path: dict[tuple[str, ...], str] = {}
    version = "1.0.0"
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line.startswith("#"):
            m = _VERSION.match(line)
            if m and number == 1:
                # Google versions by date: a calendar version.
                version = f"{m.group(1)}.{m.group(2)}.{m.group(3)}"
            continue
        m = _LINE.match(line.rstrip("\r"))
        if m is None:
            raise TaxopsError(
                f"{origin}:{number}: not a category line ('<id> - A > B > C'): {line[:80]!r}",
                "download the 'taxonomy-with-ids' file, not the one without ids",
            )
        path = tuple(p.strip() for p in m.group("path").split(SEPARATOR))
        parent = by_path.get(path[:-1]) if len(path) > 1 else None
        if len(path) > 1 and parent is None:
            notes.append(
                f"{origin}:{number}: the parent of '{m.group('path')}' is not listed before it: imported as a top category"
            )
        if path in by_path:
            notes.append(
                f"{origin}:{number}: '{m.group('path')}' appears twice; the second id {m.group('id')} is kept as its own label"
            )
        by_path.setdefault(path, m.group("id"))
        labels.append(ImportedLabel(id=m.group("id"), name=path[-1], parent=parent))
    if not labels:
        raise TaxopsError(f"{origin} has no categories")
    return Imported(
        id="google-product-taxonomy",
        title="Google product taxonomy",
        kind="hierarchical",
        labels=labels,
        version=version,
        ids="code",
        versioning="calver" if version != "1.0.0" else None,
        notes=notes,
    )
