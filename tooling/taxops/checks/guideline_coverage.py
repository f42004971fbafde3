"""Checks of a guideline against its taxonomy: every active label is explained
well enough to be applied, and every label the guideline names exists and may be
used. Findings sit on the guideline's lines: that is the file to fix."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from taxops.checks.common import IdSuggestions
from taxops.checks.guideline_refs import label_references
from taxops.diagnostics import Diagnostic, Location, Severity, label_data
from taxops.loading import YamlDocument
from taxops.models.guideline import PLACEHOLDER_DEFINITION, Coverage, Guideline, LabelGuidance
from taxops.models.taxonomy import Attribute, AttributeType, Label, Status, Taxonomy


def check_against_taxonomy(g: Guideline, doc: YamlDocument, tax: Taxonomy) -> list[Diagnostic]:
    """Every finding of the guideline against its taxonomy. A finding about a
    label also names the taxonomy, so the PR report can list it under the
    change to that label (its root cause)."""
    found = [
        *coverage(g, doc, tax),
        *references(g, doc, tax),
        *example_attributes(g, doc, tax),
    ]
    return [replace(d, data={**d.data, "taxonomy": tax.id}) if d.data else d for d in found]


def assignable(tax: Taxonomy, label: Label, parents: set[str]) -> bool:
    """Whether labelers may put ``label`` on new items: it is active, and when the
    taxonomy uses leaf labels only, no label still in use sits under it; and it
    did not become a group (``became_group``).
    ``parents`` holds the ids that have a child that is not retired."""
    if label.status is not Status.ACTIVE or label.became_group:
        return False
    return not (tax.leaf_only and label.id in parents)


def parents_in_use(tax: Taxonomy) -> set[str]:
    """The ids that have a child that is not retired (from the parent and status
    columns: no label read again)."""
    columns = tax.columns
    retired = Status.RETIRED
    return {
        parent
        for parent, status in zip(columns.parents, columns.statuses, strict=True)
        if parent and status is not retired
    }


def _error(
    rule: str, message: str, loc: Location, hint: str | None = None, *, label: str | None = None
) -> Diagnostic:
    return Diagnostic(rule, Severity.ERROR, message, loc, hint, data=label_data(label))


def coverage(g: Guideline, doc: YamlDocument, tax: Taxonomy) -> Iterator[Diagnostic]:
    """Active labels have guidance: a definition, and as many examples and near
    misses as ``coverage`` asks for (group labels of a leaf-only taxonomy need only
    the definition, since nobody puts them on an item)."""
    guidance = g.by_label()
    at = {entry.label: i for i, entry in reversed(list(enumerate(g.labels)))}
    parents = parents_in_use(tax)
    need = g.coverage
    placeholder: bool | None = None  # whether init's placeholder is in use (read once, if asked)
    for label in tax.labels:
        if label.status is not Status.ACTIVE:
            continue
        usable = assignable(tax, label, parents)
        entry = guidance.get(label.id)
        if entry is None:
            if usable or not label.definition:
                if placeholder is None and not label.definition:
                    placeholder = any(e.definition == PLACEHOLDER_DEFINITION for e in g.labels)
                seen = "its name and the taxonomy's definition" if label.definition else "its name"
                yield _error(
                    "label-without-guidance",
                    f"label '{label.id}' ({label.name}) has no guidance: labelers would see "
                    f"only {seen}",
                    doc.locate(("labels",), at="key"),
                    _entry_hint(label, need, placeholder=bool(placeholder)),
                    label=label.id,
                )
            continue
        i = at[label.id]
        if not (entry.definition or label.definition):
            yield _error(
                "missing-definition",
                f"label '{label.id}' has no definition, here or in the taxonomy",
                doc.locate(("labels", i, "label")),
                "add 'definition:': what the label means, in one or two plain sentences",
                label=label.id,
            )
        # Asked only when short: a classification's 90,000 entries each made two
        # generators that yield nothing.
        if usable and len(entry.examples) < need.min_examples:
            yield from _enough(entry, i, doc, "examples", len(entry.examples), need.min_examples)
        if usable and len(entry.near_misses) < need.min_near_misses:
            yield from _enough(
                entry, i, doc, "near_misses", len(entry.near_misses), need.min_near_misses
            )


def _entry_hint(label: Label, need: Coverage, *, placeholder: bool) -> str:
    """What the missing entry holds: a definition unless the taxonomy has one,
    and the examples and near misses the guideline asks for. With none of
    these, the entry is only the label's line, which ``taxops fix`` writes; it
    writes init's placeholder definition too where the other entries still
    hold it (``placeholder``)."""
    wants = [
        *([] if label.definition else ["a definition"]),
        *([f"{need.min_examples} example(s)"] if need.min_examples else []),
        *([f"{need.min_near_misses} near miss(es)"] if need.min_near_misses else []),
    ]
    if not wants:
        return f"add an entry under 'labels:' with 'label: {label.id}' (taxops fix writes it)"
    listed = ", ".join(wants[:-1]) + (" and " if len(wants) > 1 else "") + wants[-1]
    hint = f"add an entry under 'labels:' with 'label: {label.id}', {listed}"
    if wants == ["a definition"] and placeholder:
        hint += " (taxops fix writes it with the placeholder definition the other entries have)"
    return hint


def _enough(
    entry: LabelGuidance, i: int, doc: YamlDocument, field: str, have: int, need: int
) -> Iterator[Diagnostic]:
    if have >= need:
        return
    what = "positive example" if field == "examples" else "near miss"
    plural = "near misses" if field == "near_misses" else "positive examples"
    yield _error(
        "too-few-examples" if field == "examples" else "too-few-near-misses",
        f"label '{entry.label}' has {have} {what if have == 1 else plural}; this guideline "
        f"asks for at least {need} (coverage.min_{field})",
        doc.locate(("labels", i, field), at="key"),
        "add items that carry the label and say why"
        if field == "examples"
        else "add items that look like this label but carry another, and say what tells them apart",
        label=entry.label,
    )


def references(g: Guideline, doc: YamlDocument, tax: Taxonomy) -> Iterator[Diagnostic]:
    """Every label named exists; labels labelers are told to use are active and
    assignable; retired labels' guidance is marked historical and only theirs."""
    labels = tax.by_id()
    suggest = IdSuggestions(labels)
    children_of: dict[str, list[str]] | None = None
    parents = parents_in_use(tax)
    release = f"{tax.id} {tax.version}"
    for ref in label_references(g):
        label = labels.get(ref.label)
        if label is None:
            shape = tax.id_rule.problem(ref.label)
            unlike = f" (and cannot be one: it {shape})" if shape else ""
            yield _error(
                "unknown-label",
                f"{ref.role} '{ref.label}', which is not a label of {release}{unlike}",
                doc.locate(ref.path),
                suggest.hint(ref.label) or "fix the id, or add the label to the taxonomy",
                label=ref.label,
            )
        elif ref.own:  # marked historical exactly when retired (most entries: nothing to say)
            if (label.status is Status.RETIRED) != ref.historical:
                i = int(ref.path[1])
                yield from _historical_marking(g.labels[i], label, doc, i)
        elif ref.answer and not ref.historical and label.status is not Status.ACTIVE:
            yield _error(
                "inactive-label-reference",
                f"{ref.role} '{ref.label}', which is {label.status.value} in {release}",
                doc.locate(ref.path),
                _instead(label),
                label=ref.label,
            )
        elif ref.answer and not ref.historical and not assignable(tax, label, parents):
            children = (children_of := children_of or _active_children(tax)).get(label.id, [])
            yield _error(
                "label-not-assignable",
                f"{ref.role} '{ref.label}', a group label: {tax.id} puts only leaf labels on items",
                doc.locate(ref.path),
                f"name one of its labels: {', '.join(children[:6])}{', ...' if len(children) > 6 else ''}",
                label=ref.label,
            )


