#!/usr/bin/env bash
# The check step of action.yml (kept as a script so it can be tested): runs
# taxops check, which prints at most MAX_ANNOTATIONS annotations of each level
# and a notice saying how many more there are, writes the Markdown report to the
# job summary and to REPORT_DIR with every finding as JSON beside it, and
# records the exit code as a step output. Never fails itself.
set -uo pipefail
mkdir -p "$REPORT_DIR"
report="$REPORT_DIR/taxops-report.md"
all="$REPORT_DIR/annotations.txt"
against=()
if [ "${EVENT:-}" = "pull_request" ]; then
  against=(--against "origin/$BASE" --merge-base)
fi
taxops check "${against[@]}" --format github --max-annotations "$MAX_ANNOTATIONS" \
  --report "$report" --findings "$REPORT_DIR/taxops-findings.json" > "$all"
code=$?
cat "$all"
[ -f "$report" ] || echo "taxops check wrote no report (exit $code): see the log above" > "$report"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$report" >> "$GITHUB_STEP_SUMMARY"; fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "exit_code=$code" >> "$GITHUB_OUTPUT"
  echo "report=$report" >> "$GITHUB_OUTPUT"
fi
exit 0
