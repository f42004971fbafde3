"""Quality and operations figures, and holding them against the plans.

Pure: the data engines (:mod:`taxops.engines.annotations`,
:mod:`taxops.engines.events`) reduce an export of millions of rows to small
aggregates (per-item label-count patterns, per-pair contingency tables, per-task
durations); the modules here compute the figures from those aggregates and hold
them against the quality plan and the SLAs:

- :mod:`~taxops.quality.agreement`: Cohen's and Fleiss' kappa, Krippendorff's
  alpha (nominal), Gwet's AC1, seeded bootstrap intervals, confused label pairs;
- :mod:`~taxops.quality.sampling`: audit samples by rate, by label, or by
  ISO 2859-1 single sampling with the switching rules;
- :mod:`~taxops.quality.audit` and :mod:`~taxops.quality.gold`: a reviewed
  sample's verdict, accuracy against a gold set;
- :mod:`~taxops.quality.operations`: throughput, turnaround, rework, cost, and
  the vendor scorecard;
- :mod:`~taxops.quality.forecast`: staffing and delivery forecasts;
- :mod:`~taxops.quality.inspection`: a dataset against a taxonomy version, and
  label drift between two datasets.
"""
