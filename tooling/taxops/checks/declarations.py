"""In-file checks of the crosswalk declarations on labels (``narrowed``,
``became_group``, ``reused``, ``backward``; see :mod:`taxops.models.declarations`):
each names a version no later than the file's, points at labels that exist, and
makes sense for the label it sits on."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument
from taxops.models.declarations import RedirectMode
from taxops.models.taxonomy import DECLARATIONS, Label, Status, Taxonomy


def declarations(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    """Every declaration of every label, checked; nothing is read when no label
    declares anything (the common case)."""
    ids: Mapping[str, Label] | None = None
    children: dict[str | None, list[Label]] | None = None
    for i in tax.declaring:
        label = tax.labels[i]
        ids = ids if ids is not None else tax.by_id()
        children = children if children is not None else tax.children()
        yield from _versions(tax, label, i, doc)
        yield from _narrowed(label, i, ids, doc)
        yield from _became_group(tax, label, i, ids, children, doc)
        yield from _reused(tax, label, i, ids, doc)


def _error(
    rule: str, message: str, doc: YamlDocument, path: tuple[str | int, ...], hint: str | None = None
) -> Diagnostic:
    return Diagnostic(rule, Severity.ERROR, message, doc.locate(path), hint)


def _versions(tax: Taxonomy, label: Label, i: int, doc: YamlDocument) -> Iterator[Diagnostic]:
    for field in DECLARATIONS:
        for k, declaration in enumerate(getattr(label, field)):
            if tax.version < declaration.version:
                yield _error(
                    "declaration-after-version",
                    f"label '{label.id}' declares `{field}` in version {declaration.version}, "
                    f"after this file's version {tax.version}",
                    doc,
                    ("labels", i, field, k, "version"),
                    f"a declaration belongs to the version it happened in: {tax.version} or earlier",
                )


def _targets(
    label: Label,
    i: int,
    field: str,
    k: int,
    key: str,
    targets: tuple[str, ...],
    ids: Mapping[str, Label],
    doc: YamlDocument,
) -> Iterator[Diagnostic]:
    for t, target in enumerate(targets):
        path = ("labels", i, field, k, key, t)
        if target == label.id:
            yield _error(
                "replacement-cycle",
                f"label '{label.id}' names itself in `{field}.{key}`",
                doc,
                path,
                "the label itself is always a candidate of a narrowing; list only other labels"
                if field == "narrowed"
                else "name the labels that take over its items",
            )
        elif target not in ids:
            yield _error(
                "unknown-replacement",
                f"label '{label.id}' names '{target}' in `{field}.{key}`, which is not a label "
                "of this taxonomy",
                doc,
                path,
                "add the label, or fix the id",
            )


def _not_on_retired(label: Label, i: int, field: str, doc: YamlDocument) -> Iterator[Diagnostic]:
    if label.status is Status.RETIRED and getattr(label, field):
        yield _error(
            "declaration-on-retired",
            f"retired label '{label.id}' declares `{field}`, which only a label still in the "
            "taxonomy can",
            doc,
            ("labels", i, field),
            "say where a retired label's items go with `replaced_by:` and `replacement:`",
        )


def _narrowed(
    label: Label, i: int, ids: Mapping[str, Label], doc: YamlDocument
) -> Iterator[Diagnostic]:
    yield from _not_on_retired(label, i, "narrowed", doc)
    for k, narrowing in enumerate(label.narrowed):
        yield from _targets(label, i, "narrowed", k, "moved_to", narrowing.moved_to, ids, doc)


def _became_group(
    tax: Taxonomy,
    label: Label,
    i: int,
    ids: Mapping[str, Label],
    children: dict[str | None, list[Label]],
    doc: YamlDocument,
) -> Iterator[Diagnostic]:
    if not label.became_group:
        return
    yield from _not_on_retired(label, i, "became_group", doc)
    own = [c for c in children.get(label.id, []) if c.status is not Status.RETIRED]
    if not own:
        yield _error(
            "group-without-children",
            f"label '{label.id}' says it became a group, but no label in use has it as parent",
            doc,
            ("labels", i, "became_group"),
            "add its children (with `parent: " + label.id + "`), or remove `became_group`",
        )
    for k, redirect in enumerate(label.became_group):
        yield from _targets(
            label, i, "became_group", k, "replaced_by", redirect.replaced_by, ids, doc
        )
        for t, target in enumerate(redirect.replaced_by):
            if target in ids and target != label.id and not _descends(ids, target, label.id):
                yield _error(
                    "group-replacement-outside",
                    f"label '{label.id}' became a group, but its items go to '{target}', "
                    "which is not under it",
                    doc,
                    ("labels", i, "became_group", k, "replaced_by", t),
                    "a group's items go to labels under it; to send them elsewhere, retire it",
                )
        yield from _one_direct(
            tax, label, i, "became_group", k, redirect.mode, redirect.replaced_by, doc
        )


def _reused(
    tax: Taxonomy, label: Label, i: int, ids: Mapping[str, Label], doc: YamlDocument
) -> Iterator[Diagnostic]:
    yield from _not_on_retired(label, i, "reused", doc)
    for k, redirect in enumerate(label.reused):
        yield from _targets(label, i, "reused", k, "replaced_by", redirect.replaced_by, ids, doc)
        if redirect.mode is RedirectMode.DIRECT and not redirect.replaced_by:
            yield _error(
                "missing-replacement",
                f"label '{label.id}' was reused with `replacement: direct` but no `replaced_by`",
                doc,
                ("labels", i, "reused", k),
                "list the label(s) its old items go to, or use `replacement: review`",
            )
        yield from _one_direct(tax, label, i, "reused", k, redirect.mode, redirect.replaced_by, doc)


def _one_direct(
    tax: Taxonomy,
    label: Label,
    i: int,
    field: str,
    k: int,
    mode: RedirectMode,
    targets: tuple[str, ...],
    doc: YamlDocument,
) -> Iterator[Diagnostic]:
    if mode is RedirectMode.DIRECT and len(targets) > 1 and tax.kind.exclusive:
        yield _error(
            "ambiguous-direct-replacement",
            f"label '{label.id}' sends its items directly to {len(targets)} labels, but an "
            f"item of this {tax.kind.value} taxonomy carries only one",
            doc,
            ("labels", i, field, k, "replaced_by"),
            "a machine cannot choose between them: use `replacement: review`",
        )


def _descends(ids: Mapping[str, Label], label_id: str, ancestor: str) -> bool:
    seen: set[str] = set()
    parent = ids[label_id].parent
    while parent is not None and parent not in seen:
        if parent == ancestor:
            return True
        seen.add(parent)
        parent = ids[parent].parent if parent in ids else None
    return False
