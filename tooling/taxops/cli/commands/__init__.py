"""One module per command. ``REGISTRY`` lists them for the parser: a name, the
one line ``taxops --help`` shows, and the module, which is imported only when
its command runs or shows its own help. Start-up then costs what the command
needs: ``taxops --help`` loads no command, ``taxops migrate`` loads migrate's
module alone (never the site, the guideline models, git or sqlglot that other
commands need). A test checks the registry against the modules."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    description: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Entry:
    """A command as the parser lists it, before its module is loaded."""

    name: str
    module: str
    summary: str

    def load(self) -> Command:
        """The command itself (imports its module)."""
        command: Command = importlib.import_module(f"{__name__}.{self.module}").COMMAND
        return command


REGISTRY: tuple[Entry, ...] = (
    Entry(
        "init",
        "init",
        "set up a governance repository: a starter taxonomy, guideline, policies, site, CI",
    ),
    Entry("validate", "validate", "check every taxonomy, guideline and policy file"),
    Entry("schema", "schema", "print or write the JSON Schema of governed files"),
    Entry(
        "migration-map",
        "migration_map",
        "say what happens to every label of an old taxonomy version",
    ),
    Entry("migrate", "migrate", "relabel a dataset to a newer taxonomy version"),
    Entry(
        "migration-script",
        "migration_script",
        "emit SQL (DuckDB, Spark, BigQuery, Snowflake, Postgres) or a Python script",
    ),
    Entry(
        "crosswalk",
        "crosswalk",
        "import an official correspondence table as a version's declarations, or check one",
    ),
    Entry(
        "impact",
        "impact",
        "count what a taxonomy change would relabel, and what review would cost",
    ),
    Entry("quality", "quality", "agreement, gold accuracy and audits against the quality plan"),
    Entry("ops", "ops", "vendor scorecards against SLAs, staffing and delivery forecasts"),
    Entry(
        "inspect",
        "inspect",
        "a dataset against a taxonomy version: unknown and retired labels, imbalance, "
        "duplicates, drift",
    ),
    Entry("redact", "redact", "write a redacted copy of a dataset, by the privacy policy's rules"),
    Entry(
        "check", "check", "validate, then block incompatible taxonomy changes and wrong versions"
    ),
    Entry(
        "codeowners",
        "codeowners",
        "print or write CODEOWNERS from the owners the governed files declare",
    ),
    Entry("diff", "diff", "compare two versions of a taxonomy (files or TAXONOMY@VERSION)"),
    Entry("fix", "fix", "write the fixes a check asks for: tombstones, replacements, the version"),
    Entry("release", "release", "freeze the current version of a taxonomy as an immutable release"),
    Entry("rules", "rules", "list the compatibility rules (id, bump, what they break)"),
    Entry(
        "export",
        "export",
        "export a taxonomy for a labeling tool (Label Studio, CVAT, Labelbox, Argilla, COCO, SKOS)",
    ),
    Entry(
        "import",
        "import_taxonomy",
        "import a taxonomy from Label Studio, CVAT, SKOS, a CSV or spreadsheet, Google's "
        "product taxonomy, a publisher's code list, ClaML, ICD-10-CM's tabular list, MeSH or an OBO "
        "ontology, or a publisher's new edition into one",
    ),
    Entry(
        "review",
        "review",
        "send a migration's review queue to Label Studio and fetch the decisions",
    ),
    Entry("site", "site", "build or preview the guideline site"),
)


def commands() -> list[Command]:
    """Every command, loaded (for documentation and tests)."""
    return [entry.load() for entry in REGISTRY]
