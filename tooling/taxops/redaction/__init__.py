"""Redaction by the privacy policy's rules: which fields get which rules
(:mod:`.plan`), what each detector finds (:mod:`.detectors`), and the SQL that
applies them in order and counts what was masked (:mod:`.sql`). One
implementation, run by DuckDB, for every place taxops publishes or moves data:
guideline examples on the site, ``taxops redact``, the review queue of
``taxops migrate``."""
