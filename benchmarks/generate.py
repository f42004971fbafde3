"""Generate realistic taxonomy files of any size for the benchmarks.

A hierarchical taxonomy: 10 children per inner label, every label with a
definition, two aliases and an attribute, like a product or diagnosis catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path


def taxonomy_yaml(n_labels: int, *, error_at: int | None = None) -> str:
    """YAML text of a valid taxonomy with ``n_labels`` labels. With ``error_at``,
    the label at that index points at a parent that does not exist."""
    out = [
        "taxops: taxonomy/1\n",
        "id: generated\n",
        f"title: Generated taxonomy of {n_labels:,} labels\n",
        "version: 1.0.0\n",
        "kind: hierarchical\n",
        "owners: [ops@example.com]\n",
        "description: Generated for benchmarks.\n",
        "labels:\n",
    ]
    for i in range(n_labels):
        parent = f"g{(i - 10) // 10}" if i >= 10 else None
        if error_at == i:
            parent = "no_such_label"
        out.append(f"  - id: g{i}\n    name: Category {i}\n")
        if parent:
            out.append(f"    parent: {parent}\n")
        out.append(
            "    definition: >-\n"
            f"      Items of category {i}: what a labeler sees, the cues that tell it\n"
            "      apart from its siblings & cousins, and what it is not.\n"
            f"    aliases: [cat-{i}, c{i}]\n"
            "    attributes:\n"
            "      - name: occluded\n"
            "        type: bool\n"
        )
    return "".join(out)


def main() -> None:
    n = int(sys.argv[1])
    path = Path(sys.argv[2])
    path.write_text(taxonomy_yaml(n), encoding="utf-8")


if __name__ == "__main__":
    main()
