"""Exit codes, documented in the README and ``taxops --help``."""

OK = 0
"""Nothing to fix."""
FINDINGS = 1
"""Validation findings (errors) in the governed files."""
USAGE = 2
"""The command could not run: a bad argument, a missing file or repository."""
BREAKING = 3
"""``taxops check``: a breaking change that the version bump or policy does not allow."""
INTERRUPTED = 130
"""Stopped by Ctrl-C (SIGINT); temporary files are removed, earlier outputs kept."""
CRASH = 70
"""An unexpected error inside taxops (a bug, not a finding): CI can tell it from
exit 1. The value is ``EX_SOFTWARE`` from BSD's sysexits.h."""
