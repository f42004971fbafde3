"""Releases load once: a frozen release's validated model, its findings and its
line index, kept on disk so the next command reads them instead of parsing and
checking the file again.

A release never changes, so what taxops made of it is a function of two things:
the file's bytes and the taxops code that read them. An entry is keyed by both
(the SHA-256 of the file, and taxops' version with a fingerprint of its code),
and is used only when both match: a release edited behind the cache's back
hashes differently and is read from the file again; so is an entry that is
corrupt, truncated or written by another taxops. Nothing is ever an error: a
bad entry is a miss, rebuilt and overwritten.

**Safe by construction.** An entry is plain JSON. The model is rebuilt by the
model's own validation (``model_validate_json``, in pydantic-core), so an entry
can only ever produce a taxonomy the model accepts: nothing in it is executed
or imported (no pickle). The body carries its own SHA-256, so damage is
detected before anything is built; the labels after it (the tail) carry theirs
in the body, checked before a full read.

**Compared without building every label.** The entry keeps each label's
canonical JSON with a digest, and a skeleton of the columns a comparison reads
for every label (:mod:`taxops.models.lazy_labels`). ``diff`` of two releases
seen before reads them ``lazy``: the labels are not hashed as a whole; each
label it builds must match its digest, validate and agree with the skeleton,
or :class:`~taxops.models.lazy_labels.Damaged` sends ``diff`` back to full
reads. The folder is the user's own cache folder
(outside the repository, created private), so a pull request cannot plant an
entry for CI to trust; whoever can write that folder can already change what
the user runs.

The folder, the code fingerprint and the framing of an entry (a header that
must match, a body that carries its own SHA-256) live in
:mod:`taxops.cache_entries`, shared with the migration maps' cache.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import add
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from taxops.cache_entries import Tail, code_fingerprint, folder, open_entry, sha256, write_entry
from taxops.collector import paused
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.loading import YamlDocument
from taxops.loading.bytes_document import BytesDocument, Parts
from taxops.loading.item_source import ListItems, items_of
from taxops.loading.yaml_source import decode, parse_yaml
from taxops.models.label_digests import Digests, digests
from taxops.models.lazy_labels import (
    BuiltOnRead,
    Damaged,
    DigestedLabels,
    lazy_taxonomy,
    skeleton_of,
    source_taxonomy,
)
from taxops.models.taxonomy import Label, Taxonomy
from taxops.packed import pack, unpack

_LABELS = TypeAdapter(list[Label])
#: The list of a taxonomy's labels.
LABELS = "labels"

#: The layout of an entry; bumped when it changes, so old entries are misses.
FORMAT = "taxops-release-cache/5"


@dataclass(frozen=True)
class Entry:
    """What a release became: its model, its findings (located in it), the
    top-level fields its document answers for, and its line index."""

    model: BaseModel
    diagnostics: list[Diagnostic]
    doc: YamlDocument


def source_key(raw: bytes) -> str:
    """The key of a release's bytes: their SHA-256."""
    return sha256(raw)


def _entry_path(base: Path, key: str) -> Path:
    return base / "releases" / f"{key[:40]}.{code_fingerprint()}.json"


def _identity(key: str) -> dict[str, str]:
    """What an entry was made from: the release's bytes (and this entry layout)."""
    return {"format": FORMAT, "source_sha256": key}


