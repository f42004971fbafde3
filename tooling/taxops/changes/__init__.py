"""The one change set between two taxonomy versions, read by every rule, map and report."""

from taxops.changes.detect import diff
from taxops.changes.model import Change, ChangeKind, ChangeSet, Suggestion

__all__ = ["Change", "ChangeKind", "ChangeSet", "Suggestion", "diff"]
