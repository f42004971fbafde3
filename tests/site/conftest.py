"""The site, built for real (``mkdocs build`` with the taxops plugin) once per
test session, served by a stdlib HTTP server, and driven by the system Chromium.

In CI (``CI=true``) the browser tests fail when Chromium or Playwright is
missing: a site that was never opened in a browser is not tested. Locally they
skip, saying why.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hostile_fields import write_repository
from site_pages import ROOT

MALICIOUS = ROOT / "tests" / "guidelines" / "cases" / "malicious"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

MINIMAL_CONFIG = """\
site_name: Hostile guideline
docs_dir: site/docs
site_dir: site-build
theme:
  name: material
  font: false
plugins:
  - search
  - taxops
"""


def build(config_file: Path, site_dir: Path, *, strict: bool) -> Path:
    """A real MkDocs build, in process."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), strict=strict, site_dir=str(site_dir))
    mkdocs_build(config)
    return site_dir


@pytest.fixture
def worker_threads() -> Callable[[], int]:
    """In the site's tests of workers, no thread counts: the session's web
    servers and browser driver run threads for the whole session, and a
    worker forked beside them only reads the pages' HTML, which it was
    forked with, and writes to its pipe (it takes none of their locks)."""
    return lambda: 1


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own guideline site, built with --strict (any warning fails)."""
    return build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("example-site"), strict=True)


@pytest.fixture(scope="session")
def hostile_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose guideline tries every trick: scripts, event handlers,
    javascript: links, traversal, remote images."""
    repo = tmp_path_factory.mktemp("hostile") / "repo"
    shutil.copytree(MALICIOUS, repo, ignore=shutil.ignore_patterns("expected.txt"))
    (repo / "site" / "docs").mkdir(parents=True)
    (repo / "site" / "docs" / "index.md").write_text("# Hostile guideline\n")
    (repo / "mkdocs.yml").write_text(MINIMAL_CONFIG)
    return repo


@pytest.fixture(scope="session")
def hostile_site(hostile_repo: Path) -> Path:
    """Built without --strict: the author ignored every warning, and still
    nothing may run."""
    return build(hostile_repo / "mkdocs.yml", hostile_repo / "site-build", strict=False)


@pytest.fixture(scope="session")
def hostile_names_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every plain-text field of a taxonomy and its guideline holding a payload
    that breaks out of an HTML context (see hostile_fields.py), built without
    --strict: validation warns and errs, the author publishes anyway."""
    repo = write_repository(tmp_path_factory.mktemp("hostile-names") / "repo")
    return build(repo / "mkdocs.yml", repo / "site-build", strict=False)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[object]:
    """``serve(folder)`` -> the base URL of a server for that folder on 127.0.0.1."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must test the site in a real browser")
    pytest.skip(f"{reason}; browser tests skipped locally")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """The system Chromium (Debian's package), started once per session.
    Playwright only drives it; it never downloads a browser."""
    executable = (
        os.environ.get("TAXOPS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    )
    if not Path(executable).exists():
        _unavailable("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
