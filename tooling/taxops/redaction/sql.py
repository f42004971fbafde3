"""The redaction as one DuckDB query over any relation: each field's rules run in
order, each as two projections (find the rule's valid matches in the field as it
stands, then replace them and count them), so nothing but vectorised SQL runs
per row and the query streams. The result has the relation's columns, in order,
redacted, followed by one count column per field and rule (:func:`count_column`).

For a rule on field ``f`` the work is::

    matches := list_filter(regexp_extract_all(f, CANDIDATES, 1), lambda c: VALID)
    f       := list_reduce(matches, lambda acc, c: replace(acc, c, MASK(c)), f)
"""

from __future__ import annotations

from collections.abc import Sequence

from taxops.escaping import sql_identifier, sql_literal
from taxops.models.privacy import Privacy, RedactionRule
from taxops.redaction.detectors import Detector, detectors
from taxops.redaction.plan import FieldRules

#: Count columns start with this; a dataset column of that name is refused.
COUNT_PREFIX = "__taxops_n_"


def count_column(field_index: int, rule_index: int) -> str:
    return f"{COUNT_PREFIX}{field_index}_{rule_index}"


def matches_sql(detector: Detector, value: str) -> str:
    """The detector's matches in ``value`` (SQL of a text), as a list: the
    candidates, each with its normal form computed once, filtered by validity."""
    found = f"regexp_extract_all({value}, {sql_literal(detector.candidates)}, 1)"
    if detector.exclude is not None:
        found = f"list_filter({found}, lambda c: NOT regexp_full_match(c, {sql_literal(detector.exclude)}))"
    if detector.valid is None:
        return found
    pairs = f"list_transform({found}, lambda c: {{'c': c, 'd': {detector.normal}}})"
    return f"list_transform(list_filter({pairs}, lambda m: {detector.valid}), lambda m: m.c)"


def _mask(rule: RedactionRule) -> str:
    template = sql_literal(rule.mask_template)
    if rule.keep_last:
        return f"replace({template}, '{{last}}', right(c, {rule.keep_last}))"
    return template


def redaction_query(
    source: str, columns: Sequence[str], plan: Sequence[FieldRules], policy: Privacy
) -> str:
    """SELECT over ``source`` (a relation in SQL: a table function call or a
    subquery) returning ``columns`` redacted by ``plan``, then the count columns."""
    if any(c.startswith(COUNT_PREFIX) for c in columns):
        raise ValueError(f"a column name starts with {COUNT_PREFIX}, which taxops reserves")
    known = detectors(policy)
    relation = f"(SELECT * FROM {source})"
    counts: list[str] = []
    depth = max((len(f.rules) for f in plan), default=0)
    for k in range(depth):
        found: list[str] = []
        replaced: list[str] = []
        counted: list[str] = []
        holds: list[str] = []
        for i, field in enumerate(plan):
            if k >= len(field.rules):
                continue
            rule = field.rules[k]
            col = sql_identifier(field.field)
            hold = sql_identifier(f"__taxops_m_{i}_{k}")
            holds.append(hold)
            found.append(f"{matches_sql(known[rule.detect], f'{col}::VARCHAR')} AS {hold}")
            replaced.append(
                f"list_reduce({hold}, lambda acc, c: replace(acc, c, {_mask(rule)}), {col}) AS {col}"
            )
            counts.append(count_column(i, k))
            counted.append(f"coalesce(len({hold}), 0)::INTEGER AS {sql_identifier(counts[-1])}")
        relation = f"(SELECT *, {', '.join(found)} FROM {relation})"
        relation = (
            f"(SELECT * EXCLUDE ({', '.join(holds)}) REPLACE ({', '.join(replaced)}), "
            f"{', '.join(counted)} FROM {relation})"
        )
    outputs = [sql_identifier(c) for c in columns] + [sql_identifier(c) for c in counts]
    return f"SELECT {', '.join(outputs)} FROM {relation}"


def count_columns(plan: Sequence[FieldRules]) -> list[tuple[str, FieldRules, RedactionRule]]:
    """Each count column with the field and rule it counts, in query order."""
    depth = max((len(f.rules) for f in plan), default=0)
    return [
        (count_column(i, k), field, field.rules[k])
        for k in range(depth)
        for i, field in enumerate(plan)
        if k < len(field.rules)
    ]
