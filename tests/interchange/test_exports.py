"""Every export, read back by a real parser of its format (the format's own
validator is in test_tool_validation.py): what labelers are offered (active,
assignable labels only), what each option stores (the label id), what travels
with it (hints, aliases, attributes), and the taxonomy id and version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from sources import HOSTILE_NAME, ROOT, SOURCES, taxonomy
from taxops.diagnostics import TaxopsError
from taxops.interchange.argilla import export_argilla
from taxops.interchange.coco import export_coco
from taxops.interchange.cvat import export_cvat
from taxops.interchange.hotkeys import LABEL_STUDIO_RESERVED, assign
from taxops.interchange.labelbox import export_labelbox
from taxops.interchange.labelstudio_config import LabelStudioOptions, export_label_studio
from taxops.interchange.load import load_source
from taxops.interchange.skos import export_skos, export_skos_mapping
from taxops.interchange.source import ExportSource

NAMES = sorted(SOURCES)


def assignable_ids(source: ExportSource) -> list[str]:
    return [label.id for label in source.assignable()]


@pytest.mark.parametrize("name", NAMES)
def test_label_studio_offers_exactly_the_assignable_labels(name: str) -> None:
    source = SOURCES[name]
    root = ET.fromstring(export_label_studio(source))
    options = [el for el in root.iter() if el.tag in ("Choice", "Label")]
    offered = [el.get("alias") for el in options]
    if source.hierarchical:
        assert root.find("Taxonomy") is not None
        # The tree shows active groups too; with leaf_only only leaves can be picked.
        assert set(assignable_ids(source)) <= set(offered)
        assert set(offered) == {label.id for label in source.active()}
        leafs_only = root.find("Taxonomy").get("leafsOnly")  # type: ignore[union-attr]
        assert leafs_only == ("true" if source.taxonomy.leaf_only else "false")
    else:
        assert offered == assignable_ids(source)
        choices = root.find("Choices")
        assert choices is not None
        assert choices.get("choice") == ("multiple" if source.multi_label else "single-radio")
    by_id = source.taxonomy.by_id()
    for el in options:
        label = by_id[el.get("alias", "")]
        assert el.get("value") == label.name
        for alias in label.aliases:
            assert alias in el.get("hint", "")


def test_label_studio_nests_the_hierarchy() -> None:
    source = SOURCES["support-intents"]
    root = ET.fromstring(export_label_studio(source))
    group = next(el for el in root.iter("Choice") if el.get("alias") == "billing")
    assert "billing.charge_dispute" in [c.get("alias") for c in group]


def test_label_studio_escapes_names_and_hints_by_construction() -> None:
    text = export_label_studio(SOURCES["flat"])
    root = ET.fromstring(text)  # well-formed despite markup in names
    insult = next(el for el in root.iter("Choice") if el.get("alias") == "insult")
    assert insult.get("value") == HOSTILE_NAME
    assert insult.get("hint") == 'Says "you <b>idiot</b>" & worse.'
    assert "<script>" not in text


def test_every_export_names_the_taxonomy_and_version() -> None:
    source = SOURCES["support-intents"]
    stamp = "support-intents 2.0.0"
    comment = "taxops taxonomy=support-intents version=2.0.0"
    assert comment in export_label_studio(source)
    assert stamp in json.loads(export_cvat(source))["name"]
    assert stamp in json.loads(export_labelbox(source))["name"]
    argilla = json.loads(export_argilla(source))
    metadata = {m["name"]: m["settings"]["values"] for m in argilla["metadata"]}
    assert metadata == {"taxonomy": ["support-intents"], "taxonomy_version": ["2.0.0"]}
    info = json.loads(export_coco(source))["info"]
    assert (info["taxonomy"], info["version"]) == ("support-intents", "2.0.0")
    assert '"support-intents"' in export_skos(source) and '"2.0.0"' in export_skos(source)


def test_hotkeys_are_distinct_and_never_the_tools_own() -> None:
    source = SOURCES["support-intents"]
    ids = assignable_ids(source)
    keys = assign(ids).keys
    assert len(set(keys.values())) == len(keys)
    assert not set(keys.values()) & set(LABEL_STUDIO_RESERVED)
    flat = export_label_studio(SOURCES["flat"], LabelStudioOptions(hotkeys={"threat": "T"}))
    hotkeys = {el.get("alias"): el.get("hotkey") for el in ET.fromstring(flat).iter("Choice")}
    assert hotkeys == {"ok": "1", "insult": "2", "threat": "t"}


@pytest.mark.parametrize(
    ("pinned", "message"),
    [
        ({"ok": "q", "threat": "Q"}, "given to both 'ok' and 'threat'"),
        (
            {"ok": "ctrl+enter"},
            "clashes with the labeling tool's own shortcut (submit the annotation)",
        ),
        ({"spam": "s"}, "not an active, assignable label"),
    ],
)
def test_hotkey_clashes_are_refused(pinned: dict[str, str], message: str) -> None:
    with pytest.raises(TaxopsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        export_label_studio(SOURCES["flat"], LabelStudioOptions(hotkeys=pinned))


def test_cvat_keeps_attribute_input_types() -> None:
    labels = json.loads(export_cvat(SOURCES["driving-objects"], "rectangle"))["labels"]
    heavy = next(label for label in labels if label["name"] == "vehicle.truck_heavy")
    types = {a["name"]: a["input_type"] for a in heavy["attributes"]}
    assert types["occluded"] == "checkbox"
    assert types["motion_state"] == "select"
    motion = next(a for a in heavy["attributes"] if a["name"] == "motion_state")
    assert motion["values"] == ["moving", "stopped", "parked", "unknown"]
    assert {label["type"] for label in labels} == {"rectangle"}
    assert [label["name"] for label in labels] == assignable_ids(SOURCES["driving-objects"])


def test_labelbox_nests_radios_and_stores_ids() -> None:
    ontology = json.loads(export_labelbox(SOURCES["support-intents"]))
    [root] = ontology["classifications"]
    billing = next(o for o in root["options"] if o["value"] == "billing")
    nested = billing["options"][0]["options"]
    assert "billing.charge_dispute" in [o["value"] for o in nested]
    multi = json.loads(export_labelbox(SOURCES["multi"]))["classifications"][0]
    assert multi["type"] == "checklist"


def test_argilla_offers_assignable_labels_with_definitions() -> None:
    settings = json.loads(export_argilla(SOURCES["flat"]))
    [question] = settings["questions"]
    options = question["settings"]["options"]
    assert [o["value"] for o in options] == ["ok", "insult", "threat"]
    assert options[0]["description"] == "Nothing wrong."
    assert question["settings"]["type"] == "label_selection"
    multi = json.loads(export_argilla(SOURCES["multi"]))["questions"][0]["settings"]
    assert multi["type"] == "multi_label_selection"


def test_coco_numbers_are_stable_and_never_reused() -> None:
    v1 = taxonomy([{"id": "cat", "name": "Cat"}, {"id": "dog", "name": "Dog"}], version="1.0.0")
    v2 = taxonomy(
        [
            {"id": "cat", "name": "Cat"},
            {"id": "dog", "name": "Dog", "status": "retired", "replaced_by": ["hound"]},
            {"id": "hound", "name": "Hound"},
        ],
        version="2.0.0",
    )
    v3 = taxonomy(
        [
            {"id": "fox", "name": "Fox"},
            {"id": "cat", "name": "Cat"},
            {"id": "hound", "name": "Hound"},
        ],
        version="3.0.0",
    )
    history = (v1, v2, v3)

    def numbers(t: object) -> dict[str, int]:
        doc = json.loads(export_coco(ExportSource(t, history=history)))  # type: ignore[arg-type]
        return {c["name"]: c["id"] for c in doc["categories"]}

    assert numbers(v1) == {"cat": 1, "dog": 2}
    assert numbers(v2) == {"cat": 1, "hound": 3}
    # dog's tombstone is gone from 3.0.0, yet 2 is still never given to another label.
    assert numbers(v3) == {"fox": 4, "cat": 1, "hound": 3}


def test_skos_mapping_relations_follow_the_migration_map() -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS
    from sources import ROOT
    from taxops.history import migration_map
    from taxops.interchange.skos import concept, default_base

    migration = migration_map(ROOT, "driving-objects", "1.0.0", "2.0.0")
    graph = Graph().parse(data=export_skos_mapping(migration), format="turtle")
    base = default_base("driving-objects")

    def c(label: str) -> URIRef:
        return URIRef(concept(base, label))

    assert (c("vehicle.van"), SKOS.broadMatch, c("vehicle.car")) in graph
    assert (c("vehicle.truck"), SKOS.narrowMatch, c("vehicle.truck_light")) in graph
    assert (c("vehicle.truck"), SKOS.narrowMatch, c("vehicle.truck_heavy")) in graph
    jsonld = export_skos_mapping(migration, "json-ld")
    assert len(Graph().parse(data=jsonld, format="json-ld")) == len(graph)


@pytest.mark.parametrize("name", ["support-intents", "driving-objects"])
def test_an_export_indexes_the_guideline_once(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each option's hint reads its label's guidance: the guideline's index of
    guidance by label is built once, not once per label (that made an export
    of 20,000 labels take 40 s, and one of 150,000 labels over 9 minutes)."""
    from taxops.models.guideline import Guideline

    source = SOURCES[name]
    assert source.guideline is not None and source.guideline.labels
    fresh = Guideline.model_validate(source.guideline.model_dump())
    passes = []
    original = type(fresh.labels)

    class Counted(original):  # type: ignore[valid-type, misc]
        def __iter__(self):  # type: ignore[no-untyped-def]
            passes.append(1)
            return super().__iter__()

    object.__setattr__(fresh, "labels", Counted(fresh.labels))
    export_label_studio(ExportSource(source.taxonomy, fresh))
    assert len(passes) <= 1


