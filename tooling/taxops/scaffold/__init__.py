"""``taxops init``: the files of a team's governance repository, as data.

A starter taxonomy and its guideline (or a taxonomy imported from what the team
has, with a guideline to fill in), a vendor policy and an empty waivers file,
the JSON Schemas the files' first-line comments point at (``schemas/``), a
``mkdocs.yml`` for the guideline site alone, the CI workflow, a pre-commit
config and a ``.gitignore``. Everything passes ``taxops check`` and ``taxops
site build --strict`` as written. The templates live in ``files/`` (package
data); names starting with a dot are stored without it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from taxops import __version__
from taxops.models.guideline import PLACEHOLDER_DEFINITION

if TYPE_CHECKING:
    from taxops.interchange.imported import Imported

FILES = Path(__file__).parent / "files"
#: Template paths stored without their leading dot (package data keeps no dotfiles).
DOTTED = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml"}
DOTTED_FOLDERS = {"github": ".github"}
STARTER_TAXONOMY = "comment-toxicity"
STARTER_TITLE = "Comment toxicity"


@dataclass(frozen=True)
class Answers:
    taxonomy: str = STARTER_TAXONOMY
    title: str = STARTER_TITLE
    owner: str = "@your-team"
    #: What CI and pre-commit install: a pip requirement (a version, or a git URL).
    taxops_spec: str = f"taxops=={__version__}"
    today: dt.date = field(default_factory=dt.date.today)


def template_files(answers: Answers) -> dict[str, str]:
    """Every template, by its path in the team's repository, filled in."""
    out: dict[str, str] = {}
    for path in sorted(p for p in FILES.rglob("*") if p.is_file()):
        relative = path.relative_to(FILES).as_posix()
        if "__pycache__" in relative:
            continue
        first, _, rest = relative.partition("/")
        if rest and first in DOTTED_FOLDERS:
            relative = f"{DOTTED_FOLDERS[first]}/{rest}"
        relative = DOTTED.get(relative, relative).replace("__TAXONOMY__", answers.taxonomy)
        out[relative] = fill(path.read_text(encoding="utf-8"), answers)
    return out


def fill(text: str, answers: Answers) -> str:
    return (
        text.replace("__TAXONOMY__", answers.taxonomy)
        .replace("__TITLE__", answers.title)
        .replace("__OWNER__", answers.owner)
        .replace("__TAXOPS_SPEC__", answers.taxops_spec)
        .replace("__TODAY__", answers.today.isoformat())
    )


def schema_files() -> dict[str, str]:
    """The JSON Schema of every kind of governed file, under ``schemas/``."""
    from taxops.documents import KINDS
    from taxops.schemas import json_schema

    return {
        f"schemas/{kind.name}.schema.json": json.dumps(json_schema(kind), indent=2) + "\n"
        for kind in KINDS.values()
    }


def guideline_to_fill(answers: Answers, labels: list[tuple[str, bool]]) -> str:
    """A guideline for an imported taxonomy: valid from the start (an entry per
    active label, no examples required yet), for the team to fill label by
    label. ``labels``: (id, whether the taxonomy defines it)."""
    entries = "".join(
        f"  - label: {json.dumps(label_id)}\n"
        + ("" if defined else f"    definition: {PLACEHOLDER_DEFINITION}\n")
        for label_id, defined in labels
    )
    return fill(
        """\
# yaml-language-server: $schema=../schemas/guideline.schema.json
# How to apply each label, for labelers: the site is built from this file.
# Raise 'coverage' as you add examples and near misses to each label.
taxops: guideline/1
taxonomy: __TAXONOMY__
version: 0.1.0
coverage:
  min_examples: 0
  min_near_misses: 0
escalation:
  - when: You cannot choose between labels after reading their definitions.
    contact: Labeling lead (__OWNER__)
    channel: "The 'Guideline question' queue in the labeling tool"
    response_time: within 1 working day
changelog:
  - version: 0.1.0
    date: __TODAY__
    what: First version of the guideline, for the imported taxonomy.
    why: Set up with taxops init.
labels:
""",
        answers,
    ) + (entries or "  []\n")


def plan(
    answers: Answers, imported: Imported | None = None, imported_text: str | None = None
) -> dict[str, str]:
    """Every file ``init`` writes, by path. With an imported taxonomy, it takes
    the starter's place (``imported_text``: its file, when the caller made it
    already), with a guideline to fill in."""
    files = {**template_files(answers), **schema_files()}
    if imported is not None:
        active = [
            (label.id, bool(label.definition))
            for label in imported.labels
            if label.status == "active"
        ]
        files[f"taxonomies/{answers.taxonomy}/taxonomy.yaml"] = (
            imported_text if imported_text is not None else imported.to_yaml()
        )
        files[f"guidelines/{answers.taxonomy}.yaml"] = guideline_to_fill(answers, active)
    return files
