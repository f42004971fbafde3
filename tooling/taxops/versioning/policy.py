"""What a change requires of the next version, and whether the declared version
keeps to it, under the taxonomy's versioning policy.

**Semantic versions.** Each finding needs the bump its rule gives it in the
catalogue (``taxops rules``), unless the team's policy table (``versioning:
{bumps: ...}``) says otherwise for that rule or its category; the version must
move by at least the largest. Pre-releases promise nothing: moving from
``2.0.0-rc.1`` to ``2.0.0`` (or ``-rc.2``) counts as any bump. In ``0.y.z``
anything may change, so, as Cargo reads it, a minor bump counts as major and a
patch bump as minor.

**Calendar versions** only have to increase when the content changed; what a
change may do is judged by the compatibility mode alone. The new version's
policy applies (so changing it is itself a reviewed change).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from taxops.changes import ChangeSet
from taxops.diagnostics import Diagnostic, Location
from taxops.models.versioning import Scheme, VersioningPolicy
from taxops.positions import Positions
from taxops.rules import RULES, version_bump_too_small, version_decreased, version_unchanged
from taxops.versioning.bumps import CATEGORIES, Bump, max_bump
from taxops.versioning.versions import SemVer, Version


def bump_for(rule_id: str, policy: VersioningPolicy) -> Bump:
    """The bump a finding of ``rule_id`` needs under ``policy``: none for
    calendar versions; else the policy's entry for the rule, else for its
    category, else the catalogue's."""
    if policy.scheme is Scheme.CALVER:
        return Bump.NONE
    default = RULES[rule_id].bump if rule_id in RULES else Bump.NONE
    if rule_id in policy.bumps:
        return policy.bumps[rule_id]
    if default is not Bump.NONE and default.category in policy.bumps:
        return policy.bumps[default.category]
    return default


_BUMP_ADVICE = re.compile(r"\bbump the (major|minor|patch) version\b")


def with_policy(findings: Iterable[Diagnostic], policy: VersioningPolicy) -> list[Diagnostic]:
    """The findings, each saying the bump it needs under ``policy``: in
    ``data.bump`` and in its hint (the catalogue's advice names the catalogue's
    bump; a team's table or calendar versions ask for something else)."""
    if not policy.bumps and policy.scheme is Scheme.SEMVER:
        return list(findings)
    out = []
    for d in findings:
        bump = bump_for(d.rule, policy)
        if "bump" in d.data and d.data["bump"] != bump.value:
            hint = _BUMP_ADVICE.sub(_advice(bump, policy), d.hint) if d.hint else d.hint
            d = replace(d, hint=hint, data={**d.data, "bump": bump.value, "policy": True})
        out.append(d)
    return out


def _advice(bump: Bump, policy: VersioningPolicy) -> str:
    if policy.scheme is Scheme.CALVER:
        return "release it under a later calendar version"
    if bump is Bump.NONE:
        return "no version bump is needed under your versioning policy"
    return f"bump the {bump.value} version (your versioning policy)"


def required_bump(
    findings: Iterable[Diagnostic], policy: VersioningPolicy, content_changed: bool
) -> Bump:
    """The smallest bump the findings allow under ``policy``: the largest any of
    them needs, and at least a patch when anything in the file changed; none
    for calendar versions."""
    if policy.scheme is Scheme.CALVER:
        return Bump.NONE  # only an increase is asked for (check_version)
    required = max_bump(bump_for(d.rule, policy) for d in findings)
    return max_bump((required, Bump.PATCH)) if content_changed else required


def known_keys() -> set[str]:
    """What a policy table may name: every rule that requires a bump, and the
    category words."""
    return {r.id for r in RULES.values() if r.bump is not Bump.NONE} | set(CATEGORIES)


def declared_bump(old: Version, new: Version) -> Bump | None:
    """The bump from ``old`` to ``new``; None when the version went down. A
    calendar version's increase, like a pre-release's, promises nothing about
    what changed: it counts as any bump."""
    if new < old:
        return None
    if new == old:
        return Bump.NONE
    if not (isinstance(old, SemVer) and isinstance(new, SemVer)):
        return Bump.MAJOR
    if (new.major, new.minor, new.patch) == (old.major, old.minor, old.patch) or old.prerelease:
        return Bump.MAJOR  # a pre-release and its successors promise nothing
    if new.major != old.major:
        return Bump.MAJOR
    part = Bump.MINOR if new.minor != old.minor else Bump.PATCH
    if old.major == 0:
        return Bump.MAJOR if part is Bump.MINOR else Bump.MINOR
    return part


def minimum_version(old: Version, required: Bump) -> Version | None:
    """The smallest semantic version after ``old`` that makes the ``required``
    bump; None for a calendar version (any later one will do)."""
    if not isinstance(old, SemVer):
        return None
    if old.prerelease:
        return old.release()
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
    old_doc: Positions | None,
    new_doc: Positions | None,
) -> list[Diagnostic]:
    """Findings about the declared version: decreased, unchanged with changed
    content, or (semantic versions) bumped by less than ``required``."""
    old, new = changes.old.version, changes.new.version
    calendar = changes.new.policy.scheme is Scheme.CALVER
    taxonomy = changes.new.id
    declared = declared_bump(old, new)
    found = None if calendar else minimum_version(old, max_bump((required, Bump.PATCH)))
    minimum = str(found) if found is not None else None
    # The 'version:' lines are located only for a finding (a large file read
    # from the cache is not decoded for a version that moved enough).
    if declared is None:
        at, was = _version_lines(old_doc, new_doc)
        return [version_decreased.diagnose(taxonomy, str(old), str(new), minimum, at, was)]
    if declared is Bump.NONE:
        if not changes.content_changed:
            return []
        shown = Bump.NONE if calendar else required
        at, was = _version_lines(old_doc, new_doc)
        return [
            version_unchanged.diagnose(taxonomy, str(new), shown, minimum, len(changes), at, was)
        ]
    if not calendar and declared.rank < required.rank:
        at, was = _version_lines(old_doc, new_doc)
        return [
            version_bump_too_small.diagnose(
                taxonomy, str(old), str(new), required, declared, str(minimum), at, was
            )
        ]
    return []


def _version_lines(
    old_doc: Positions | None, new_doc: Positions | None
) -> tuple[Location | None, Location | None]:
    """Where the version is declared in the new and the old file."""
    at = new_doc.locate(("version",)) if new_doc else None
    was = old_doc.locate(("version",)) if old_doc else None
    return at, was
