"""In-file checks of the privacy policy: every class says how it is redacted and
how long it is kept, every rule names a detector that exists, every field names
a class that exists. Vendors and datasets named in it are checked against the
rest of the repository in :mod:`taxops.checks.policy_refs`."""

from __future__ import annotations

from collections.abc import Iterator

from taxops.checks.common import duplicates
from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument
from taxops.models.privacy import BuiltinDetector, Privacy


def check_privacy(policy: Privacy, doc: YamlDocument) -> list[Diagnostic]:
    found = list(
        duplicates(
            doc,
            "classes",
            [c.id for c in policy.classes],
            "id",
            "data class",
            "duplicate-data-class",
        )
    )
    found += duplicates(
        doc, "detectors", [d.id for d in policy.detectors], "id", "detector", "duplicate-detector"
    )
    found += _builtin_names(policy, doc)
    found += _every_class_decided(policy, doc)
    found += _rules_name_detectors(policy, doc)
    found += _classes_exist(policy, doc)
    return found


def _builtin_names(policy: Privacy, doc: YamlDocument) -> Iterator[Diagnostic]:
    builtin = {d.value for d in BuiltinDetector}
    for i, detector in enumerate(policy.detectors):
        if detector.id in builtin:
            yield Diagnostic(
                "detector-shadows-builtin",
                Severity.ERROR,
                f"detector '{detector.id}' has the name of a built-in detector",
                doc.locate(("detectors", i, "id")),
                "rename it; the built-in one is used by 'detect: " + detector.id + "'",
            )


def _every_class_decided(policy: Privacy, doc: YamlDocument) -> Iterator[Diagnostic]:
    for i, data_class in enumerate(policy.classes):
        if data_class.retention_days is None:
            yield Diagnostic(
                "class-without-retention",
                Severity.ERROR,
                f"data class '{data_class.id}' does not say how long its data is kept",
                doc.locate(("classes", i, "id")),
                "add 'retention_days: N' (days after a dataset's creation) or "
                "'retention_days: indefinite'",
            )
        if data_class.redaction is None:
            yield Diagnostic(
                "class-without-redaction",
                Severity.ERROR,
                f"data class '{data_class.id}' does not say what is redacted in its data",
                doc.locate(("classes", i, "id")),
                "add 'redaction:' with the rules (e.g. '- detect: email'), or "
                "'redaction: []' when nothing is",
            )


def _rules_name_detectors(policy: Privacy, doc: YamlDocument) -> Iterator[Diagnostic]:
    known = policy.detector_ids()
    for i, data_class in enumerate(policy.classes):
        for j, rule in enumerate(data_class.redaction or ()):
            if rule.detect not in known:
                yield Diagnostic(
                    "unknown-detector",
                    Severity.ERROR,
                    f"class '{data_class.id}' redacts with detector '{rule.detect}', which "
                    "is neither built in nor defined under 'detectors:'",
                    doc.locate(("classes", i, "redaction", j, "detect")),
                    f"known detectors: {', '.join(sorted(known))}",
                )


def _classes_exist(policy: Privacy, doc: YamlDocument) -> Iterator[Diagnostic]:
    known = [c.id for c in policy.classes]
    named: list[tuple[tuple[str | int, ...], str]] = [
        (("fields", i, "data_class"), f.data_class) for i, f in enumerate(policy.fields)
    ]
    if policy.example_class is not None:
        named.append((("example_class",), policy.example_class))
    for path, class_id in named:
        if class_id not in known:
            yield Diagnostic(
                "unknown-data-class",
                Severity.ERROR,
                f"data class '{class_id}' is not one of this policy's classes",
                doc.locate(path),
                f"known classes: {', '.join(known)}",
            )
