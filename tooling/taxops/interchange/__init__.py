"""The taxonomy and the labeling tools: exports that drive Label Studio, CVAT,
Labelbox, Argilla, COCO and SKOS consumers, and imports of what a team already
has (a Label Studio config, CVAT labels, SKOS, a CSV, Google's product taxonomy).

Every format is one module holding pure functions over plain data: an exporter
takes an :class:`~taxops.interchange.source.ExportSource` and returns text; an
importer takes text and returns an :class:`~taxops.interchange.imported.Imported`
draft taxonomy plus a report of what could not be carried over. The registry in
:mod:`taxops.interchange.formats` is what the CLI reads.
"""
