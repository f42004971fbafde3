"""Decision hints for reviewers, read from a guideline's decision rules."""

from __future__ import annotations

from typing import Any

from taxops.migration.build import DecisionHint


def hints_from_guideline(guideline: Any) -> list[DecisionHint]:
    """One hint per decision rule of a guideline (``taxops.models.guideline``):
    the rule's question and its ordered tests, e.g. "Light or heavy truck? if the
    gross weight is over 3.5 t -> vehicle.truck_heavy; otherwise vehicle.truck_light"."""
    hints = []
    for rule in getattr(guideline, "decision_rules", ()):
        steps = "; ".join(f"if {_lower_first(str(s.when))} -> {s.use}" for s in rule.steps)
        otherwise = rule.otherwise if rule.otherwise != "escalate" else "escalate"
        text = f"{rule.title} {steps}; otherwise {otherwise}"
        hints.append(DecisionHint(tuple(rule.all_labels), text))
    return hints


def _lower_first(text: str) -> str:
    """'The tracking says...' reads 'if the tracking says...' after 'if'."""
    words = " ".join(text.split())
    if len(words) > 1 and words[0].isupper() and words[1].islower():
        return words[0].lower() + words[1:]
    return words
