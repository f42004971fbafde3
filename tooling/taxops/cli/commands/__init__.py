"""One module per command; ``COMMANDS`` is the registry the parser is built from."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    summary: str
    description: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _registry() -> list[Command]:
    from taxops.cli.commands import (
        check,
        codeowners,
        crosswalk,
        diff,
        export,
        fix,
        impact,
        import_taxonomy,
        init,
        inspect,
        migrate,
        migration_map,
        migration_script,
        ops,
        quality,
        redact,
        release,
        review,
        rules,
        schema,
        site,
        validate,
    )

    return [
        init.COMMAND,
        validate.COMMAND,
        schema.COMMAND,
        migration_map.COMMAND,
        migrate.COMMAND,
        migration_script.COMMAND,
        crosswalk.COMMAND,
        impact.COMMAND,
        quality.COMMAND,
        ops.COMMAND,
        inspect.COMMAND,
        redact.COMMAND,
        check.COMMAND,
        codeowners.COMMAND,
        diff.COMMAND,
        fix.COMMAND,
        release.COMMAND,
        rules.COMMAND,
        export.COMMAND,
        import_taxonomy.COMMAND,
        review.COMMAND,
        site.COMMAND,
    ]


COMMANDS = _registry()
