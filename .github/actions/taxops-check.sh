#!/usr/bin/env bash
# The check step of action.yml (kept as a script so it can be tested): runs
# taxops check, prints at most MAX_ANNOTATIONS annotations and a notice saying
# how many more there are, writes the Markdown report to the job summary and to
# REPORT_DIR, and records the exit code as a step output. Never fails itself.
set -uo pipefail
mkdir -p "$REPORT_DIR"
report="$REPORT_DIR/taxops-report.md"
all="$REPORT_DIR/annotations.txt"
against=()
if [ "${EVENT:-}" = "pull_request" ]; then
  against=(--against "origin/$BASE" --merge-base)
fi
taxops check "${against[@]}" --format github --report "$report" > "$all"
code=$?
total=$(grep -c '^::' "$all" || true)
grep '^::' "$all" | head -n "$MAX_ANNOTATIONS"
grep -v '^::' "$all" || true
if [ "$total" -gt "$MAX_ANNOTATIONS" ]; then
  echo "::notice title=taxops::$((total - MAX_ANNOTATIONS)) more findings are not shown as annotations (GitHub shows only the first few); read the report comment or the taxops-report artefact"
fi
[ -f "$report" ] || echo "taxops check wrote no report (exit $code): see the log above" > "$report"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$report" >> "$GITHUB_STEP_SUMMARY"; fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "exit_code=$code" >> "$GITHUB_OUTPUT"
  echo "report=$report" >> "$GITHUB_OUTPUT"
fi
exit 0
