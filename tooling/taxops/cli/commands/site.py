"""``taxops site build|serve``: the guideline site, through MkDocs and the taxops
plugin configured in the repository's ``mkdocs.yml``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import add_repo, repo_root, say
from taxops.diagnostics import TaxopsError
from taxops.escaping import terminal, terminal_lines

MINIMAL_CONFIG = """\
site_name: Labeling guidelines
site_dir: site-build
theme: {name: material, font: false}
plugins: [search, taxops]"""


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="site_command", metavar="ACTION", required=True)
    build = sub.add_parser("build", help="build the site into the site_dir of mkdocs.yml")
    build.add_argument(
        "--strict",
        action="store_true",
        help="fail on any warning, including every finding of 'taxops validate'",
    )
    serve = sub.add_parser(
        "serve", help="preview the site; reloads when a page or YAML file changes"
    )
    serve.add_argument(
        "--addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)"
    )
    for action in (build, serve):
        add_repo(action)
        action.add_argument(
            "--config-file",
            type=argtypes.reads("--config-file"),
            metavar="FILE",
            help="the MkDocs configuration (default: mkdocs.yml at the repository root)",
        )


def run(args: argparse.Namespace) -> int:
    config_file = _config_file(args)
    # Material prints a banner about its own future on every run; labelers' CI
    # logs do not need it.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.exceptions import Abort, MkDocsException

    # A preview says where it serves and when it rebuilds; a build only warns.
    _show_mkdocs_log(logging.INFO if args.site_command == "serve" else logging.WARNING)
    try:
        if args.site_command == "serve":
            from mkdocs.commands.serve import serve

            overrides: dict[str, Any] = {"dev_addr": args.addr, **_docs_dir_override(config_file)}
            serve(config_file=str(config_file), livereload=True, **overrides)
            return exit_codes.OK
        return _build(config_file, args.strict)
    except Abort as exc:
        sys.stderr.write(terminal_lines([f"taxops: site not built: {exc.message}"]))
        return exit_codes.FINDINGS
    except MkDocsException as exc:
        raise TaxopsError(f"site not built: {exc}") from None


def _build(config_file: Path, strict: bool) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    started = time.perf_counter()
    config = load_config(
        config_file=str(config_file), strict=strict, **_docs_dir_override(config_file)
    )
    _refuse_site_dir(Path(config.site_dir), config_file, Path(config.docs_dir))
    build(config)
    site_dir = Path(config.site_dir)
    pages = sum(1 for _ in site_dir.rglob("index.html")) if config.use_directory_urls else 0
    shown = os.path.relpath(site_dir)
    counted = f"{pages} pages " if pages else ""
    say(f"built the site ({counted}in {time.perf_counter() - started:.1f} s) into {shown}/")
    return exit_codes.OK


def _refuse_site_dir(site_dir: Path, config_file: Path, docs_dir: Path) -> None:
    """MkDocs empties ``site_dir`` before it builds: a ``site_dir`` of
    ``policies`` (a typo, or a pull request's edit of mkdocs.yml) deleted every
    vendor policy, ``..`` the repository. Refused when it is, holds or lies
    inside a governed folder, the docs or .git, or holds the configuration."""
    from taxops.collisions import GOVERNED

    root = config_file.resolve().parent
    site = site_dir.resolve()
    kept = [root / name for name in (*GOVERNED, ".git")] + [docs_dir.resolve()]
    clash = next(
        (
            p
            for p in [*kept, config_file.resolve()]
            if p == site or p.is_relative_to(site) or (site.is_relative_to(p) and p in kept)
        ),
        None,
    )
    if clash is not None:
        raise TaxopsError(
            f"site_dir '{site_dir}' in {config_file.name} would be emptied before the build: "
            f"it is, holds or lies inside {os.path.relpath(clash, root)}",
            "point site_dir at a folder of its own, e.g. site_dir: site-build",
        )


def _docs_dir_override(config_file: Path) -> dict[str, str]:
    """A site may have no hand-written pages at all: the plugin generates the
    home page and every taxonomy's pages. MkDocs insists the docs folder exists,
    so when it does not, an empty one stands in for it."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(config_file, encoding="utf-8") as f:
            data = yaml_load(f) or {}
    except Exception:  # MkDocs itself reports a broken config, with its own words
        return {}
    docs = (
        config_file.parent / str(data.get("docs_dir", "docs")) if isinstance(data, dict) else None
    )
    if docs is None or docs.is_dir():
        return {}
    return {"docs_dir": tempfile.mkdtemp(prefix="taxops-empty-docs-")}


def _config_file(args: argparse.Namespace) -> Path:
    if args.config_file:
        if not args.config_file.is_file():
            raise TaxopsError(f"no such file: {args.config_file}")
        return Path(args.config_file)
    root = repo_root(args)
    assert root is not None
    path = root / "mkdocs.yml"
    if not path.is_file():
        raise TaxopsError(
            f"{root} has no mkdocs.yml, so there is no site to build",
            "create mkdocs.yml beside taxonomies/ with at least:",
            MINIMAL_CONFIG,
        )
    return path


class _EscapedFormatter(logging.Formatter):
    """MkDocs warnings quote page titles and label names: one line each, escaped."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal(super().format(record))


def _show_mkdocs_log(level: int) -> None:
    """MkDocs logs through 'mkdocs'; show its messages from ``level`` up (every
    validation finding is a warning) on stderr."""
    logger = logging.getLogger("mkdocs")
    handler = next((h for h in logger.handlers if isinstance(h, _CurrentStderr)), None)
    if handler is None:
        handler = _CurrentStderr()
        handler.setFormatter(_EscapedFormatter("%(levelname)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    handler.setLevel(level)


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a message comes (not the one of
    the first run: a second run in the same process, as in tests or an
    embedding tool, must see its own messages)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


COMMAND = Command(
    name="site",
    summary="build or preview the guideline site",
    description="Build the guideline site (MkDocs with the taxops plugin) from the\n"
    "repository's taxonomies and guidelines, or serve a live preview.\n"
    "  taxops site build --strict   fail on any warning or finding (CI)\n"
    "  taxops site serve            preview on http://127.0.0.1:8000",
    configure=configure,
    run=run,
)
