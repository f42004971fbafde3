"""Two releases seen before are compared from their cache entries: labels whose
digests match are skipped without being built, the others are built one by
one. The findings, the change set and the command's output must be exactly
those of comparing the two files read in full, on every pair of the rules'
cases and on generated pairs (renames, moves, merges, splits, attribute
edits, deprecations, removals, reordering, ``code`` ids); and the comparison
must not build the labels nobody changed."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from pathlib import Path

import pytest
import yaml
from cache_damage import COMMON, damage, parts, reseal
from compared import plain, releases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from taxops.cli.main import main
from taxops.compatibility.compare import Comparison, Version, compare
from taxops.file_check import check_file
from taxops.loading import yaml_source
from taxops.loading.bytes_document import BytesDocument
from taxops.models.label_digests import digest
from taxops.models.lazy_labels import Damaged, LazyLabels
from taxops.models.taxonomy import Taxonomy
from taxops.packed import pack, unpack

REPO = Path(__file__).resolve().parents[2]
CASES = sorted(p.parent for p in (REPO / "tests" / "cases").rglob("old.yaml"))


def _version(path: Path, root: Path, *, lazy: bool) -> Version | None:
    checked = check_file(path, root, lazy_release=lazy)
    if not isinstance(checked.model, Taxonomy) or checked.doc is None:
        return None
    return Version(checked.model, checked.doc, checked.display)


def _same_as_full(root: Path, old_path: Path, new_path: Path) -> tuple[Comparison, Comparison]:
    """Warm each release on its own (never the pair), then compare lazily and
    in full; both must say the same, every finding at the same file, line and
    column."""
    full_old, full_new = _version(old_path, root, lazy=False), _version(new_path, root, lazy=False)
    if full_old is None or full_new is None:
        pytest.skip("an invalid release is not cached")
    lazy_old, lazy_new = _version(old_path, root, lazy=True), _version(new_path, root, lazy=True)
    assert lazy_old is not None and lazy_new is not None
    assert isinstance(lazy_old.taxonomy.labels, LazyLabels)
    assert isinstance(lazy_new.taxonomy.labels, LazyLabels)
    if yaml_source.PARTIAL_LOCATE_BYTES == 1:
        assert isinstance(lazy_old.doc, BytesDocument) and lazy_old.doc._from_bytes
    full, lazy = compare(full_old, full_new), compare(lazy_old, lazy_new)
    assert plain(lazy) == plain(full)
    places = [(str(d.location), str(d.previous)) for d in lazy.diagnostics]
    assert places == [(str(d.location), str(d.previous)) for d in full.diagnostics]
    return full, lazy


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(REPO / "tests" / "cases")))
def test_every_rule_case_compares_the_same_from_the_cache(
    case: Path, tmp_path: Path, fresh_cache: Path, located_as: str
) -> None:
    old, new = releases(
        tmp_path / "repo",
        (case / "old.yaml").read_text(encoding="utf-8"),
        (case / "new.yaml").read_text(encoding="utf-8"),
    )
    _same_as_full(tmp_path / "repo", old, new)


# --- generated pairs ------------------------------------------------------------

N = 40


def _base(code_ids: bool) -> dict[str, object]:
    labels: list[dict[str, object]] = []
    for i in range(N):
        label: dict[str, object] = {
            "id": f"{100 + i}" if code_ids else f"l{i}",
            "name": f"Label {i}",
            "definition": f"What label {i} means.",
        }
        if i >= 5:
            label["parent"] = labels[(i - 5) // 5]["id"]
        if i % 7 == 0:
            label["attributes"] = [{"name": "size", "type": "enum", "options": ["s", "m"]}]
        if i % 9 == 0:
            label["aliases"] = [f"alias {i}"]
        labels.append(label)
    return {
        "taxops": "taxonomy/1",
        "id": "t",
        "title": "Generated",
        "version": "1.0.0",
        "kind": "hierarchical",
        "owners": ["ops@example.com"],
        **({"ids": "code"} if code_ids else {}),
        "labels": labels,
    }


EDITS = (
    "rename",
    "move",
    "merge",
    "split",
    "id-change",
    "retire",
    "deprecate",
    "attribute",
    "option",
    "remove",
    "add",
    "definition",
    "alias",
    "swap",
)


def _edit(data: dict[str, object], how: str, k: int, fresh: int) -> None:
    labels: list[dict[str, object]] = data["labels"]  # type: ignore[assignment]
    k %= len(labels)
    label = labels[k]
    other = labels[(k + 11) % len(labels)]
    third = labels[(k + 23) % len(labels)]
    if label.get("status") and how not in ("add", "swap"):
        return
    if how == "rename":
        label["name"] = f"{label['name']} (renamed)"
    elif how == "move" and label.get("parent") is not None and other["id"] != label["id"]:
        label["parent"] = other.get("parent") or labels[0]["id"]
    elif how in ("merge", "split", "retire", "deprecate", "id-change"):
        if any(lb.get("parent") == label["id"] for lb in labels):
            return  # a parent is not retired under its children
        if how == "id-change":
            new_id = f"{900 + fresh}" if data.get("ids") == "code" else f"new{fresh}"
            labels.append({"id": new_id, "name": f"New {fresh}", "parent": label.get("parent")})
            targets = [new_id]
        else:
            targets = [t["id"] for t in (other, third) if t["id"] != label["id"]]
            if how != "split":
                targets = targets[:1]
        label["status"] = "deprecated" if how == "deprecate" else "retired"
        if how == "retire":
            label["replacement"] = "parent" if label.get("parent") else "review"
        else:
            label["replaced_by"] = targets
    elif how == "attribute":
        label["attributes"] = [{"name": "occluded", "type": "bool", "required": k % 2 == 0}]
    elif how == "option" and label.get("attributes"):
        label["attributes"] = [{"name": "size", "type": "enum", "options": ["s", "m", "l"]}]
    elif how == "remove":
        if not any(lb.get("parent") == label["id"] for lb in labels):
            labels.remove(label)
    elif how == "add":
        new_id = f"{800 + fresh}" if data.get("ids") == "code" else f"added{fresh}"
        labels.append({"id": new_id, "name": f"Label {k}", "parent": label["id"]})
    elif how == "definition":
        label["definition"] = f"  {label.get('definition') or ''}\n now reworded {k}."
    elif how == "alias":
        label["aliases"] = [*label.get("aliases", []), f"also {k}"]  # type: ignore[misc]
    elif how == "swap":
        j = (k + 1) % len(labels)
        labels[k], labels[j] = labels[j], labels[k]


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    code_ids=st.booleans(),
    edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 10_000)), max_size=8),
)
def test_generated_pairs_compare_the_same_from_the_cache(
    code_ids: bool,
    edits: list[tuple[str, int]],
    tmp_path: Path,
    fresh_cache: Path,
    located_as: str,
) -> None:
    old = _base(code_ids)
    new = json.loads(json.dumps(old))
    new["version"] = "2.0.0"
    for fresh, (how, k) in enumerate(edits):
        _edit(new, how, k, fresh)
    root = tmp_path / "repo"
    old_path, new_path = releases(root, yaml.safe_dump(old), yaml.safe_dump(new))
    _same_as_full(root, old_path, new_path)


def test_unchanged_labels_are_never_built(
    tmp_path: Path, fresh_cache: Path, located_as: str
) -> None:
    """Of 400 labels, one renamed, one moved, one removed and one added: the
    comparison (rules, findings and their places included) builds a handful.
    Located as a large release is, neither release's text is decoded: every
    place is read from the bytes of the labels it is on."""
    data = _base(False)
    labels: list[dict[str, object]] = data["labels"]  # type: ignore[assignment]
    labels += [{"id": f"x{i}", "name": f"X {i}", "parent": f"l{i % 8}"} for i in range(360)]
    labels.insert(100, {"id": "solo", "name": "Solo"})  # a top-level label, removed
    new = json.loads(json.dumps(data))
    new["version"] = "2.0.0"
    by_id = {lb["id"]: lb for lb in new["labels"]}
    by_id["x150"]["name"] = "X renamed"
    by_id["x200"]["parent"] = "l3"
    new["labels"] = [lb for lb in new["labels"] if lb["id"] not in ("x250", "solo")]
    new["labels"].append({"id": "fresh", "name": "Fresh", "parent": "l2"})
    root = tmp_path / "repo"
    old_path, new_path = releases(root, yaml.safe_dump(data), yaml.safe_dump(new))
    _, lazy = _same_as_full(root, old_path, new_path)
    kinds = sorted(c.kind.value for c in lazy.changes)
    assert kinds == [
        "label-added",
        "label-removed",
        "label-removed",
        "name-changed",
        "parent-changed",
    ]
    assert lazy.old.taxonomy.labels.built() <= 8  # type: ignore[attr-defined]
    assert lazy.new.taxonomy.labels.built() <= 8  # type: ignore[attr-defined]
    if located_as == "large":
        for doc in (lazy.old.doc, lazy.new.doc):
            assert isinstance(doc, BytesDocument) and doc._from_bytes and doc._decoded is None


def test_releases_saved_with_crlf_compare_as_saved_with_line_feeds(
    tmp_path: Path, fresh_cache: Path, located_as: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Releases checked out on Windows end their lines in CR LF: read from
    the cache, they compare exactly as the same releases with line feeds read
    in full, every finding at the same line and column, and a large one is
    still placed from its items, never composed whole (its entry's offsets
    are those of its text, so it reads its text)."""
    old = _base(False)
    new = json.loads(json.dumps(old))
    new["version"] = "2.0.0"
    for how, k in (("rename", 3), ("move", 11), ("remove", 17), ("add", 0)):
        _edit(new, how, k, 1)
    texts = yaml.safe_dump(old), yaml.safe_dump(new)
    lf_old, lf_new = releases(tmp_path / "lf", *texts)
    crlf_old, crlf_new = releases(tmp_path / "crlf", *texts)
    for path in (crlf_old, crlf_new):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    full_old = _version(lf_old, tmp_path / "lf", lazy=False)
    full_new = _version(lf_new, tmp_path / "lf", lazy=False)
    for path in (crlf_old, crlf_new):  # each seen once, which fills the cache
        assert _version(path, tmp_path / "crlf", lazy=False) is not None
    composed: list[int] = []
    original = yaml_source._compose
    monkeypatch.setattr(yaml_source, "_compose", lambda text: composed.append(1) or original(text))
    lazy_old = _version(crlf_old, tmp_path / "crlf", lazy=True)
    lazy_new = _version(crlf_new, tmp_path / "crlf", lazy=True)
    assert full_old is not None and full_new is not None
    assert lazy_old is not None and lazy_new is not None
    assert isinstance(lazy_new.taxonomy.labels, LazyLabels)
    full, lazy = compare(full_old, full_new), compare(lazy_old, lazy_new)
    assert plain(lazy) == plain(full)
    places = [(str(d.location), str(d.previous)) for d in lazy.diagnostics]
    assert places == [(str(d.location), str(d.previous)) for d in full.diagnostics]
    assert len(places) >= 3
    if located_as == "large":
        assert composed == []


