"""Generated YAML documents (an imported taxonomy, a migration map), written
with libyaml's emitter where PyYAML was built with it (its wheels are): the
pure-Python emitters took 18 of the 30 s a 150,000-code import took, and 114 s
for a migration map of 150,000 labels. Files people edit in place are written
with ruamel.yaml's round trip instead (:mod:`taxops.yaml_roundtrip`).

The document's nodes are made here (:func:`_node`), as PyYAML's safe
representer makes them, and handed to the emitter: the representer, pure
Python even beside libyaml, took 26 of the 32 s a 150,000-label migration map
took. The text is the same, except that a list or mapping the document holds
twice is written twice, never as an anchor and an alias."""

from __future__ import annotations

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
                tag = tags[value] = super().resolve(kind, value, implicit)
            return tag
        return _SEQ if kind is SequenceNode else _MAP


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
        nodes = _node(document)
        text = yaml.serialize(
            nodes, Dumper=_Dumper, allow_unicode=allow_unicode, width=width, indent=2
        )
    assert isinstance(text, str)
    return text


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
