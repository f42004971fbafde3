"""A governed file from disk to parsed YAML: guarded, bounded, decoded, parsed.

Every step before validation, in one place for the two callers that read a
working file: :func:`taxops.file_check.check_file` (in order, on the command's
thread) and :class:`taxops.loading.ahead.ReadAhead` (ahead of it, on a worker
thread). Both must refuse the same files and report the same findings, so
neither has its own copy of these steps. Nothing here imports a model: the
read-ahead starts before the command has loaded its checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.loading.yaml_source import YamlDocument, decode, parse_yaml, read_bounded
from taxops.repo_layout import leaves_repository


@dataclass
class Source:
    """A working file, parsed: its document, or None with the findings that
    stopped it (unreadable, too large, not UTF-8, not YAML)."""

    doc: YamlDocument | None
    diagnostics: list[Diagnostic]


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


def read_source(path: Path, display: str, root: Path | None, max_bytes: int) -> Source:
    """:func:`read_text`, then decoded and :func:`parse_decoded`."""
    raw, problems = read_text(path, display, root, max_bytes)
    if raw is None:
        return Source(None, problems)
    decoded = decode(raw, display)
    del raw
    return parse_decoded(decoded, display)
