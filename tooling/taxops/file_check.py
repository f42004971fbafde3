"""Checking one governed file: read it (bounded), parse it, validate it
against its kind's model and run its in-file checks; a release comes from the
release cache when this taxops has read the same bytes before.

The path of a command that needs one taxonomy (``diff``, ``migrate``,
``migration-map``, ``impact``): nothing here loads the guideline or policy
models, git, or the cross-file checks (:mod:`taxops.validate` adds those, for
``validate`` and ``check``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel, ValidationError

from taxops import release_cache, source_digests
from taxops.collector import paused
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.documents import (
    KINDS,
    MARKER,
    TAXONOMY,
    DocumentKind,
    governed_folders,
    kind_for_folder,
)
from taxops.loading import (
    DEFAULT_MAX_BYTES,
    YamlDocument,
    arriving,
    decode,
    parse_yaml,
)
from taxops.loading.arriving import Arriving, Unparsed
from taxops.loading.bytes_document import Parts
from taxops.loading.item_source import ListItems, list_items
from taxops.loading.sources import Source, parse_decoded, read_text
from taxops.models import streaming
from taxops.models.compact import compact
from taxops.models.errors import diagnostics_from_errors, diagnostics_from_validation_error
from taxops.models.streaming import NotStreamable, stream_errors, validate_streaming
from taxops.repo_layout import display_path, is_release, leaves_repository


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


def check_file(
    path: Path,
    root: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    compact_models: bool = False,
    lazy_release: bool = False,
    source: Source | None = None,
    write_entry_to: Path | None = None,
    read_entry_from: Path | None = None,
    read_early: ReadEarly | None = None,
) -> CheckedFile:
    """:func:`_check_file`; with ``compact_models``, the model is then made
    smaller (:mod:`taxops.models.compact`): for a command that holds many
    versions at once (the site build). It costs about 1.3 s per 100,000 labels,
    which a command that reads one or two versions does not pay.

    With ``lazy_release``, a release read from the cache builds its labels only
    when they are read (:mod:`taxops.models.lazy_labels`): for a command that
    compares releases and reads the few labels that changed. Reading one may
    raise :class:`~taxops.models.lazy_labels.Damaged` (a damaged entry): the
    command reads the release again without it.

    ``source``: the file already read and parsed (by
    :class:`~taxops.loading.ahead.ReadAhead`, with the same steps this takes).

    ``write_entry_to`` and ``read_entry_from`` hand a checked taxonomy (a
    release or not) from one process to another through a private folder of
    cache entries (:mod:`taxops.check_pair`): a worker checks the file and
    writes its entry there; the caller reads it (``lazy_release`` applies),
    or, when it is not there, checks the file itself as without a hand-off
    (its findings are the same either way: the entry keeps them).
    ``read_early``: the file as the caller read it while the worker still
    worked (:func:`read_early`), the entry then looked up by those bytes."""
    handoff = _Handoff(write_entry_to, read_entry_from, read_early if read_entry_from else None)
    checked = _check_file(path, root, max_bytes, lazy_release, source, handoff)
    if compact_models and checked.model is not None:
        compact(checked.model)
    return checked


@dataclass(frozen=True)
class _Handoff:
    """Where a file's entry is written to, or read from, instead of the user's
    cache (see :func:`check_file`)."""

    write_to: Path | None = None
    read_from: Path | None = None
    early: ReadEarly | None = None


@dataclass(frozen=True)
class ReadEarly:
    """A file read, hashed and decoded, and its labels' items found, before the
    command needs it (while a worker checks it): the steps :func:`check_file`
    takes first, taken by :func:`read_early`."""

    key: str
    text: str
    items: ListItems | None


def read_early(
    path: Path, root: Path | None, max_bytes: int = DEFAULT_MAX_BYTES
) -> ReadEarly | None:
    """The file read as :func:`check_file` reads it (the same guard against
    links out of the repository, the same size limit), or None where that
    reports something (the check then reads the file and reports it)."""
    display = display_path(path, root)
    raw, problems = read_text(path, display, root, max_bytes)
    if raw is None or problems:
        return None
    key = release_cache.source_key(raw)
    text, problem = decode(raw, display)
    del raw
    if text is None or problem is not None:
        return None
    return ReadEarly(key, text, list_items(text, release_cache.LABELS))


def _check_file(
    path: Path,
    root: Path | None,
    max_bytes: int,
    lazy: bool = False,
    source: Source | None = None,
    handoff: _Handoff = _Handoff(),
) -> CheckedFile:
    """Load, validate and check one file. A release is read from the release
    cache when this taxops has read the same bytes before
    (:mod:`taxops.release_cache`)."""
    checked = CheckedFile(path, display_path(path, root))
    release = is_release(path)
    handed = handoff.write_to or handoff.read_from
    key: str | None = None  # the cache key (none for a file read ahead)
    if source is None and handoff.early is not None:
        early = handoff.early
        key = early.key
        hit = _cached_release(
            key, early.text, checked, max_bytes, lazy, handoff.read_from, early.items
        )
        if hit is not None:
            return hit
        source = parse_decoded((early.text, None), checked.display)
    if source is None:
        remembered = release and not handed and source_digests.enabled()
        if remembered:
            hit = _remembered_release(path, root, checked, max_bytes, lazy)
            if hit is not None:
                return hit
        before = _status(path) if remembered else None
        raw, problems = read_text(path, checked.display, root, max_bytes)
        if raw is None:
            checked.diagnostics += problems
            return checked
        if release or handed:  # looked up in the cache by its bytes, before it is decoded or parsed
            key = release_cache.source_key(raw)
            if before is not None:
                source_digests.remember(path, before, key)
            # Bytes an earlier run read, decoded and checked: the text is
            # decoded only if a question needs it.
            if handoff.write_to is None:
                hit = _cached_release(key, raw, checked, max_bytes, lazy, handoff.read_from)
                if hit is not None:
                    return hit
        decoded = decode(raw, checked.display)
        del raw  # a 60 MB file is not held twice through the parse
        source = parse_decoded(decoded, checked.display)
    checked.diagnostics += source.diagnostics
    doc = source.doc
    if doc is None:
        return checked
    checked.doc = doc
    kind, problem = _kind_of(doc, path, root)
    if problem:
        checked.diagnostics.append(problem)
    if kind is None:
        return checked
    checked.kind = kind
    try:
        checked.model, found = validate_document(doc, kind)
    except Unparsed:  # its labels' parts did not all parse: the whole file says why
        whole = parse_decoded((doc.text, None), checked.display)
        return _check_file(path, root, max_bytes, lazy, whole, handoff)
    if checked.model is not None and release:
        found = [as_history(d) for d in found]
    keeps = (release or handoff.write_to) and not handoff.read_from
    if checked.model is not None and keeps and kind is KINDS[TAXONOMY] and key is not None:
        if doc.locates_by_items() and not handoff.write_to:
            # Kept with the entry: the next run locates at once. Not for a
            # hand-over: the caller finds the items in its own read of the file,
            # and counts the lines of those it places only.
            doc.item_index("labels")
        release_cache.write(
            key, checked.model, found, doc, base=handoff.write_to, handover=bool(handoff.write_to)
        )
    checked.diagnostics += found
    return checked


def _remembered_release(
    path: Path, root: Path | None, checked: CheckedFile, max_bytes: int, lazy: bool
) -> CheckedFile | None:
    """The release from the cache, its digest known from its file's status
    (:mod:`taxops.source_digests`): its bytes are read only where a question
    needs them. None when the memo or the cache does not know it (a link out
    of the repository is left to :func:`read_text`, which refuses it)."""
    if root is not None and leaves_repository(path, root):
        return None
    known = source_digests.known(path, max_bytes)
    if known is None:
        return None
    key, raw = known
    hit = _cached_release(key, raw, checked, max_bytes, lazy, None)
    if hit is None:
        raw.close()
    return hit


def _status(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _cached_release(
    key: str,
    raw: str | bytes | Parts,
    checked: CheckedFile,
    max_bytes: int,
    lazy: bool,
    base: Path | None,
    items: ListItems | None = None,
) -> CheckedFile | None:
    """The release as an earlier run left it in the cache (or the taxonomy as
    a worker left it in ``base``), or None. ``items``: its labels' items, found
    in ``raw`` (its text) already."""
    kind = KINDS[TAXONOMY]
    entry = release_cache.read(
        key, raw, checked.display, kind.model, max_bytes, lazy=lazy, base=base, items=items
    )
    if entry is None:
        return None
    checked.kind, checked.doc, checked.model = kind, entry.doc, entry.model
    checked.diagnostics += entry.diagnostics
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
    _settle(doc, kind)
    with paused():
        try:
            model = validate_streaming(doc.data, kind.model)
        except ValidationError as exc:  # not streamed: the one call's errors
            return None, diagnostics_from_validation_error(exc, doc, kind.model)
        except NotStreamable as exc:
            # Every error, each reported with its place, found chunk by chunk
            # from the first invalid one (the chunks before it were valid), so a
            # file with an error costs no second parse and no more memory than a
            # valid one. A model whose validators see the whole document needs
            # it whole again: parsed afresh and validated in one call.
            errors = stream_errors(doc.data, kind.model, exc.start)
            if errors:
                return None, diagnostics_from_errors(errors, doc, kind.model)
            fresh, _ = parse_yaml(doc.text, doc.path)
            if fresh is not None:
                doc.data = fresh.data
            try:
                model = kind.model.model_validate(doc.data)
            except ValidationError as exc:
                return None, diagnostics_from_validation_error(exc, doc, kind.model)
        return model, kind.check(model, doc)


def _settle(doc: YamlDocument, kind: DocumentKind) -> None:
    """Labels still arriving (:mod:`taxops.loading.arriving`) are read as they
    come only by the streaming validation of a taxonomy; anything else reads
    them all once they are there (or raises
    :class:`~taxops.loading.arriving.Unparsed`)."""
    data = doc.data
    items = data.get(arriving.KEY) if isinstance(data, dict) else None
    if isinstance(items, Arriving) and (
        kind is not KINDS[TAXONOMY] or len(items) < streaming.STREAM_MIN_ITEMS
    ):
        data[arriving.KEY] = list(items)


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
