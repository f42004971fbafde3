"""Names are plain text on one line: the checks every governed file shares
(see :mod:`taxops.names.characters` for what is refused and why). Ids refuse
the same characters, and joiners too, in their shape check
(:mod:`taxops.models.characters`, rule ``label-id-syntax``).

| Rule | Severity | What it finds |
|---|---|---|
| ``refused-character`` | error | A control, invisible or direction-changing character in a name. |
| ``blank-name`` | error | A name, alias, title or option made only of spaces. |
| ``markup-in-name`` | warning | HTML markup (a tag, a comment, an entity) in a name or title. |

Markup is a warning, not an error: taxops shows every name literally (the site,
reports and exports escape it), so it cannot run; but it reads wrongly and may
run in a tool that does not escape, so the author hears about it (and
``site build --strict`` fails).

Prose (definitions, notes, guideline Markdown) and example content are not
names: they may span lines and quote markup, and are rendered safely.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from taxops import escaping
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.loading import YamlDocument
from taxops.models.taxonomy import Taxonomy
from taxops.names.characters import Problem, describe, scan

if TYPE_CHECKING:  # the guideline model (18 ms to import) only for commands that read guidelines
    from taxops.models.guideline import Guideline

YamlPath = tuple[str | int, ...]
#: For a value's index: where it is in the file, what it is and whose it is
#: (``("labels", 3, "name"), "name", " of label 'x'"``).
Where = Callable[[int], tuple[YamlPath, str, str]]


def taxonomy_text(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    labels, cols = tax.labels, tax.columns
    yield from _fields(doc, [tax.title], lambda _: (("title",), "title", ""))
    yield from _fields(doc, tax.owners, lambda k: (("owners", k), "owner", ""))
    yield from _fields(
        doc,
        cols.names,
        lambda i: (("labels", i, "name"), "name", f" of label '{labels[i].id}'"),
    )
    aliases = list(itertools.chain.from_iterable(cols.aliases))

    def alias(k: int) -> tuple[YamlPath, str, str]:
        i, j = _owner(cols.aliases, k)
        return ("labels", i, "aliases", j), "alias", f" of label '{labels[i].id}'"

    yield from _fields(doc, aliases, alias)
    if all(n == 0 for _, n in cols.attribute_shapes):
        return  # no attribute lists options
    attributes = [
        (i, j, a)
        for i, attrs in enumerate(cols.attributes)
        if attrs
        for j, a in enumerate(attrs)
        if a.options
    ]
    options = list(itertools.chain.from_iterable(a.options for _, _, a in attributes))

    def option(k: int) -> tuple[YamlPath, str, str]:
        n, o = _owner([a.options for _, _, a in attributes], k)
        i, j, attribute = attributes[n]
        path = ("labels", i, "attributes", j, "options", o)
        return path, "option", f" of attribute '{attribute.name}'"

    yield from _fields(doc, options, option)


def guideline_text(g: Guideline, doc: YamlDocument) -> Iterator[Diagnostic]:
    if g.title is not None:
        yield from _fields(doc, [g.title], lambda _: (("title",), "title", ""))
    yield from _fields(
        doc,
        [r.title for r in g.decision_rules],
        lambda k: (
            ("decision_rules", k, "title"),
            "title",
            f" of decision rule '{g.decision_rules[k].id}'",
        ),
    )
    for key in ("contact", "channel", "response_time"):
        yield from _fields(
            doc, [getattr(s, key) for s in g.escalation], _in_list("escalation", key)
        )
    yield from _fields(
        doc,
        [c.decided_by for c in g.edge_cases],
        lambda k: (("edge_cases", k, "decided_by"), "'decided_by'", " of an edge case"),
    )


def _owner(lists: Iterable[Sequence[str]], k: int) -> tuple[int, int]:
    """Which list, and where in it, the ``k``-th value of the lists flattened is
    (worked out only for a value with a finding)."""
    for n, values in enumerate(lists):
        if k < len(values):
            return n, k
        k -= len(values)
    raise IndexError(k)


def _in_list(field: str, key: str) -> Where:
    what = f"escalation {key.replace('_', ' ')}"
    return lambda k: ((field, k, key), what, "")


def _fields(doc: YamlDocument, values: Sequence[str], where: Where) -> Iterator[Diagnostic]:
    for problem in scan(values):
        path, what, whose = where(problem.index)
        yield _diagnostic(problem, values[problem.index], what, whose, doc.locate(path))


def _diagnostic(
    problem: Problem, value: str, what: str, whose: str, location: Location
) -> Diagnostic:
    shown = escaping.terminal(value)
    if problem.kind == "refused-character":
        return Diagnostic(
            "refused-character",
            Severity.ERROR,
            f"{what} '{shown}'{whose} holds {describe(problem.text)} at character "
            f"{problem.position + 1}: "
            "a control, invisible or direction-changing character, so it reads differently "
            "from what it is",
            location,
            "delete the character (retype the text by hand if your editor does not show it)",
        )
    if problem.kind == "blank":
        return Diagnostic(
            "blank-name",
            Severity.ERROR,
            f"{what}{whose} is empty or only spaces",
            location,
            "write the text labelers should read, or remove the entry",
        )
    return Diagnostic(
        "markup-in-name",
        Severity.WARNING,
        f"{what} '{shown}'{whose} holds HTML markup ({escaping.terminal(problem.text)}); "
        "it is shown as typed, never interpreted",
        location,
        "write names as plain text: no tags, comments or character references like '&amp;'",
    )
