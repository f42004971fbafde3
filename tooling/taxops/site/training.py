"""Training material built from the guideline: a quiz (the labeler picks a label
for each example and near miss, sees at once whether it was right and why, and
gets a score against the pass mark), flashcards, and a one-page cheat sheet."""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass

from markupsafe import Markup

from taxops.models.taxonomy import Label, Status
from taxops.site import context
from taxops.site.context import Here, Link, TaxonomySite
from taxops.site.pages import Page, TocEntry
from taxops.site.views import RuleView, rule_view

#: Questions published per taxonomy; a round draws ``quiz_length`` of them.
#: Beyond this the page grows with no gain for the labeler.
MAX_QUESTIONS = 400
OPTIONS_PER_QUESTION = 4
#: Pass mark when neither a quality plan nor the guideline sets one.
DEFAULT_PASS_MARK = 0.8
#: The most labels a large taxonomy's flashcards and cheat sheet hold: a deck
#: of 89,000 cards was a 47 MB page no labeler learns from and no phone opens.
#: Every label stays on its group page and in the label finder.
DECK_SIZE = 500


@dataclass(frozen=True)
class Deck:
    """The labels a training page shows, and how many it could have shown."""

    labels: tuple[Label, ...]
    of: int


def deck(site: TaxonomySite, labels: list[Label]) -> Deck:
    """``labels``, or for a large taxonomy the :data:`DECK_SIZE` of them the
    guideline says most about: labels with near misses or exclusions (the ones
    labelers confuse) first, then those with examples, then the rest, each in
    the taxonomy's order; shown in the taxonomy's order."""
    if not site.large or len(labels) <= DECK_SIZE:
        return Deck(tuple(labels), len(labels))

    def said(label: Label) -> int:
        entry = site.guidance.get(label.id)
        if entry is None:
            return 3
        if entry.near_misses or entry.exclude:
            return 0
        return 1 if entry.examples else 2

    chosen = sorted(range(len(labels)), key=lambda i: (said(labels[i]), i))[:DECK_SIZE]
    return Deck(tuple(labels[i] for i in sorted(chosen)), len(labels))


@dataclass(frozen=True)
class Option:
    label: str
    name: str


@dataclass(frozen=True)
class Question:
    id: str
    content: str
    media: tuple[str, ...]
    options: tuple[Option, ...]
    correct: str
    correct_name: str
    why: Markup
    about: Link


@dataclass(frozen=True)
class QuizView:
    home: Link
    pass_mark: int
    pass_mark_source: str
    round_size: int
    questions: tuple[Question, ...]


def quiz_page(site: TaxonomySite, pass_mark: float | None = None) -> Page:
    """``pass_mark`` comes from the quality plan when one exists; otherwise the
    guideline's ``training.pass_mark``, otherwise the default."""
    src = site.src("quiz")
    here = site.here(src)
    questions = _questions(site, here)
    g = site.guideline
    if pass_mark is not None:
        mark, source = pass_mark, "the quality plan"
    elif g and "pass_mark" in g.training.model_fields_set:
        mark, source = g.training.pass_mark, "the guideline"
    else:
        mark, source = DEFAULT_PASS_MARK, "the default"
    view = QuizView(
        Link(site.title, here.href(site.src("index"))),
        round(mark * 100),
        source,
        min(g.training.quiz_length if g else 10, len(questions)),
        questions,
    )
    return Page(
        src,
        f"Quiz: {site.title}",
        "quiz.html.j2",
        view,
        nav=True,
        searchable=False,
        nav_title="Quiz",
    )


