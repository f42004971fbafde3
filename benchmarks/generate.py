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


_WORDS = [
    *("acute", "chronic", "infection", "of", "the", "upper", "lower", "left", "right"),
    *("unspecified", "other", "disorder", "due", "to", "with", "without", "complication"),
    *("fracture", "initial", "subsequent", "encounter", "sequela", "bacterial", "viral"),
    *("primary", "secondary", "malignant", "benign", "neoplasm", "of", "lung", "kidney"),
    *("liver", "heart", "artery", "vein", "bone", "joint", "skin", "eye", "ear", "nose"),
    *("throat", "stomach"),
]


def _title(k: int) -> str:
    """A deterministic title of 4 to 9 words, like a published code's."""
    words = [_WORDS[(k * 7 + j * 13 + (k >> j)) % len(_WORDS)] for j in range(4 + k % 6)]
    return " ".join(words).capitalize()


def classification_codes(n_codes: int) -> list[tuple[str, str | None, str]]:
    """(code, parent, title) of a published-style classification of about
    ``n_codes`` codes: chapters, blocks, three-character categories and their
    four- and five-character codes, in the publisher's order (parents first)."""
    out: list[tuple[str, str | None, str]] = []
    chapters, blocks_per_chapter, categories_per_block = 22, 13, 7
    categories = chapters * blocks_per_chapter * categories_per_block
    per_category = max(
        1, (n_codes - chapters * (1 + blocks_per_chapter) - categories) // categories
    )
    k = 0
    for c in range(chapters):
        chapter = f"ch{c + 1:02d}"
        out.append((chapter, None, f"Chapter {c + 1}: {_title(k)}"))
        for b in range(blocks_per_chapter):
            letter = chr(ord("A") + (c % 26))
            first = b * categories_per_block
            block = f"{letter}{first:02d}-{letter}{first + categories_per_block - 1:02d}"
            out.append((block, chapter, _title(k + 1)))
            for g in range(categories_per_block):
                category = f"{letter}{first + g:02d}"
                out.append((category, block, _title(k + 2)))
                for s in range(per_category):
                    code = f"{category}.{s // 10}{s % 10}" if s >= 10 else f"{category}.{s}"
                    parent = category if s < 10 else f"{category}.{s // 10}"
                    out.append((code, parent, _title(k + 3 + s)))
                k += 5
    return out


def classification_yaml(
    codes: list[tuple[str, str | None, str]], version: str, *, renamed: set[str] = frozenset()
) -> str:
    """A taxonomy of published codes (``ids: code``), one label per code."""
    lines = [
        "taxops: taxonomy/1",
        "id: classification",
        "title: A published classification of diagnoses",
        "versioning: calver",
        f"version: '{version}'",
        "kind: hierarchical",
        "ids: code",
        "owners: [coding@example.org]",
        "labels:",
    ]
    for code, parent, title in codes:
        name = f"{title} (revised)" if code in renamed else title
        lines.append(f"  - id: '{code}'")
        lines.append(f'    name: "{name}"')
        if parent is not None:
            lines.append(f"    parent: '{parent}'")
    return "\n".join(lines) + "\n"


def classification_update(
    codes: list[tuple[str, str | None, str]], removed: int, added: int, renamed: int
) -> tuple[list[tuple[str, str | None, str]], set[str]]:
    """The next year's codes, as publishers update them: ``removed`` leaf codes
    deleted outright (no tombstone), ``added`` new codes under existing
    categories, ``renamed`` titles revised."""
    parents = {p for _, p, _ in codes if p}
    leaves = [c for c, p, _ in codes if c not in parents and "." in c]
    step = max(1, len(leaves) // max(1, removed))
    gone = set(leaves[::step][:removed])
    kept = [row for row in codes if row[0] not in gone]
    categories = [c for c, p, _ in codes if p and "-" in p]
    new: list[tuple[str, str | None, str]] = []
    for k in range(added):
        category = categories[k % len(categories)]
        new.append((f"{category}.N{k // len(categories)}", category, _title(10_000 + k)))
    by_parent: dict[str | None, list[tuple[str, str | None, str]]] = {}
    for row in new:
        by_parent.setdefault(row[1], []).append(row)
    out = []
    for row in kept:
        out.append(row)
        out += by_parent.pop(row[0], [])
    step = max(1, len(kept) // max(1, renamed))
    renames = {c for c, _, _ in kept[::step][:renamed]}
    return out, renames
