"""Imports: what a team already has becomes a taxonomy that validates, with a
report of what could not be carried over; an export imported back keeps ids,
names, hierarchy, aliases and status (as far as the format holds them)."""

from __future__ import annotations

from typing import Any

import pytest
from sources import SOURCES
from taxops.diagnostics import TaxopsError
from taxops.interchange.csv_labels import import_csv
from taxops.interchange.cvat import export_cvat, import_cvat
from taxops.interchange.imported import Imported, validate_imported
from taxops.interchange.labelstudio_config import export_label_studio, import_label_studio
from taxops.interchange.skos import export_skos
from taxops.interchange.skos_import import import_skos
from taxops.interchange.source import ExportSource

NAMES = sorted(SOURCES)


def shape(imported: Imported) -> list[dict[str, Any]]:
    return [
        {
            "id": label.id,
            "name": label.name,
            "parent": label.parent,
            "aliases": sorted(label.aliases),
            "status": label.status,
            "replaced_by": sorted(label.replaced_by),
        }
        for label in imported.labels
    ]


def expected(source: ExportSource, only_active: bool) -> list[dict[str, Any]]:
    labels = source.active() if only_active else list(source.taxonomy.labels)
    return [
        {
            "id": label.id,
            "name": label.name,
            "parent": label.parent,
            "aliases": sorted(label.aliases),
            "status": label.status.value,
            "replaced_by": sorted(label.replaced_by),
        }
        for label in labels
    ]


def assert_valid(imported: Imported) -> None:
    findings = [
        d
        for d in validate_imported(imported.to_yaml(), "imported.yaml")
        if d.severity.value == "error"
    ]
    assert not findings, [f"{d.rule}: {d.message}" for d in findings]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("serialisation", ["turtle", "json-ld"])
def test_skos_round_trip_keeps_everything(name: str, serialisation: str) -> None:
    source = SOURCES[name]
    back = import_skos(export_skos(source, serialisation), f"x.{serialisation}")
    assert shape(back) == expected(source, only_active=False)
    assert (back.id, back.version, back.kind) == (
        source.id,
        source.version,
        source.taxonomy.kind.value,
    )
    assert [label.attributes for label in back.labels] == [
        [a.model_dump(mode="json", exclude_defaults=True) for a in label.attributes]
        for label in source.taxonomy.labels
    ]
    assert_valid(back)
    assert back.notes == []


@pytest.mark.parametrize("name", NAMES)
def test_label_studio_round_trip_keeps_what_labelers_are_offered(name: str) -> None:
    source = SOURCES[name]
    back = import_label_studio(export_label_studio(source), "config.xml")
    if source.hierarchical:
        assert shape(back) == expected(source, only_active=True)
        assert back.leaf_only == source.taxonomy.leaf_only
    else:
        assert [s["id"] for s in shape(back)] == [label.id for label in source.assignable()]
        assert all(s in expected(source, True) for s in shape(back))
    assert (back.id, back.version, back.kind) == (
        source.id,
        source.version,
        source.taxonomy.kind.value,
    )
    assert_valid(back)
    assert back.notes == [] or all("hotkey" in n for n in back.notes)


@pytest.mark.parametrize("name", NAMES)
def test_cvat_round_trip_keeps_ids_and_attributes(name: str) -> None:
    source = SOURCES[name]
    back = import_cvat(export_cvat(source), "labels.json")
    assert [label.id for label in back.labels] == [label.id for label in source.assignable()]
    assert (back.id, back.version) == (source.id, source.version)
    by_id = source.taxonomy.by_id()
    for label in back.labels:
        assert [a["name"] for a in label.attributes] == [a.name for a in by_id[label.id].attributes]
    assert_valid(back)


