"""A declaration about an already released version was edited.

## What it detects
A label's `narrowed`, `became_group`, `reused` or `backward` entry whose
`version` is the old version or earlier, added, removed or changed (its labels,
its `items` or `replacement`; a reworded `note` is not an edit).

## Why it matters
A declaration acts once, in the step from the version before it to its own
`version`, and that step's release already holds it. Comparing the old
version with the new one applies only the declarations made after the old
version, so an edit to an earlier one changes nothing any check or map sees:
the file now tells a history the release did not, silently. A comparison from
an earlier release (`taxops diff` across several versions, or a `backward` map)
would read the edited history and route items otherwise than the release
chain does. Releases never change; neither does what they declared.

Breaks: nothing by itself, but no version bump makes it right.

## Example
```yaml
# old (2.0.0)
  - id: rd
    narrowed: [{version: 2.0.0, moved_to: [rd_bio]}]
# new (2.1.0)
  - id: rd
    narrowed: [{version: 2.0.0, moved_to: [rd_ai], items: keep}]
```

## How to fix or migrate
Restore the declaration as the old version's file has it (the release under
`releases/`). To change where items go from now on, add a new entry under the
new version (`{version: 2.1.0, moved_to: [rd_ai]}`): it acts in this step, is
checked like any other, and composes with the released history.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    field = str(change.detail["field"])
    versions = ", ".join(change.detail.get("versions", ()))
    before = "; ".join(change.detail.get("before", ())) or "nothing"
    after = "; ".join(change.detail.get("after", ())) or "nothing"
    yield ctx.report(
        change,
        f"label `{change.label}`: `{field}` about {versions}, a version already released, "
        f"was edited (was {before}; now {after}); releases never change what they declared",
        f"restore `{field}` as the old version's file has it; to change where items go "
        "from now on, add an entry with the new version",
        at=("labels", change.new_index, field)
        if change.detail.get("present") and change.new_index is not None
        else None,
    )


RULE = Rule(
    "declaration-edited",
    Severity.ERROR,
    Bump.NONE,
    NOTHING,
    (ChangeKind.DECLARATION_EDITED,),
    check,
)