def _diff_output(root: Path, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["diff", "t@1.0.0", "t@2.0.0", "--repo", str(root), "--format", "json", *extra])
    return code, out.getvalue()


def test_the_command_prints_the_same_from_the_cache(
    tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = REPO / "tests" / "cases" / "labels-merged" / "into-existing"
    root = tmp_path / "repo"
    releases(
        root,
        (case / "old.yaml").read_text(encoding="utf-8"),
        (case / "new.yaml").read_text(encoding="utf-8"),
    )
    monkeypatch.setenv("TAXOPS_NO_CACHE", "1")
    cold = _diff_output(root)
    monkeypatch.delenv("TAXOPS_NO_CACHE")
    for name in ("1.0.0", "2.0.0"):  # each release seen once, on its own
        release = root / "taxonomies" / "t" / "releases" / f"{name}.yaml"
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["validate", "--repo", str(root), str(release)]) in (0, 1)
    assert len(list((fresh_cache / "releases").glob("*.json"))) == 2
    assert _diff_output(root) == cold


# --- damage found while comparing ------------------------------------------------


def _one_renamed(tmp_path: Path, label: int) -> tuple[Path, Path, Path]:
    """A repository whose release 2.0.0 renames one label of 1.0.0 (its
    version inside: 1.0.1), and the two releases."""
    data = _base(False)
    new = json.loads(json.dumps(data))
    new["version"] = "1.0.1"
    new["labels"][label]["name"] = "Renamed"
    root = tmp_path / "repo"
    return root, *releases(root, yaml.safe_dump(data), yaml.safe_dump(new))


