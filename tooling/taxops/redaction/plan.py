"""Which rules apply to which field of a dataset: a field named in the privacy
policy for this dataset, or for every dataset, has that field's class; any other
text field has the dataset's class; the label column is never redacted (it holds
label ids). Rules of a class run from the most specific detector to the least."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from taxops.diagnostics import TaxopsError
from taxops.models.privacy import Privacy, RedactionRule
from taxops.redaction.detectors import specificity


@dataclass(frozen=True)
class FieldRules:
    """The rules one field is redacted by, in the order they run."""

    field: str
    data_class: str
    rules: tuple[RedactionRule, ...]


def class_rules(policy: Privacy, class_id: str) -> tuple[RedactionRule, ...]:
    """A class's rules, most specific detector first."""
    data_class = policy.data_class(class_id)
    if data_class is None:
        known = ", ".join(c.id for c in policy.classes)
        raise TaxopsError(
            f"'{class_id}' is not a data class of the privacy policy", f"known classes: {known}"
        )
    return tuple(sorted(data_class.redaction or (), key=lambda r: specificity(r.detect)))


def field_plan(
    policy: Privacy,
    columns: Sequence[str],
    dataset_class: str,
    *,
    dataset_id: str | None = None,
    skip: Sequence[str] = (),
) -> list[FieldRules]:
    """The rules of each of ``columns`` (text columns of the dataset), leaving out
    ``skip`` (the label column) and fields whose class redacts nothing."""
    own = {f.field: f.data_class for f in policy.fields if f.dataset == dataset_id and dataset_id}
    everywhere = {f.field: f.data_class for f in policy.fields if f.dataset is None}
    plan = []
    for column in columns:
        if column in skip:
            continue
        class_id = own.get(column) or everywhere.get(column) or dataset_class
        rules = class_rules(policy, class_id)
        if rules:
            plan.append(FieldRules(column, class_id, rules))
    return plan
