"""Media and links in a guideline stay inside the repository (the policy is
:mod:`taxops.media`), and the files they name exist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from taxops.checks.guideline_refs import media_references
from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument
from taxops.media import Refused, RepoFile, judge, locate
from taxops.models.guideline import Guideline


def check_media(
    g: Guideline, doc: YamlDocument, folder: PurePosixPath, root: Path | None
) -> Iterator[Diagnostic]:
    """``folder`` is the guideline file's folder relative to ``root``; without a
    root (a file checked on its own) existence is not checked."""
    for ref in media_references(g):
        verdict = judge(ref.target, image=ref.image, base=folder)
        what = "media file" if ref.image else "link"
        if isinstance(verdict, Refused):
            yield Diagnostic(
                "unsafe-link",
                Severity.ERROR,
                f"{what} '{ref.target}' is refused: {verdict.reason}",
                doc.locate(ref.path),
                "put the file in the repository (e.g. guidelines/media/) and give its path "
                "relative to the guideline file"
                if ref.image
                else "link to an https:// page, a mailto: address, or a repository file by "
                "a relative path",
            )
        elif isinstance(verdict, RepoFile) and root is not None and locate(root, verdict) is None:
            yield Diagnostic(
                "media-not-found",
                Severity.ERROR,
                f"{what} '{ref.target}' names {verdict.path}, which is not a file in the repository",
                doc.locate(ref.path),
                "check the path (relative to the guideline file) and that the file is committed",
            )
