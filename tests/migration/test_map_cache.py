"""Maps between releases are built once: the second migration between the same
releases reads its map from the cache, loads no release and builds nothing, and
gets the map a build gives; an entry that is damaged, forged or stale (a
release or the guideline edited behind the cache's back, a release added in
between) is never trusted, only rebuilt. A map that reads the working file is
never cached."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
from pathlib import Path

import pytest
from cache_damage import COMMON, damage, reseal, split
from fresh_process import taxops_modules
from taxops import history, map_cache, scaffold
from taxops.migration.model import (
    Action,
    Entry,
    MigrationMap,
    Mode,
    Step,
    SuggestedLabel,
)

ROOT = Path(__file__).resolve().parents[2]
TAXONOMY = "driving-objects"


@pytest.fixture
def cache(fresh_cache: Path) -> Path:
    return fresh_cache


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the support taxonomy's releases and its guideline
    (whose decision rules are the map's hints)."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "taxonomies" / TAXONOMY, repo / "taxonomies" / TAXONOMY)
    (repo / "guidelines").mkdir()
    shutil.copyfile(ROOT / "guidelines" / f"{TAXONOMY}.yaml", repo / "guidelines" / "g.yaml")
    return repo


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What a migration_map call did: 'build' for each map built, 'load' for
    each release file loaded."""
    done: list[str] = []
    build, load = history._map_through, history.TaxonomyFiles.load

    def spy_build(*args, **kwargs):  # type: ignore[no-untyped-def]
        done.append("build")
        return build(*args, **kwargs)

    def spy_load(self, path):  # type: ignore[no-untyped-def]
        if path not in self._loaded:
            done.append(f"load {path.name}")
        return load(self, path)

    monkeypatch.setattr(history, "_map_through", spy_build)
    monkeypatch.setattr(history.TaxonomyFiles, "load", spy_load)
    return done


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "maps").glob("*.json"))


WALKS = [("1.0.0", "2.0.0"), ("1.0.0", "1.1.0"), ("2.0.0", "1.0.0"), ("1.1.0", "1.1.0")]


@pytest.mark.parametrize(("start", "end"), WALKS, ids=[f"{a}-{b}" for a, b in WALKS])
def test_the_second_map_comes_from_the_cache(
    start: str, end: str, repo: Path, cache: Path, work: list[str]
) -> None:
    """Forward (with the guideline's hints), backward, one step, no step: the
    cached map is the built map, and reading it loads no release."""
    built = history.migration_map(repo, TAXONOMY, start, end)
    assert "build" in work
    assert len(_entries(cache)) == 1
    work.clear()
    again = history.migration_map(repo, TAXONOMY, start, end)
    assert work == []  # no release loaded, nothing built
    assert again == built
    assert again.valid_labels == built.valid_labels  # fields the equality skips, too
    assert again.deprecated_labels == built.deprecated_labels
    assert again.id_case == built.id_case


def test_hints_from_the_guideline_are_kept(repo: Path, cache: Path) -> None:
    built = history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0")
    assert any(e.hints for e in built)  # the case means something
    again = history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0")
    assert [e.hints for e in again] == [e.hints for e in built]


def _damage(entry: Path, how: str) -> None:
    """The damage any entry can take, and forgeries with a matching checksum
    whose content is not a map taxops would write (checked field by field)."""
    if how in COMMON:
        damage(entry, how)
        return
    _, body = split(entry)
    data = json.loads(body)
    if how == "forged action":
        first = next(i for i, e in enumerate(data["entries"]) if isinstance(e, list))
        data["entries"][first][1] = "delete-everything"
    elif how == "forged types":
        data["entries"][0] = [["not", "a", "label"], "keep", "keep", [1, 2]]
    elif how == "forged shape":
        data = ["not", "a", "map"]
    elif how == "other releases":
        header, _ = split(entry)
        reseal(entry, body, steps=[[header["steps"][0][0], "0" * 64], *header["steps"][1:]])
        return
    else:
        raise AssertionError(how)
    reseal(entry, json.dumps(data).encode())


