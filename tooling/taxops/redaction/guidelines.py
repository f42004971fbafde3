"""Guideline examples and near misses under the privacy policy: the items a
guideline publishes, each with its data class, and the guideline as the site
shows it, with every item of a class that requires redaction redacted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from taxops.models.guideline import Example, Guideline, NearMiss
from taxops.models.privacy import Privacy
from taxops.redaction.plan import class_rules
from taxops.redaction.texts import redact_texts

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Item:
    """One published item: where it is, what it is, and its class."""

    path: YamlPath
    label: str
    item: Example | NearMiss
    data_class: str | None

    @property
    def what(self) -> str:
        kind = "example" if isinstance(self.item, Example) else "near miss"
        return f"{kind} of '{self.label}'"


def items(guideline: Guideline, policy: Privacy | None) -> Iterator[Item]:
    """Every example and near miss, with its class (or the policy's default)."""
    default = policy.example_class if policy else None
    for i, guidance in enumerate(guideline.labels):
        for j, example in enumerate(guidance.examples):
            yield Item(
                ("labels", i, "examples", j), guidance.label, example,
                example.data_class or default,
            )  # fmt: skip
        for j, miss in enumerate(guidance.near_misses):
            yield Item(
                ("labels", i, "near_misses", j), guidance.label, miss, miss.data_class or default
            )


def redacted_guideline(guideline: Guideline, policy: Privacy) -> Guideline:
    """The guideline with each item's content redacted by its class's rules
    (items of unknown classes are left to the checks, which fail the build)."""
    todo: dict[tuple[int, str, int], str] = {}
    by_class: dict[str, list[tuple[tuple[int, str, int], str]]] = {}
    for item in items(guideline, policy):
        if item.data_class is None or policy.data_class(item.data_class) is None:
            continue
        _, i, field, j = item.path
        assert isinstance(i, int) and isinstance(field, str) and isinstance(j, int)
        by_class.setdefault(item.data_class, []).append(((i, field, j), item.item.content))
    for class_id, entries in by_class.items():
        rules = class_rules(policy, class_id)
        if not rules:
            continue
        done = redact_texts([text for _, text in entries], rules, policy)
        for (key, _), result in zip(entries, done, strict=True):
            todo[key] = result.text
    if not todo:
        return guideline
    labels = []
    for i, guidance in enumerate(guideline.labels):
        examples = tuple(
            e.model_copy(update={"content": todo.get((i, "examples", j), e.content)})
            for j, e in enumerate(guidance.examples)
        )
        misses = tuple(
            m.model_copy(update={"content": todo.get((i, "near_misses", j), m.content)})
            for j, m in enumerate(guidance.near_misses)
        )
        labels.append(guidance.model_copy(update={"examples": examples, "near_misses": misses}))
    return guideline.model_copy(update={"labels": tuple(labels)})
