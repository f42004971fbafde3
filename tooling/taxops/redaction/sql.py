"""The redaction as one DuckDB query over any relation: each field's rules run in
order, each as two projections (find the rule's valid matches in the field as it
stands, then replace them and count them), so nothing but vectorised SQL runs
per row and the query streams. The result has the relation's columns, in order,
redacted, followed by one count column per field and rule (:func:`count_column`).

For a rule on field ``f`` the work is::

    matches := CASE WHEN regexp_matches(f, PREFILTER)
               THEN list_filter(regexp_extract_all(f, CANDIDATES, 1), lambda c: VALID) END
    f       := CASE WHEN len(matches) > 0
               THEN list_reduce(matches, lambda acc, c: replace(acc, c, MASK(c)), f) ELSE f END

The prefilter is the profile's answer (the redaction reference page, "Where
the time goes"): most values hold nothing personal, and a yes/no test with
RE2's DFA costs a fraction of extracting groups and running the lambdas, which
DuckDB's CASE then runs on the few values that passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from taxops.escaping import sql_identifier, sql_literal
from taxops.models.privacy import Privacy, RedactionRule
from taxops.redaction.detectors import Detector, detectors
from taxops.redaction.plan import FieldRules

#: Count columns start with this; a dataset column of that name is refused.
COUNT_PREFIX = "__taxops_n_"


def count_column(field_index: int, rule_index: int) -> str:
    return f"{COUNT_PREFIX}{field_index}_{rule_index}"


def matches_sql(
    detector: Detector, value: str, *, screened: bool = True, gate: str | None = None
) -> str:
    """The detector's matches in ``value`` (SQL of a text), as a list: the
    candidates, each with its normal form computed once, filtered by validity.
    Screened (the default), a value without the detector's prefilter pattern
    (or whose ``gate``, a SQL boolean, is not true) is not looked at further:
    NULL, no matches."""
    found = f"regexp_extract_all({value}, {sql_literal(detector.candidates)}, 1)"
    if detector.exclude is not None:
        found = f"list_filter({found}, lambda c: NOT regexp_full_match(c, {sql_literal(detector.exclude)}))"
    if detector.valid is not None or detector.pattern is not None:
        pairs = f"list_transform({found}, lambda c: {{'c': c, 'd': {detector.normal}}})"
        if detector.valid is not None:
            pairs = f"list_filter({pairs}, lambda m: {detector.valid})"
        found = f"list_transform({pairs}, lambda m: m.c)"
        if detector.pattern is not None:
            found = _pattern_filter(pairs, detector.pattern)
    if not screened:
        return found
    screen = f"regexp_matches({value}, {sql_literal(detector.screen)})"
    return f"CASE WHEN {f'{gate} AND ' if gate else ''}{screen} THEN {found} END"


def _pattern_filter(pairs: str, pattern: str) -> str:
    """The candidates of ``pairs`` whose normal form matches ``pattern`` whole,
    with the pattern outside any lambda (compiled once per query): the pairs
    are written ``,c;d,`` one after the other, the pattern finds each whole
    ``,c;d,`` whose ``d`` it matches between ``;`` and ``,``, and the ``c`` is
    cut out of it by position."""
    # list_reduce, not array_to_string: that one runs string_agg per list,
    # measured four times slower here.
    joined = f"list_reduce({pairs}, lambda acc, m: acc || ',' || m.c || ';' || m.d || ',', '')"
    # The whole match, not a group: RE2 then finds its bounds with its DFA
    # alone, where a group costs a backtracking pass over the long pattern
    # (libphonenumber's), measured twice as slow.
    found = f"regexp_extract_all({joined}, {sql_literal(f',[^,;]*;(?:{pattern}),')})"
    return f"list_transform({found}, lambda h: split_part(h[2:], ';', 1))"


def _mask(rule: RedactionRule) -> str:
    template = sql_literal(rule.mask_template)
    if rule.keep_last:
        return f"replace({template}, '{{last}}', right(c, {rule.keep_last}))"
    return template


def _gate(i: int) -> str:
    return sql_identifier(f"__taxops_g_{i}")


def redaction_query(
    source: str, columns: Sequence[str], plan: Sequence[FieldRules], policy: Privacy
) -> str:
    """SELECT over ``source`` (a relation in SQL: a table function call or a
    subquery) returning ``columns`` redacted by ``plan``, then the count columns.

    A field with several rules is first screened once by the union of their
    prefilters (one pass of RE2's DFA costs about what one prefilter does): a
    value that matches none of them skips every rule. That is sound without
    looking again after a rule masks something: a value that no prefilter
    matches is never changed, so every later rule sees it as it was read."""
    if any(c.startswith(COUNT_PREFIX) for c in columns):
        raise ValueError(f"a column name starts with {COUNT_PREFIX}, which taxops reserves")
    known = detectors(policy)
    gated = {i: f for i, f in enumerate(plan) if len(f.rules) > 1}
    relation = f"(SELECT * FROM {source})"
    if gated:
        screens = [
            f"regexp_matches({sql_identifier(f.field)}::VARCHAR, "
            f"{sql_literal(_union(known[r.detect].screen for r in f.rules))}) AS {_gate(i)}"
            for i, f in gated.items()
        ]
        relation = f"(SELECT *, {', '.join(screens)} FROM {relation})"
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
            gate = _gate(i) if i in gated else None
            found.append(
                f"{matches_sql(known[rule.detect], f'{col}::VARCHAR', gate=gate)} AS {hold}"
            )
            replaced.append(
                f"CASE WHEN len({hold}) > 0 THEN list_reduce({hold}, lambda acc, c: "
                f"replace(acc, c, {_mask(rule)}), {col}) ELSE {col} END AS {col}"
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


def _union(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in dict.fromkeys(patterns))


def count_columns(plan: Sequence[FieldRules]) -> list[tuple[str, FieldRules, RedactionRule]]:
    """Each count column with the field and rule it counts, in query order."""
    depth = max((len(f.rules) for f in plan), default=0)
    return [
        (count_column(i, k), field, field.rules[k])
        for k in range(depth)
        for i, field in enumerate(plan)
        if k < len(field.rules)
    ]
