"""Semver enforcement: the bump a version declares against the bump its changes
require. Checks always run, whatever was declared; these findings only say
whether the declared version is honest.

Pre-releases promise nothing: moving from ``2.0.0-rc.1`` to ``2.0.0`` (or
``-rc.2``) counts as any bump. In ``0.y.z`` anything may change, so, as Cargo
reads it, a minor bump counts as major and a patch bump as minor.
"""

from __future__ import annotations

from taxops.changes import ChangeSet
from taxops.diagnostics import Diagnostic
from taxops.loading import YamlDocument
from taxops.models.common import SemVer
from taxops.rules import version_bump_too_small, version_decreased, version_unchanged
from taxops.rules.base import Bump


def declared_bump(old: SemVer, new: SemVer) -> Bump | None:
    """The bump from ``old`` to ``new``; None when the version went down."""
    if new < old:
        return None
    if new == old:
        return Bump.NONE
    if (new.major, new.minor, new.patch) == (old.major, old.minor, old.patch) or old.prerelease:
        return Bump.MAJOR  # a pre-release and its successors promise nothing
    if new.major != old.major:
        return Bump.MAJOR
    part = Bump.MINOR if new.minor != old.minor else Bump.PATCH
    if old.major == 0:
        return Bump.MAJOR if part is Bump.MINOR else Bump.MINOR
    return part


def minimum_version(old: SemVer, required: Bump) -> SemVer:
    """The smallest version after ``old`` that makes the ``required`` bump."""
    if old.prerelease:
        return SemVer(f"{old.major}.{old.minor}.{old.patch}")
    if required is Bump.NONE:
        return old
    if old.major == 0:  # 0.y.z: minor is the breaking part
        part = {Bump.MAJOR: "minor", Bump.MINOR: "patch", Bump.PATCH: "patch"}[required]
    else:
        part = required.value
    return old.bumped(part)


def check_version(
    changes: ChangeSet,
    required: Bump,
    old_doc: YamlDocument | None,
    new_doc: YamlDocument | None,
) -> list[Diagnostic]:
    """Findings about the declared version: decreased, unchanged with changed
    content, or bumped by less than ``required``."""
    old, new = changes.old.version, changes.new.version
    taxonomy = changes.new.id
    at = new_doc.locate(("version",)) if new_doc else None
    was = old_doc.locate(("version",)) if old_doc else None
    declared = declared_bump(old, new)
    minimum = str(minimum_version(old, max(required, Bump.PATCH, key=lambda b: b.rank)))
    if declared is None:
        return [version_decreased.diagnose(taxonomy, str(old), str(new), minimum, at, was)]
    if declared is Bump.NONE:
        if not changes.content_changed:
            return []
        return [
            version_unchanged.diagnose(taxonomy, str(new), required, minimum, len(changes), at, was)
        ]
    if declared.rank < required.rank:
        return [
            version_bump_too_small.diagnose(
                taxonomy, str(old), str(new), required, declared, minimum, at, was
            )
        ]
    return []
