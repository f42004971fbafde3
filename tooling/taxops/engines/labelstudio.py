"""Relabel a Label Studio JSON export (a list of tasks) in memory.

Every label string in the tasks' annotations and predictions is mapped: the
``choices``, ``labels``, ``rectanglelabels``, ``polygonlabels`` ... lists of each
result's ``value``, and ``taxonomy`` paths (their last element). A task goes to the
review queue when any of its labels needs review or is unknown; the queue is a
Label Studio tasks file (``data`` kept, the old labels and candidates in ``meta``)
ready to import into a project for relabeling. Exports are read whole: for a
project of millions of tasks, export JSON-MIN or CSV and migrate that instead.

A project often has several controls (the taxonomy's, a sentiment choice, NER
spans...), all in each annotation's results. Only one holds the taxonomy's
labels: :func:`choose_control` picks it (the one named, the only one, or an
error naming them all), and every reader keeps to it: the other controls' labels
are neither relabeled nor counted.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from taxops.diagnostics import TaxopsError
from taxops.migration.model import MigrationMap
from taxops.migration.values import (
    MALFORMED,
    Disposition,
    Tally,
    ValueFate,
    classify,
    review_reason,
    row_reason,
)

LABEL_KEYS = (
    "choices",
    "labels",
    "rectanglelabels",
    "polygonlabels",
    "keypointlabels",
    "brushlabels",
    "ellipselabels",
    "polylinelabels",
    "hypertextlabels",
    "paragraphlabels",
    "timeserieslabels",
)


def read_tasks(source: Path) -> list[Any]:
    """The tasks of a Label Studio JSON export, or say why it is not one."""
    try:
        tasks = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TaxopsError(f"cannot read {source} as a Label Studio JSON export: {exc}") from None
    except RecursionError:
        raise TaxopsError(
            f"cannot read {source} as a Label Studio JSON export: it nests deeper than "
            "Python's JSON reader allows"
        ) from None
    if not isinstance(tasks, list):
        raise TaxopsError(
            f"{source} is not a Label Studio JSON export: expected a list of tasks",
            "export the project with 'Export > JSON' in Label Studio",
        )
    return tasks


def label_controls(tasks: list[Any]) -> dict[str, tuple[str, int]]:
    """The controls whose results hold labels: name -> (result type, results)."""
    found: dict[str, tuple[str, int]] = {}
    for task in tasks:
        if not isinstance(task, dict) or _malformed(task) is not None:
            continue
        for result in _results(task):
            if result_labels(result):
                name = control_of(result)
                kind, n = found.get(name, (str(result.get("type") or "?"), 0))
                found[name] = (kind, n + 1)
    return found


def choose_control(tasks: list[Any], control: str | None, source: Path | str) -> str | None:
    """The control whose labels are read: ``control`` when named (it must hold
    labels), else the only control with labels; several and none named is an
    error listing them (a sentiment choice is not a taxonomy label)."""
    controls = label_controls(tasks)
    listing = ", ".join(f"'{name}' ({kind}, {n:,} results)" for name, (kind, n) in controls.items())
    if control is not None:
        if control not in controls:
            raise TaxopsError(
                f"{source} has no labels of a control named '{control}'",
                f"its controls with labels: {listing or 'none'}",
            )
        return control
    if len(controls) > 1:
        raise TaxopsError(
            f"{source} holds the labels of {len(controls)} controls: {listing}",
            "name the one that holds the taxonomy's labels with --label-column NAME "
            "(the control's name, 'from_name' in the export)",
        )
    return next(iter(controls), None)


def run(
    source: Path,
    migration: MigrationMap,
    dataset_out: Path,
    review_out: Path,
    control: str | None = None,
) -> Tally:
    """Relabel the labels of ``control`` (see :func:`choose_control`) in every
    task; the other controls' results are kept as they are."""
    tasks = read_tasks(source)
    control = choose_control(tasks, control, source)
    tally = Tally(rows_in=len(tasks))
    fates: dict[str | None, ValueFate] = {}
    values: Counter[str | None] = Counter()
    migrated, review = [], []
    malformed = 0
    for position, task in enumerate(tasks, start=1):
        problem = _malformed(task)
        if problem is not None:
            malformed += 1
            if len(tally.malformed) < 100:
                tally.malformed.append({"row": position, "error": problem})
            review.append(
                {
                    "data": task.get("data", {}) if isinstance(task, dict) else {},
                    "meta": {"taxops": {"row": position, "reason": MALFORMED, "raw": task}},
                }
            )
            continue
        assert isinstance(task, dict)
        found: list[ValueFate] = []
        for label_list in _label_lists(task, control):
            for value in label_list:
                values[value] += 1
                if value not in fates:
                    fates[value] = classify(value, migration)
                found.append(fates[value])
        reason = row_reason([review_reason(f) for f in found])
        if reason is not None:
            candidates = list(dict.fromkeys(t for f in found for t in f.targets))
            review.append(
                {
                    "data": task.get("data", {}),
                    "meta": {
                        "taxops": {
                            "row": position,
                            "task_id": task.get("id"),
                            "reason": reason,
                            "old_labels": [f.raw for f in found],
                            "candidates": candidates,
                            # What a decision relabels (taxops migrate --apply-review).
                            "task": task,
                        }
                    },
                }
            )
            tally.review_reasons[reason] += 1
        else:
            migrated.append(_relabel(task, fates, control))
    tally.review_reasons[MALFORMED] += malformed
    tally.values = dict(values)
    tally.rows_migrated, tally.rows_review = len(migrated), len(review)
    dataset_out.write_text(
        json.dumps(migrated, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    if review:
        review_out.write_text(
            json.dumps(review, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return tally


def _results(task: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for group in ("annotations", "predictions"):
        for item in task.get(group) or []:
            if isinstance(item, dict):
                out += [r for r in item.get("result") or [] if isinstance(r, dict)]
    return out


def _malformed(task: Any) -> str | None:
    """What makes a task unreadable as labels, or None: a task that is not an
    object, or a label that is not text (a number, a list where a label belongs)
    would otherwise pass through unmigrated."""
    if not isinstance(task, dict):
        return "not a JSON object"
    for group in ("annotations", "predictions"):
        items = task.get(group)
        if items is None:
            continue
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return f"'{group}' is not a list of objects"
        for item in items:
            results = item.get("result")
            if results is not None and not (
                isinstance(results, list) and all(isinstance(r, dict) for r in results)
            ):
                return f"a 'result' in '{group}' is not a list of objects"
    for result in _results(task):
        value = result.get("value") or {}
        if not isinstance(value, dict):
            return "a result's 'value' is not an object"
        for key in LABEL_KEYS:
            labels = value.get(key)
            if labels is not None and not (
                isinstance(labels, list) and all(isinstance(v, str) for v in labels)
            ):
                return f"'{key}' is not a list of text labels"
        paths = value.get("taxonomy")
        if paths is not None and not (
            isinstance(paths, list)
            and all(isinstance(p, list) and all(isinstance(v, str) for v in p) for p in paths)
        ):
            return "'taxonomy' is not a list of label paths"
    return None


def _label_lists(task: dict[str, Any], control: str | None) -> list[list[str]]:
    return [labels for result in _results(task) for labels in result_labels(result, control)]


def control_of(result: dict[str, Any]) -> str:
    """The control a result belongs to (its ``from_name``; empty when unnamed)."""
    return str(result.get("from_name") or "")


def result_labels(result: dict[str, Any], control: str | None = None) -> list[list[str]]:
    """The label lists of one result (none when it belongs to another control
    than ``control``): each ``choices``/``labels``/... list, and the last element
    of each ``taxonomy`` path."""
    if control is not None and control_of(result) != control:
        return []
    value = result.get("value") or {}
    if not isinstance(value, dict):
        return []
    lists = []
    for key in LABEL_KEYS:
        if isinstance(value.get(key), list):
            lists.append([v for v in value[key] if isinstance(v, str)])
    if isinstance(value.get("taxonomy"), list):
        lists.append([p[-1] for p in value["taxonomy"] if isinstance(p, list) and p])
    return lists


def _relabel(
    task: dict[str, Any], fates: dict[str | None, ValueFate], control: str | None
) -> dict[str, Any]:
    task = json.loads(json.dumps(task))  # a copy: the input stays as read
    for result in _results(task):
        if control is not None and control_of(result) != control:
            continue
        value = result.get("value") or {}
        for key in LABEL_KEYS:
            if isinstance(value.get(key), list):
                value[key] = _map_list(value[key], fates)
        if isinstance(value.get("taxonomy"), list):
            value["taxonomy"] = [
                [*p[:-1], *_map_list([p[-1]], fates)] if isinstance(p, list) and p else p
                for p in value["taxonomy"]
            ]
    return task


def _map_list(labels: list[Any], fates: dict[str | None, ValueFate]) -> list[Any]:
    out: list[Any] = []
    for v in labels:
        fate = fates.get(v) if isinstance(v, str) else None
        if fate is None or fate.disposition is Disposition.UNLABELED:
            out.append(v)
        else:
            out += list(fate.targets)
    return list(dict.fromkeys(out))


#: Result keys holding a whole task's labels; the others label regions.
_TASK_KEYS = ("choices", "taxonomy")


def decided_task(task: dict[str, Any], control: str | None, labels: list[str]) -> dict[str, Any]:
    """``task`` with a reviewer's decision: every result of ``control`` (in each
    annotation and prediction) holds ``labels``, a taxonomy path keeping its
    parents; the other controls' results are kept as they are. A decision is
    about the whole task, so a control labeling regions cannot take one."""
    task = json.loads(json.dumps(task))  # a copy: the queue stays as read
    for result in _results(task):
        if control is not None and control_of(result) != control:
            continue
        value = result.get("value") or {}
        regions = [k for k in LABEL_KEYS if k not in _TASK_KEYS and isinstance(value.get(k), list)]
        if regions:
            raise TaxopsError(
                f"task {task.get('id')}: '{control_of(result)}' labels regions ('{regions[0]}'); "
                "a decision is about the whole task and cannot say which region it relabels",
                "relabel the regions of the review queue's tasks in Label Studio and export them",
            )
        if isinstance(value.get("choices"), list):
            value["choices"] = list(labels)
        paths = value.get("taxonomy")
        if isinstance(paths, list):
            parents = paths[0][:-1] if paths and isinstance(paths[0], list) else []
            value["taxonomy"] = [[*parents, label] for label in labels]
    return task