DAMAGE = [*COMMON, "forged action", "forged types", "forged shape", "other releases"]


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_entry_is_rebuilt_without_an_error(
    how: str, repo: Path, cache: Path, work: list[str]
) -> None:
    built = history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0")
    [entry] = _entries(cache)
    _damage(entry, how)
    work.clear()
    again = history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0")
    assert "build" in work  # not read from the entry
    assert again == built
    work.clear()
    assert history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0") == built
    assert work == []  # the rebuilt entry is good
    assert len(_entries(cache)) == 1


def test_a_release_edited_behind_the_cache_is_read_again(
    repo: Path, cache: Path, work: list[str]
) -> None:
    """Any change to a release's bytes is a miss: the release is loaded again
    and the walk's entry replaced (not added to)."""
    built = history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0")
    release = repo / "taxonomies" / TAXONOMY / "releases" / "2.0.0.yaml"
    release.write_text(
        release.read_text(encoding="utf-8") + "\n# edited behind the cache's back\n", "utf-8"
    )
    work.clear()
    assert history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0") == built
    assert "build" in work and f"load {release.name}" in work
    assert len(_entries(cache)) == 1


def test_an_edit_that_changes_the_map_is_seen(repo: Path, cache: Path) -> None:
    """The edit changes what the map says: the cached map must not hide it."""
    first = history.migration_map(repo, TAXONOMY, "1.1.0", "2.0.0")
    kept = next(e for e in first if e.mode is Mode.KEEP and e.renamed is None)
    release = repo / "taxonomies" / TAXONOMY / "releases" / "2.0.0.yaml"
    text = release.read_text(encoding="utf-8")
    marker = f"- id: {kept.label}\n"
    assert marker in text
    at = text.index(marker) + len(marker)
    line_end = text.index("\n", text.index("name:", at))
    edited_text = (
        text[: text.index("name:", at)] + "name: Renamed behind the cache" + text[line_end:]
    )
    release.write_text(edited_text, encoding="utf-8")
    edited = history.migration_map(repo, TAXONOMY, "1.1.0", "2.0.0")
    assert edited[kept.label].renamed is not None
    assert edited[kept.label].renamed[1] == "Renamed behind the cache"


def test_an_edited_guideline_is_read_again(repo: Path, cache: Path, work: list[str]) -> None:
    """Its decision rules are the reviewers' hints: an edit shows in the map."""
    before = history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0")
    guideline = repo / "guidelines" / "g.yaml"
    text = guideline.read_text(encoding="utf-8")
    guideline.write_text(text.replace("Light or heavy truck?", "Small or big truck?"), "utf-8")
    work.clear()
    after = history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0")
    assert "build" in work
    assert any(h.startswith("Small or big truck?") for h in after["vehicle.truck"].hints)
    assert not any(h.startswith("Small or big") for h in before["vehicle.truck"].hints)


def test_a_backward_map_does_not_depend_on_the_guideline(
    repo: Path, cache: Path, work: list[str]
) -> None:
    """A backward map reads no hints: a guideline edit leaves its entry good."""
    history.migration_map(repo, TAXONOMY, "2.0.0", "1.0.0")
    guideline = repo / "guidelines" / "g.yaml"
    guideline.write_text(guideline.read_text(encoding="utf-8") + "\n# edited\n", "utf-8")
    work.clear()
    history.migration_map(repo, TAXONOMY, "2.0.0", "1.0.0")
    assert work == []


def test_a_release_added_in_between_makes_another_walk(
    repo: Path, cache: Path, work: list[str]
) -> None:
    """1.0.0 -> 2.0.0 walked through 1.1.0; without it, it is another map."""
    through = history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0")
    releases = repo / "taxonomies" / TAXONOMY / "releases"
    (releases / "1.1.0.yaml").rename(repo / "1.1.0.yaml")
    work.clear()
    direct = history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0")
    assert "build" in work
    (repo / "1.1.0.yaml").rename(releases / "1.1.0.yaml")
    work.clear()
    assert history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0") == through
    assert work == []  # each walk has its entry
    assert len(_entries(cache)) == 2
    assert [e.via for e in direct] != [e.via for e in through]


