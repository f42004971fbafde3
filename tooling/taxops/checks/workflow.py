"""In-file checks of workflows: stage ids are unique, every route goes to a
stage of the workflow (or ``done``), and every stage can be reached."""

from __future__ import annotations

from taxops.checks.common import duplicates
from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument
from taxops.models.workflow import DONE, Workflow


def check_workflow(workflow: Workflow, doc: YamlDocument) -> list[Diagnostic]:
    ids = [s.id for s in workflow.stages]
    found = list(duplicates(doc, "stages", ids, "id", "stage", "duplicate-stage"))
    reached = {ids[0]}
    for i, stage in enumerate(workflow.stages):
        for j, route in enumerate(stage.routes):
            reached.add(route.to)
            if route.to != DONE and route.to not in ids:
                found.append(
                    Diagnostic(
                        "unknown-stage",
                        Severity.ERROR,
                        f"stage '{stage.id}' routes '{route.when.value}' items to "
                        f"'{route.to}', which is not a stage of this workflow",
                        doc.locate(("stages", i, "routes", j, "to")),
                        f"use one of: {', '.join([*dict.fromkeys(ids), DONE])}",
                    )
                )
            elif route.to == stage.id:
                found.append(
                    Diagnostic(
                        "stage-routes-to-itself",
                        Severity.ERROR,
                        f"stage '{stage.id}' routes '{route.when.value}' items back to itself",
                        doc.locate(("stages", i, "routes", j, "to")),
                        "route them to a review or adjudication stage",
                    )
                )
    for i, stage in enumerate(workflow.stages):
        if stage.id not in reached:
            found.append(
                Diagnostic(
                    "stage-unreachable",
                    Severity.WARNING,
                    f"no route leads to stage '{stage.id}': only the first stage is entered "
                    "without one",
                    doc.locate(("stages", i, "id")),
                    "add a route to it from an earlier stage (e.g. 'when: always'), or remove it",
                )
            )
    return found
