"""``taxops review push|pull``: the review queue of a migration through a Label
Studio project, and the reviewers' decisions back (``taxops migrate
--apply-review`` merges them)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import add_repo, repo_root, say, tell
from taxops.collisions import refuse_collisions
from taxops.diagnostics import TaxopsError
from taxops.textfiles import as_dict, read_json
from taxops.writing import write_atomic

DEFAULT_URL = "http://localhost:8080"


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    push = sub.add_parser(
        "push", help="create or update a Label Studio project and import the review queue as tasks"
    )
    push.add_argument(
        "queue",
        type=argtypes.reads("QUEUE"),
        metavar="QUEUE",
        help="the review queue taxops migrate wrote",
    )
    where = push.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--project", metavar="TITLE", help="the Label Studio project (created if missing)"
    )
    where.add_argument(
        "--to-files",
        type=argtypes.folder,
        metavar="DIR",
        help="offline: write review-config.xml and review-tasks.json to import by hand",
    )
    push.add_argument(
        "--taxonomy", metavar="ID", help="default: from the migrated dataset's record"
    )
    push.add_argument("--version", metavar="V", help="default: from the migrated dataset's record")
    push.add_argument(
        "--text-field",
        metavar="NAME",
        help="the field reviewers read (default: 'text', else the first)",
    )
    pull = sub.add_parser("pull", help="fetch the reviewers' decisions of a Label Studio project")
    pull.add_argument("--project", metavar="TITLE", required=True, help="the review project")
    pull.add_argument(
        "--output",
        "-o",
        type=argtypes.writes("--output"),
        required=True,
        metavar="FILE",
        help="decisions file to write",
    )
    for action in (push, pull):
        action.add_argument(
            "--url",
            default=os.environ.get("LABEL_STUDIO_URL", DEFAULT_URL),
            help="Label Studio's address (default: $LABEL_STUDIO_URL, else %(default)s)",
        )
        action.add_argument(
            "--token-env",
            default="LABEL_STUDIO_API_KEY",
            metavar="VAR",
            help="environment variable holding the API token (default: %(default)s)",
        )
        add_repo(action)


def run(args: argparse.Namespace) -> int:
    return _push(args) if args.review_command == "push" else _pull(args)


def _client(args: argparse.Namespace) -> Any:
    from taxops.review.labelstudio_api import LabelStudioClient

    token = os.environ.get(args.token_env)
    if not token:
        raise TaxopsError(
            f"no Label Studio token: ${args.token_env} is not set",
            "copy the token from Label Studio's Account & Settings and export it",
        )
    return LabelStudioClient(args.url, token)


def _push(args: argparse.Namespace) -> int:
    from taxops.history import migration_map
    from taxops.interchange.load import load_source
    from taxops.review.queue import read_queue
    from taxops.review.tasks import guess_text_field, review_config, review_tasks

    queue = read_queue(args.queue)
    record = queue_record(args.queue)
    taxonomy = args.taxonomy or record.get("taxonomy")
    version = args.version or record.get("version")
    if not taxonomy or not version:
        raise TaxopsError(
            f"cannot tell which taxonomy version {args.queue} reviews",
            "pass --taxonomy ID and --version V (the version the dataset was migrated to)",
        )
    root = repo_root(args)
    assert root is not None
    source = load_source(root, taxonomy, str(version))
    hints: dict[str, tuple[str, ...]] = {}
    if record.get("migrated_from"):
        migration = migration_map(root, taxonomy, str(record["migrated_from"]), str(version))
        hints = {entry.label: entry.hints for entry in migration}
    text_field = args.text_field or guess_text_field(queue.rows, record.get("label_column"))
    config = review_config(source, text_field)
    tasks = review_tasks(queue.rows, source, hints, text_field, args.queue.name)
    unplaced = sum(1 for r in queue.rows if r.row is None)
    if unplaced:
        sys.stderr.write(
            f"{unplaced} malformed line(s) of the queue are not pushed: fix them in the dataset by hand\n"
        )
    if args.to_files:
        config_path = args.to_files / "review-config.xml"
        tasks_path = args.to_files / "review-tasks.json"
        refuse_collisions(
            [("the labeling config", config_path), ("the tasks", tasks_path)],
            [("the review queue", args.queue)],
        )
        write_atomic(config_path, config)
        write_atomic(tasks_path, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
        say(
            f"wrote {config_path} (the project's labeling config) and "
            f"{tasks_path} ({len(tasks)} tasks)"
        )
        return exit_codes.OK
    client = _client(args)
    project = client.find_project(args.project)
    if project is None:
        project = client.create_project(args.project, config)
        verb = "created"
    else:
        client.call("PATCH", f"/api/projects/{project}", {"label_config": config})
        verb = "updated"
    present = {
        as_dict(as_dict(t.get("meta")).get("taxops")).get("row") for t in client.tasks(project)
    }
    new = [t for t in tasks if t["meta"]["taxops"]["row"] not in present]
    if new:
        client.call("POST", f"/api/projects/{project}/import", new)
    say(
        f"{verb} project '{args.project}' (id {project}) at {args.url}: "
        f"{len(new)} task(s) imported, {len(tasks) - len(new)} already there"
    )
    return exit_codes.OK


def _pull(args: argparse.Namespace) -> int:
    from taxops.review.decisions import from_label_studio_tasks

    client = _client(args)
    project = client.find_project(args.project)
    if project is None:
        raise TaxopsError(f"Label Studio at {args.url} has no project '{args.project}'")
    decisions = from_label_studio_tasks(client.export(project))
    write_atomic(args.output, json.dumps(decisions.document(), indent=2, ensure_ascii=False) + "\n")
    tell(*(f"  {note}" for note in decisions.notes))
    say(
        f"wrote {args.output}: {len(decisions.decisions)} decision(s), "
        f"{decisions.open_tasks} task(s) not reviewed yet"
    )
    return exit_codes.OK


def queue_record(queue: Path) -> dict[str, Any]:
    """The provenance record of the migrated dataset whose review queue this is."""
    for sidecar in sorted(queue.parent.glob("*.taxops.json")):
        try:
            data = read_json(sidecar)
        except TaxopsError:
            continue
        if isinstance(data, dict) and data.get("review_queue") == queue.name:
            return data
    return {}


COMMAND = Command(
    name="review",
    summary="send a migration's review queue to Label Studio and fetch the decisions",
    description="The rows taxops migrate could not decide, reviewed in Label Studio:\n"
    "  taxops review push out/tickets.review.csv --project 'Tickets review'\n"
    "  taxops review pull --project 'Tickets review' -o decisions.json\n"
    "  taxops migrate out/tickets.csv --apply-review decisions.json --in-place\n"
    "Each task offers only its row's candidates, with the guideline's decision hints.\n"
    "Offline: push --to-files DIR, import by hand, export the project as JSON and\n"
    "pass that export to --apply-review. The token is read from $LABEL_STUDIO_API_KEY.",
    configure=configure,
    run=run,
)
