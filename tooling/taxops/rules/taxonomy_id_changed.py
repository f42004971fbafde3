"""The taxonomy's own id changed.

## What it detects
A different top-level `id:` between the two versions of the same taxonomy file.

## Why it matters
Guidelines, policies, datasets and migration records cite the taxonomy by id.
Data labeled "with `driving-objects` 2.0.0" no longer finds its taxonomy, and
consumers configured with the id stop resolving it: it breaks **data** and
**consumers**, and needs a **major** version.

Breaks: data and consumers.

## Example
```yaml
# old
id: driving-objects
# new
id: road-objects
```

## How to fix or migrate
Keep the id; change `title:` instead. If a new id is truly needed, create a new
taxonomy and retire the old one's labels into it.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import BOTH, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield ctx.report(
        change,
        f"the taxonomy id changed from `{change.detail.get('before')}` to "
        f"`{change.detail.get('after')}`; everything citing the old id stops resolving",
        "keep the id and change `title:` instead",
    )


RULE = Rule(
    "taxonomy-id-changed",
    Severity.WARNING,
    Bump.MAJOR,
    BOTH,
    (ChangeKind.TAXONOMY_ID_CHANGED,),
    check,
)
