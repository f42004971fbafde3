"""The formats ``taxops export`` and ``taxops import`` know, in one registry.

Each entry says what the format is for and the file extension its output gets;
the CLI builds its choices and help from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from taxops.collector import paused

if TYPE_CHECKING:
    from taxops.interchange.imported import Imported

EXPORTS: dict[str, tuple[str, str]] = {
    "label-studio": (".xml", "Label Studio labeling config (Choices, Labels or Taxonomy)"),
    "cvat": (".json", "CVAT project labels (with attribute input types)"),
    "labelbox": (".json", "Labelbox ontology (normalized JSON)"),
    "argilla": (".json", "Argilla dataset settings (rg.Settings.from_json)"),
    "coco": (".json", "COCO categories, numbered stably across versions"),
    "skos": (".ttl", "SKOS concept scheme in Turtle"),
    "skos-jsonld": (".jsonld", "SKOS concept scheme in JSON-LD"),
}

IMPORTS: dict[str, str] = {
    "label-studio": "a Label Studio labeling config (XML)",
    "cvat": "CVAT labels (JSON: the raw labels list, or a project holding them)",
    "skos": "a SKOS concept scheme (Turtle, N-Triples, JSON-LD or RDF/XML)",
    "csv": "a CSV of category paths, of rows of ids and names (a publisher's table as it "
    "is: parents from a column, the levels or the codes), or of a code and a name per level",
    "google": "Google's product taxonomy (taxonomy-with-ids text: 'id - A > B > C')",
    "codes": "a publisher's text list of codes and titles, one code a line (ICD-10-CM's "
    "code and order files)",
    "xlsx": "a spreadsheet holding one of the tables csv reads (its first sheet, or --sheet)",
    "claml": "a classification in ClaML, the WHO's XML (ICD-10 and its national editions)",
    "mesh": "MeSH's descriptors as the NLM publishes them (desc2025.xml: DescriptorUI ids, "
    "the tree from tree numbers, scope notes, entry terms as aliases)",
    "obo": "an ontology in the OBO format (the Gene Ontology, ChEBI, HPO, Uberon...: "
    "terms, is_a, EXACT synonyms, obsolete terms and alt_ids as tombstones)",
    "icd10cm-tabular": "ICD-10-CM's tabular list (icd10cm_tabular_*.xml: chapters, sections, "
    "codes with their dots, 7th characters made into codes)",
}

_BY_SUFFIX = {
    ".xml": "label-studio",
    ".ttl": "skos",
    ".jsonld": "skos",
    ".rdf": "skos",
    ".owl": "skos",
    ".nt": "skos",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "google",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".obo": "obo",
}


@dataclass(frozen=True)
class ImportRequest:
    fmt: str
    control: str | None = None
    path_separator: str | None = None
    #: SKOS, ClaML, tables: the language names are taken in (a BCP 47 tag).
    lang: str = "en"
    #: CSV rows: where the parents come from (``column``, ``level``, ``codes``,
    #: ``none``; default the first the table has).
    parents_from: str | None = None
    #: XLSX: the sheet (default: the first).
    sheet: str | None = None
    #: Codes padded with zeros: the digits each level takes (``--code-levels``).
    code_levels: tuple[int, ...] | None = None


def guess_import_format(name: str, text: str | None = None) -> str | None:
    """The format a file name suggests (``.json`` is ambiguous: CVAT or JSON-LD),
    and, given the text, what it holds: a ``.txt`` is Google's ``id - A > B``, a
    code list or a table with a header row, an ``.xml`` a Label Studio config, a
    ClaML classification, ICD-10-CM's tabular list or MeSH's descriptors."""
    lower = name.lower()
    fmt = next((fmt for suffix, fmt in _BY_SUFFIX.items() if lower.endswith(suffix)), None)
    if fmt == "google" and text is not None:
        from taxops.interchange.code_list import looks_like_code_list
        from taxops.interchange.csv_labels import looks_like_table

        if looks_like_code_list(text):
            return "codes"
        return "csv" if looks_like_table(text) else fmt
    if fmt == "label-studio" and text is not None:
        from taxops.interchange.claml import looks_like_claml
        from taxops.interchange.icd10cm_tabular import looks_like_icd10cm_tabular
        from taxops.interchange.mesh import looks_like_mesh

        if looks_like_icd10cm_tabular(text):
            return "icd10cm-tabular"
        if looks_like_mesh(text):
            return "mesh"
        return "claml" if looks_like_claml(text) else fmt
    return fmt


def run_import_sheet(
    path: Path, request: ImportRequest, progress: Callable[[float], None] | None = None
) -> Imported:
    """A spreadsheet's sheet, read as the tables a CSV holds."""
    from taxops.interchange.csv_labels import import_rows
    from taxops.spreadsheet import read_xlsx

    rows = read_xlsx(path, request.sheet, progress)
    with paused():
        return import_rows(
            rows,
            str(path),
            request.path_separator,
            request.parents_from,
            request.lang,
            request.code_levels,
        )


def run_import(
    text: str,
    origin: str,
    request: ImportRequest,
    progress: Callable[[float], None] | None = None,
) -> Imported:
    """The format's importer's result. The collector is paused meanwhile: an
    import builds a few objects per label (a 150,000-term ontology, a
    million), all alive until it is written, and collection passes over them
    free nothing (:mod:`taxops.collector`; 3.8 -> 2.9 s for those terms).
    ``progress`` hears the percentage of the file read, from the importers of
    the large publishers' files (ClaML, the tabular list, MeSH, OBO)."""
    with paused():
        return _dispatch(text, origin, request, progress)


def _dispatch(
    text: str, origin: str, request: ImportRequest, progress: Callable[[float], None] | None
) -> Imported:
    """Dispatch to the format's importer (each imports its heavy library itself)."""
    from taxops.interchange import (
        claml,
        code_list,
        csv_labels,
        cvat,
        google_product,
        icd10cm_tabular,
        labelstudio_config,
        mesh,
        obo,
        skos_import,
    )

    if request.fmt == "label-studio":
        return labelstudio_config.import_label_studio(text, origin, request.control)
    if request.fmt == "cvat":
        return cvat.import_cvat(text, origin)
    if request.fmt == "skos":
        return skos_import.import_skos(text, origin, request.lang)
    if request.fmt == "csv":
        return csv_labels.import_csv(
            text,
            origin,
            request.path_separator,
            request.parents_from,
            request.lang,
            request.code_levels,
        )
    if request.fmt == "codes":
        return code_list.import_code_list(text, origin, request.code_levels)
    if request.fmt == "claml":
        return claml.import_claml(text, origin, request.lang, progress)
    if request.fmt == "mesh":
        return mesh.import_mesh(text, origin, progress)
    if request.fmt == "obo":
        return obo.import_obo(text, origin, progress)
    if request.fmt == "icd10cm-tabular":
        return icd10cm_tabular.import_icd10cm_tabular(text, origin, progress)
    return google_product.import_google(text, origin)
