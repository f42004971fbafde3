"""Redaction of a few texts held in memory (guideline examples, before they
reach the site), by the same query as datasets: DuckDB in memory, the texts as
one column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from taxops.models.privacy import Privacy, RedactionRule
from taxops.redaction.plan import FieldRules
from taxops.redaction.sql import count_columns, redaction_query


@dataclass(frozen=True)
class Redacted:
    text: str
    #: Matches masked, by detector id (only detectors that matched).
    masked: dict[str, int]


def redact_texts(
    texts: Sequence[str], rules: Sequence[RedactionRule], policy: Privacy
) -> list[Redacted]:
    """Each text with ``rules`` applied, in order, and what each masked."""
    if not texts or not rules:
        return [Redacted(t, {}) for t in texts]
    import duckdb

    plan = [FieldRules("text", "", tuple(rules))]
    query = redaction_query("(SELECT unnest($texts::VARCHAR[]) AS text)", ["text"], plan, policy)
    with duckdb.connect() as con:
        con.execute("SET preserve_insertion_order = true")
        rows = con.execute(query, {"texts": list(texts)}).fetchall()
    counted = count_columns(plan)
    out = []
    for row in rows:
        masked: dict[str, int] = {}
        for (_, _, rule), n in zip(counted, row[1:], strict=True):
            if n:
                masked[rule.detect] = masked.get(rule.detect, 0) + n
        out.append(Redacted(row[0], masked))
    return out


def detect_texts(texts: Sequence[str], policy: Privacy) -> list[dict[str, int]]:
    """What every detector of the policy finds in each text: the check that
    nothing personal is published as it is."""
    from taxops.models.privacy import RedactionRule as Rule
    from taxops.redaction.detectors import detectors, specificity

    every = sorted(detectors(policy), key=specificity)
    return [r.masked for r in redact_texts(texts, [Rule(detect=d) for d in every], policy)]
