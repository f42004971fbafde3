"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure):
one test suite per file, one test case per finding; errors are failures,
warnings and infos pass with their message as output.

This is a full artefact: every finding is in it. Values go through
:func:`taxops.escaping.xml_chars` (XML 1.0 cannot hold most control characters,
and a CI page would show the rest raw); ElementTree escapes the markup."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET

from taxops.diagnostics import Diagnostic, Severity
from taxops.escaping import clip, xml_chars


def format_junit(
    diagnostics: Sequence[Diagnostic], *, files: int | None = None, paths: Sequence[str] = ()
) -> str:
    """``paths`` lists files that were checked, so clean ones appear as passing."""
    by_file: dict[str, list[Diagnostic]] = {p: [] for p in paths}
    for d in sorted(diagnostics, key=lambda d: d.sort_key):
        loc = d.location or d.previous
        by_file.setdefault(loc.path if loc else "(repository)", []).append(d)
    failures = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    root = ET.Element(
        "testsuites",
        name="taxops",
        tests=str(sum(max(len(v), 1) for v in by_file.values())),
        failures=str(failures),
        errors="0",
    )
    for path, found in by_file.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=xml_chars(path),
            tests=str(max(len(found), 1)),
            failures=str(sum(1 for d in found if d.severity is Severity.ERROR)),
            errors="0",
        )
        if not found:
            ET.SubElement(suite, "testcase", name="no findings", classname=xml_chars(path))
        for d in found:
            loc = d.location or d.previous
            where = f"{loc.line}:{loc.column}" if loc else "-"
            case = ET.SubElement(
                suite, "testcase", name=f"[{xml_chars(d.rule)}] {where}", classname=xml_chars(path)
            )
            text = xml_chars(clip(d.message)) + (
                f"\nhint: {xml_chars(clip(d.hint))}" if d.hint else ""
            )
            if d.previous and d.previous != d.location:
                text += f"\nwas: {xml_chars(d.previous)}"
            if d.related:
                text += f"\nsee: {xml_chars(d.related)}"
            if d.severity is Severity.ERROR:
                failure = ET.SubElement(
                    case, "failure", type=xml_chars(d.rule), message=xml_chars(clip(d.message))
                )
                failure.text = text
            else:
                ET.SubElement(case, "system-out").text = f"{d.severity.value}: {text}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