def _active_children(tax: Taxonomy) -> dict[str, list[str]]:
    """Each label's active children, in file order (built once per check, not
    once per finding: a pass over every label)."""
    out: dict[str, list[str]] = {}
    for lb in tax.labels:
        if lb.parent is not None and lb.status is Status.ACTIVE:
            out.setdefault(lb.parent, []).append(lb.id)
    return out


def _historical_marking(
    entry: LabelGuidance, label: Label, doc: YamlDocument, i: int
) -> Iterator[Diagnostic]:
    if label.status is Status.RETIRED and not entry.historical:
        yield _error(
            "historical-not-marked",
            f"label '{label.id}' is retired, but its guidance is not marked historical",
            doc.locate(("labels", i, "label")),
            "keep the guidance (old annotations still carry the label) and add "
            "'historical: true', so the site shows it as history, not as advice (taxops fix writes it)",
            label=label.id,
        )
    elif label.status is not Status.RETIRED and entry.historical:
        yield _error(
            "historical-on-active",
            f"guidance for '{label.id}' is marked historical, but the label is "
            f"{label.status.value}",
            doc.locate(("labels", i, "historical")),
            "remove 'historical: true': labelers skip historical guidance",
            label=label.id,
        )


def example_attributes(g: Guideline, doc: YamlDocument, tax: Taxonomy) -> Iterator[Diagnostic]:
    """Attribute values shown in examples are ones the label declares."""
    labels = tax.by_id()
    for i, entry in enumerate(g.labels):
        label = labels.get(entry.label)
        if label is None or not any(example.attributes for example in entry.examples):
            continue
        declared = {a.name: a for a in label.attributes}
        for j, example in enumerate(entry.examples):
            for name, value in example.attributes.items():
                path = ("labels", i, "examples", j, "attributes", name)
                attr = declared.get(name)
                if attr is None:
                    known = ", ".join(declared) or "none"
                    yield _error(
                        "unknown-attribute",
                        f"an example of '{label.id}' sets attribute '{name}', which the label "
                        f"does not have (its attributes: {known})",
                        doc.locate(path, at="key"),
                        label=label.id,
                    )
                elif problem := _value_problem(attr, value):
                    yield _error(
                        "invalid-attribute-value",
                        f"an example of '{label.id}' sets '{name}' to {value!r}: {problem}",
                        doc.locate(path),
                        label=label.id,
                    )


def _value_problem(attr: Attribute, value: object) -> str | None:
    expected = {
        AttributeType.BOOL: (bool,),
        AttributeType.INTEGER: (int,),
        AttributeType.NUMBER: (int, float),
        AttributeType.TEXT: (str,),
        AttributeType.ENUM: (str,),
    }[attr.type]
    if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
        return f"the attribute is {attr.type.value}"
    if attr.type is AttributeType.ENUM and value not in attr.options:
        return f"use one of: {', '.join(attr.options)}"
    return None


def _instead(label: Label) -> str:
    if label.replaced_by:
        choices = " or ".join(f"'{t}'" for t in label.replaced_by)
        return f"use {choices} instead, as the taxonomy says"
    return "name an active label; the taxonomy gives no replacement for this one"
