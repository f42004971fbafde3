"""Reading the small files people hand taxops besides the governed YAML: a
labeling tool's JSON export, a review decisions file, a correspondence table, an
audit sample, a counts file, a provenance sidecar.

Any of them can be the wrong file (a binary, a folder, a Windows-1252 export),
truncated, or hostile (JSON nested 100,000 deep, a CSV cell of megabytes). Each
reader here turns every such case into a :class:`TaxopsError` naming the file
and what to do, never a traceback; callers check the *shape* of what they get
(a JSON list where a list is expected) themselves, with the helpers below.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from taxops.diagnostics import TaxopsError

# A correspondence table's notes column, an item's text in an audit sample: a
# cell may be long. The csv module's default refuses cells over 128 KiB with a
# bare "field larger than field limit"; the files read here are read whole anyway.
csv.field_size_limit(sys.maxsize)


def require_file(path: Path, hint: str | None = None) -> None:
    """An error unless ``path`` is a regular file, saying what it is instead: a
    folder or a device (``/dev/zero``) is not "no such file"."""
    if path.is_file():
        return
    if path.is_dir():
        raise TaxopsError(f"{path} is a folder, not a file", hint)
    if path.exists():
        raise TaxopsError(f"{path} is a device or a pipe, not a file", hint)
    raise TaxopsError(f"no such file: {path}", hint)


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The text of ``path``: a missing file, a folder, an unreadable or non-UTF-8
    file is an error naming it. ``encoding="utf-8-sig"`` also drops a byte-order
    mark."""
    raw = _read_bytes(path)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise TaxopsError(
            f"{path} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start:,})",
            "save it as UTF-8, or check that this is the file you meant",
        ) from None


def _read_bytes(path: Path) -> bytes:
    """The bytes of ``path``; a missing file, a folder, a device or an
    unreadable file is an error naming it."""
    try:
        if path.exists() and not path.is_file() and not path.is_dir() and not _is_pipe(path):
            raise TaxopsError(
                f"{path} is a device, not a file", "pass the file to read (a pipe works too)"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TaxopsError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise TaxopsError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise TaxopsError(f"cannot read {path}: {exc.strerror or exc}") from None
    return raw


#: The encoding an XML file declares in its first line (``<?xml ... encoding="..."?>``).
_XML_ENCODING = re.compile(
    rb"""\A(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']"""
)


#: Byte-order marks of the encodings a file names by its first bytes (UTF-32
#: first: its little-endian mark starts with UTF-16's).
_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def read_published_text(path: Path) -> tuple[str, str | None]:
    """A publisher's file as text, and the encoding it was read in when that is
    not UTF-8 (for the report): a file that opens with a UTF-16 or UTF-32
    byte-order mark in that encoding (Excel's "Unicode Text" is UTF-16), an
    XML file in the encoding it declares, any other file in UTF-8, else
    Windows-1252, which an export from Excel on Windows writes (as
    :mod:`taxops.crosswalk.table` reads its tables)."""
    raw = _read_bytes(path)
    for mark, codec, name in _MARKS:
        if raw.startswith(mark):
            try:
                return raw.decode(codec), name
            except UnicodeDecodeError:
                raise TaxopsError(
                    f"{path} opens with a {name} byte-order mark but is not {name} text",
                    "save it as UTF-8, or check that this is the file you meant",
                ) from None
    if b"\x00" in raw[:4096]:
        raise TaxopsError(
            f"{path} holds NUL bytes: it looks like UTF-16 or UTF-32 text without its "
            "byte-order mark, or no text at all",
            "save it as UTF-8 (or as Unicode text with its byte-order mark)",
        )
    declared = _XML_ENCODING.match(raw[:200])
    if declared is not None and declared.group(1).decode().lower() not in ("utf-8", "utf8"):
        name = declared.group(1).decode()
        try:
            return raw.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass  # a declaration that does not hold: the usual order
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise TaxopsError(
            f"{path} is neither UTF-8 nor Windows-1252 text",
            "save it as UTF-8, or check that this is the file you meant",
        ) from None


def _is_pipe(path: Path) -> bool:
    """A FIFO (``<(command)``, ``/dev/stdin`` fed by a pipe): read as it flows."""
    return stat.S_ISFIFO(path.stat().st_mode)


def parse_json(text: str, origin: object) -> Any:
    """``text`` parsed as JSON; malformed or absurdly nested JSON is an error
    naming ``origin`` (Python's parser recurses once per level)."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise TaxopsError(f"{origin} is not JSON: {exc}") from None
    except RecursionError:
        raise TaxopsError(f"{origin} is JSON nested too deeply to read") from None


def json_or_none(text: str | None) -> Any:
    """``text`` parsed as JSON, or None when it is empty or not JSON (a value
    embedded in another format, where bad JSON means "not given")."""
    if not text:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def read_json(path: Path) -> Any:
    """The JSON document in the file at ``path`` (see :func:`parse_json`)."""
    return parse_json(read_text(path, "utf-8-sig"), path)


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one: a field that should
    hold an object and holds a number is treated as missing."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def csv_rows(
    lines: str | Iterable[str],
    origin: object,
    delimiter: str | type[csv.Dialect] | csv.Dialect = ",",
) -> Iterator[list[str]]:
    """The rows of a CSV text (or open file): a row the csv module cannot read is
    an error naming ``origin`` and the line."""
    source = io.StringIO(lines, newline="") if isinstance(lines, str) else lines
    if isinstance(delimiter, str):
        return _checked(csv.reader(source, delimiter=delimiter), origin)
    return _checked(csv.reader(source, delimiter), origin)


def csv_dicts(
    lines: str | Iterable[str], origin: object, delimiter: str = ","
) -> Iterator[dict[str, Any]]:
    """The rows of a CSV text with a header, as :class:`csv.DictReader` gives them."""
    source = io.StringIO(lines, newline="") if isinstance(lines, str) else lines
    return _checked(csv.DictReader(source, delimiter=delimiter), origin)


def _checked(reader: Any, origin: object) -> Iterator[Any]:
    try:
        yield from reader
    except csv.Error as exc:
        raise TaxopsError(f"{origin}:{reader.line_num}: not readable as CSV: {exc}") from None
