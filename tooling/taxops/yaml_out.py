"""Generated YAML documents (an imported taxonomy, a migration map), written
with libyaml's emitter where PyYAML was built with it (its wheels are): the
pure-Python emitters took 18 of the 30 s a 150,000-code import took, and 114 s
for a migration map of 150,000 labels. Files people edit in place are written
with ruamel.yaml's round trip instead (:mod:`taxops.yaml_roundtrip`).

The document's nodes are made here (:func:`_node`), as PyYAML's safe
representer makes them, and handed to the emitter: the representer, pure
Python even beside libyaml, took 26 of the 32 s a 150,000-label migration map
took. The text is the same, except that a list or mapping the document holds
twice is written twice, never as an anchor and an alias.

Most of a large document is simple: label ids, actions, versions, ``null``,
``false``, ``[]``. Its lists are written item by item (:func:`_fast_item`), each
item as the emitter would lay it out, where every key and value is one the
emitter writes as typed (or in single quotes, when the text would read as
another type) on a line it cannot fold; an item holding anything else (a
note with a colon, a long name, a float, non-ASCII text) goes to the emitter
with the items next to it (its lines are the same alone as in the document:
the items of a top-level list start at the left margin, a block item's
layout does not depend on its neighbours). An 89,000-code migration map:
6.1 s -> 1.6 s; the text is the same, as ``tests/output/test_generated_yaml.py``
checks against PyYAML's own dump."""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.representer import SafeRepresenter

from taxops.collector import paused
from taxops.escaping import yaml_allows_raw_unicode

_BASE = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_STR, _NULL, _BOOL, _INT, _SEQ, _MAP = (
    f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "seq", "map")
)


class _Dumper(_BASE):  # type: ignore[valid-type, misc]
    """The safe dumper, with the emitter's calls back into Python made cheap:
    it asks, for every scalar of the document (7 million for a 150,000-label
    map), which tag its text would read as, and steps a path resolver in and
    out of every node. The safe dumper has no path resolvers, so those steps do
    nothing, and a text's tag depends on the text alone: asked once per text.
    The answers are the resolver's own (8.3 s -> 6 s of the map's 18 s)."""

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass  # no path resolvers: nothing to follow

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR
            tags: dict[str, str] = self.__dict__.setdefault("_tags", {})
            tag = tags.get(value)
            if tag is None:
                table = self.yaml_implicit_resolvers
                if value and value[0] not in table and None not in table:
                    tag = _STR  # no resolver reads text that starts so (names, titles)
                else:
                    tag = super().resolve(kind, value, implicit)
                if tag == _STR and typed_in_yaml_12(value):
                    tag = _INT  # any tag but str: the emitter quotes the text
                tags[value] = tag
            return tag
        return _SEQ if kind is SequenceNode else _MAP


#: Text YAML 1.2 may read as a number, a date or a time where YAML 1.1 (the
#: emitter's resolver) reads text: ``08``, ``1e3``, ``0o17``, ``0b101``, and
#: ``_0_`` (yaml-rs reads underscores as digit separators, even leading ones).
_NUMBERISH = re.compile(r"[-+._0-9][-+.0-9A-Za-z_:]{0,63}")


def typed_in_yaml_12(text: str) -> bool:
    """Whether taxops' own reader (yaml-rs, YAML 1.2) reads ``text``, written
    plain, as anything but that text: then it is written in quotes, or an
    imported code ``08`` would come back as the number 8. Only text that
    looks like a number is asked (:data:`_NUMBERISH`)."""
    if _NUMBERISH.fullmatch(text) is None:
        return False
    import yaml_rs

    try:
        return yaml_rs.loads(f"k: {text}\n", parse_datetime=False) != {"k": text}
    except Exception:  # a text it cannot read plain: quoted all the same
        return True


def generated_yaml(document: dict[str, Any], *, width: int) -> str:
    """``document`` as block-style YAML, keys in their order. Non-ASCII text is
    written raw unless the document holds a bidi, invisible or control
    character: then every non-ASCII character is an escape, so a reviewer
    sees what is there (:func:`~taxops.escaping.yaml_allows_raw_unicode`)."""
    body = _dump(document, width, allow_unicode=True)
    return body if yaml_allows_raw_unicode(body) else _dump(document, width, allow_unicode=False)