def _entry(cache: Path, release: Path) -> Path:
    key = hashlib.sha256(release.read_bytes()).hexdigest()[:40]
    [entry] = (cache / "releases").glob(f"{key}.*.json")
    return entry


def _lazy_damage(entry: Path, how: str, label: int) -> None:
    """Damage the entry where only a comparison that builds ``label`` sees it
    (or, for the common kinds, where reading the entry does)."""
    if how in COMMON:
        damage(entry, how)
        return
    _, body, tail = parts(entry)
    meta, head, skeleton_line = body.split(b"\n", 2)
    skeleton = json.loads(skeleton_line)
    bounds = unpack(skeleton["bounds"])
    start, end = bounds[label], bounds[label + 1] - 1
    raw = tail[start:end]
    if how == "flipped label byte":
        i = start + len(raw) // 2
        reseal(entry, body, tail[:i] + bytes([tail[i] ^ 0x01]) + tail[i + 1 :])
    elif how == "forged label with its digest":
        forged = raw.replace(b'"name":', b'"nane":', 1)
        at = label * (len(digest(forged)) + 1)
        digests = skeleton["digests"]
        skeleton["digests"] = digests[:at] + digest(forged) + digests[at + len(digest(forged)) :]
        body = meta + b"\n" + head + b"\n" + json.dumps(skeleton).encode()
        reseal(entry, body, tail[:start] + forged + tail[end:])
    elif how == "skeleton disagrees":
        parents = unpack(skeleton["columns"]["parents"])
        parents[label] = 0 if parents[label] else 1  # another label's id as its parent
        skeleton["columns"]["parents"] = pack(parents)
        reseal(entry, meta + b"\n" + head + b"\n" + json.dumps(skeleton).encode(), tail)
    elif how == "malformed skeleton":
        columns = skeleton["columns"]
        columns["ids"] = columns["ids"].rpartition(columns["separator"])[0]  # one id fewer
        reseal(entry, meta + b"\n" + head + b"\n" + json.dumps(skeleton).encode(), tail)
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        *COMMON,
        "flipped label byte",
        "forged label with its digest",
        "skeleton disagrees",
        "malformed skeleton",
    ],
)
@pytest.mark.parametrize("side", ["old", "new"])
def test_a_damaged_entry_gives_the_same_diff(
    how: str, side: str, tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Damage in either release's entry, found when the entry is read or only
    when the comparison builds the changed label: never an error, the same
    output as reading both files."""
    root, old_path, new_path = _one_renamed(tmp_path, 20)
    monkeypatch.setenv("TAXOPS_NO_CACHE", "1")
    cold = _diff_output(root)
    monkeypatch.delenv("TAXOPS_NO_CACHE")
    for path in (old_path, new_path):
        check_file(path, root)
    _lazy_damage(_entry(fresh_cache, old_path if side == "old" else new_path), how, 20)
    assert _diff_output(root) == cold
    assert _diff_output(root) == cold  # and again, after whatever was rebuilt


# --- damage to where the labels are in the release's bytes -----------------------


def _forge_offsets(entry: Path, how: str) -> None:
    """Reseal the entry with the labels' byte offsets changed (a forgery the
    checksum cannot catch): the labels the comparison places are checked
    against the release's bytes before any place is read from them."""
    _, body, tail = parts(entry)
    meta_line, rest = body.split(b"\n", 1)
    meta = json.loads(meta_line)
    field = "utf8" if "labels" in meta["utf8"] else "index"
    packed = meta["utf8"]["labels"] if field == "utf8" else meta["index"]["labels"][0]
    at = unpack(packed)
    if how == "one byte on":
        at[20] += 1
    elif how == "two labels swapped":
        at[20], at[21] = at[21], at[20]
    elif how == "the next label cut short":
        at[21] -= 5
    elif how == "text offsets for bytes":  # the offsets of the decoded text
        del meta["utf8"]["labels"]
    else:
        raise AssertionError(how)
    if how != "text offsets for bytes":
        forged = pack(at)
        if field == "utf8":
            meta["utf8"]["labels"] = forged
        else:
            meta["index"]["labels"][0] = forged
    reseal(entry, json.dumps(meta).encode() + b"\n" + rest, tail)


