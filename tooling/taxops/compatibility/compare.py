"""Comparing two versions of a taxonomy: the one change set, read by every rule
of the catalogue, with the taxonomy's compatibility mode and semver applied.

Read top to bottom: diff once, let each rule read the changes it claims, turn
suggested renames into findings, apply the mode (a finding that breaks a
protected direction becomes a blocking error), then check the version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from taxops.changes import ChangeSet, diff
from taxops.changes.reuse import find_reuses
from taxops.collector import paused
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.loading import YamlDocument
from taxops.models.declarations import applying
from taxops.models.taxonomy import Compatibility, Taxonomy
from taxops.models.versioning import Scheme
from taxops.rules import migration_unmapped_label, retired_id_reused, undeclared_rename
from taxops.rules.base import Bump, RuleContext
from taxops.rules.registry import BY_KIND
from taxops.rules.terms import protected
from taxops.versioning.policy import check_version, declared_bump, required_bump, with_policy


@dataclass(frozen=True)
class Version:
    """One side of a comparison: a valid taxonomy, its parsed file (for
    positions) and where it came from, in the user's words."""

    taxonomy: Taxonomy
    doc: YamlDocument | None
    source: str


@dataclass
class Comparison:
    """The outcome of comparing ``old`` with ``new``."""

    old: Version
    new: Version
    mode: Compatibility
    changes: ChangeSet
    findings: list[Diagnostic]
    """One finding per rule and change (and per suggested rename), mode applied."""
    versioning: list[Diagnostic] = field(default_factory=list)
    """Semver findings (only for the primary comparison of a check)."""
    required: Bump = Bump.NONE
    declared: Bump | None = Bump.NONE
    primary: bool = True
    """False for the extra comparisons a transitive mode makes with older releases."""

    @property
    def taxonomy(self) -> str:
        return self.new.taxonomy.id

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [*self.findings, *self.versioning]

    @property
    def versions_in_words(self) -> str:
        """What the version needed and what it did, for a summary line."""
        if self.new.taxonomy.policy.scheme is Scheme.CALVER:
            moved = {None: "went down", Bump.NONE: "is unchanged"}.get(self.declared, "increased")
            return f"calendar versions: the version {moved}"
        declared = self.declared.value if self.declared else "version decreased"
        return f"{self.required.value} bump required, {declared} declared"

    def summary(self) -> dict[str, object]:
        """Plain data for JSON output (schema in site/docs/reference/check-json.md)."""
        return {
            "taxonomy": self.taxonomy,
            "old": {"version": str(self.old.taxonomy.version), "source": self.old.source},
            "new": {"version": str(self.new.taxonomy.version), "source": self.new.source},
            "mode": self.mode.value,
            "versioning": self.new.taxonomy.policy.scheme.value,
            "primary": self.primary,
            "required_bump": self.required.value,
            "declared_bump": self.declared.value if self.declared else None,
            "counts": self.counts(),
            "changes": len(self.changes),
            "blocking": sum(1 for d in self.diagnostics if d.data.get("allowed") is False),
        }

    def counts(self) -> dict[str, int]:
        """Findings per category (breaking, additive, cosmetic, note)."""
        out = {"breaking": 0, "additive": 0, "cosmetic": 0, "note": 0}
        for d in self.findings:
            out[str(d.data.get("category", "note"))] += 1
        return out


def compare(
    old: Version,
    new: Version,
    *,
    mode: Compatibility | None = None,
    check_versions: bool = True,
    history: Sequence[Version] = (),
    jobs: int | None = None,
) -> Comparison:
    """Every finding between two versions. ``mode`` defaults to the new
    version's ``compatibility`` (so relaxing it is itself a reviewed change).
    ``history``: the other versions before ``new`` (every release), read to
    find ids that come back with another meaning. ``jobs``: the user's
    ``--jobs`` (how many processes may place the findings)."""
    # Thousands of findings, each a few small objects that live as long as the
    # comparison: collection passes over them (and over a large version's
    # labels built meanwhile) would free nothing.
    with paused():
        return _compare(old, new, mode, check_versions, history, jobs)


