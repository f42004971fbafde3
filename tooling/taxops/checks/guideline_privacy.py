"""Guidelines held against the policies: every published item (example, near
miss) has a data class the privacy policy knows and may publish; an item marked
unredactable is refused; an item published as it is (its class redacts nothing)
must hold nothing a detector finds, and no item's explanation ('why', never
redacted) may either. And the quiz pass mark is said once: in the
quality plan when there is one."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from taxops.diagnostics import Diagnostic, Severity
from taxops.governed import Governed
from taxops.models.guideline import Guideline
from taxops.models.privacy import Privacy
from taxops.redaction.guidelines import Item, items
from taxops.repository import Repository

#: Rules whose findings keep personal data off the site: the site build stops on them.
PRIVACY_RULES = frozenset(
    {"personal-data-in-example", "example-unredactable", "example-not-publishable"}
)


def check_guideline_policies(repo: Repository) -> list[Diagnostic]:
    policy = repo.policies.privacy_policy
    found: list[Diagnostic] = []
    for g in repo.guidelines:
        found += _pass_mark_once(g, repo)
        found += _items(g, policy)
    return found


def _pass_mark_once(g: Governed[Guideline], repo: Repository) -> Iterator[Diagnostic]:
    plan = repo.policies.quality_plan(g.model.taxonomy)
    if plan is not None and "pass_mark" in g.model.training.model_fields_set:
        yield Diagnostic(
            "pass-mark-twice",
            Severity.WARNING,
            f"the quiz pass mark of '{g.model.taxonomy}' is set here and in its quality plan; "
            f"the quality plan's ({plan.model.certification.pass_mark:g}) is used",
            g.doc.locate(("training", "pass_mark"), at="key"),
            "remove 'pass_mark' from the guideline: the quality plan sets it",
            related=plan.doc.locate(("certification", "pass_mark")),
        )


def _items(g: Governed[Guideline], policy: Governed[Privacy] | None) -> Iterator[Diagnostic]:
    published: list[Item] = []
    every = list(items(g.model, policy.model if policy else None))
    yield from _explanations(g, policy, every)
    for item in every:
        if item.item.unredactable:
            yield Diagnostic(
                "example-unredactable",
                Severity.ERROR,
                f"the {item.what} is marked unredactable, so it cannot be published",
                g.doc.locate((*item.path, "unredactable"), at="key"),
                "replace it with a synthetic item that shows the same thing",
            )
            continue
        if item.data_class is None:
            published.append(item)  # no class anywhere: published as it is
            continue
        if policy is None:
            yield Diagnostic(
                "no-privacy-policy",
                Severity.ERROR,
                f"the {item.what} has data class '{item.data_class}', but there is no "
                "privacy policy declaring data classes",
                g.doc.locate((*item.path, "data_class")),
                "add policies/privacy.yaml ('taxops: privacy/1') with its classes",
            )
            continue
        index = next(
            (i for i, c in enumerate(policy.model.classes) if c.id == item.data_class), None
        )
        if index is None:
            known = ", ".join(c.id for c in policy.model.classes)
            yield Diagnostic(
                "unknown-data-class",
                Severity.ERROR,
                f"the {item.what} has data class '{item.data_class}', which the privacy policy "
                "does not declare",
                g.doc.locate((*item.path, "data_class") if item.item.data_class else item.path),
                f"known classes: {known}",
                related=policy.doc.locate(("classes",), at="key"),
            )
            continue
        data_class = policy.model.classes[index]
        if not data_class.published:
            yield Diagnostic(
                "example-not-publishable",
                Severity.ERROR,
                f"the {item.what} is '{data_class.id}' data, which the privacy policy keeps off "
                "the guideline site",
                g.doc.locate((*item.path, "content")),  # located only for a finding
                "replace it with a synthetic item of a publishable class",
                related=policy.doc.locate(("classes", index, "published")),
            )
        elif not data_class.requires_redaction:
            published.append(item)
    yield from _leaks(g, policy, published)


def _leaks(
    g: Governed[Guideline], policy: Governed[Privacy] | None, published: list[Item]
) -> Iterator[Diagnostic]:
    """Items published as they are, with what every detector finds in them."""
    for item, what, found in _detected(policy, published, lambda i: i.item.content):
        marked = item.data_class or "no class (published as it is)"
        yield Diagnostic(
            "personal-data-in-example",
            Severity.ERROR,
            f"the {item.what} is marked '{marked}' but holds personal data ({what}); "
            "it would be published as it is",
            g.doc.locate((*item.path, "content")),
            "mark it with the class it really has ('data_class: personal': it is then "
            "redacted on the site), or remove the personal data",
            data={"found": found},
        )


def _explanations(
    g: Governed[Guideline], policy: Governed[Privacy] | None, every: list[Item]
) -> Iterator[Diagnostic]:
    """An item's 'why' is published as it is, whatever the item's class (only
    the content is redacted): what a detector finds there would reach the site."""
    for item, what, found in _detected(policy, every, lambda i: str(i.item.why)):
        yield Diagnostic(
            "personal-data-in-example",
            Severity.ERROR,
            f"the 'why' of the {item.what} holds personal data ({what}); the "
            "explanation is published as it is, whatever the item's class",
            g.doc.locate((*item.path, "why")),
            "explain without it (the content may hold it, with its data class)",
            data={"found": found},
        )


def _detected(
    policy: Governed[Privacy] | None, chosen: list[Item], text: Callable[[Item], str]
) -> Iterator[tuple[Item, str, dict[str, int]]]:
    """Each item whose ``text`` holds what a detector finds, with what it holds
    (as shown, '1 email, 1 phone', and counted by detector)."""
    if policy is None or not chosen:
        return
    from taxops.redaction.texts import detect_texts

    for item, found in zip(
        chosen, detect_texts([text(i) for i in chosen], policy.model), strict=True
    ):
        if found:
            yield item, ", ".join(f"{n} {d}" for d, n in sorted(found.items())), found
