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
        crosswalk,
        diff,
        fix,
        impact,
        migrate,
        migration_map,
        migration_script,
        release,
        rules,
        schema,
        site,
        validate,
    )

    return [
        validate.COMMAND,
        schema.COMMAND,
        migration_map.COMMAND,
        migrate.COMMAND,
        migration_script.COMMAND,
        crosswalk.COMMAND,
        impact.COMMAND,
        check.COMMAND,
        diff.COMMAND,
        fix.COMMAND,
        release.COMMAND,
        rules.COMMAND,
        site.COMMAND,
    ]


COMMANDS = _registry()
