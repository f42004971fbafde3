"""A site build's releases, held small between the two times it reads them.

The site checks every release (as ``taxops validate`` does) and later compares
the versions for briefings and label histories. A release of a 100,000-label
taxonomy is a few hundred megabytes as a model, and a site that kept each of
them for the comparisons held them all at once. Once checked, a release is kept
as two small things instead: its header (every field but its labels: all the
checks across files read of a release) and its model as JSON (about a tenth of
the model's size), from which the timeline rebuilds it when a comparison needs
it, two releases at a time (:meth:`taxops.site.timeline.Timeline.walk`).

A release under :data:`HOLD_FROM` labels is kept whole: its model is small, and
rebuilding it from JSON for each comparison cost a 5,000-label site about
0.3 s for no memory worth saving.

A release that is the working file's snapshot (what ``taxops release`` wrote,
the state of a repository right after a release) is the working taxonomy's
model: the timeline reads that one instead of rebuilding its twin.

The JSON is the model's own dump, validated again by the model when read, as
the release cache (:mod:`taxops.release_cache`) does across runs; it is kept in
memory for the build only, so a build with the cache off (a CI checkout, a
benchmark) reads no file twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from taxops.cache_entries import sha256
from taxops.collector import paused
from taxops.compatibility.releases import snapshot_text
from taxops.file_check import CheckedFile
from taxops.loading import YamlDocument
from taxops.models.compact import compact
from taxops.models.taxonomy import Taxonomy
from taxops.repo_layout import is_release
from taxops.repository import Governed
from taxops.site.label_groups import LARGE_TAXONOMY
from taxops.site.timeline import Release

#: Releases with at least this many labels are held small (the size from which
#: the site also groups label pages).
HOLD_FROM = LARGE_TAXONOMY


@dataclass
class HeldReleases:
    """Releases checked by the build, each held as its header and its JSON."""

    frozen: dict[Path, bytes] = field(default_factory=dict)
    #: Each held release's text, as a digest: to know a snapshot of the working file.
    digests: dict[Path, str] = field(default_factory=dict)

    def hold(self, checked: CheckedFile) -> None:
        """Keep a checked release small: its model becomes its header, its
        labels are kept as JSON (an invalid release has no model to keep).
        Any other file is left as it is."""
        model = checked.model
        if not is_release(checked.path):
            return
        if isinstance(model, Taxonomy) and len(model.labels) < HOLD_FROM:
            return  # small: kept whole
        if isinstance(model, Taxonomy) and model.labels and checked.doc is not None:
            self.frozen[checked.path] = model.model_dump_json(exclude_defaults=True).encode()
            self.digests[checked.path] = sha256(checked.doc.utf8())
            checked.model = release_header(model)
            # Its text and line index: no finding is located in a release from here on.
            checked.doc = YamlDocument(checked.doc.path, "", {})

    def release(
        self, governed: Governed[Taxonomy], working: Governed[Taxonomy] | None = None
    ) -> Release:
        """The release for the timeline: rebuilt from its JSON each time it is
        read, or the ``working`` taxonomy's model when the release is its
        snapshot; a release this build did not hold is used as it is."""
        held = self.frozen.get(governed.path)
        model = governed.model
        if held is None or model.labels:
            return Release(model.version, lambda: model)
        if working is not None and working.doc is not None:
            snapshot = snapshot_text(working.doc.text).encode()
            if sha256(snapshot) == self.digests[governed.path]:
                same = working.model
                return Release(model.version, lambda: same)
        return Release(model.version, lambda: thaw(held))


def release_header(model: Taxonomy) -> Taxonomy:
    """A release as the checks across files see it: every field but its labels."""
    fields = {name: getattr(model, name) for name in Taxonomy.model_fields if name != "labels"}
    return Taxonomy.model_construct(**fields, labels=())


def thaw(held: bytes) -> Taxonomy:
    """The release model again, validated by the model from its own JSON."""
    with paused():  # hundreds of thousands of small objects, none of them garbage
        model = Taxonomy.model_validate_json(held)
        compact(model)
    return model
