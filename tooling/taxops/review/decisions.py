"""Reviewers' decisions: read from a Label Studio export (the review project's
tasks with their annotations) or from the file ``taxops review pull`` writes,
and checked against the queue before anything is merged.

A decision is refused when its row is not in the queue, when a row is decided
twice (two annotations, or the same row in two tasks), or when a label it picks
is not one of the row's candidates (a row without candidates accepts any label
labelers may use in the new version).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from taxops.diagnostics import TaxopsError
from taxops.escaping import short
from taxops.review.queue import Queue
from taxops.textfiles import as_dict, as_list, read_json

DECISIONS_FORMAT = "taxops/review-decisions/1"
#: The control of the review project whose results are the decisions.
DECISION_CONTROL = "decision"


@dataclass(frozen=True)
class Decision:
    row: int
    labels: tuple[str, ...]
    #: Where it came from, for messages: the Label Studio task and annotation.
    task: int | None = None
    annotation: int | None = None
    reviewer: str | None = None


@dataclass
class Decisions:
    decisions: list[Decision]
    taxonomy: str | None = None
    version: str | None = None
    #: Tasks with no (non-cancelled) annotation yet: their rows stay in review.
    open_tasks: int = 0
    notes: list[str] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        return {
            "taxops": DECISIONS_FORMAT,
            "taxonomy": self.taxonomy,
            "version": self.version,
            "open_tasks": self.open_tasks,
            "decisions": [
                {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(d).items()}
                for d in self.decisions
            ],
        }


def from_label_studio_tasks(tasks: Iterable[Any]) -> Decisions:
    """Decisions from review tasks as Label Studio exports them (JSON). Every
    annotation that was not cancelled is one decision; a choice may be the label
    id (the option's alias) or its name, which is mapped back through the task's
    candidates. Every field is checked for its type: an export edited by hand
    (or another tool's JSON) gives notes and errors, never a traceback."""
    out = Decisions([])
    for n, task in enumerate(tasks, start=1):
        if not isinstance(task, dict):
            raise TaxopsError(
                f"task {n} of the export is not a JSON object: not a Label Studio JSON export",
                "export the review project as JSON from Label Studio, or use taxops review pull",
            )
        data = as_dict(task.get("data"))
        meta = as_dict(as_dict(task.get("meta")).get("taxops"))
        row = meta.get("row", data.get("taxops_row"))
        shown = short(task.get("id", n))
        if row is None:
            out.notes.append(f"task {shown} is not a taxops review task: skipped")
            continue
        if not _is_row(row):
            out.notes.append(f"task {shown}: its row {short(row)} is not a row number: skipped")
            continue
        out.taxonomy = out.taxonomy or _text(meta.get("taxonomy"))
        out.version = out.version or _text(meta.get("version"))
        names = {
            str(c.get("value")): str(c.get("alias"))
            for c in as_list(data.get("taxops_candidates"))
            if isinstance(c, dict) and c.get("alias")
        }
        done = [
            a
            for a in as_list(task.get("annotations"))
            if isinstance(a, dict) and not a.get("was_cancelled")
        ]
        if not done:
            out.open_tasks += 1
        for annotation in done:
            chosen: list[str] = []
            for result in as_list(annotation.get("result")):
                result = as_dict(result)
                if result.get("from_name") == DECISION_CONTROL:
                    chosen += [str(c) for c in as_list(as_dict(result.get("value")).get("choices"))]
            if not chosen:
                out.notes.append(f"task {shown}: an annotation picks no label: skipped")
                continue
            reviewer = annotation.get("completed_by")
            if isinstance(reviewer, dict):
                reviewer = reviewer.get("email")
            out.decisions.append(
                Decision(
                    row=int(row),
                    labels=tuple(dict.fromkeys(names.get(c, c) for c in chosen)),
                    task=_number(task.get("id")),
                    annotation=_number(annotation.get("id")),
                    reviewer=str(reviewer) if reviewer is not None else None,
                )
            )
    return out


def _is_row(value: object) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool) and value > 0) or (
        isinstance(value, str) and value.isdigit() and int(value) > 0
    )


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def read_decisions(path: Path) -> Decisions:
    """A decisions file from ``taxops review pull``, or a Label Studio JSON export."""
    data = read_json(path)
    if isinstance(data, list):
        return from_label_studio_tasks(data)
    if not isinstance(data, dict) or data.get("taxops") != DECISIONS_FORMAT:
        raise TaxopsError(
            f"{path} holds no review decisions",
            "pass the file 'taxops review pull' wrote, or the review project's JSON export",
        )
    decisions = []
    for i, d in enumerate(as_list(data.get("decisions")), start=1):
        d = as_dict(d)
        labels = d.get("labels")
        if not _is_row(d.get("row")) or not isinstance(labels, list):
            raise TaxopsError(f"{path}: decision {i} needs a row number and a list of labels")
        decisions.append(
            Decision(
                row=int(d["row"]),
                labels=tuple(str(x) for x in labels),
                task=_number(d.get("task")),
                annotation=_number(d.get("annotation")),
                reviewer=_text(d.get("reviewer")),
            )
        )
    open_tasks = data.get("open_tasks")
    return Decisions(
        decisions,
        _text(data.get("taxonomy")),
        _text(data.get("version")),
        open_tasks if isinstance(open_tasks, int) and open_tasks >= 0 else 0,
    )


def check_decisions(
    decisions: Decisions, queue: Queue, any_label: Collection[str], multi_label: bool
) -> tuple[dict[int, tuple[str, ...]], list[str]]:
    """The decided labels by row, and every reason to refuse (empty: all good).
    ``any_label``: the labels a row without candidates may get."""
    queued = queue.by_row()
    problems: list[str] = []
    by_row: dict[int, list[Decision]] = defaultdict(list)
    for d in decisions.decisions:
        by_row[d.row].append(d)
    decided: dict[int, tuple[str, ...]] = {}
    for row, found in sorted(by_row.items()):
        where = ", ".join(_where(d) for d in found)
        if row not in queued:
            problems.append(f"row {row} is not in the review queue {queue.path.name} ({where})")
            continue
        if len(found) > 1:
            picks = "; ".join(f"{_where(d)}: {', '.join(d.labels)}" for d in found)
            problems.append(f"row {row} is decided {len(found)} times ({picks}); keep one decision")
            continue
        [d] = found
        allowed = queued[row].candidates or any_label
        wrong = [label for label in d.labels if label not in allowed]
        if wrong:
            offered = ", ".join(queued[row].candidates) or "a label of the new version"
            problems.append(
                f"row {row} ({_where(d)}) is decided as {', '.join(repr(w) for w in wrong)}, "
                f"which is not one of its candidates ({offered})"
            )
            continue
        if len(d.labels) > 1 and not multi_label:
            problems.append(f"row {row} ({_where(d)}) gets {len(d.labels)} labels; it takes one")
            continue
        decided[row] = d.labels
    return decided, problems


def _where(d: Decision) -> str:
    parts = [
        f"task {d.task}" if d.task is not None else "",
        f"by {d.reviewer}" if d.reviewer else "",
    ]
    return " ".join(p for p in parts if p) or "decision"
