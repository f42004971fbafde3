"""Checks inside one taxonomy file: the relations the model's shapes cannot see.

Every check runs (none stops the others) and each finding names the labels
involved and the line to fix. Rule ids are stable: teams grep for them and waive them.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import cast

from taxops.checks.common import IdSuggestions, did_you_mean, repeats
from taxops.checks.declarations import declarations
from taxops.checks.text import taxonomy_text
from taxops.diagnostics import Diagnostic, Location, Severity, label_data
from taxops.loading import YamlDocument
from taxops.models.characters import visible
from taxops.models.ids import IdPreset
from taxops.models.taxonomy import (
    AttributeType,
    Label,
    LabelColumns,
    Replacement,
    Status,
    Taxonomy,
    TaxonomyKind,
)
from taxops.models.versioning import Scheme
from taxops.names import sibling_keys

Check = Callable[[Taxonomy, YamlDocument], Iterator[Diagnostic]]


def check_taxonomy(taxonomy: Taxonomy, doc: YamlDocument) -> list[Diagnostic]:
    """Run every in-file check and collect all findings."""
    return [d for check in CHECKS for d in check(taxonomy, doc)]


def _at(doc: YamlDocument, index: int, field: str | None = None, *, at: str = "value") -> Location:
    path: tuple[str | int, ...] = ("labels", index) if field is None else ("labels", index, field)
    return doc.locate(path, at=at)


def _error(
    rule: str, message: str, loc: Location, hint: str | None = None, *, label: str | None = None
) -> Diagnostic:
    """A finding; ``label`` (the label it is about) lets a waiver accept it."""
    return Diagnostic(rule, Severity.ERROR, message, loc, hint, data=label_data(label))


_CODES_HINT = "; a taxonomy that keeps a publisher's codes declares 'ids: code' (or a pattern)"


def label_id_syntax(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    """Every id has the shape the taxonomy's ``ids:`` declares."""
    rule = tax.id_rule
    for i, problem in rule.problems(tax.columns.ids):
        label = tax.labels[i]
        yield _error(
            "label-id-syntax",
            f"label id '{visible(label.id)}' {problem}",
            _at(doc, i, "id"),
            "ids are stored in datasets and never change; put the human wording in 'name:'"
            + (_CODES_HINT if rule.preset is IdPreset.SLUG else ""),
            label=label.id,
        )


