"""The validation pipeline, read top to bottom: find the governed files, load each
one safely, validate it against its model, run its in-file checks, then check the
files together (references across files), and collect every diagnostic (nothing
fails fast)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel, ValidationError

from taxops.checks.cross_file import check_repository
from taxops.checks.deadlines import Deadlines
from taxops.compatibility.waivers import waive_validation
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.documents import KINDS, MARKER, DocumentKind, governed_folders, kind_for_folder
from taxops.gitrepo import file_at
from taxops.loading import DEFAULT_MAX_BYTES, YamlDocument, gc_paused, load_yaml, parse_yaml
from taxops.models.errors import diagnostics_from_validation_error
from taxops.models.streaming import NotStreamable, consumed, validate_streaming
from taxops.models.waivers import Waivers
from taxops.repository import assemble, is_release


@dataclass
class CheckedFile:
    """One governed file after validation: its model when it is valid enough to
    build, and every finding."""

    path: Path
    display: str
    kind: DocumentKind | None = None
    doc: YamlDocument | None = None
    model: BaseModel | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def find_root(start: Path) -> Path | None:
    """The governance repository containing ``start``: the nearest folder with a
    ``taxonomies/`` directory."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "taxonomies").is_dir():
            return folder
    return None


def governed_files(root: Path) -> list[Path]:
    """Every YAML file under the governed folders, in a stable order."""
    found: list[Path] = []
    for folder in governed_folders():
        base = root / folder
        if base.is_dir():
            found += [
                p
                for p in base.rglob("*")
                if p.suffix in (".yaml", ".yml")
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(root).parts)
            ]
    return sorted(found)


def expand(paths: Iterable[Path], root: Path | None) -> list[Path]:
    """Files named on the command line; folders expand to the YAML files inside."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file())
        else:
            out.append(p)
    return out


def display_path(path: Path, root: Path | None) -> str:
    """Paths are shown relative to the repository root (as CI annotations need)."""
    try:
        if root is not None:
            return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        pass
    return str(path)


def check_file(
    path: Path, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> CheckedFile:
    """Load, validate and check one file."""
    checked = CheckedFile(path, display_path(path, root))
    doc, problems = load_yaml(path, checked.display, max_bytes)
    checked.diagnostics += problems
    if doc is None:
        return checked
    checked.doc = doc
    kind, problem = _kind_of(doc, path, root)
    if problem:
        checked.diagnostics.append(problem)
    if kind is None:
        return checked
    checked.kind = kind
    checked.model, found = validate_document(doc, kind)
    if checked.model is not None and is_release(path):
        found = [as_history(d) for d in found]
    checked.diagnostics += found
    return checked


def as_history(d: Diagnostic) -> Diagnostic:
    """A finding inside a frozen release: the release is what datasets were
    labeled against and cannot change, so the finding is a warning that asks
    for the fix in the next version and blocks nothing (comparing, mapping,
    migrating and releasing after it all go on)."""
    if d.severity is not Severity.ERROR:
        return d
    return replace(
        d,
        severity=Severity.WARNING,
        message=f"{d.message} (in a frozen release: fix it in the next version)",
        data={**d.data, "frozen": True},
    )


def validate_document(
    doc: YamlDocument, kind: DocumentKind
) -> tuple[BaseModel | None, list[Diagnostic]]:
    """Model validation, then the kind's in-file checks on a valid model."""
    # Hundreds of thousands of small models: the cyclic collector would rescan
    # them again and again and find nothing to free.
    with gc_paused():
        try:
            model = validate_streaming(doc.data, kind.model)
        except (ValidationError, NotStreamable) as exc:
            if isinstance(exc, ValidationError) and not consumed(doc.data):
                return None, diagnostics_from_validation_error(exc, doc, kind.model)
            # A streamed list was invalid: validate the whole document in one call,
            # from a fresh parse if streaming consumed it, so every error is
            # reported with its place.
            if consumed(doc.data):
                fresh, _ = parse_yaml(doc.text, doc.path)
                if fresh is not None:
                    doc.data = fresh.data
            try:
                model = kind.model.model_validate(doc.data)
            except ValidationError as exc:
                return None, diagnostics_from_validation_error(exc, doc, kind.model)
        return model, kind.check(model, doc)


