"""A publisher's new edition brought into a taxonomy's working version
(``taxops import FILE --into ID``).

A team that labels with a published classification (an industry, product or
medical code set) imports each edition as the publisher ships it. The working
version is the team's, though: its header (title, owners, versioning, the
compatibility policy), the definitions, aliases and attributes they wrote, the
tombstones and crosswalk declarations of earlier editions. Replacing the file
with the edition would lose all of that, so the edition is merged into it,
label by label, by id:

* **a label of both**: the edition's name and parent, and its definition,
  aliases and lifecycle where it gives them; everything else the file says is
  kept. A label the edition leaves as it was keeps its lines as they are,
  comments included;
* **a label only the edition has**: added, as the edition writes it;
* **a label only the file has**: the edition retired it. It stays, after the
  label it followed, as a tombstone (``status: retired``, and ``replacement:
  review`` unless it names its replacements), as ``taxops fix`` would write
  it: items labeled with it are not lost, nothing that names it (a child of
  an old version, an older tombstone's ``replaced_by``) points nowhere, and
  ``taxops crosswalk import`` then says where its items go. A tombstone of an
  earlier edition stays as it is.

Labels come in the edition's order. The header and whatever follows the labels
are kept byte for byte, except the version: the one given, else the edition's
own when both it and the file use calendar versions (Google's product taxonomy
is named by its date, a SKOS scheme may say its ``owl:versionInfo``). Nothing
here writes: the caller validates the text and writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from taxops.diagnostics import TaxopsError
from taxops.fixes.yaml_edit import with_version
from taxops.interchange.imported import Imported, ImportedLabel
from taxops.loading.yaml_source import parse_yaml
from taxops.yaml_out import generated_yaml
from taxops.yaml_roundtrip import label_bounds, labels_indent, top_entry_bounds

#: The order of a label's keys, for a key the file's label did not have.
_KEY_ORDER = (
    "id", "name", "parent", "definition", "aliases", "status", "replaced_by",
    "replacement", "note", "since", "attributes",
)  # fmt: skip
#: What a label's lifecycle is made of (taken from the edition together).
_LIFECYCLE = ("status", "replaced_by", "replacement", "note")
#: Fields the edition replaces when it gives them.
_GIVEN = ("definition", "aliases", "since", "attributes")
#: The width generated labels are written to, as ``taxops import`` writes them.
_WIDTH = 88


@dataclass
class Merged:
    """The working version with the edition in it, and what changed."""

    text: str
    unchanged: int = 0
    added: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    #: Labels of both whose definition, aliases or lifecycle the edition changed.
    updated: list[str] = field(default_factory=list)
    #: Tombstones the edition brings back (the code is in use again).
    reactivated: list[str] = field(default_factory=list)
    #: Labels the edition does not have, kept as tombstones.
    retired: list[str] = field(default_factory=list)
    #: Tombstones of earlier versions, kept as they are.
    tombstones: int = 0
    #: The version set, if any (given, or the edition's own).
    version: str | None = None


def merge_edition(text: str, display: str, edition: Imported, version: str | None = None) -> Merged:
    """``text`` (the working version, read from ``display``) with ``edition``'s
    labels merged in (see the module); the version set to ``version`` when given."""
    data = _working(text, display)
    labels: list[dict[str, Any]] = data["labels"]
    if version is None and edition.versioning == data.get("versioning") == "calver":
        version = edition.version  # a dated edition says which it is
    bounds = label_bounds(text)
    if bounds is not None and len(bounds) - 1 != len(labels):
        bounds = None  # items the line index cannot tell apart: every label written anew
    indent = (labels_indent(text) or "") if bounds is not None else ""
    merged = Merged(text)
    by_id = {label["id"]: k for k, label in reversed(list(enumerate(labels)))}
    in_edition = {label.id for label in edition.labels}

    # The labels the edition does not have, as tombstones after the label they followed.
    after: dict[str | None, list[int]] = {}
    anchor: str | None = None
    for k, label in enumerate(labels):
        label_id = label["id"]
        if label_id not in in_edition:
            after.setdefault(anchor, []).append(k)
            if label.get("status") == "retired":
                merged.tombstones += 1
            else:
                merged.retired.append(label_id)
        anchor = label_id

    items: list[str] = []

    def kept(k: int) -> list[str]:
        """A label the edition does not have, as a tombstone, then those that
        followed it (a stack, not recursion: an edition may drop thousands in a row)."""
        out, stack = [], [k]
        while stack:
            j = stack.pop()
            label = labels[j]
            if label.get("status") == "retired":
                out.append(_original(text, bounds, j, label, indent))
            else:
                out.append(_written(_in_order(_tombstone(label), label), indent))
            stack += reversed(after.get(label["id"], ()))
        return out

    for k in after.get(None, ()):
        items += kept(k)
    for published in edition.labels:
        at = by_id.get(published.id)
        if at is None:
            merged.added.append(published.id)
            items.append(_written(published.document(), indent))
        else:
            before = labels[at]
            now = _merged_label(before, published)
            _note_changes(merged, before, now)
            if now == before:
                merged.unchanged += 1
                items.append(_original(text, bounds, at, before, indent))
            else:
                items.append(_written(_in_order(now, before), indent))
        for k in after.get(published.id, ()):
            items += kept(k)

    merged.text = _with_labels(text, bounds, items)
    if version is not None and str(data.get("version")) != version:
        merged.text = _with_version(merged.text, display, version)
        merged.version = version
    return merged


def _working(text: str, display: str) -> dict[str, Any]:
    """The working version as plain data, its labels each a mapping with a text id."""
    doc, problems = parse_yaml(text, display)
    if doc is None:
        raise TaxopsError(
            f"{display} cannot be read: {problems[0].message if problems else 'not YAML'}",
            "fix the working version first (taxops validate), then import the edition",
        )
    data = doc.data
    labels = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(labels, list) or not all(
        isinstance(label, dict) and isinstance(label.get("id"), str) for label in labels
    ):
        raise TaxopsError(
            f"{display} is not a taxonomy whose labels each have a text id",
            "fix the working version first (taxops validate), then import the edition",
        )
    assert isinstance(data, dict)
    return data


def _merged_label(before: dict[str, Any], edition: ImportedLabel) -> dict[str, Any]:
    """A label of both: the file's, with what the edition says of it."""
    given = edition.document()
    now = dict(before)
    now["name"] = given["name"]
    if "parent" in given:
        now["parent"] = given["parent"]
    else:
        now.pop("parent", None)
    for key in _GIVEN:
        if key in given:
            now[key] = given[key]
    if given.get("status", "active") != "active":
        # The edition deprecates or retires the code: its lifecycle, where it says
        # one; a human decides where items go when nothing says it.
        for key in _LIFECYCLE:
            if key in given:
                now[key] = given[key]
        if not now.get("replaced_by") and not now.get("replacement"):
            now["replacement"] = "review"
    elif before.get("status") == "retired":
        # The code is back in use: no longer a tombstone.
        for key in _LIFECYCLE:
            now.pop(key, None)
    return now