@pytest.mark.parametrize(
    "how",
    ["one byte on", "two labels swapped", "the next label cut short", "text offsets for bytes"],
)
@pytest.mark.parametrize("side", ["old", "new"])
def test_forged_label_offsets_are_never_used(
    how: str, side: str, tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Labels placed from a cached release's bytes (as a large release's are),
    with names that are not ASCII before the changed labels: offsets that do
    not point at their label are found out, and the output is the same as
    reading both files."""
    monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)
    data = _base(False)
    for k in range(0, N, 3):
        data["labels"][k]["name"] = f"Étiquette {k} — 東京"  # type: ignore[index]
    new = json.loads(json.dumps(data))
    new["version"] = "1.0.1"
    new["labels"][20]["name"] = "Renamed"
    new["labels"][21]["definition"] = "Reworded."
    root = tmp_path / "repo"
    old_text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    old_path, new_path = releases(root, old_text, yaml.safe_dump(new, allow_unicode=True))
    monkeypatch.setenv("TAXOPS_NO_CACHE", "1")
    cold = _diff_output(root)
    monkeypatch.delenv("TAXOPS_NO_CACHE")
    for path in (old_path, new_path):
        check_file(path, root)
    release = old_path if side == "old" else new_path
    _forge_offsets(_entry(fresh_cache, release), how)
    lazy = _version(release, root, lazy=True)
    assert lazy is not None and isinstance(lazy.doc, BytesDocument)
    lazy.doc.locate_all([(("labels", 20, "name"), "key"), (("labels", 21), "value")])
    assert not lazy.doc._from_bytes  # found out: the entry's offsets are dropped
    assert _diff_output(root) == cold


def test_an_entry_cut_short_while_read_is_found_out(tmp_path: Path, fresh_cache: Path) -> None:
    """A release's labels are read from its entry's file as the comparison
    needs them; the file cut short meanwhile (by another program: taxops
    replaces entries whole) reads short, which the labels' digests find:
    never a wrong comparison."""
    root, old_path, new_path = _one_renamed(tmp_path, 30)
    for path in (old_path, new_path):
        check_file(path, root)
    old, new_version = _version(old_path, root, lazy=True), _version(new_path, root, lazy=True)
    assert old is not None and new_version is not None
    entry = _entry(fresh_cache, new_path)
    entry.write_bytes(entry.read_bytes()[: -new_path.stat().st_size // 2])
    with pytest.raises(Damaged):
        compare(old, new_version)