def check_paths(
    paths: Iterable[Path],
    root: Path | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    baseline: str = "HEAD",
    today: datetime.date | None = None,
    deadlines: Deadlines | None = None,
) -> list[CheckedFile]:
    """Check each file on its own, then the files together (the repository step).
    ``baseline`` is the git ref whose guidelines the history checks compare with:
    HEAD locally (what is about to be committed), the pull request's base in CI.
    ``today`` decides which waivers still apply; ``deadlines`` (default: today,
    the default window) which contracts, certifications and datasets are ending."""
    checked = [check_file(p, root, max_bytes) for p in paths]
    check_across_files(checked, root, max_bytes, baseline, today, deadlines)
    return checked


def check_across_files(
    checked: list[CheckedFile],
    root: Path | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    baseline: str = "HEAD",
    today: datetime.date | None = None,
    deadlines: Deadlines | None = None,
) -> None:
    """The repository step: with every governed file loaded, run the checks that
    span files (a guideline against its taxonomy, and against its version at the
    git ref ``baseline``), then apply the waivers scoped to files. Files not named
    are loaded quietly; findings go to the named files."""
    named = {c.path.resolve() for c in checked}
    others = []
    if root is not None:  # release snapshots take part in no cross-file check
        wanted = [p for p in governed_files(root) if p.resolve() not in named and not is_release(p)]
        others = [check_file(p, root, max_bytes) for p in wanted]
    repository = assemble(checked + others, root)
    at_head = (lambda path: file_at(root, baseline, path)) if root is not None else None
    by_display = {c.display: c for c in checked}
    deadlines = deadlines or Deadlines(today or datetime.date.today())
    _hand_out(by_display, check_repository(repository, at_head, deadlines))
    waivers = next((f for f in checked + others if isinstance(f.model, Waivers)), None)
    if waivers is not None and isinstance(waivers.model, Waivers) and waivers.doc is not None:
        day = deadlines.today
        _hand_out(by_display, waive_validation(checked, waivers.model, waivers.doc, day))


def _hand_out(by_display: dict[str, CheckedFile], found: list[Diagnostic]) -> None:
    """Give each finding to the checked file it is located in (others are dropped:
    a file not named is loaded only for what the named ones refer to)."""
    for diagnostic in found:
        target = by_display.get(diagnostic.location.path) if diagnostic.location else None
        if target is not None:
            target.diagnostics.append(diagnostic)


def _kind_of(
    doc: YamlDocument, path: Path, root: Path | None
) -> tuple[DocumentKind | None, Diagnostic | None]:
    """What the file is: its ``taxops:`` marker, checked against its folder."""
    expected = _folder_kind(path, root)
    marker = doc.data.get(MARKER)
    if marker is None:
        what = expected.marker_line if expected else f"'{MARKER}: taxonomy/1' (or another kind)"
        return None, Diagnostic(
            "unknown-file-kind",
            Severity.ERROR,
            f"file does not say what it is: it has no '{MARKER}:' field",
            Location(doc.path),
            f"governed files start with {what}; files that are not governed do not belong "
            f"under {', '.join(f + '/' for f in governed_folders())}",
        )
    kind = KINDS.get(str(marker))
    if kind is None:
        # 'taxonomy/2' is a known kind in a format this taxops does not read: name
        # the format it does read rather than every kind.
        name = str(marker).partition("/")[0]
        same = next((k for k in KINDS.values() if k.name == name), None)
        if same is not None:
            known = f"it reads {name} files as '{same.marker_line}'"
        else:
            known = "known: " + ", ".join(sorted(KINDS))
        return None, Diagnostic(
            "unknown-file-kind",
            Severity.ERROR,
            f"'{MARKER}: {marker}' is not a kind of file taxops knows ({known})",
            doc.locate((MARKER,)),
            f"files under {expected.folder}/ start with '{expected.marker_line}'"
            if expected
            else None,
        )
    if expected is not None and expected.folder != kind.folder:  # a folder may hold several kinds
        return None, Diagnostic(
            "wrong-file-kind",
            Severity.ERROR,
            f"this file is a {kind.name}, but it is under {expected.folder}/ where "
            f"{expected.name} files live",
            doc.locate((MARKER,)),
            f"move it to {kind.folder}/, or fix the '{MARKER}:' line",
        )
    return kind, None


def _folder_kind(path: Path, root: Path | None) -> DocumentKind | None:
    if root is None:
        return None
    try:
        first = path.resolve().relative_to(root.resolve()).parts[0]
    except (ValueError, IndexError):
        return None
    return kind_for_folder(first)