def read(
    key: str,
    text: str | bytes | Parts,
    display: str,
    model: type[BaseModel],
    max_bytes: int,
    *,
    lazy: bool = False,
    base: Path | None = None,
    items: ListItems | None = None,
) -> Entry | None:
    """The cached entry for the release whose bytes hash to ``key``
    (:func:`source_key`), or None: a miss (no entry, another key, a damaged
    body, anything unexpected).

    ``text`` is the release's text, or its bytes (whole, or read in parts
    where they are sliced: :mod:`taxops.source_digests`): then its document
    (:class:`~taxops.loading.bytes_document.BytesDocument`) decodes the text
    only if a question needs it, and places findings on the labels from the
    bytes of those labels alone.

    With ``lazy`` (a taxonomy, for a command that compares releases), the
    model's labels are built only when read (:mod:`taxops.models.lazy_labels`):
    the labels' bytes are not hashed as a whole, each label is checked against
    its digest when it is built. Without, every label is validated, the bytes
    of all of them checked first.

    ``base`` is a cache folder of the caller's in place of the user's (see
    :func:`write`). ``items``: the labels' items of ``text`` (a text), when the
    caller found them already (:func:`~taxops.loading.item_source.list_items`)."""
    handed = base is not None  # a caller's folder: a worker's hand-over may be there
    base = base or folder()
    if base is None:
        return None
    found = open_entry(_entry_path(base, key), _identity(key), 4 * max_bytes)
    if found is None:
        return None
    body, tail = found
    try:
        meta, head_line, skeleton = _lines(body)
        with paused():  # a million small objects: nothing for the collector to find
            if meta.get("labels_from") == "file":
                # Handed over by a worker (never in the user's cache): the labels
                # are read from the file's own items, whose bytes were just hashed.
                if not handed or not lazy or model is not Taxonomy:
                    return None  # read in full: the caller checks the file itself
                if not isinstance(text, str):  # decoded as the worker did (no byte-order mark)
                    raw = text if isinstance(text, bytes) else text.whole()
                    decoded, _ = decode(raw, display)
                    if decoded is None:
                        return None
                    text = decoded
                doc = _document(display, text, meta, None)
                if items is not None and items.text is text:
                    doc.items_found[LABELS] = items
                built: BaseModel = _from_items(head_line, skeleton(), doc)
            else:
                if lazy and model is Taxonomy:
                    built = _lazy(head_line, skeleton(), tail)
                else:
                    labels = tail[0 : len(tail)]
                    if sha256(labels) != meta["tail_sha256"]:
                        return None
                    built = model.model_validate_json(
                        head_line[:-1] + b',"labels":' + labels + b"}"
                    )
                doc = _document(display, text, meta, built)
        findings = [_diagnostic(d, display) for d in meta["diagnostics"]]
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        ValidationError,
        Damaged,
    ):
        return None
    return Entry(built, findings, doc)


def _document(
    display: str, text: str | bytes | Parts, meta: dict[str, Any], built: BaseModel | None
) -> YamlDocument:
    """The release's document: its top level, and the line index of its big
    lists (offsets in the text, or in the bytes when given its bytes)."""
    data = _stand_in(meta["top"], meta["lists"])
    index = {k: (unpack(offsets), unpack(lines)) for k, (offsets, lines) in meta["index"].items()}
    if not isinstance(text, str):
        utf8 = meta["utf8"]  # offsets in the UTF-8 bytes, where they are not the same
        size = meta["utf8_bytes"]
        if type(utf8) is not dict or type(size) is not int or not isinstance(built, Taxonomy):
            raise TypeError("malformed entry")
        starts = {k: unpack(utf8[k]) if k in utf8 else v[0] for k, v in index.items()}
        lines = {k: v[1] for k, v in index.items()}
        ids = {"labels": built.columns.ids}
        return BytesDocument(display, text, data, starts, lines, ids, text_bytes=size)
    doc = YamlDocument(display, text, data)
    for key_name, (offsets, lines_at) in index.items():
        doc.adopt_item_index(key_name, offsets, lines_at)
    return doc


def _utf8_offsets(text: str, offsets: Sequence[int]) -> array[int] | None:
    """Where each offset of ``text`` is in its UTF-8 bytes, or None when that
    is the offset itself (an ASCII text)."""
    if text.isascii():
        return None
    out, at, previous = array("q"), 0, 0
    for offset in offsets:
        at += len(text[previous:offset].encode())
        out.append(at)
        previous = offset
    return out


def _lines(body: bytes) -> tuple[Any, bytes, Callable[[], Any]]:
    """The three lines of an entry's body: the document's data (read), the
    model without its labels (as bytes, for the model's own validation), and
    the labels' skeleton (read when asked). The body is decoded once and each
    JSON line read in place: no copy of 10 MB per line (ValueError when the
    body is not three lines of JSON)."""
    first = body.index(b"\n")
    second = body.index(b"\n", first + 1)
    head_line = body[first + 1 : second]
    text = body.decode("utf-8")
    decode = json.JSONDecoder().raw_decode
    meta, end = decode(text)
    line_end = text.index("\n")
    if end != line_end:
        raise ValueError("malformed entry")

    def skeleton() -> Any:
        found, end = decode(text, text.index("\n", line_end + 1) + 1)
        if end != len(text):
            raise ValueError("malformed entry")
        return found

    return meta, head_line, skeleton


