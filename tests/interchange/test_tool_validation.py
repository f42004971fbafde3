"""Every export accepted by the tool that reads it: a real Label Studio server
(it validates labeling configs server-side), label-studio-sdk's LabelInterface,
and the models of the CVAT, Labelbox and Argilla SDKs, loaded offline in a venv
of their own (see conftest.py)."""

from __future__ import annotations

import json

from conftest import LABEL_STUDIO_VENV, SDK_VENV, LabelStudio, run_in, venv_python
from sources import SOURCES
from taxops.interchange.argilla import export_argilla
from taxops.interchange.cvat import export_cvat
from taxops.interchange.labelbox import export_labelbox
from taxops.interchange.labelstudio_config import LabelStudioOptions, export_label_studio

VARIANTS = [
    LabelStudioOptions(),
    LabelStudioOptions(data="image"),
    LabelStudioOptions(regions=True),
    LabelStudioOptions(data="image", regions=True),
]
CONFIGS = {
    f"{name}-{o.data}{'-regions' if o.regions else ''}": (name, export_label_studio(source, o))
    for name, source in SOURCES.items()
    for o in VARIANTS
}


def test_the_label_studio_server_accepts_every_config(label_studio: LabelStudio) -> None:
    for key, (_, config) in CONFIGS.items():
        status, body = label_studio.call(
            "POST", "/api/projects", {"title": f"export {key}", "label_config": config}
        )
        assert status == 201, (key, body)
        project = body["id"]  # type: ignore[index]
        _, stored = label_studio.call("GET", f"/api/projects/{project}")
        assert stored["label_config"].strip() == config.strip()  # type: ignore[index]


def test_the_label_studio_server_is_a_real_check(label_studio: LabelStudio) -> None:
    """The server refuses a config whose control points nowhere, so the test above
    would catch an export that did."""
    _, config = CONFIGS["flat-text"]
    broken = config.replace('toName="text"', 'toName="nowhere"')
    status, body = label_studio.call(
        "POST", "/api/projects", {"title": "broken", "label_config": broken}
    )
    assert status == 400
    assert "nowhere" in json.dumps(body)


LABEL_INTERFACE = """
import json, sys
from label_studio_sdk.label_interface import LabelInterface
out = {}
for key, config in json.load(sys.stdin).items():
    li = LabelInterface(config)
    [control] = list(li.controls)
    label = control.labels[-1]
    value = {"taxonomy": [[label]]} if control.tag == "Taxonomy" else {control.tag.lower(): [label]}
    region = {"from_name": control.name, "to_name": control.to_name[0], "type": control.tag.lower(), "value": value}
    if control.tag != "Choices" and control.tag != "Taxonomy":
        region["value"].update({"start": 0, "end": 1} if control.tag == "Labels" else {"x": 1, "y": 1, "width": 5, "height": 5})
    out[key] = {"tag": control.tag, "labels": list(control.labels), "region_ok": li.validate_region(region)}
print(json.dumps(out))
"""


def test_label_studio_sdk_reads_every_config() -> None:
    python = venv_python(LABEL_STUDIO_VENV, "label-studio-sdk")
    read = run_in(python, LABEL_INTERFACE, {k: c for k, (_, c) in CONFIGS.items()})
    assert isinstance(read, dict)
    for key, (name, _) in CONFIGS.items():
        source = SOURCES[name]
        got = read[key]
        if got["tag"] == "Taxonomy":
            assert set(got["labels"]) == {label.id for label in source.active()}
        else:
            assert got["labels"] == [label.id for label in source.assignable()]
            assert got["tag"] in ("Choices", "Labels", "RectangleLabels")
        assert got["region_ok"] is not False, key


SDK_MODELS = """
import json, sys, os
os.environ.setdefault("ARGILLA_API_KEY", "offline")
data = json.load(sys.stdin)
from cvat_sdk.api_client import models as cvat
from labelbox.schema.ontology import OntologyBuilder
from argilla._models._settings._questions import QuestionModel
from argilla._models._settings._fields import FieldModel
from argilla._models._settings._metadata import MetadataFieldModel
out = {}
for key, export in data["cvat"].items():
    labels = [
        cvat.PatchedLabelRequest(
            name=l["name"], type=l["type"],
            attributes=[cvat.AttributeRequest(name=a["name"], mutable=a["mutable"],
                input_type=cvat.InputTypeEnum(a["input_type"]), default_value=a["default_value"],
                values=a["values"]) for a in l["attributes"]])
        for l in export["labels"]]
    request = cvat.ProjectWriteRequest(name=export["name"], labels=labels)
    out["cvat-" + key] = [l["name"] for l in request.to_dict()["labels"]]
for key, export in data["labelbox"].items():
    built = OntologyBuilder.from_dict(export).asdict()
    def values(options):
        return [o["value"] for o in options] + [v for o in options for c in o.get("options", []) for v in values(c.get("options", []))]
    out["labelbox-" + key] = sorted(values(built["classifications"][0]["options"])) if built["classifications"] else sorted(t["name"] for t in built["tools"])
for key, export in data["argilla"].items():
    questions = [QuestionModel.model_validate(q) for q in export["questions"]]
    [FieldModel.model_validate(f) for f in export["fields"]]
    [MetadataFieldModel.model_validate(m) for m in export["metadata"]]
    out["argilla-" + key] = [o["value"] for o in questions[0].settings.options]
print(json.dumps(out))
"""


def test_cvat_labelbox_and_argilla_models_accept_every_export() -> None:
    python = venv_python(SDK_VENV, "the CVAT, Labelbox and Argilla SDKs")
    data = {
        "cvat": {n: json.loads(export_cvat(s)) for n, s in SOURCES.items()},
        "labelbox": {
            **{n: json.loads(export_labelbox(s)) for n, s in SOURCES.items()},
            **{
                f"{n}-regions": json.loads(export_labelbox(s, regions=True))
                for n, s in SOURCES.items()
            },
        },
        "argilla": {n: json.loads(export_argilla(s)) for n, s in SOURCES.items()},
    }
    read = run_in(python, SDK_MODELS, data)
    assert isinstance(read, dict)
    for name, source in SOURCES.items():
        assignable = [label.id for label in source.assignable()]
        assert read[f"cvat-{name}"] == assignable
        assert read[f"argilla-{name}"] == assignable
        assert read[f"labelbox-{name}"] == sorted(label.id for label in source.active())
        assert read[f"labelbox-{name}-regions"] == sorted(
            label.name for label in source.assignable()
        )