def _tombstone(label: dict[str, Any]) -> dict[str, Any]:
    """A label the edition retired, kept as ``taxops fix`` keeps a removed one."""
    out = dict(label, status="retired")
    if not out.get("replaced_by") and not out.get("replacement"):
        out["replacement"] = "review"
    return out


def _note_changes(merged: Merged, before: dict[str, Any], now: dict[str, Any]) -> None:
    label_id = before["id"]
    if before.get("name") != now.get("name"):
        merged.renamed.append(label_id)
    if before.get("parent") != now.get("parent"):
        merged.moved.append(label_id)
    if before.get("status") == "retired" and now.get("status") != "retired":
        merged.reactivated.append(label_id)
    elif any(before.get(k) != now.get(k) for k in (*_GIVEN, *_LIFECYCLE)):
        merged.updated.append(label_id)


def _in_order(label: dict[str, Any], like: dict[str, Any]) -> dict[str, Any]:
    """``label``'s keys in the order the file wrote them (``like``); a key it
    did not have goes after the last key that comes before it in the usual order."""
    keys = [k for k in like if k in label]
    rank = {k: i for i, k in enumerate(_KEY_ORDER)}
    for key in label:
        if key in keys:
            continue
        mine = rank.get(key, len(_KEY_ORDER))
        at = max((i + 1 for i, k in enumerate(keys) if rank.get(k, len(_KEY_ORDER)) <= mine),
                 default=0)  # fmt: skip
        keys.insert(at, key)
    return {k: label[k] for k in keys}


def _original(
    text: str, bounds: list[int] | None, k: int, label: dict[str, Any], indent: str
) -> str:
    """Label ``k`` as the file writes it (its comments included), or written
    anew when the file's items cannot be cut apart."""
    if bounds is None:
        return _written(label, indent)
    item = text[bounds[k] : bounds[k + 1]]
    return item if item.endswith("\n") else item + "\n"


def _written(label: dict[str, Any], indent: str) -> str:
    """One label as a list item, at the file's indentation."""
    lines = generated_yaml({"labels": [label]}, width=_WIDTH).splitlines(keepends=True)[1:]
    return "".join(indent + line if line.strip() else line for line in lines)


def _with_labels(text: str, bounds: list[int] | None, items: list[str]) -> str:
    """``text`` with its labels list made of ``items``."""
    if bounds is not None:
        return text[: bounds[0]] + "".join(items) + text[bounds[-1] :]
    span = top_entry_bounds(text, "labels")
    if span is None:
        raise TaxopsError("the working version has no 'labels:' list to import the edition into")
    block = "labels:\n" + "".join(items) if items else "labels: []\n"
    return text[: span[0]] + block + text[span[1] :]


def _with_version(text: str, display: str, version: str) -> str:
    edited = with_version(text, version)
    if edited is None:
        raise TaxopsError(
            f"{display} has no 'version:' entry to set to {version}",
            "set the version by hand, or leave out --version",
        )
    return edited
