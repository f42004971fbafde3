"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure):
one test suite per file, one test case per finding; errors are failures,
warnings and infos pass with their message as output."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET

from taxops.diagnostics import Diagnostic, Severity


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
            name=path,
            tests=str(max(len(found), 1)),
            failures=str(sum(1 for d in found if d.severity is Severity.ERROR)),
            errors="0",
        )
        if not found:
            ET.SubElement(suite, "testcase", name="no findings", classname=path)
        for d in found:
            loc = d.location or d.previous
            where = f"{loc.line}:{loc.column}" if loc else "-"
            case = ET.SubElement(suite, "testcase", name=f"[{d.rule}] {where}", classname=path)
            text = d.message + (f"\nhint: {d.hint}" if d.hint else "")
            if d.previous and d.previous != d.location:
                text += f"\nwas: {d.previous}"
            if d.related:
                text += f"\nsee: {d.related}"
            if d.severity is Severity.ERROR:
                failure = ET.SubElement(case, "failure", type=d.rule, message=d.message)
                failure.text = text
            else:
                ET.SubElement(case, "system-out").text = f"{d.severity.value}: {text}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
