"""The migration map's contribution to ``taxops check``: an old label whose items
would have nowhere to go is a finding, whatever version bump is declared."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from itertools import compress

from taxops.changes import ChangeSet
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.migration.build import FATE_KINDS, entries
from taxops.migration.model import Action
from taxops.models.taxonomy import Status
from taxops.positions import NodePath, Positions

RULE_UNMAPPED = "migration-unmapped-label"


def map_findings(
    changes: ChangeSet,
    old_doc: Positions | None = None,
    new_doc: Positions | None = None,
    *,
    reported: Collection[str] = (),
) -> list[Diagnostic]:
    """One error per old label the new version gives no fate (removed without a
    tombstone, or retired without ``replaced_by``/``replacement``). Pass the two
    parsed files to get locations: the label in the old file, and in the new
    file the label itself, or its nearest surviving parent when it was removed.
    ``reported``: labels another finding already reports (their entries are
    not built: 50,000 labels removed outright have 50,000 such findings)."""
    old_at, new_at = changes.old.index, changes.new.index
    unmapped = []
    for entry in entries(changes, only=_without_plain_fate(changes).difference(reported)):
        if entry.action is not Action.UNMAPPED:
            continue
        i = old_at[entry.label]
        j = new_at.get(entry.label)
        if j is None:
            message = (
                f"label '{entry.label}' was removed without a replacement: items labeled "
                f"'{entry.label}' in existing datasets cannot be migrated to {changes.new.version}"
            )
            hint = (
                f"keep '{entry.label}' as a retired label with 'replaced_by: [...]' (a machine "
                "relabels), 'replacement: review' (a human decides) or 'replacement: parent'"
            )
        else:
            message = (
                f"label '{entry.label}' is retired without saying where its items go: existing "
                f"datasets carrying it cannot be migrated to {changes.new.version}"
            )
            hint = "add 'replaced_by: [...]', 'replacement: review' or 'replacement: parent'"
        unmapped.append((entry.label, i, j, message, hint))
    # Every place in one batch per file.
    news = _locate_all(new_doc, [_new_place(j, changes, lb, new_at) for lb, _, j, _, _ in unmapped])
    olds = _locate_all(old_doc, [(("labels", i), "value") for _, i, _, _, _ in unmapped])
    return [
        Diagnostic(
            RULE_UNMAPPED,
            Severity.ERROR,
            message,
            location=new,
            hint=hint,
            previous=old,
            data={"label": label, "old_index": i, "new_index": j},
        )
        for (label, i, j, message, hint), new, old in zip(unmapped, news, olds, strict=True)
    ]


def _locate_all(doc: Positions | None, asked: list[tuple[NodePath, str]]) -> list[Location | None]:
    return list(doc.locate_all(asked)) if doc is not None else [None] * len(asked)


def _without_plain_fate(changes: ChangeSet) -> set[str]:
    """The old labels whose entry could be unmapped: those a change that
    decides a fate is about (:data:`~taxops.migration.build.FATE_KINDS`: a
    removal, a retirement, a merge's sources...), and those not active in the
    new version. Any other label is in the new version, active, with no fate
    of its own (renamed or moved, say): its items stay, so its entry is not
    built."""
    about = {c.label for c in changes if c.label is not None and c.kind in FATE_KINDS}
    about.update(s for c in changes for s in c.detail.get("sources", ()))
    new = changes.new
    if not new.columns.all_active:
        about.update(compress(new.columns.ids, map(Status.ACTIVE.__ne__, new.columns.statuses)))
    about.difference_update(
        label_id for label_id in list(about) if label_id not in changes.old.index
    )
    return about


def _new_place(
    j: int | None, changes: ChangeSet, label: str, new_at: Mapping[str, int]
) -> tuple[NodePath, str]:
    """Where an unmapped label belongs in the new file: itself, or when it was
    removed, its nearest ancestor that survived, else the label list."""
    if j is not None:
        return ("labels", j), "value"
    old_ids = changes.old.by_id()
    parent = old_ids[label].parent
    while parent is not None:
        if parent in new_at:
            return ("labels", new_at[parent]), "value"
        parent = old_ids[parent].parent if parent in old_ids else None
    return ("labels",), "key"