def test_a_hand_written_label_studio_config_imports_with_a_report() -> None:
    config = """
    <View>
      <Image name="image" value="$image"/>
      <RectangleLabels name="box" toName="image">
        <Label value="Car" background="#ff0000" hotkey="c"/>
        <Label value="Traffic light" alias="tl"/>
        <Label value="Car"/>
      </RectangleLabels>
      <Choices name="quality" toName="image"><Choice value="Blurry"/></Choices>
    </View>"""
    imported = import_label_studio(config, "config.xml")
    assert [(label.id, label.name) for label in imported.labels] == [
        ("Car", "Car"),
        ("tl", "Traffic light"),
        ("Car_2", "Car (2)"),
    ]
    notes = "\n".join(imported.notes)
    assert "not imported: 'quality' (Choices)" in notes
    assert "ids are kept exactly as the source wrote them" in notes  # 'Car' stays 'Car'
    assert imported.ids == "code"
    assert "appears twice" in notes
    assert "'background'" in notes and "'hotkey'" in notes
    assert_valid(imported)
    chosen = import_label_studio(config, "config.xml", control="quality")
    assert [label.id for label in chosen.labels] == ["Blurry"]
    assert (
        "export the taxonomy back with 'taxops export ID --to label-studio --control box'" in notes
    )
    spaced = import_label_studio(config.replace('alias="tl"', ""), "config.xml")
    assert spaced.labels[1].id == "traffic_light"
    assert "'Traffic light' cannot be an id as it is" in "\n".join(spaced.notes)


@pytest.mark.parametrize(
    "text",
    [
        "<View><Choices name='x' toName='t'><Choice value='a'/></Choices>",  # unclosed
        '<!DOCTYPE v [<!ENTITY e "boom">]><View>&e;</View>',  # entities refused
        "<View><Text name='t' value='$t'/></View>",  # no control
    ],
)
def test_broken_label_studio_configs_are_refused_clearly(text: str) -> None:
    with pytest.raises(TaxopsError, match=r"config\.xml"):
        import_label_studio(text, "config.xml")


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        (
            "\ufeffpath\nVehicles > Trucks > Heavy\nVehicles > Cars\nAnimals\n",
            ["vehicles", "vehicles.trucks", "vehicles.trucks.heavy", "vehicles.cars", "animals"],
        ),
        ("Vehicles/Cars\nVehicles/Bikes\n", ["vehicles", "vehicles.cars", "vehicles.bikes"]),
        (
            "\ufeffid;parent;name;aliases;status\nfruit;;Fruit;;\napple;fruit;Apple;pomme|manzana;\n"
            "quince;fruit;Quince;;retired\n",
            ["fruit", "apple", "quince"],
        ),
        ("id,name\nA-1,First\nb,Second\nc d,Third\n", ["A-1", "b", "c_d"]),
    ],
)
def test_csv_imports_paths_and_rows(text: str, ids: list[str]) -> None:
    imported = import_csv(text, "my-labels.csv")
    assert [label.id for label in imported.labels] == ids
    assert imported.id == "my-labels"
    assert_valid(imported)


def test_csv_rows_keep_aliases_and_status() -> None:
    text = "id;parent;name;aliases;status;colour\nfruit;;Fruit;;;red\napple;fruit;Apple;pomme|manzana;;\n"
    imported = import_csv(text, "f.csv")
    apple = imported.labels[1]
    assert (apple.parent, apple.aliases) == ("fruit", ["pomme", "manzana"])
    assert "columns not carried over: colour" in imported.notes


def test_an_export_keeps_the_projects_control_name() -> None:
    """A project's annotations name their control ('from_name'): a config going
    back into the project under another name would orphan them."""
    from xml.etree import ElementTree as ET

    from taxops.interchange.labelstudio_config import LabelStudioOptions

    for source in ("flat", "driving-objects"):
        config = export_label_studio(SOURCES[source], LabelStudioOptions(control="topic"))
        [control] = [el for el in ET.fromstring(config) if el.get("toName") == "text"]
        assert control.get("name") == "topic"
        assert [label.id for label in import_label_studio(config, "c.xml", "topic").labels]
    with pytest.raises(TaxopsError, match="'text' cannot name the control"):
        export_label_studio(SOURCES["flat"], LabelStudioOptions(control="text"))