def _lazy(head_line: bytes, skeleton: Any, tail: Tail | bytes) -> Taxonomy:
    """The release with its labels built when read; the taxonomy's own fields
    validated now (with its first label: the model needs one)."""
    bounds = unpack(skeleton["bounds"])
    first = tail[bounds[0] : bounds[1] - 1]
    head = Taxonomy.model_validate_json(head_line[:-1] + b',"labels":[' + first + b"]}")
    return lazy_taxonomy(head, tail, bounds, skeleton["digests"], skeleton["columns"])


def _from_items(head_line: bytes, skeleton: Any, doc: YamlDocument) -> Taxonomy:
    """The taxonomy a worker checked, its labels built when read from the
    file's own items (:class:`~taxops.models.lazy_labels.SourceLabels`): the
    items are found in the text again (never taken from the entry), and must
    be as many as the worker's labels."""
    items = items_of(doc, LABELS)
    if items is None or len(items) != skeleton["labels"]:
        raise ValueError("the file's items are not the labels the worker read")

    def read(positions: list[int]) -> list[Any]:
        again, problems = parse_yaml(f"{LABELS}:\n" + items.items(positions), doc.path)
        if again is None or problems:
            raise ValueError("the items do not read alone")
        found: list[Any] = again.data[LABELS]
        return found

    first = Label.model_validate(read([0])[0]).model_dump_json(exclude_defaults=True)
    head = Taxonomy.model_validate_json(head_line[:-1] + b',"labels":[' + first.encode() + b"]}")
    return source_taxonomy(head, len(items), read, skeleton["columns"])


def write(
    key: str,
    model: BaseModel,
    diagnostics: list[Diagnostic],
    doc: YamlDocument,
    *,
    base: Path | None = None,
    handover: bool = False,
) -> None:
    """Keep what the release whose bytes hash to ``key`` became. Failing to
    write (a read-only or full disk) is silent: the cache only saves time.

    ``base`` is a cache folder of the caller's in place of the user's: a
    private one, through which one process hands a checked taxonomy (a release
    or not) to another (:mod:`taxops.check_pair`), also when the cache is off.

    The entry's body is three lines: the document's top level, line index and
    findings; the model without its labels; the labels' skeleton (the columns
    every comparison reads, each label's digest and where it is in the tail).
    Its tail is the labels, a JSON array of each one's canonical JSON."""
    base = base or folder()
    if base is None or not isinstance(model, Taxonomy):
        return
    top, lists = _top_level(doc.data)
    indexes = doc.item_indexes()
    # Handed to another process that reads the same file: its labels are read
    # from the file's own items where they read alone (no labels serialised).
    from_file = handover and _reads_alone(doc, model)
    try:
        with paused():
            if from_file:
                tail = b""
                skeleton: dict[str, Any] = {"labels": len(model.labels)}
            else:
                tail, bounds = _labels_json(model.labels)
                found = Digests.of(digests(tail, bounds))
                skeleton = {"bounds": pack(bounds, narrow=True), "digests": found.column}
            skeleton["columns"] = skeleton_of(model)
        meta = {
            "top": top,
            "lists": lists,
            "index": {k: [pack(v[0]), pack(v[1])] for k, v in indexes.items()},
            "utf8": {
                k: pack(u) for k, v in indexes.items() if (u := _utf8_offsets(doc.text, v[0]))
            },
            # The file's bytes are longer when its lines end in CR LF.
            "utf8_bytes": len(doc.text) if doc.text.isascii() else len(doc.text.encode()),
            "diagnostics": [_plain(d, doc.path) for d in diagnostics],
            "tail_sha256": sha256(tail),
            "labels_from": "file" if from_file else "entry",
        }
        lines = (
            json.dumps(meta, ensure_ascii=False, separators=(",", ":")),
            model.model_dump_json(exclude_defaults=True, exclude={"labels"}),
            json.dumps(skeleton, ensure_ascii=False, separators=(",", ":")),
        )
        body = "\n".join(lines).encode()
    except (TypeError, ValueError):  # a finding whose facts are not plain data
        return
    # Entries for the same release written by other taxops code are stale.
    write_entry(_entry_path(base, key), _identity(key), body, f"{key[:40]}.", tail, base=base)


def _reads_alone(doc: YamlDocument, model: Taxonomy) -> bool:
    """Whether each label's item of the file reads alone as in place, one item
    per label (:mod:`taxops.loading.item_source`)."""
    items = items_of(doc, LABELS)
    return items is not None and len(items) == len(model.labels)