def unique_ids(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    """No id twice; where case carries no meaning, not even in another case."""
    rule = tax.id_rule
    folded = rule.case_insensitive and rule.preset is not IdPreset.SLUG  # slugs have one case
    if len(tax.index) == len(tax.labels) and not folded:
        return  # the id index has one entry per label: no duplicates
    keys = (rule.key(label.id) for label in tax.labels) if folded else (lb.id for lb in tax.labels)
    for i, first in repeats(keys):
        prev = _at(doc, first, "id")
        this, other = tax.labels[i].id, tax.labels[first].id
        twice = (
            "is used twice"
            if this == other
            else f"is the same id as '{other}' in another case (ids of this taxonomy ignore case)"
        )
        yield _error(
            "duplicate-label-id",
            f"label id '{this}' {twice} (first at line {prev.line})",
            _at(doc, i, "id"),
            "label ids are unique and never reused; give the new label its own id",
            label=this,
        )


def parents_exist(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    ids = tax.index
    parents = tax.columns.parents
    named = set(parents)
    named.discard(None)
    hierarchical = tax.kind is TaxonomyKind.HIERARCHICAL
    # The parents that make a finding: any at all in a flat taxonomy, else the
    # unknown ones. The labels that name them are picked out in C: a Python
    # loop over 200,000 labels to find one typo cost 0.1 s.
    wrong = named - ids.keys() if hierarchical else named
    suggest = IdSuggestions(ids)
    for i in itertools.compress(range(len(parents)), map(wrong.__contains__, parents)):
        label = tax.labels[i]
        if not hierarchical:
            yield _error(
                "parent-in-flat-taxonomy",
                f"label '{label.id}' has a parent, but the taxonomy is {tax.kind.value}",
                _at(doc, i, "parent"),
                "set 'kind: hierarchical', or remove 'parent:'",
                label=label.id,
            )
        else:
            yield _error(
                "unknown-parent",
                f"label '{label.id}' has parent '{label.parent}', which is not a label "
                "of this taxonomy",
                _at(doc, i, "parent"),
                suggest.hint(str(label.parent)) or "add the parent label, or fix the id",
                label=label.id,
            )
    if tax.leaf_only and tax.kind is not TaxonomyKind.HIERARCHICAL:
        yield _error(
            "leaf-only-not-hierarchical",
            f"'leaf_only' applies to hierarchical taxonomies; this one is {tax.kind.value}",
            doc.locate(("leaf_only",), at="key"),
            "remove 'leaf_only', or set 'kind: hierarchical'",
        )


def no_cycles(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    index = tax.index
    parents = tax.columns.parents
    # Parents written before their children (the usual layout) cannot form a cycle.
    position = cast("Callable[[str | None, int], int]", index.get)
    where = map(position, parents, itertools.repeat(-1))  # no parent, or unknown: -1
    if all(map(operator.lt, where, itertools.count())):
        return
    parent_of = {label.id: label.parent for label in tax.labels if label.parent in index}
    done: set[str] = set()  # labels known to reach a root
    for start in _on_or_above_a_cycle(parent_of):
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in done:
            if node in on_path:
                cycle = path[path.index(node) :]
                first = min(cycle, key=index.__getitem__)
                k = cycle.index(first)
                ring = " -> ".join([*cycle[k:], *cycle[:k], first])
                yield _error(
                    "parent-cycle",
                    f"labels form a cycle through their parents: {ring}",
                    _at(doc, index[first], "parent"),
                    "a label cannot be its own ancestor; point one of them at a label "
                    "outside the cycle",
                    label=first,
                )
                break
            on_path.add(node)
            path.append(node)
            node = parent_of.get(node)
        done.update(path)


def _on_or_above_a_cycle(parent_of: Mapping[str, str | None]) -> list[str]:
    """The labels whose chain of parents never reaches a root, in file order.

    Pointer jumping: each round, every label still in play jumps to the label
    its jump leads to, so its reach doubles; a label whose jump leaves the
    table has reached a root and drops out. After log2(n) + 1 rounds only the
    labels on a cycle, or above one, are left: a few dictionary passes in C for
    a 200,000-label tree instead of a walk per label."""
    jump: dict[str, str | None] = dict(parent_of)
    rounds = max(1, len(jump)).bit_length() + 1
    for _ in range(rounds):
        if not jump:
            return []
        jump = {k: jump[v] for k, v in jump.items() if v in jump}
    return [k for k in parent_of if k in jump]


def lifecycle(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    """Active labels under retired parents; replacements on active labels."""
    cols = tax.columns
    if cols.all_active and not any(cols.replaced_by) and not any(cols.replacements):
        return
    labels, statuses, gone = tax.labels, cols.statuses, Status.RETIRED
    retired = {cols.ids[i]: labels[i] for i, s in enumerate(statuses) if s is gone}
    active = Status.ACTIVE
    # Read from the columns: no model attribute read per label.
    suspects = [
        i
        for i, (status, replaced_by, replacement, parent) in enumerate(
            zip(statuses, cols.replaced_by, cols.replacements, cols.parents, strict=True)
        )
        if status is active and (replaced_by or replacement or (retired and parent in retired))
    ]
    for i in suspects:
        label = tax.labels[i]
        parent = retired.get(label.parent) if label.parent else None
        if label.status is Status.ACTIVE and parent and parent.status is Status.RETIRED:
            yield _error(
                "active-under-retired",
                f"active label '{label.id}' sits under retired label '{parent.id}'",
                _at(doc, i, "parent"),
                f"move '{label.id}' under an active parent, or retire it too",
                label=label.id,
            )
        if label.status is Status.ACTIVE and (label.replaced_by or label.replacement):
            yield _error(
                "replacement-on-active",
                f"label '{label.id}' is active but declares a replacement",
                _at(doc, i, "replaced_by" if label.replaced_by else "replacement", at="key"),
                "set 'status: deprecated' or 'status: retired', or remove the replacement",
                label=label.id,
            )


def replacements_resolve(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    ids: Mapping[str, Label] | None = None
    suggest: IdSuggestions | None = None
    active = Status.ACTIVE
    statuses = tax.columns.statuses
    inactive = (
        [] if tax.columns.all_active else [i for i, s in enumerate(statuses) if s is not active]
    )
    for i in inactive:
        label = tax.labels[i]
        ids = ids if ids is not None else tax.by_id()
        mode = label.replacement_mode
        if mode is None:
            yield _error(
                "missing-replacement",
                f"{label.status.value} label '{label.id}' does not say what replaces it",
                _at(doc, i, "status"),
                "add 'replaced_by: [...]' (a machine relabels), or 'replacement: review' "
                "(a human decides), or 'replacement: parent'",
                label=label.id,
            )
            continue
        if mode is Replacement.DIRECT and not label.replaced_by:
            yield _error(
                "missing-replacement",
                f"label '{label.id}' has 'replacement: direct' but no 'replaced_by'",
                _at(doc, i, "replacement"),
                "list the label(s) that take over in 'replaced_by'",
                label=label.id,
            )
        if mode is Replacement.DIRECT and len(label.replaced_by) > 1 and tax.kind.exclusive:
            yield _error(
                "ambiguous-direct-replacement",
                f"label '{label.id}' is replaced directly by {len(label.replaced_by)} labels, "
                f"but an item of this {tax.kind.value} taxonomy carries only one",
                _at(doc, i, "replaced_by"),
                "a machine cannot choose between them: use 'replacement: review' (a split)",
                label=label.id,
            )
        if mode is Replacement.PARENT and not label.parent:
            yield _error(
                "parent-fallback-without-parent",
                f"label '{label.id}' falls back to its parent, but it has no parent",
                _at(doc, i, "replacement"),
                "name the replacement in 'replaced_by', or use 'replacement: review'",
                label=label.id,
            )
        for j, target in enumerate(label.replaced_by):
            path = ("labels", i, "replaced_by", j)
            if target == label.id:
                yield _error(
                    "replacement-cycle",
                    f"label '{label.id}' replaces itself",
                    doc.locate(path),
                    label=label.id,
                )
            elif target not in ids:
                suggest = suggest or IdSuggestions(ids)
                yield _error(
                    "unknown-replacement",
                    f"label '{label.id}' is replaced by '{target}', which is not a label of "
                    "this taxonomy",
                    doc.locate(path),
                    suggest.hint(target) or "add the replacement label, or fix the id",
                    label=label.id,
                )
            else:
                yield from _chain(label, target, ids, doc, path)


def _chain(
    label: Label,
    target: str,
    ids: Mapping[str, Label],
    doc: YamlDocument,
    path: tuple[str | int, ...],
) -> Iterator[Diagnostic]:
    """A replacement may itself be deprecated or retired if it is replaced in turn;
    the chain must end at an active label (or a review) without looping."""
    seen = [label.id]
    current = ids[target]
    while current.status is not Status.ACTIVE:
        if current.id in seen:
            yield _error(
                "replacement-cycle",
                f"replacements loop: {' -> '.join([*seen, current.id])}",
                doc.locate(path),
                "one label in the chain must be active",
                label=label.id,
            )
            return
        seen.append(current.id)
        mode = current.replacement_mode
        if mode in (Replacement.REVIEW, Replacement.PARENT):
            return  # the chain ends at a human decision or at a parent: resolvable
        if not current.replaced_by:
            yield _error(
                "replacement-retired",
                f"label '{label.id}' is replaced by '{target}', which is {current.status.value} "
                "and not replaced itself",
                doc.locate(path),
                f"point '{label.id}' at an active label, or give '{current.id}' a replacement",
                label=label.id,
            )
            return
        nxt = ids.get(current.replaced_by[0])
        if nxt is None:
            return  # reported as unknown-replacement on that label
        current = nxt


def sibling_names(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    """Two siblings with the same display name or alias (after folding case,
    Unicode forms, separators, invisible characters and look-alike letters:
    :func:`taxops.names.sibling_key`) are indistinguishable to a labeler.

    Every name's key is computed in one batch (:func:`taxops.names.sibling_keys`).
    Most keys occur once in the whole taxonomy; of those that repeat, only the
    ones two labels under one parent share make a finding, and only then are
    siblings walked, to name them."""
    labels, cols = tax.labels, tax.columns
    retired = Status.RETIRED
    if cols.all_active:
        live = list(range(len(labels)))
        aliases = cols.aliases
        texts = cols.names.copy()
    else:
        live = [i for i, status in enumerate(cols.statuses) if status is not retired]
        aliases = [cols.aliases[i] for i in live]
        texts = [cols.names[i] for i in live]
    texts += itertools.chain.from_iterable(aliases)
    keys = sibling_keys(texts)
    if len(set(keys)) == len(keys):
        return  # every key once: no two names read the same anywhere
    parents = cols.parents  # a column: no model attribute read per name
    # Each (parent, key) once per label, in C: a classification repeats short
    # titles under thousands of parents, which only matters when one parent
    # has a title twice. A label whose name and alias read the same counts once.
    if len(keys) == len(live):  # no aliases: one key per label
        labels_of: Iterable[int] = live
        keys_of: Iterable[str] = keys
    else:
        owners = live + [i for i, own in zip(live, aliases, strict=True) for _ in own]
        labels_of, keys_of = zip(*set(zip(owners, keys, strict=True)), strict=True)
    placed = list(zip(map(parents.__getitem__, labels_of), keys_of, strict=True))
    if len(set(placed)) == len(placed):
        return  # repeated keys, but never two under one parent
    under = Counter(placed)
    crowded = {parent for (parent, _), n in under.items() if n > 1}
    if not crowded:
        return  # repeated keys, but under different parents (or on one label)
    key_of = dict(zip(texts, keys, strict=True))
    groups: dict[str | None, list[int]] = {}
    for i in live:  # only the parents where two children share a key are walked
        if parents[i] in crowded:
            groups.setdefault(parents[i], []).append(i)
    for siblings in groups.values():
        seen: dict[str, tuple[str, str]] = {}
        for i in siblings:
            label = labels[i]
            names: list[tuple[str, str, tuple[str | int, ...]]] = [
                ("name", label.name, ("labels", i, "name"))
            ]
            names += [
                ("alias", a, ("labels", i, "aliases", j)) for j, a in enumerate(label.aliases)
            ]
            own: set[str] = set()
            for what, text, path in names:
                key = key_of[text]
                if key in own or not key:  # a blank name is its own finding
                    continue
                own.add(key)
                if key in seen and seen[key][0] != label.id:
                    other, other_what = seen[key]
                    yield _error(
                        "duplicate-sibling-name",
                        f"{what} '{text}' of label '{label.id}' reads the same as the "
                        f"{other_what} of sibling '{other}'",
                        doc.locate(path),
                        "labelers pick by name: make the names distinct, or merge the labels",
                        label=label.id,
                    )
                else:
                    seen.setdefault(key, (label.id, what))


def attributes(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    enum = AttributeType.ENUM
    if _attributes_fine(tax.columns):
        return
    suspects = [
        i
        for i, attrs in enumerate(tax.columns.attributes)
        if attrs
        and (
            len(attrs) > 1
            or (len(attrs[0].options) < 2 if attrs[0].type is enum else bool(attrs[0].options))
        )
    ]
    for i in suspects:
        label = tax.labels[i]
        names: set[str] = set()
        for j, attr in enumerate(label.attributes):
            path = ("labels", i, "attributes", j)
            if attr.name in names:
                yield _error(
                    "duplicate-attribute",
                    f"label '{label.id}' declares attribute '{attr.name}' twice",
                    doc.locate(path),
                    label=label.id,
                )
            names.add(attr.name)
            if attr.type.value == "enum" and len(attr.options) < 2:
                yield _error(
                    "enum-without-options",
                    f"enum attribute '{attr.name}' of label '{label.id}' needs at least two options",
                    doc.locate(path),
                    "list them in 'options: [...]', or use 'type: bool'",
                    label=label.id,
                )
            elif attr.type.value != "enum" and attr.options:
                yield _error(
                    "options-on-non-enum",
                    f"attribute '{attr.name}' of label '{label.id}' is {attr.type.value} "
                    "but lists options",
                    doc.locate(path),
                    "set 'type: enum', or remove 'options'",
                    label=label.id,
                )


def _attributes_fine(columns: LabelColumns) -> bool:
    """Whether no label declares two attributes and every attribute has the
    options its type needs, screened in C: a loop in Python over 200,000
    labels runs only when some label may have a finding."""
    if max(map(len, columns.attributes), default=0) > 1:
        return False
    shapes = columns.attribute_shapes
    return all(n >= 2 if kind is AttributeType.ENUM else n == 0 for kind, n in shapes)


def versioning_policy(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    """The policy table names rules that exist, and only for semantic versions."""
    from taxops.versioning.policy import known_keys  # the catalogue reads the models

    policy = tax.policy
    if not policy.bumps:
        return
    if policy.scheme is Scheme.CALVER:
        yield _error(
            "bumps-without-semver",
            "'bumps' says which bump a change needs, but calendar versions have no bumps",
            doc.locate(("versioning", "bumps"), at="key"),
            "remove 'bumps', or use 'scheme: semver'; with calendar versions the "
            "compatibility mode alone judges a change",
        )
        return
    known = known_keys()
    for key in policy.bumps:
        if key not in known:
            yield _error(
                "unknown-rule",
                f"the versioning policy names '{key}', which is neither a rule that requires "
                "a bump nor a category (breaking, additive, cosmetic)",
                doc.locate(("versioning", "bumps", key), at="key"),
                did_you_mean(key, known) or "taxops rules lists the rule ids",
            )


#: Deeper than this, a hierarchy is beyond what a labeler can navigate (published
#: classifications nest 5 to 7 levels); taxops itself handles any depth.
MAX_HIERARCHY_DEPTH = 32


def hierarchy_depth(tax: Taxonomy, doc: YamlDocument) -> Iterator[Diagnostic]:
    """One warning for the deepest label past :data:`MAX_HIERARCHY_DEPTH` levels.
    Depths are counted iteratively (a chain of thousands of parents is valid
    YAML); labels in a parent cycle are reported by ``no_cycles``."""
    index = tax.index
    columns = tax.columns
    if len(index) == len(columns.ids) and not _may_be_deeper_than(
        columns.parents, index, MAX_HIERARCHY_DEPTH
    ):
        return
    parent_of = {
        label_id: parent
        for label_id, parent in zip(columns.ids, columns.parents, strict=True)
        if parent in index
    }
    depth: dict[str, int] = {}
    for start in parent_of:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in depth and node not in path:
            path.append(node)
            node = parent_of.get(node)
        base = depth.get(node, 0) if node is not None else 0
        for offset, label_id in enumerate(reversed(path), start=1):
            depth[label_id] = base + offset
    if not depth or max(depth.values()) <= MAX_HIERARCHY_DEPTH:
        return
    deepest = max(depth, key=lambda i: (depth[i], -index[i]))
    yield Diagnostic(
        "hierarchy-too-deep",
        Severity.WARNING,
        f"label '{deepest}' is {depth[deepest]} levels deep; a labeler cannot find "
        f"their way through more than {MAX_HIERARCHY_DEPTH}",
        _at(doc, index[deepest], "parent"),
        "group fewer levels: a label's parent should be a category labelers recognise",
    )


def _may_be_deeper_than(
    parents: Sequence[str | None], index: Mapping[str, int], levels: int
) -> bool:
    """Whether some chain of parents holds more than ``levels`` labels (a loop
    counts as deeper), for labels with unique ids (``index``: id to position,
    ``parents``: each label's parent). By peeling: first the labels that have a
    child, then those with a child among them, and so on; a label left after
    ``levels`` rounds has a chain of more than ``levels`` labels below it. Each
    round is a set built in C from the last, a tenth of its size in a usual
    taxonomy, so the exact count per label, a loop in Python, runs only when the
    answer is yes."""
    above: set[str | None] = set(parents)
    above.discard(None)
    above &= index.keys()  # an unknown parent is another check's finding
    rounds = 1
    while above and rounds < levels:
        above = {parents[index[label]] for label in above if label is not None}
        above.discard(None)
        above &= index.keys()
        rounds += 1
    return bool(above)


CHECKS: tuple[Check, ...] = (
    label_id_syntax,
    unique_ids,
    parents_exist,
    no_cycles,
    lifecycle,
    replacements_resolve,
    sibling_names,
    attributes,
    versioning_policy,
    taxonomy_text,
    declarations,
    hierarchy_depth,
)