def _dump(document: dict[str, Any], width: int, *, allow_unicode: bool) -> str:
    # Half a million nodes that live until the text is written: collection
    # passes over them free nothing (1.4 s of 1.7 s for 20,000 labels), nor
    # over the emitter's events meanwhile.
    with paused():
        if type(document) is not dict or not document:
            return _emitted(document, width, allow_unicode)
        dumper = _Dumper(None, width=width)  # only its resolver is asked
        pieces: list[str] = []
        for key, value in document.items():
            name = _key(dumper, key)
            if type(value) is list and value and name is not None:
                pieces.append(f"{name}:\n")
                pieces += _items(dumper, value, width, allow_unicode)
                continue
            lines: list[str] = []
            if _fast_entry(dumper, key, value, 0, width, lines):
                pieces += lines
            else:
                pieces.append(_emitted({key: value}, width, allow_unicode))
        return "".join(pieces)


def _emitted(value: Any, width: int, allow_unicode: bool) -> str:
    """``value`` as a document of its own, written by the emitter."""
    text = yaml.serialize(
        _node(value), Dumper=_Dumper, allow_unicode=allow_unicode, width=width, indent=2
    )
    assert isinstance(text, str)
    return text


#: Runs of items the emitter writes, past which the whole list goes to it
#: (one call each costs about 0.1 ms, the time it takes to write about
#: :data:`_ITEMS_PER_CALL` items in one call: a list of simple and other items
#: in turn would cost more than writing it whole). A long list of simple items
#: with a few hundred others among them (titles that start with a quote) is
#: still written item by item.
_MOST_RUNS = 256
_ITEMS_PER_CALL = 8


