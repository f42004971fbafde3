"""The wheel is complete: built with ``python -m build`` and installed into a
fresh venv, as a team would install it, taxops sets up an empty git repository
(``taxops init``) that passes ``taxops check`` and ``taxops site build
--strict``, reaches its schemas without this repository, and exports.

Built and installed once per test session (about a minute: dependencies come
from pip's cache); every command runs with a timeout so the test stays bounded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STEP_TIMEOUT = 600
pytestmark = pytest.mark.packaging


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
    )
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The ``bin`` folder of a fresh venv with only the built wheel installed."""
    dist = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--wheel", "--outdir", dist, ROOT)
    [wheel] = dist.glob("taxops-*.whl")
    venv = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "pip", "install", "-q", wheel)
    yield venv / "bin"


@pytest.fixture(scope="session")
def team_repo(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("team") / "labels"
    repo.mkdir()
    run("git", "init", "-q", repo)
    run(installed / "taxops", "init", cwd=repo)
    return repo


def test_init_then_check_and_site_build_pass_in_an_empty_repository(
    installed: Path, team_repo: Path
) -> None:
    run(installed / "taxops", "check", cwd=team_repo)
    built = run(installed / "taxops", "site", "build", "--strict", cwd=team_repo)
    assert "built the site" in built.stdout
    home = (team_repo / "site-build" / "index.html").read_text(encoding="utf-8")
    assert "Comment toxicity" in home and "For labelers" in home
    assert not (team_repo / "site-build" / "reference").exists()  # no product pages
    assert not (team_repo / "docs").exists()  # no hand-written page was needed


def test_schema_comments_point_at_files_the_repository_has(
    installed: Path, team_repo: Path
) -> None:
    for governed in [*team_repo.glob("taxonomies/*/*.yaml"), *team_repo.glob("guidelines/*.yaml"),
                     *team_repo.glob("policies/**/*.yaml")]:  # fmt: skip
        first = governed.read_text(encoding="utf-8").splitlines()[0]
        target = first.split("$schema=", 1)[1]
        assert (governed.parent / target).is_file(), governed
    out = team_repo.parent / "schemas-again"
    run(installed / "taxops", "schema", "--output", out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        p.name for p in (team_repo / "schemas").iterdir()
    )


def test_the_installed_wheel_exports_and_imports(installed: Path, team_repo: Path) -> None:
    config = run(
        installed / "taxops", "export", "comment-toxicity", "--to", "label-studio", cwd=team_repo
    )
    assert 'alias="threat"' in config.stdout
    skos = run(installed / "taxops", "export", "comment-toxicity", "--to", "skos", cwd=team_repo)
    (team_repo.parent / "t.ttl").write_text(skos.stdout)
    back = run(installed / "taxops", "import", team_repo.parent / "t.ttl", "-o", "-", cwd=team_repo)
    assert "id: comment-toxicity" in back.stdout
