"""The repository is its own first user: ``taxops check`` (the main job) reads
every policy kind of the example organisation and finds nothing to fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from taxops.cli.main import main
from taxops.documents import KINDS
from taxops.loading import load_yaml
from taxops.validate import governed_files

ROOT = Path(__file__).resolve().parents[2]


def test_check_on_the_repositorys_own_content_runs_every_policy_check_clean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = governed_files(ROOT)
    kinds = set()
    for path in files:
        doc, _ = load_yaml(path)
        assert doc is not None
        kinds.add(doc.data["taxops"])
    policy_kinds = {k for k in KINDS if KINDS[k].folder == "policies"} - {"waivers/1"}
    assert policy_kinds <= kinds, f"no example file of {policy_kinds - kinds}"
    code = main(["check", "--repo", str(ROOT), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0, out
    report = json.loads(out)
    assert report["summary"]["files"] == len(files)
    assert report["diagnostics"] == [], report["diagnostics"]
