"""Generated YAML documents (an imported taxonomy, a migration map), written
with libyaml's emitter where PyYAML was built with it (its wheels are): the
pure-Python emitters took 18 of the 30 s a 150,000-code import took, and 114 s
for a migration map of 150,000 labels. Files people edit in place are written
with ruamel.yaml's round trip instead (:mod:`taxops.yaml_roundtrip`)."""

from __future__ import annotations

from typing import Any

import yaml

from taxops.escaping import yaml_allows_raw_unicode

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def generated_yaml(document: dict[str, Any], *, width: int) -> str:
    """``document`` as block-style YAML, keys in their order. Non-ASCII text is
    written raw unless the document holds a bidi, invisible or control
    character: then every non-ASCII character is an escape, so a reviewer
    sees what is there (:func:`~taxops.escaping.yaml_allows_raw_unicode`)."""
    body = _dump(document, width, allow_unicode=True)
    return body if yaml_allows_raw_unicode(body) else _dump(document, width, allow_unicode=False)


def _dump(document: dict[str, Any], width: int, *, allow_unicode: bool) -> str:
    return yaml.dump(
        document,
        Dumper=_DUMPER,
        sort_keys=False,
        allow_unicode=allow_unicode,
        width=width,
        indent=2,
        default_flow_style=False,
    )
