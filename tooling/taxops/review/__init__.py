"""The review round trip: the rows ``taxops migrate`` could not decide go to
reviewers in a labeling tool (Label Studio), and their decisions come back into
the migrated dataset, in place of the queued rows, in the original order.

- :mod:`.queue` reads a review queue file (CSV, TSV, JSON lines, Label Studio tasks);
- :mod:`.tasks` turns queued rows into Label Studio tasks that offer only each
  row's candidates, with the decision hints shown;
- :mod:`.decisions` reads reviewers' decisions (a Label Studio export, or the file
  ``taxops review pull`` writes) and checks each against its row;
- :mod:`.merge` puts decided rows back into the migrated dataset;
- :mod:`.labelstudio_api` is the few REST calls ``review push`` and ``pull`` make.
"""
