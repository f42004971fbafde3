"""Where a link or image in a guideline may point: the one policy, read by the
checks (which report a bad link at its YAML line) and by the site (which never
emits one).

* Images and media files are files **inside the repository**, given relative to
  the guideline file. No URLs: the site works offline, and a remote image is a
  tracking pixel in every labeler's browser.
* Links may also go to ``http(s):`` and ``mailto:`` addresses, or to an anchor.
* Nothing else: no absolute paths, no ``file:``/``javascript:``/``data:``, no
  ``..`` that climbs out of the repository (also not when percent-encoded), no
  hidden files, and only kinds of file that cannot carry a script (images,
  videos, PDF, text): they are served from the site's own origin.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_LINK_SCHEMES = {"http", "https", "mailto"}
#: Kinds of repository file the site may copy and serve. No .html or .svg: served
#: from the site's own origin, they could run a script.
PUBLISHABLE = {
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".avif",
    ".mp4",
    ".webm",
    ".pdf",
    ".txt",
    ".csv",
}


@dataclass(frozen=True)
class External:
    """A link to the outside world (never an image)."""

    url: str


@dataclass(frozen=True)
class Anchor:
    """A link to a heading on the same page."""

    url: str


@dataclass(frozen=True)
class RepoFile:
    """A file of the repository, as a POSIX path relative to the repository root."""

    path: str


@dataclass(frozen=True)
class Refused:
    """A target the policy refuses, with the reason in the author's words."""

    reason: str


Verdict = External | Anchor | RepoFile | Refused


def judge(target: str, *, image: bool, base: PurePosixPath) -> Verdict:
    """Classify a link or image target written in the guideline file whose folder
    (relative to the repository root) is ``base``."""
    target = target.strip()
    if not target:
        return Refused("the link is empty")
    what = "an image or media file" if image else "a link"
    decoded = unquote(target)
    if "\\" in decoded or "\x00" in decoded:
        return Refused(f"{what} must use '/' between folders and no control characters")
    if target.startswith("#"):
        return Refused("an image cannot be an anchor") if image else Anchor(target)
    if re.match(r"^[A-Za-z]:[/\\]", decoded):  # a Windows drive, not a URL scheme
        return Refused(f"{what} must be relative to the guideline file, not an absolute path")
    if target.startswith("//"):
        return Refused(f"{what} cannot start with '//'; write the full https:// address")
    if _SCHEME.match(target):
        scheme = target.split(":", 1)[0].lower()
        if image:
            return Refused(
                f"{what} must be a file in the repository, not a '{scheme}:' address "
                "(the site works offline and loads nothing from elsewhere)"
            )
        if scheme not in _LINK_SCHEMES:
            return Refused(
                f"'{scheme}:' links are not allowed; use https:, mailto: or a relative path"
            )
        return External(target)
    path = urlsplit(decoded).path
    if path.startswith("/"):
        return Refused(f"{what} must be relative to the guideline file, not an absolute path")
    joined = posixpath.normpath(posixpath.join(base.as_posix(), path))
    if joined == ".." or joined.startswith("../") or joined == ".":
        return Refused(f"{what} points outside the repository")
    if any(part.startswith(".") for part in joined.split("/")):
        return Refused(f"{what} points into a hidden folder or file")
    suffix = posixpath.splitext(joined)[1].lower()
    if suffix not in PUBLISHABLE:
        # The file is copied into the site and served from its origin: an .html
        # or .svg file could carry a script, a .yaml file internal details.
        return Refused(
            f"only images, videos, PDF and text files are published ({', '.join(sorted(PUBLISHABLE))}), "
            f"not '{suffix or 'a file without extension'}'"
        )
    return RepoFile(joined)


def locate(root: Path, file: RepoFile) -> Path | None:
    """The file on disk, or None when it is missing or (through a symlink)
    outside the repository."""
    candidate = root / file.path
    try:
        real = candidate.resolve(strict=True)
        real.relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    return real if real.is_file() else None