def _items(dumper: _Dumper, items: list[Any], width: int, allow_unicode: bool) -> list[str]:
    """The lines of a top-level list's items: each run of items :func:`_fast_item`
    cannot write goes to the emitter together, as a list of its own."""
    pieces: list[str] = []
    slow: list[Any] = []
    runs = 0
    most = max(_MOST_RUNS, len(items) // _ITEMS_PER_CALL)
    for item in items:
        lines: list[str] = []
        if _fast_item(dumper, item, 0, width, lines):
            if slow:
                pieces.append(_emitted(slow, width, allow_unicode))
                slow, runs = [], runs + 1
                if runs > most:
                    return [_emitted(items, width, allow_unicode)]
            pieces += lines
        else:
            slow.append(item)
    if slow:
        pieces.append(_emitted(slow, width, allow_unicode))
    return pieces


#: Text the emitter writes as it is in block context (or in single quotes,
#: when the resolver reads it as another type): printable ASCII words, one
#: space between them, the first starting with a letter, a digit or ``_``
#: (no indicator). Inside the text the emitter's analysis (PyYAML's and
#: libyaml's alike) finds no block indicator but ``:`` before a space or at
#: the end, and ``#`` after a space: so no word ends in ``:`` and no later
#: word starts with ``#`` or ``:``. Flow indicators (``[``, ``,``) and colons
#: inside a word are plain in block context: ontology ids (``GO:0008150``),
#: ``[Mass/volume]``, URLs.
_SIMPLE = re.compile(r"[A-Za-z0-9_](?:[!-~]*[!-9;-~])?(?: [!\"$-9;-~](?:[!-~]*[!-9;-~])?)*")


#: Longer keys the emitter may write as complex keys (``? key``): it decides.
_LONGEST_KEY = 100


def _plain(dumper: _Dumper, text: Any) -> str | None:
    """``text`` as the emitter writes it where it cannot be folded, or None
    when only the emitter can tell."""
    if type(text) is not str:
        return None
    known: dict[str, str | None] = dumper.__dict__.setdefault("_plain", {})
    if text in known:  # keys, actions and ids come back thousands of times
        return known[text]
    found: str | None = None
    if _SIMPLE.fullmatch(text) is not None:
        if dumper.resolve(ScalarNode, text, (True, False)) == _STR:
            found = text
        elif " " not in text:
            found = f"'{text}'"
    known[text] = found
    return found


def _key(dumper: _Dumper, key: Any) -> str | None:
    """A mapping key as the emitter writes it (a simple key), or None."""
    name = _plain(dumper, key)
    return name if name is not None and len(name) <= _LONGEST_KEY else None


def _scalar(dumper: _Dumper, value: Any, column: int, width: int, indent: int) -> str | None:
    """A scalar written from ``column``, or None (the emitter decides). Text
    past the width is folded as the emitter folds a plain scalar, its next
    lines at ``indent`` (:func:`_folded`)."""
    kind = type(value)
    if kind is str:
        text = _plain(dumper, value)
        if text is None or column + len(text) <= width:
            return text
        return _folded(text, column, width, indent) if text[0] != "'" else None
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    return None


def _folded(text: str, column: int, width: int, indent: int) -> str:
    """``text`` (words one space apart) written from ``column`` as the emitter
    writes a plain scalar (``Emitter.write_plain``): after a word that ends
    past ``width``, the next word starts a new line at ``indent`` (two right
    of the key or dash whose value it is) instead of after a space."""
    words = text.split(" ")
    out = [words[0]]
    at = column + len(words[0])
    for word in words[1:]:
        if at > width:
            out.append("\n" + " " * indent)
            at = indent
        else:
            out.append(" ")
            at += 1
        out.append(word)
        at += len(word)
    return "".join(out)


def _fast_item(dumper: _Dumper, item: Any, column: int, width: int, out: list[str]) -> bool:
    """Append the lines of a sequence item at ``column`` to ``out``; False
    (``out`` then holds part of them) when the emitter must write it."""
    pad = " " * column
    kind = type(item)
    if kind is dict and item:
        first = True
        for key, value in item.items():
            lines: list[str] = []
            if not _fast_entry(dumper, key, value, column + 2, width, lines):
                return False
            if first:  # the first key on the dash's line
                lines[0] = f"{pad}- {lines[0][column + 2 :]}"
                first = False
            out += lines
        return True
    if kind is list or kind is dict:
        if item:
            return False  # a list in a list: the emitter's layout
        out.append(f"{pad}- {'[]' if kind is list else '{}'}\n")
        return True
    text = _scalar(dumper, item, column + 2, width, column + 2)
    if text is None:
        return False
    out.append(f"{pad}- {text}\n")
    return True


def _fast_entry(
    dumper: _Dumper, key: Any, value: Any, column: int, width: int, out: list[str]
) -> bool:
    """Append the lines of the mapping entry ``key: value`` whose key is at
    ``column`` to ``out``; False when the emitter must write it."""
    name = _key(dumper, key)
    if name is None:
        return False
    pad = " " * column
    kind = type(value)
    if kind is list or kind is dict:
        if not value:
            out.append(f"{pad}{name}: {'[]' if kind is list else '{}'}\n")
            return True
        out.append(f"{pad}{name}:\n")
        if kind is list:  # a list in a mapping starts at the key's column
            return all(_fast_item(dumper, v, column, width, out) for v in value)
        return all(_fast_entry(dumper, k, v, column + 2, width, out) for k, v in value.items())
    text = _scalar(dumper, value, column + len(name) + 2, width, column + 2)
    if text is None:
        return False
    out.append(f"{pad}{name}: {text}\n")
    return True


def _node(value: Any) -> Node:
    """``value`` as the node PyYAML's safe representer makes of it, in block
    style (``default_flow_style=False``), keys in their order. Values of other
    types (a float, a date) go to the representer itself, which refuses what
    it cannot write, as a dump does."""
    kind = type(value)
    if kind is str:
        return ScalarNode(_STR, value)
    if kind is dict:
        return MappingNode(_MAP, [(_node(k), _node(v)) for k, v in value.items()], flow_style=False)
    if kind is list:
        return SequenceNode(_SEQ, [_node(v) for v in value], flow_style=False)
    if value is None:
        return ScalarNode(_NULL, "null")
    if kind is bool:
        return ScalarNode(_BOOL, "true" if value else "false")
    if kind is int:
        return ScalarNode(_INT, str(value))
    representer = SafeRepresenter(default_flow_style=False, sort_keys=False)
    node: Node = representer.represent_data(value)
    return node
