"""A governed file from disk to parsed YAML: guarded, bounded, decoded, parsed.

Every step before validation, in one place for the two callers that read a
working file: :func:`taxops.file_check.check_file` (in order, on the command's
thread) and :class:`taxops.loading.ahead.ReadAhead` (ahead of it, on a worker
thread). Both must refuse the same files and report the same findings, so
neither has its own copy of these steps. Nothing here imports a model: the
read-ahead starts before the command has loaded its checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from taxops.collector import paused
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.loading import arriving
from taxops.loading.yaml_source import (
    YamlDocument,
    decode,
    load_text,
    parse_yaml,
    plainly_readable,
    read_bounded,
)
from taxops.repo_layout import leaves_repository


@dataclass
class Source:
    """A working file, parsed: its document, or None with the findings that
    stopped it (unreadable, too large, not UTF-8, not YAML)."""

    doc: YamlDocument | None
    diagnostics: list[Diagnostic]
    #: The labels' parts still to parse into the document, on the reader's
    #: thread (:mod:`taxops.loading.arriving`), or None.
    rest: Callable[[], None] | None = None


def read_text(
    path: Path, display: str, root: Path | None, max_bytes: int
) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, or None with the finding that says why taxops does not
    read them: a link out of the repository, a file too large or unreadable."""
    if root is not None and leaves_repository(path, root):
        return None, [
            Diagnostic(
                "file-outside-repository",
                Severity.ERROR,
                "this file is a symbolic link to a file outside the repository; "
                "taxops does not read it",
                Location(display),
                "commit the file itself in place of the link (a link in a pull request "
                "could otherwise make CI read any file on its machine)",
            )
        ]
    return read_bounded(path, display, max_bytes)


def parse_decoded(decoded: tuple[str | None, Diagnostic | None], display: str) -> Source:
    """The file parsed from :func:`~taxops.loading.yaml_source.decode`'s
    result. The caller lets go of the bytes between the two (``del raw``), so
    a 60 MB file is not held twice through the parse."""
    text, problem = decoded
    if text is None:
        assert problem is not None
        return Source(None, [problem])
    return Source(*parse_yaml(text, display))


def read_source(
    path: Path, display: str, root: Path | None, max_bytes: int, *, in_parts: bool = False
) -> Source:
    """:func:`read_text`, then decoded and :func:`parse_decoded`. With
    ``in_parts``, a large taxonomy's labels are left to parse in parts
    (``Source.rest``), the caller validating them as they arrive."""
    raw, problems = read_text(path, display, root, max_bytes)
    if raw is None:
        return Source(None, problems)
    decoded = decode(raw, display)
    del raw
    text, problem = decoded
    if in_parts and text is not None and problem is None:
        found = parse_in_parts(text, display)
        if found is not None:
            return found
    return parse_decoded(decoded, display)


def parse_in_parts(text: str, display: str) -> Source | None:
    """A large taxonomy's document at once, its labels parsed in parts by
    ``Source.rest`` (:mod:`taxops.loading.arriving`); None where the file is
    to be parsed whole (it is small, its list does not read item by item, or
    a check of the text has something to say: the whole parse says it)."""
    if len(text) < arriving.PIPELINE_MIN_CHARS or not plainly_readable(text, display):
        return None
    with paused():
        found = arriving.parse_in_parts(text, load_text)
    if found is None:
        return None
    data, parse_parts, starts = found

    def rest() -> None:
        with paused():  # the parts' dicts: nothing for the collector to find
            parse_parts()

    doc = YamlDocument(display, text, data)
    doc.adopt_item_starts(arriving.KEY, starts)
    return Source(doc, [], rest)
