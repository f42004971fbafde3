"""A label stays, but part of its meaning moved to other labels.

## What it detects
A label present in both versions whose new version declares `narrowed:` for a
version after the old one: official crosswalks map such an old code to itself
*and* to other codes.

## Why it matters
Some items labeled with it before now belong to the labels that took part of
its meaning. Passing them through unchanged would relabel them silently as if
nothing changed. With `items: review` (the default) each such item goes to a
human, who picks among the label itself and the others: data is carried over
through that review. With `items: keep` the items stay, and some are now wrong:
that breaks **data**. Always a **major** version.

Breaks: data, when items are kept (`items: keep`).

## Example
```yaml
# old
  - {id: rd_sciences, name: Research and development in the sciences}
# new
  - id: rd_sciences
    name: Research and development in the sciences (except biotechnology)
    narrowed:
      - {version: 2.0.0, moved_to: [rd_biotech], items: review}
  - {id: rd_biotech, name: Research and development in biotechnology}
```

## How to fix or migrate
Bump the major version; add a decision rule between the label and the ones that
took part of its meaning to the guideline; estimate the review with
`taxops impact`. Use `items: keep` only when the publisher says items stay.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import DATA, NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    moved = ", ".join(f"`{t}`" for t in change.detail.get("targets", ()))
    keep = change.detail.get("mode") == "keep"
    what = (
        "its items stay, and those that now belong elsewhere are wrong"
        if keep
        else "a human reviews its items, choosing among the label itself and those"
    )
    yield ctx.report(
        change,
        f"label `{change.label}` was narrowed in {change.detail.get('version')}: part of its "
        f"meaning moved to {moved}; {what}",
        "bump the major version; add a decision rule between them to the guideline and "
        "estimate the review with taxops impact"
        + ("; use `items: review` unless the publisher says items stay" if keep else ""),
        breaks=DATA if keep else NOTHING,
        at=_at(change, ctx),
    )


def _at(change: Change, ctx: RuleContext) -> tuple[str | int, ...] | None:
    if change.new_index is None:
        return None
    return ("labels", change.new_index, change.field_path[0], change.detail.get("index", 0))


RULE = Rule(
    "label-narrowed", Severity.WARNING, Bump.MAJOR, DATA, (ChangeKind.LABEL_NARROWED,), check
)
