"""Two loaded versions made cheap to compare: the comparison then reads only
the labels that changed.

A version read from a cache entry carries each label's digest, and builds a
label only when it is read (:mod:`taxops.models.lazy_labels`). Compared with
a version read from its file, whose labels are all built, the comparison must
not build the cached labels that did not change, nor compare 200,000 pairs
of labels field by field:

* where both files' label lists read item by item
  (:mod:`taxops.loading.item_source`), the new version's labels written
  exactly as the old version's are marked as such
  (:class:`~taxops.models.lazy_labels.MatchedLabels`): the same text is the
  same label. This holds for any two versions read from text, cached or not
  (``taxops check`` against a release or a git ref, ``diff`` of two files);
* else, against a cached version, the new version's labels get their
  digests (:func:`taxops.release_cache.digested`);
* two cached versions are compared by their digests as they are.

Used by ``diff`` (:mod:`taxops.check_pair`) and ``check``
(:mod:`taxops.compatibility.check`), so both compare the same way.
"""

from __future__ import annotations

from taxops import release_cache
from taxops.collector import paused
from taxops.loading import YamlDocument
from taxops.loading.item_source import items_of, same_items
from taxops.models.lazy_labels import BuiltOnRead, LazyLabels, MatchedLabels
from taxops.models.taxonomy import Taxonomy

#: The list of a taxonomy's labels.
LABELS = release_cache.LABELS


def comparable(
    old: Taxonomy, old_doc: YamlDocument | None, new: Taxonomy, new_doc: YamlDocument | None
) -> tuple[Taxonomy, Taxonomy]:
    """``old`` and ``new``, made cheap to compare (see the module): the same
    models, or copies whose labels carry what lets the comparison skip the
    unchanged ones."""
    if _cached(old) and _cached(new):
        return old, new  # compared by their digests
    if _cached(new):
        # Marking would build every cached label: the old labels get digests.
        return release_cache.digested(old), new
    matched = _matched(old, old_doc, new, new_doc)
    if matched is not None:
        return old, matched
    if isinstance(old.labels, LazyLabels):  # the old labels carry their digests
        return old, release_cache.digested(new)
    # Every label built on both sides, or a hand-over read from the file's
    # items (no digests): every label is compared.
    return old, new


def _matched(
    old: Taxonomy, old_doc: YamlDocument | None, new: Taxonomy, new_doc: YamlDocument | None
) -> Taxonomy | None:
    """``new`` with its labels written exactly as ``old``'s marked, when both
    files' label lists read item by item; else None."""
    if old_doc is None or new_doc is None:
        return None
    new_items, old_items = items_of(new_doc, LABELS), items_of(old_doc, LABELS)
    if new_items is None or old_items is None:
        return None
    if len(new_items) != len(new.labels) or len(old_items) != len(old.labels):
        return None
    with paused():
        same = same_items(old_items, new_items, list(map(old.index.get, new.columns.ids)))
        labels = MatchedLabels(new.labels, old.labels, same)
    # The copy keeps what the model computed from its labels (the same labels).
    return new.model_copy(update={"labels": labels})


def _cached(model: Taxonomy) -> bool:
    return isinstance(model.labels, BuiltOnRead)
