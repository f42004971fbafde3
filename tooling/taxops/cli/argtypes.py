"""Argument types: every option value is checked when the command line is
parsed, so a bad one is a usage error (exit 2, naming the option and what it
takes), never a traceback from deep inside a run. argparse turns a ValueError
or ArgumentTypeError raised here into ``argument --x: invalid ... value``."""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable
from pathlib import Path

_UNITS = {
    "": 1,
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "tb": 1000**4,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def _parse_size(text: str) -> int:
    match = _SIZE.match(text)
    unit = match.group(2).lower() if match else None
    if match is None or unit not in _UNITS:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a size: write a number and a unit, e.g. 512MB, 2GB or 64MiB"
        )
    return int(float(match.group(1)) * _UNITS[unit])


def size(minimum: int, maximum: int) -> Callable[[str], int]:
    """A size in bytes (``512MB``, ``2GB``, ``64MiB``) within the bounds."""

    def parse(text: str) -> int:
        return _within(_parse_size(text), f"'{text}'", minimum, maximum, _human)

    return parse


def memory_limit(text: str) -> str:
    """A DuckDB memory limit: a size of at least 64 MB, passed on in bytes."""
    return f"{size(64 * 1000**2, 1000**5)(text)}B"


def int_range(minimum: int, maximum: int) -> Callable[[str], int]:
    """A whole number within the bounds."""

    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        return _within(n, str(n), minimum, maximum, str)

    return parse


def number(minimum: float, maximum: float, *, above: bool = False) -> Callable[[str], float]:
    """A finite number within the bounds (``above``: strictly above ``minimum``):
    'inf', 'nan' and '-1' hours of work are refused here, not met as a crash or
    a forecast of -153 days."""

    def parse(text: str) -> float:
        try:
            x = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
        low_ok = x > minimum if above else x >= minimum
        if not (math.isfinite(x) and low_ok and x <= maximum):
            side = "above" if above else "from"
            raise argparse.ArgumentTypeError(
                f"{text} is out of range: a number {side} {minimum:g} up to {maximum:g}"
            )
        return x

    return parse


def _within(n: int, shown: str, minimum: int, maximum: int, show: Callable[[int], str]) -> int:
    if not minimum <= n <= maximum:
        raise argparse.ArgumentTypeError(
            f"{shown} is out of range: between {show(minimum)} and {show(maximum)}"
        )
    return n


def separator(text: str) -> str:
    """A non-empty separator of labels inside one cell, without line breaks."""
    if not text:
        raise argparse.ArgumentTypeError(
            "the separator is empty: it would split every label into characters"
        )
    if any(c in text for c in "\r\n\x00"):
        raise argparse.ArgumentTypeError("the separator cannot hold a line break or NUL")
    return text


def delimiter(text: str) -> str:
    """One character that separates CSV fields (``\\t`` for a tab)."""
    value = {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(text, text)
    if len(value) != 1:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not one character: write e.g. ',' or ';' or '\\t' for a tab"
        )
    if value in '\r\n"\x00' or value.isalnum():
        raise argparse.ArgumentTypeError(
            f"{value!r} cannot separate fields: use a punctuation character or a tab"
        )
    return value


def _human(n: int) -> str:
    for unit, factor in (("TB", 1000**4), ("GB", 1000**3), ("MB", 1000**2), ("KB", 1000)):
        if n >= factor:
            return f"{n / factor:g} {unit}"
    return f"{n} bytes"


# -- files: read or written --------------------------------------------------------

_CONCRETE_PATH: type[Path] = type(Path())


class FileArgument(_CONCRETE_PATH):  # type: ignore[valid-type,misc]
    """A path given on the command line, with what it is for: the parser knows
    which files a command reads and which it writes, so the CLI refuses an
    output that is an input, another output or a governed file before the
    command runs (:func:`taxops.collisions.refuse_collisions`)."""

    role: str = ""


class ReadFile(FileArgument):
    """A file the command reads."""


class WrittenFile(FileArgument):
    """A file the command writes."""


def reads(role: str) -> Callable[[str], Path]:
    """The type of an argument naming a file the command reads (``role`` names it
    in messages: ``ANNOTATIONS``, ``--gold``)."""
    return _typed(ReadFile, role)


def writes(role: str) -> Callable[[str], Path]:
    """The type of an argument naming a file the command writes."""
    return _typed(WrittenFile, role)


def _typed(kind: type[FileArgument], role: str) -> Callable[[str], Path]:
    def parse(text: str) -> Path:
        if not text or "\x00" in text:
            raise argparse.ArgumentTypeError("a file name cannot be empty or hold NUL")
        path = kind(text)
        path.role = role
        return path

    parse.__name__ = "file"  # argparse's message: "invalid file value"
    return parse


def file_arguments(
    values: dict[str, object],
) -> tuple[list[tuple[str, Path]], list[tuple[str, Path]]]:
    """The files parsed arguments write and read, as ``(role, path)`` pairs."""
    writes_: list[tuple[str, Path]] = []
    reads_: list[tuple[str, Path]] = []
    for value in values.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, WrittenFile):
                writes_.append((item.role, Path(item)))
            elif isinstance(item, ReadFile):
                reads_.append((item.role, Path(item)))
    return writes_, reads_


def folder(text: str) -> Path:
    """A folder the command reads from or writes into (``--repo``, ``init DIR``):
    what it writes there is its own, named by taxops."""
    if not text or "\x00" in text:
        raise argparse.ArgumentTypeError("a folder name cannot be empty or hold NUL")
    return Path(text)
