"""Reading a publisher's spreadsheet (XLSX) as rows of text, as its CSV would
read: the first sheet or one named, every cell as the text it shows (a number
without ``.0``, a code padded by its cell format with its zeros), blank rows
left out.

A workbook is a zip archive of XML a team did not write, so it is bounded
before and while it is read: a published table has thousands of rows and a
few columns, while a 150 KB file can declare a million rows of 16,384 columns
each, or unzip to gigabytes. openpyxl reads the sheet as a stream (read-only
mode), through defusedxml (installed with taxops), which refuses entities.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from taxops.diagnostics import TaxopsError
from taxops.escaping import short

#: Bounds on a spreadsheet, checked before and while it is read: a published
#: table has thousands of rows and a few columns, while a 150 KB
#: file can declare a million rows of 16,384 columns each, or unzip to gigabytes.
MAX_XLSX_UNZIPPED = 1 << 30
MAX_XLSX_CELLS = 20_000_000


def read_xlsx(
    path: Path, sheet: str | None = None, progress: Callable[[float], None] | None = None
) -> list[list[str]]:
    """The rows of the sheet (the first, or the one named), blank rows left out.
    ``progress`` hears the share read (0 to 100) as the rows come, measured
    against the size the sheet declares: a 150,000-row sheet takes seconds."""
    import openpyxl  # a dependency of taxops, imported only when a sheet is read

    _check_unzipped_size(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise TaxopsError(f"cannot read {path} as a spreadsheet: {short(exc, 300)}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise TaxopsError(
                f"{path} has no sheet '{sheet}'", f"its sheets: {', '.join(book.sheetnames)}"
            )
        if not book.worksheets:
            raise TaxopsError(f"{path} has no sheet")
        ws = book[sheet] if sheet else book.worksheets[0]
        declared = _declared_rows(ws)
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # the size a file declares is not trusted: rows as written
        rows: list[list[str]] = []
        cells = 0
        try:
            for row in ws.iter_rows():
                if progress is not None and declared and len(rows) % _EVERY == 0:
                    progress(min(100.0, 100 * len(rows) / declared))
                cells += len(row)
                if cells > MAX_XLSX_CELLS:
                    raise TaxopsError(
                        f"{path} holds more than {MAX_XLSX_CELLS:,} cells: not a published table",
                        "save the table's own sheet as CSV and import that",
                    )
                rows.append([_cell(c) for c in row])
        except TaxopsError:
            raise
        except Exception as exc:  # a sheet's XML broken halfway through
            raise TaxopsError(
                f"cannot read {path} as a spreadsheet: {short(exc, 300)}",
                "open it in a spreadsheet program and save it again, or save it as CSV",
            ) from None
    finally:
        book.close()
    if progress is not None and declared:
        progress(100.0)
    return [r for r in rows if any(r)]


#: Rows between two progress reports.
_EVERY = 5_000


def _declared_rows(ws: Any) -> int:
    """The number of rows the sheet says it has (only to show progress), or 0."""
    try:
        found = ws.max_row
    except Exception:  # a dimension openpyxl cannot read: no progress, nothing worse
        return 0
    return found if isinstance(found, int) and found > 0 else 0


def _check_unzipped_size(path: Path) -> None:
    """An XLSX file is a zip archive: refuse one that would unzip to more than
    :data:`MAX_XLSX_UNZIPPED` (a zip bomb), before any of it is unzipped."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TaxopsError(
            f"cannot read {path} as a spreadsheet: it is not an .xlsx file (not a zip archive)"
        ) from None
    if size > MAX_XLSX_UNZIPPED:
        raise TaxopsError(
            f"{path} would unzip to {size:,} bytes (more than {MAX_XLSX_UNZIPPED:,}): "
            "not a published table",
            "save the table's own sheet as CSV and import that",
        )


def _cell(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        fmt = getattr(cell, "number_format", "") or ""
        if re.fullmatch(r"0+", fmt):  # a code column formatted to keep leading zeros
            text = text.zfill(len(fmt))
        return text
    return str(value).strip()
