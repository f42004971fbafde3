"""The reusable GitHub Action: its check step run for real (the script
action.yml calls) on a pull-request branch of a real git repository, with the
annotation cap; and the action and the workflow ``taxops init`` writes are
well-formed for GitHub (composite steps have a shell, paths exist)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / ".github" / "actions" / "taxops-check.sh"
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "T",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "T",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    # The taxops of this test run, as the action's pip install would provide it.
    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
}


def sh(*args: str, cwd: Path) -> str:
    return subprocess.run(
        list(args), cwd=cwd, env=ENV, capture_output=True, text=True, check=True
    ).stdout


def pull_request(tmp: Path) -> Path:
    """A governance repository on GitHub's runner: main pushed to origin, and a
    branch that retires every label without a replacement (many findings)."""
    origin = tmp / "origin"
    origin.mkdir()
    sh("git", "init", "-q", "-b", "main", cwd=origin)
    sh("taxops", "init", cwd=origin)
    sh("git", "add", "-A", cwd=origin)
    sh("git", "commit", "-qm", "start", cwd=origin)
    clone = tmp / "clone"
    sh("git", "clone", "-q", str(origin), str(clone), cwd=tmp)
    sh("git", "checkout", "-qb", "change", cwd=clone)
    taxonomy = clone / "taxonomies" / "comment-toxicity" / "taxonomy.yaml"
    text = taxonomy.read_text()
    for label in ("insult", "threat", "spam"):
        text = text.replace(f"  - id: {label}\n", f"  - id: {label}\n    status: retired\n")
    text += "".join(f"  - id: extra_{i}\n    name: Extra {i}\n" for i in range(12))
    taxonomy.write_text(text)
    sh("git", "commit", "-qam", "change", cwd=clone)
    return clone


def test_the_check_step_caps_annotations_and_says_how_many_were_left_out(tmp_path: Path) -> None:
    clone = pull_request(tmp_path)
    outputs, summary = tmp_path / "output.txt", tmp_path / "summary.md"
    env = {
        **ENV,
        "BASE": "main",
        "EVENT": "pull_request",
        "MAX_ANNOTATIONS": "3",
        "REPORT_DIR": str(tmp_path / "report"),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    done = subprocess.run(["bash", str(SCRIPT)], cwd=clone, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # At most 3 annotations of each level, then one notice counting the rest,
    # checked against every finding (the JSON beside the report).
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert 0 < len(errors) <= 3 and len(warnings) <= 3
    findings = json.loads((tmp_path / "report" / "taxops-findings.json").read_text())
    errors_found = findings["summary"]["error"]
    assert errors_found > 3
    notice = lines[-1]
    assert notice.startswith("::notice ") and "not annotated" in notice
    # An annotation stands for its rule's findings on its line ("x490" in its title).
    shown = sum(
        int((re.search(r"\] x([\d,]+)::", line) or [None, "1"])[1].replace(",", ""))
        for line in errors
    )
    assert re.search(rf"::{errors_found - shown:,} errors?\b", notice)
    recorded = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert recorded["exit_code"] in ("1", "3")
    report = Path(recorded["report"]).read_text()
    assert report and report in summary.read_text()


def test_action_and_init_workflow_are_well_formed(tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert "uses" in step or step.get("shell") == "bash", step
        if str(step.get("uses", "")).startswith("actions/setup-python"):
            # setup-python hashes cache-dependency-path inside the caller's
            # workspace only: a file of the action itself fails the step, and
            # 'cache: pip' without it fails in a repository with no requirements.
            assert "cache" not in step.get("with", {}), step
    assert os.access(SCRIPT, os.X_OK)
    sh("taxops", "init", str(tmp_path / "team"), cwd=tmp_path)
    workflow = yaml.safe_load(
        (tmp_path / "team" / ".github/workflows/taxonomy-check.yml").read_text()
    )
    steps = workflow["jobs"]["check"]["steps"]
    install = next(s for s in steps if s.get("name") == "Install taxops")
    assert "-e ." not in install["run"]  # a team's repository is not taxops' source
    assert shutil.which("bash")


def test_the_action_keeps_the_release_cache_between_runs() -> None:
    """The release cache is restored before taxops check runs, at the folder
    taxops check is told to use, keyed by the releases' content."""
    steps = yaml.safe_load((ROOT / "action.yml").read_text())["runs"]["steps"]
    caches = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache@")]
    # The release cache, not pip's (the action caches both).
    cache = next(s for s in caches if "releases" in s["with"]["key"])
    check = next(s for s in steps if s.get("id") == "check")
    assert steps.index(cache) < steps.index(check)
    assert check["env"]["TAXOPS_CACHE_DIR"] == cache["with"]["path"]
    assert "hashFiles(" in cache["with"]["key"] and "releases" in cache["with"]["key"]


def test_init_ignores_a_cache_kept_in_the_repository() -> None:
    """A team that keeps the release cache in the repository
    (TAXOPS_CACHE_DIR=.taxops/cache) never commits it."""
    ignored = (ROOT / "tooling" / "taxops" / "scaffold" / "files" / "gitignore").read_text()
    assert "/.taxops/" in ignored.splitlines()