def _compare(
    old: Version,
    new: Version,
    mode: Compatibility | None,
    check_versions: bool,
    history: Sequence[Version],
    jobs: int | None,
) -> Comparison:
    changes = diff(old.taxonomy, new.taxonomy)
    mode = mode or new.taxonomy.compatibility
    ctx = RuleContext(changes, old.doc, new.doc, jobs=jobs)
    findings: list[Diagnostic] = []
    for change in changes:
        for rule in BY_KIND[change.kind]:
            assert rule.check is not None
            ctx.rule = rule
            findings += rule.check(change, ctx)
    findings = ctx.placed(findings)  # every place the rules asked for, one batch per file
    findings += reused_ids([old, *history], new)
    # The migration map must give every old label a fate; where it cannot and no
    # rule above already raised an error for that label, the map's finding stands.
    findings += migration_unmapped_label.diagnose(changes, old.doc, new.doc, findings)
    suggestions = changes.suggestions
    added_at = _labels_at(new.doc, [ctx.new_at.get(s.added) for s in suggestions])
    removed_at = _labels_at(old.doc, [ctx.old_at.get(s.removed) for s in suggestions])
    findings += [
        undeclared_rename.diagnose(suggestion, changes, added, removed)
        for suggestion, added, removed in zip(suggestions, added_at, removed_at, strict=True)
    ]
    findings = [apply_mode(d, mode) for d in with_policy(findings, new.taxonomy.policy)]
    required = required_bump(findings, new.taxonomy.policy, changes.content_changed)
    versioning = check_version(changes, required, old.doc, new.doc) if check_versions else []
    return Comparison(
        old,
        new,
        mode,
        changes,
        findings,
        versioning,
        required,
        declared_bump(old.taxonomy.version, new.taxonomy.version),
        primary=check_versions,
    )


def reused_ids(history: Sequence[Version], new: Version) -> list[Diagnostic]:
    """Ids of ``new`` that an earlier version used with another meaning (the
    versions of ``history`` up to ``new``'s, each once, oldest first)."""
    before: dict[object, Version] = {}
    for v in sorted(history, key=lambda v: v.taxonomy.version):
        if v.taxonomy.version <= new.taxonomy.version:
            before.setdefault(v.taxonomy.version, v)
    ordered = list(before.values())
    # Reuses the new version declares (a publisher's crosswalk, ``reused:``) made
    # since the newest version compared: still a finding, as the policy says.
    since = ordered[-1].taxonomy.version if ordered else None
    labels = new.taxonomy.labels
    declared = (
        [
            labels[i].id
            for i in new.taxonomy.declaring  # the labels that declare anything
            if labels[i].reused and applying(labels[i].reused, since, new.taxonomy.version)
        ]
        if since is not None
        else []
    )
    found = find_reuses((v.taxonomy for v in ordered), new.taxonomy, declared=declared)
    out = []
    for reuse in found:
        was = ordered[reuse.before.at]
        at = new.taxonomy.index[reuse.label.id]
        out.append(
            retired_id_reused.diagnose(
                reuse,
                new.taxonomy.id,
                str(was.taxonomy.version),
                str(ordered[reuse.left_in].taxonomy.version) if reuse.left_in is not None else None,
                new.taxonomy.id_rule.reuse,
                new.doc.locate(("labels", at, "id")) if new.doc else None,
                was.doc.locate(("labels", was.taxonomy.index[reuse.label.id], "id"))
                if was.doc
                else None,
            )
        )
    return out


def _labels_at(doc: YamlDocument | None, indexes: list[int | None]) -> list[Location | None]:
    """Where each label (by its index) is in ``doc``, located in one batch."""
    if doc is None:
        return [None] * len(indexes)
    found = iter(doc.locate_all([(("labels", i), "value") for i in indexes if i is not None]))
    return [None if i is None else next(found) for i in indexes]


def apply_mode(d: Diagnostic, mode: Compatibility) -> Diagnostic:
    """A finding that breaks a direction ``mode`` protects is an error that
    blocks (``allowed: false``); any other keeps its rule's severity."""
    broken = set(d.data.get("breaks") or ())  # type: ignore[call-overload]
    hit = sorted(dir.value for dir in protected(mode) if dir.value in broken)
    data = {**d.data, "mode": mode.value, "allowed": not hit}
    if not hit:  # every finding of a large diff: built directly, not by replace()
        return Diagnostic(
            d.rule, d.severity, d.message, d.location, d.hint, d.previous, data, d.related
        )
    return replace(
        d,
        severity=Severity.ERROR,
        message=f"{d.message} (breaks {' and '.join(hit)}, which `{mode.value}` "
        "compatibility protects)",
        data=data,
    )