#: Where one label's JSON ends and the next one's starts, in a list of labels
#: dumped compact: a label's first field is its id (required, never left out),
#: and inside a JSON string a quote is always escaped, so these bytes occur
#: only between two labels (unless a nested model starts with an ``id``
#: field: then the count is off, and each label is dumped alone).
_NEXT_LABEL = b'},{"id":'


def _labels_json(labels: Sequence[Label]) -> tuple[bytes, array[int]]:
    """The labels as one JSON array (one serialiser call for 200,000 labels,
    where one call each cost more than the rest of the entry) and where each
    label starts in it: label ``i`` is ``tail[bounds[i]:bounds[i + 1] - 1]``."""
    tail = _LABELS.dump_json(list(labels), exclude_defaults=True)
    pieces = tail.split(_NEXT_LABEL)
    if len(pieces) == len(labels):
        # Boundary k is at the length of pieces 0..k plus k boundaries; label k+1
        # starts 2 bytes into it. Summed in C: 200,000 labels.
        step = len(_NEXT_LABEL)
        at = map(add, accumulate(map(len, pieces[:-1])), range(2, step * len(pieces), step))
        return tail, array("q", [1, *at, len(tail)])
    parts = [label.model_dump_json(exclude_defaults=True).encode() for label in labels]
    tail = b"[" + b",".join(parts) + b"]"
    return tail, array("q", [1, *accumulate(len(p) + 1 for p in parts)])


def digested(model: Taxonomy) -> Taxonomy:
    """``model`` with each label's digest, as an entry keeps them: a version
    read from its file, compared with a release read ``lazy``, then builds
    none of the release's labels that did not change. A model whose labels
    already have their digests is returned as it is."""
    if isinstance(model.labels, (BuiltOnRead, DigestedLabels)):
        return model
    with paused():
        tail, bounds = _labels_json(model.labels)
        found = Digests.of(digests(tail, bounds))
    # The copy keeps what the model computed from its labels (the same labels).
    return model.model_copy(update={"labels": DigestedLabels(model.labels, found)})


# --- the document's top level ----------------------------------------------------


def _top_level(data: Any) -> tuple[dict[str, Any], dict[str, int]]:
    """The small top-level fields as they are, and the length of each list (a
    cached document answers for lists as a streamed one does: one ``None`` per
    item, the items being in the model)."""
    top: dict[str, Any] = {}
    lists: dict[str, int] = {}
    for key, value in data.items() if isinstance(data, dict) else ():
        if isinstance(value, list):
            lists[str(key)] = len(value)
        else:
            top[str(key)] = value
    return top, lists


def _stand_in(top: dict[str, Any], lists: dict[str, int]) -> dict[str, Any]:
    if not isinstance(top, dict) or not isinstance(lists, dict):
        raise TypeError("malformed entry")
    return {**top, **{str(k): [None] * int(n) for k, n in lists.items()}}


# --- findings as plain data ------------------------------------------------------


def _plain(d: Diagnostic, own: str) -> dict[str, Any]:
    def place(loc: Location | None) -> list[Any] | None:
        if loc is None:
            return None
        return [None if loc.path == own else loc.path, loc.line, loc.column]

    return {
        "rule": d.rule,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint,
        "location": place(d.location),
        "previous": place(d.previous),
        "related": place(d.related),
        "data": d.data,
    }


def _diagnostic(raw: dict[str, Any], own: str) -> Diagnostic:
    def place(value: Any) -> Location | None:
        if value is None:
            return None
        path, line, column = value
        if not (path is None or isinstance(path, str)) or type(line) is not int:
            raise TypeError("malformed location")
        if type(column) is not int:
            raise TypeError("malformed location")
        return Location(own if path is None else path, line, column)

    for name in ("rule", "message"):
        if not isinstance(raw[name], str):
            raise TypeError("malformed finding")
    if raw["hint"] is not None and not isinstance(raw["hint"], str):
        raise TypeError("malformed finding")
    if not isinstance(raw["data"], dict):
        raise TypeError("malformed finding")
    return Diagnostic(
        raw["rule"],
        Severity(raw["severity"]),
        raw["message"],
        place(raw["location"]),
        raw["hint"],
        place(raw["previous"]),
        raw["data"],
        place(raw["related"]),
    )
