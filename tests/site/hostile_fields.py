"""Hostile values in every plain-text field of a taxonomy and its guideline, as
a table: each payload (one way of breaking out of an HTML context) goes into
every field, in a taxonomy of its own, with the field's name inside the
payload, so a script that runs says where it came from (``alert('alias')``).

The repository is written from the tables; tests build it once and read it
statically and in Chromium.
"""

from __future__ import annotations

import json
from pathlib import Path

#: One way out of an HTML context each; ``{f}`` is replaced by the field's name.
PAYLOADS: dict[str, str] = {
    # text: a tag with an event handler
    "tag": "Charged twice <img src=x onerror=alert('{f}')>",
    # out of <title> (and any RCDATA element) into a script
    "title": "</title><script>alert('{f}')</script>",
    # out of a double-quoted attribute
    "dquote": 'x" onmouseover="alert(\'{f}\')" autofocus onfocus="alert(\'{f}\')" y="',
    # out of a single-quoted attribute
    "squote": "x' onmouseover='alert(`{f}`)' autofocus onfocus='alert(`{f}`)' y='",
    # out of a script block (JSON embedded in a page) into markup
    "script": "</script><svg/onload=alert('{f}')><script>alert('{f}')</script>",
    # escaped once already: runs if anything unescapes it (striptags, textContent -> innerHTML)
    "entity": "&lt;img src=x onerror=alert('{f}')&gt; &#60;svg/onload=alert('{f}')&#62;",
    # template and Markdown syntax: shown as typed, never evaluated or linked
    "template": "{{{{ 7*7 }}}} {{% raw %}} ${{alert('{f}')}} [x](javascript:alert('{f}'))",
}

#: Fields of the taxonomy and guideline that hold plain text (prose fields get
#: the payload too: they are rendered from Markdown with raw HTML shown as text).
TAXONOMY_FIELDS = ("title", "owner", "description", "name", "alias", "option", "definition", "note")
GUIDELINE_FIELDS = (
    "guideline-title",
    "contact",
    "channel",
    "response-time",
    "rule-title",
    "decided-by",
    "content",
    "why",
    "changelog",
)
FIELDS = (*TAXONOMY_FIELDS, *GUIDELINE_FIELDS, "id")
#: A media file whose name would break out of an attribute, were it not escaped.
MEDIA_NAME = 'it\'s a "pic" <x> & 100%.png'

MINIMAL_CONFIG = """\
site_name: Hostile names
site_url: https://labels.example.org/
docs_dir: site/docs
site_dir: site-build
theme:
  name: material
  font: false
  features:
    - navigation.sections
    - search.suggest
    - search.highlight
plugins:
  - search
  - taxops
"""


def payload(kind: str, field: str) -> str:
    return PAYLOADS[kind].format(f=field)


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(value)


def taxonomy_id(kind: str) -> str:
    return f"hostile-{kind}"


def hostile_id(kind: str) -> str:
    """A label id made of the payload: refused by validation (label-id-syntax),
    published anyway by an author who ignores the findings."""
    return payload(kind, "id")


def taxonomy_yaml(kind: str, version: str, *, old: bool = False) -> str:
    def p(field: str) -> str:
        text = payload(kind, field)
        return _q(text + " (before)" if old and field == "name" else text)

    return f"""\
taxops: taxonomy/1
id: {taxonomy_id(kind)}
title: {p("title")}
version: {version}
kind: hierarchical
leaf_only: true
owners: [{p("owner")}]
description: {p("description")}
labels:
  - id: group
    name: {p("name")}
    definition: Parent of the others.
  - id: group.first
    parent: group
    name: {_q("First " + payload(kind, "name"))}
    aliases: [{p("alias")}]
    definition: {p("definition")}
    attributes:
      - name: size
        type: enum
        options: [{p("option")}, plain]
  - id: group.second
    parent: group
    name: Second
    definition: The other one.
  - id: {_q(hostile_id(kind))}
    parent: group
    name: {_q("Third " + payload(kind, "name"))}
    definition: A label whose id is hostile.
  - id: group.gone
    parent: group
    name: Gone
    definition: No longer used.
    status: {"active" if old else "retired"}
    {"" if old else "replaced_by: [group.first]"}
    {"" if old else "note: " + p("note")}
"""


def guideline_yaml(kind: str) -> str:
    def p(field: str) -> str:
        return _q(payload(kind, field))

    return f"""\
taxops: guideline/1
taxonomy: {taxonomy_id(kind)}
version: 1.0.0
title: {p("guideline-title")}
escalation:
  - when: Unsure.
    contact: {p("contact")}
    channel: {p("channel")}
    response_time: {p("response-time")}
labels:
  - label: group.first
    examples:
      - content: {p("content")}
        why: {p("why")}
        media: [{_q("media/" + MEDIA_NAME)}]
        attributes: {{size: {p("option")}}}
    near_misses:
      - content: {p("content")}
        label: group.second
        why: {p("why")}
  - label: group.second
    examples:
      - content: A plain item.
        why: Plain.
    near_misses:
      - content: {p("content")}
        label: group.first
        why: {p("why")}
  - label: {_q(hostile_id(kind))}
    examples:
      - content: {p("content")}
        why: {p("why")}
    near_misses:
      - content: A plain item.
        label: group.second
        why: Plain.
  - label: group.gone
    historical: true
decision_rules:
  - id: first-or-second
    title: {p("rule-title")}
    steps:
      - when: {p("why")}
        use: group.first
    otherwise: group.second
edge_cases:
  - question: {p("why")}
    decision: {p("why")}
    use: group.first
    date: 2024-02-01
    decided_by: {p("decided-by")}
changelog:
  - version: 1.0.0
    date: 2024-01-15
    what: {p("changelog")}
    why: {p("changelog")}
    labels: [group.first]
    taxonomy_version: 2.0.0
"""


def write_repository(root: Path) -> Path:
    """A governance repository with one taxonomy per payload (a release 1.0.0
    and a working 2.0.0, so briefings and history exist), its guideline, a
    media file with a hostile name, and an mkdocs.yml."""
    for kind in PAYLOADS:
        folder = root / "taxonomies" / taxonomy_id(kind)
        (folder / "releases").mkdir(parents=True)
        (folder / "releases" / "1.0.0.yaml").write_text(
            taxonomy_yaml(kind, "1.0.0", old=True), encoding="utf-8"
        )
        (folder / "taxonomy.yaml").write_text(taxonomy_yaml(kind, "2.0.0"), encoding="utf-8")
        (root / "guidelines").mkdir(exist_ok=True)
        (root / "guidelines" / f"{taxonomy_id(kind)}.yaml").write_text(
            guideline_yaml(kind), encoding="utf-8"
        )
    media = root / "guidelines" / "media"
    media.mkdir()
    # A tiny valid PNG: 1x1 pixel.
    (media / MEDIA_NAME).write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
        )
    )
    (root / "site" / "docs").mkdir(parents=True)
    (root / "site" / "docs" / "index.md").write_text("# Hostile names\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    return root