def test_a_map_to_the_working_file_is_never_cached(
    repo: Path, cache: Path, work: list[str]
) -> None:
    """The working file changes: a map to a version only it holds is built
    every time, and edits to it are seen."""
    working = repo / "taxonomies" / TAXONOMY / "taxonomy.yaml"
    working.write_text(
        working.read_text(encoding="utf-8").replace("version: 2.0.0", "version: 2.1.0"), "utf-8"
    )
    first = history.migration_map(repo, TAXONOMY, "1.0.0", "2.1.0")
    assert first.to_version == "2.1.0"
    assert _entries(cache) == []
    work.clear()
    history.migration_map(repo, TAXONOMY, "1.0.0", "2.1.0")
    assert "build" in work


def test_no_cache_when_turned_off(
    repo: Path, cache: Path, work: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAXOPS_NO_CACHE", "1")
    history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0")
    work.clear()
    history.migration_map(repo, TAXONOMY, "1.0.0", "2.0.0")
    assert "build" in work
    assert not cache.exists()


def test_every_field_of_an_entry_is_kept() -> None:
    """The entry's plain form has a reader and a writer for every field, and
    reads back what it wrote, every field set."""
    assert set(map_cache._CODECS) == {f.name for f in dataclasses.fields(Entry)}
    full = Entry(
        label="a",
        action=Action.NARROWED,
        mode=Mode.REVIEW,
        targets=("a", "b"),
        hints=("light or heavy?",),
        deprecated=True,
        renamed=("A", "Ay"),
        moved=(None, "top"),
        note="why",
        via=(Step("1", "2", "a", Action.NARROWED, ("a", "b")),),
        narrowed_to=("b",),
        suggestions=(SuggestedLabel("b", 0.5, 0.25, None, 1),),
    )
    kept = Entry("k", Action.KEEP, Mode.KEEP, ("k",))
    some = Entry("m", Action.MERGE, Mode.DIRECT, ("a",), deprecated=True)
    migration = MigrationMap(
        "t", "1", "2", "multi-label", (full, kept, some), ("a", "b"), ("b",), "sensitive"
    )
    plain = json.loads(json.dumps(map_cache.map_to_plain(migration)))
    back = map_cache.map_from_plain(plain)
    assert back == migration
    assert (back.valid_labels, back.deprecated_labels, back.id_case) == (
        ("a", "b"),
        ("b",),
        "sensitive",
    )
    assert plain["entries"][1] == "k"  # a kept label is its id alone


@pytest.mark.parametrize(
    ("renamed", "moved"), [(None, None), (("Old", "New"), None), (None, ("a", None))]
)
def test_a_kept_entry_built_at_once_is_the_dataclass_value(
    renamed: tuple[str, str] | None, moved: tuple[str | None, str | None] | None
) -> None:
    """:meth:`Entry.kept` fills the fields without the dataclass's
    ``__init__``: every field, equality, hash, ``replace`` and pickling are
    those of the entry built the usual way."""
    usual = Entry("k", Action.KEEP, Mode.KEEP, ("k",), renamed=renamed, moved=moved)
    fast = Entry.kept("k", renamed, moved)
    assert fast == usual and hash(fast) == hash(usual) and repr(fast) == repr(usual)
    assert dataclasses.asdict(fast) == dataclasses.asdict(usual)
    assert vars(fast) == vars(usual)  # every field in the instance, none from the class
    assert dataclasses.replace(fast, note="n") == dataclasses.replace(usual, note="n")
    assert pickle.loads(pickle.dumps(fast)) == usual
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.label = "x"  # type: ignore[misc]


@pytest.mark.parametrize("policies", [False, True], ids=["no policies", "the starter's policies"])
def test_a_cached_migrate_loads_no_model_parser_or_map_builder(
    tmp_path: Path, policies: bool
) -> None:
    """``taxops migrate`` between two releases whose map is cached: its process
    imports no Pydantic, no YAML parser, no taxonomy model and nothing that
    builds a map; its output is the first run's. With the policies ``taxops
    init`` writes (a vendor, the waivers), which migrate reads only to find a
    privacy policy or the datasets registry, it loads the YAML parser to read
    what each file is, and still no model."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "taxonomies" / TAXONOMY, repo / "taxonomies" / TAXONOMY)
    if policies:
        for path, text in scaffold.template_files(scaffold.Answers()).items():
            if path.startswith("policies/"):
                (repo / path).parent.mkdir(parents=True, exist_ok=True)
                (repo / path).write_text(text, "utf-8")
        assert len(list((repo / "policies").rglob("*.yaml"))) >= 2
    data = tmp_path / "tickets.csv"
    data.write_text("id,intent\n1,billing.refund\n2,billing\n3,nothing-known\n", "utf-8")
    env = {**os.environ, "TAXOPS_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("TAXOPS_NO_CACHE", None)

    def run(out: str) -> tuple[set[str], str]:
        modules = taxops_modules(
            "migrate", str(data), "--taxonomy", TAXONOMY, "--from", "1.0.0", "--to", "2.0.0",
            "--label-column", "intent", "-o", str(tmp_path / out), "--no-progress",
            "--repo", str(repo), env=env,
        )  # fmt: skip
        return modules, (tmp_path / out).read_text("utf-8")

    first_modules, first = run("first.csv")
    assert "taxops.migration.build" in first_modules  # the first run builds it
    modules, second = run("second.csv")
    assert second == first
    unwanted = (
        "pydantic",
        "pydantic_core",
        "yaml",
        "ruamel",
        "yaml_rs",
        "taxops.models.common",  # every Pydantic model (the plain dataset_formats is fine)
        "taxops.models.taxonomy",
        "taxops.loading",
        "taxops.changes",
        "taxops.file_check",
        "taxops.release_cache",
        "taxops.migration.build",
        "taxops.migration.backward",
    )
    if policies:  # what each policy file is: read with the parser, never validated
        unwanted = tuple(u for u in unwanted if u not in ("yaml", "yaml_rs", "taxops.loading"))
        assert "yaml_rs" in modules
    assert not [m for m in modules if any(m == u or m.startswith(u + ".") for u in unwanted)]


def _plain_map(entry: object) -> dict[str, object]:
    return {
        "taxonomy": "t",
        "from": "1",
        "to": "2",
        "kind": "single-label",
        "id_case": "sensitive",
        "valid_labels": ["a"],
        "deprecated_labels": [],
        "entries": [entry],
    }


MALFORMED = {
    "label not text": [1, "keep", "keep", ["a"]],
    "unknown mode": ["a", "keep", "maybe", ["a"]],
    "target not text": ["a", "merge", "direct", [None]],
    "too many fields": ["a", "keep", "keep", ["a"], [], False, None, None, None, [], [], [], 1],
    "too few fields": ["a", "keep", "keep"],
    "deprecated not a flag": ["a", "merge", "direct", ["b"], [], "yes"],
    "renamed with no name": ["a", "keep", "keep", ["a"], [], False, [None, "B"]],
    "moved not a pair": ["a", "keep", "keep", ["a"], [], False, None, ["x"]],
    "step of four": ["a", "merge", "direct", ["b"], [], False, None, None, None, [[1, 2, 3, 4]]],
    "step with unknown action": [
        "a", "merge", "direct", ["b"], [], False, None, None, None,
        [["1", "2", "a", "explode", ["b"]]],
    ],
    "score as text": [
        "a", "unmapped", "review", [], [], False, None, None, None, [], [],
        [["b", "high", 0.5, None, 0.5]],
    ],
}  # fmt: skip


@pytest.mark.parametrize("entry", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_entry_is_refused(entry: object) -> None:
    """Every field is checked on the way in: what is not exactly what taxops
    writes raises (a miss for the cache), never becomes a map."""
    with pytest.raises((TypeError, ValueError, KeyError)):
        map_cache.map_from_plain(_plain_map(entry))


def test_a_well_formed_entry_is_read() -> None:
    """The refusals above are for their fault alone: the same shape, well formed, reads."""
    entry = ["a", "unmapped", "review", [], [], False, None, ["x", None], None, [], [],
             [["b", 1, 0.5, None, 0.5]]]  # fmt: skip
    read = map_cache.map_from_plain(_plain_map(entry))
    assert read["a"].moved == ("x", None)
    assert read["a"].suggestions == (SuggestedLabel("b", 1.0, 0.5, None, 0.5),)
