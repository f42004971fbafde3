"""What a publisher's file says about itself: its version, read as a
taxonomy version, and which of a term's labels to take in the language asked
for. Shared by the importers of published schemes (SKOS, ClaML)."""

from __future__ import annotations

from collections.abc import Callable

from taxops.versioning.versions import parse_version

#: Ranks of a label's language (:func:`language_rank`), best first.
EXACT, REGIONAL, NO_LANGUAGE, OTHER = range(4)


def language_rank(lang: str) -> Callable[[str | None], int]:
    """Rank of a language tag for ``lang``, lower is better: the tag itself, a
    regional one (``en-GB`` for ``en``), none, any other (tags compare
    case-insensitively)."""
    want = lang.lower()
    seen: dict[str | None, int] = {}

    def rank(tag: str | None) -> int:
        found = seen.get(tag)
        if found is None:
            low = (tag or "").lower()
            if not low:
                found = NO_LANGUAGE
            elif low == want:
                found = EXACT
            elif low.startswith(want + "-"):
                found = REGIONAL
            else:
                found = OTHER
            seen[tag] = found
        return found

    return rank


def version_as_published(written: str, notes: list[str]) -> tuple[str, str | None]:
    """The scheme's ``owl:versionInfo`` as a taxonomy version, and the versioning
    it needs: a semantic version as it is, a calendar version (``2024.1``,
    ``2024-05-01``) with ``versioning: calver``, ``v2.1.0`` without its ``v``;
    anything else starts the taxonomy at 1.0.0, which the report says."""
    candidates = [written.strip()]
    if candidates[0][:1] in ("v", "V"):
        candidates.append(candidates[0][1:])
    for candidate in candidates:
        try:
            parsed = parse_version(candidate)
        except ValueError:
            continue
        if candidate != written:
            notes.append(f"the scheme's version '{written}' is imported as {candidate}")
        return candidate, (None if parsed.scheme == "semver" else "calver")
    notes.append(
        f"the scheme's version '{written}' is neither a semantic nor a calendar version: "
        "the taxonomy starts at 1.0.0"
    )
    return "1.0.0", None