# -- what an export reads -------------------------------------------------------------

WORKING = "the working file"
NEXT = "the working file, at 2.1.0"
BROKEN_DRAFT = "labels: [unclosed\n"

#: (the --version asked, what the folder's working file holds, the version
#: exported: None when there is no such version)
READS = [
    (None, BROKEN_DRAFT, "2.0.0"),  # the newest release, the draft unread
    ("1.1.0", BROKEN_DRAFT, "1.1.0"),
    ("2.0.0", WORKING, "2.0.0"),
    (None, NEXT, "2.0.0"),  # a draft is not exported by default
    ("2.1.0", NEXT, "2.1.0"),  # ...but when asked for
    (None, None, "2.0.0"),  # no working file at all
    ("9.9.9", WORKING, None),  # no such version: the known ones are listed
    ("9.9.9", BROKEN_DRAFT, None),  # ...and a draft that does not parse is named
]


@pytest.mark.parametrize(("asked", "working", "exported"), READS)
def test_an_export_reads_the_version_it_exports_and_its_guideline_alone(
    tmp_path: Path, asked: str | None, working: str | None, exported: str | None
) -> None:
    """Exporting a release of an 89,000-code classification validated the
    working draft and every release first (a second, and 120 MB), and a draft
    that did not parse stopped the export of a release."""
    root = tmp_path / "repo"
    folder = root / "taxonomies" / "support-intents"
    shutil.copytree(ROOT / "taxonomies" / "support-intents" / "releases", folder / "releases")
    shutil.copytree(ROOT / "guidelines", root / "guidelines")
    draft = (ROOT / "taxonomies" / "support-intents" / "taxonomy.yaml").read_text(encoding="utf-8")
    if working is NEXT:
        draft = draft.replace("\nversion: 2.0.0\n", "\nversion: 2.1.0\n", 1)
    elif working is not WORKING:
        draft = working or ""
    if working is not None:
        (folder / "taxonomy.yaml").write_text(draft, encoding="utf-8")
    if exported is None:
        with pytest.raises(TaxopsError) as caught:
            load_source(root, "support-intents", asked)
        said = f"{caught.value} {caught.value.hint}"
        assert ("taxonomy.yaml" in said) == (working is BROKEN_DRAFT)
        assert ("known versions: 1.0.0, 1.1.0, 2.0.0" in said) == (working is WORKING)
        return
    source = load_source(root, "support-intents", asked)
    assert str(source.taxonomy.version) == exported
    assert source.guideline is not None and source.guideline.taxonomy == "support-intents"
    assert source.history == ()
    if working is not BROKEN_DRAFT:  # COCO's numbers: every version, the same labels
        full = load_source(root, "support-intents", asked, history=True)
        assert [str(t.version) for t in full.history][:3] == ["1.0.0", "1.1.0", "2.0.0"]
        assert full.taxonomy.labels == source.taxonomy.labels
