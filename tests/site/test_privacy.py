"""Personal data never reaches the published site. A guideline example holding
an email address, a phone number and a card number, marked personal, is
redacted by the privacy policy's rules before any page or the search index is
built (a real MkDocs build); marked public, the build stops and names the
example's line. And the quiz scores against the quality plan's pass mark."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, build
from mkdocs.exceptions import Abort
from site_pages import ROOT

BASE = ROOT / "tests" / "policies" / "base"
GUIDELINE = "guidelines/pets.yaml"
#: What the personal example of tests/policies/base holds, as written.
SECRETS = ("rex.owner@example.com", "415-555-0132", "4111 1111 1111 1111")
#: What each becomes (the base policy's rules for 'personal').
MASKS = ("[email]", "[phone]", "[card 1111]")


def _repo(tmp_path: Path, data_class: str) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    guideline = repo / GUIDELINE
    text = guideline.read_text(encoding="utf-8")
    assert "        data_class: personal\n" in text
    guideline.write_text(text.replace("data_class: personal", f"data_class: {data_class}"))
    (repo / "site" / "docs").mkdir(parents=True)
    (repo / "site" / "docs" / "index.md").write_text("# Pets\n")
    (repo / "mkdocs.yml").write_text(MINIMAL_CONFIG)
    return repo


def _built_text(site: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.suffix in (".html", ".json", ".xml", ".js") and p.is_file()
    )


@pytest.fixture(scope="module")
def personal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = _repo(tmp_path_factory.mktemp("personal"), "personal")
    return build(repo / "mkdocs.yml", repo / "site-build", strict=True)


def test_a_personal_example_is_redacted_on_every_page_and_in_the_search_index(
    personal_site: Path,
) -> None:
    everything = _built_text(personal_site)
    index = (personal_site / "search" / "search_index.json").read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in everything, f"{secret!r} was published"
        assert secret not in index
    label_page = (personal_site / "pets" / "labels" / "dog" / "index.html").read_text()
    for mask in MASKS:
        assert mask in label_page, f"{mask} missing: the example itself must still be shown"
    assert "Rex escaped again" in label_page  # the rest of the example stays
    docs = json.loads(index)["docs"]
    assert any("[email]" in d["text"] for d in docs), "the redacted example is searchable"


def test_the_quiz_scores_against_the_quality_plans_pass_mark(personal_site: Path) -> None:
    quiz = (personal_site / "pets" / "quiz" / "index.html").read_text(encoding="utf-8")
    assert 'data-pass-mark="90"' in quiz and "set by the quality plan" in quiz
    for secret in SECRETS:
        assert secret not in quiz


def test_a_public_example_holding_personal_data_stops_the_build_at_its_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    repo = _repo(tmp_path, "public")
    site = repo / "site-build"
    lines = (repo / GUIDELINE).read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "Rex escaped again" in text) - 1
    assert lines[line - 1].strip() == "- content: |"
    with pytest.raises(Abort):
        build(repo / "mkdocs.yml", site, strict=False)  # not even a lax build publishes it
    message = caplog.text
    assert f"{GUIDELINE}:{line}:" in message
    assert "[personal-data-in-example]" in message and "1 email" in message
    assert not (site / "search" / "search_index.json").exists()
    if site.exists():
        for secret in SECRETS:
            assert secret not in _built_text(site)


def test_an_unredactable_example_stops_the_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    repo = _repo(tmp_path, "personal")
    guideline = repo / GUIDELINE
    guideline.write_text(
        guideline.read_text().replace(
            "        data_class: personal\n",
            "        data_class: personal\n        unredactable: true\n",
        )
    )
    with pytest.raises(Abort):
        build(repo / "mkdocs.yml", repo / "site-build", strict=False)
    assert "[example-unredactable]" in caplog.text