def _questions(site: TaxonomySite, here: Here) -> tuple[Question, ...]:
    usable = [label for label in site.taxonomy.labels if site.assignable(label)]
    if site.guideline is None or len(usable) < 2:
        return ()
    raw: list[
        tuple[str, tuple[str, ...], str, str, str]
    ] = []  # content, media, answer, lookalike, why
    for entry in site.guideline.labels:
        if entry.historical:
            continue
        raw += [(e.content, e.media, entry.label, "", e.why) for e in entry.examples]
        raw += [(m.content, m.media, m.label, entry.label, m.why) for m in entry.near_misses]
    by_id = site.labels
    raw = [q for q in raw if q[2] in by_id and site.assignable(by_id[q[2]])]
    if len(raw) > MAX_QUESTIONS:  # spread evenly over the guideline, deterministically
        step = len(raw) / MAX_QUESTIONS
        raw = [raw[int(i * step)] for i in range(MAX_QUESTIONS)]
    siblings: dict[str | None, list[Label]] = {}
    for label in usable:
        siblings.setdefault(label.parent, []).append(label)
    out = []
    for n, (content, media, answer, lookalike, why) in enumerate(raw, 1):
        rng = random.Random(zlib.crc32(f"{answer}\0{content}".encode()))
        label = by_id[answer]
        candidates = [lookalike] if lookalike else []
        candidates += [lb.id for lb in siblings.get(label.parent, []) if lb.id != answer]
        chosen = list(dict.fromkeys(c for c in candidates if c != answer and c in by_id))
        # The lookalike (or first sibling) stays; the other siblings are sampled.
        chosen = chosen[:1] + rng.sample(
            chosen[1:], max(0, min(len(chosen) - 1, OPTIONS_PER_QUESTION - 2))
        )
        while len(chosen) < min(OPTIONS_PER_QUESTION - 1, len(usable) - 1):
            pick = rng.choice(usable).id
            if pick != answer and pick not in chosen:
                chosen.append(pick)
        options = [answer, *chosen[: OPTIONS_PER_QUESTION - 1]]
        rng.shuffle(options)
        out.append(
            Question(
                f"q{n}",
                content,
                tuple(u for u in (here.media_url(m) for m in media) if u),
                tuple(Option(o, by_id[o].name) for o in options),
                answer,
                label.name,
                here.inline(why),
                here.label_link(answer),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Card:
    id: str
    name: str
    path: str
    definition: Markup
    example: str
    not_this: tuple[Link, ...]
    link: Link


def flashcards_page(site: TaxonomySite) -> Page:
    src = site.src("flashcards")
    here = site.here(src)
    cards = []
    shown = deck(site, [label for label in site.taxonomy.labels if site.assignable(label)])
    for label in shown.labels:
        entry = site.guidance.get(label.id)
        parent = site.labels.get(label.parent) if label.parent else None
        cards.append(
            Card(
                label.id,
                label.name,
                parent.name if parent else "",
                here.prose(site.definition(label)),
                entry.examples[0].content if entry and entry.examples else "",
                tuple(here.label_link(m.label) for m in entry.near_misses[:2]) if entry else (),
                here.label_link(label.id),
            )
        )
    view = (Link(site.title, here.href(site.src("index"))), tuple(cards), shown.of)
    return Page(
        src,
        f"Flashcards: {site.title}",
        "flashcards.html.j2",
        view,
        nav=True,
        searchable=False,
        nav_title="Flashcards",
    )


@dataclass(frozen=True)
class SheetRow:
    id: str
    name: str
    gist: Markup
    not_this: tuple[Link, ...]


@dataclass(frozen=True)
class SheetGroup:
    name: str
    rows: tuple[SheetRow, ...]


@dataclass(frozen=True)
class CheatSheetView:
    home: Link
    title: str
    version: str
    guideline_version: str
    groups: tuple[SheetGroup, ...]
    rules: tuple[RuleView, ...]
    escalation: tuple[tuple[str, str, str], ...]
    of: int = 0
    """How many labels the sheet would hold whole (more than its rows: a large
    taxonomy's sheet holds a :func:`deck` of them)."""


_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(\s|$)", re.DOTALL)


def cheat_sheet_page(site: TaxonomySite) -> Page:
    src = site.src("cheat-sheet")
    here = site.here(src)
    groups: dict[str, list[SheetRow]] = {}
    active = Status.ACTIVE
    shown = deck(
        site,
        [lbl for lbl in site.taxonomy.labels if lbl.status is active and site.assignable(lbl)],
    )
    for label in shown.labels:
        parent = site.labels.get(label.parent) if label.parent else None
        entry = site.guidance.get(label.id)
        text = " ".join((site.definition(label) or "").split())
        first = _FIRST_SENTENCE.match(text)
        groups.setdefault(parent.name if parent else "", []).append(
            SheetRow(
                label.id,
                label.name,
                here.inline(first.group(1) if first else text),
                tuple(here.label_link(c.use) for c in entry.exclude[:2]) if entry else (),
            )
        )
    g = site.guideline
    rules = list(g.decision_rules) if g else []
    if len(shown.labels) < shown.of:  # a deck: the rules about its labels
        held = {label.id for label in shown.labels}
        rules = [r for r in rules if held.intersection(r.all_labels)][: context.RULES_PER_PAGE]
    view = CheatSheetView(
        Link(site.title, here.href(site.src("index"))),
        site.title,
        str(site.taxonomy.version),
        str(g.version) if g else "",
        tuple(SheetGroup(name, tuple(rows)) for name, rows in groups.items()),
        tuple(rule_view(here, r) for r in rules),
        tuple((s.contact, s.channel, s.response_time) for s in g.escalation) if g else (),
        shown.of,
    )
    toc = [TocEntry("labels", "Labels"), TocEntry("rules", "Decision rules")]
    return Page(
        src,
        f"Cheat sheet: {site.title}",
        "cheat_sheet.html.j2",
        view,
        toc,
        nav=True,
        searchable=False,
        nav_title="Cheat sheet",
    )
