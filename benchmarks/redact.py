"""Redaction benchmark (not a test): ``taxops redact``'s DuckDB engine on a CSV
with planted emails, phone numbers and card numbers, against a plain DuckDB
CSV-to-CSV copy (the floor: the same read and write, no detection) and, where
asked, Python's csv module doing the same detection with the same patterns and
the libraries per value (what a user writes by hand), in the same run.

    python benchmarks/redact.py                          # 1M and 10M rows
    python benchmarks/redact.py --rows 100000 --python-rows 100000

The file: ``id``, ``created`` (a date), ``text`` (a support message), ``label``.
One row in 9 holds an email, one in 11 a phone number (US or UK format), one in
13 a card number (valid Luhn), one in 7 an order number and every row a date
that are not personal. Each run is its own process; peak memory is its max RSS
(``os.wait4``); time is the median of ``--repeat`` runs. After the taxops run a
separate process checks the output: no planted value left, every row there in
order, and the report's counts equal to what was planted.

Results: ``results/redact.md`` (the table, each variant's time as a ratio to the
plain copy at the same size, wall and CPU, and the machine's load during the
run) and ``results/redact.svg``; the memory sweep writes
``results/redact-memory.md`` and ``results/redact-memory.svg``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
RESULTS = HERE / "results"
CARDS = ["4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005", "6011111111111117"]
POLICY = {
    "taxops": "privacy/1",
    "phone_regions": ["US", "GB"],
    "classes": [
        {"id": "internal", "description": "ids and dates", "redaction": [], "retention_days": 365},
        {
            "id": "personal",
            "description": "messages",
            "redaction": [
                {"detect": "email"},
                {"detect": "phone"},
                {"detect": "payment_card", "mask": "[card {last}]", "keep_last": 4},
                {"detect": "iban"},
            ],
            "retention_days": 365,
        },
    ],
    "fields": [
        {"field": "id", "data_class": "internal"},
        {"field": "created", "data_class": "internal"},
    ],
}


def planted(rows: int) -> dict[str, int]:
    """How many of each kind the generator plants in ``rows`` rows."""
    return {
        "email": len(range(0, rows, 9)),
        "phone": len(range(0, rows, 11)),
        "payment_card": len(range(0, rows, 13)),
    }


def generate(rows: int) -> Path:
    import duckdb

    path = OUT / f"messages-{rows}.csv"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    cards = "[" + ", ".join(f"'{c}'" for c in CARDS) + "]"
    text = (
        "concat_ws(' ', 'Hello, my order', CASE WHEN i % 7 = 0 THEN 'NW-' || (100000 + i % 900000) END, "
        "'arrived damaged on ' || strftime(DATE '2025-01-01' + (i % 365)::INTEGER, '%Y-%m-%d') || '.', "
        "CASE WHEN i % 9 = 0 THEN 'Write to customer' || i || '@example.com.' END, "
        "CASE WHEN i % 11 = 0 THEN (CASE WHEN i % 2 = 0 THEN 'Call +1 415-555-' || lpad((i % 10000)::VARCHAR, 4, '0') "
        "ELSE 'Call 020 7946 ' || lpad((i % 1000)::VARCHAR, 4, '0') END) || '.' END, "
        f"CASE WHEN i % 13 = 0 THEN 'Refund to card ' || {cards}[(i % 4)::INTEGER + 1] || '.' END, "
        "'Thanks!')"
    )
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(
        f"COPY (SELECT i AS id, strftime(DATE '2025-01-01' + (i % 365)::INTEGER, '%Y-%m-%d') AS created, "
        f"{text} AS text, 'label_' || (i % 40) AS label FROM range({rows}) t(i)) "
        f"TO '{path}.tmp' (FORMAT csv, HEADER true)"
    )
    os.replace(f"{path}.tmp", path)
    return path


# --- workers: each runs in its own process ----------------------------------------


#: 1-minute load averages sampled during the run (reported as a range).
_LOADS: list[float] = []

#: The memory limit a worker gives DuckDB (the memory sweep sets it).
LIMIT_VARIABLE = "REDACT_BENCH_MEMORY_LIMIT"


def _memory_limit() -> str:
    from taxops.engines.job import DEFAULT_MEMORY_LIMIT

    return os.environ.get(LIMIT_VARIABLE, DEFAULT_MEMORY_LIMIT)


def work_taxops(src: Path, dst: Path) -> None:
    from taxops.engines.redact import redact_file
    from taxops.models.privacy import Privacy

    report = redact_file(
        src, "csv", dst, Privacy.model_validate(POLICY), "personal", skip=["label"],
        memory_limit=_memory_limit(),
    )  # fmt: skip
    dst.with_name(dst.name + ".report.json").write_text(json.dumps(report))


def work_copy(src: Path, dst: Path) -> None:
    import duckdb

    duckdb.execute(f"SET memory_limit = '{_memory_limit()}'")
    duckdb.execute(
        f"COPY (SELECT * FROM read_csv('{src}', all_varchar = true)) TO '{dst}' "
        "(FORMAT csv, HEADER true)"
    )


def work_python(src: Path, dst: Path) -> None:
    """The same detection by hand: the same candidate patterns, then the
    libraries per candidate (stdnum's Luhn, libphonenumber), row by row."""
    import phonenumbers
    from stdnum import luhn
    from taxops.redaction.detectors import EMAIL, PAYMENT_CARD, PHONE

    email, card, phone = re.compile(EMAIL), re.compile(PAYMENT_CARD), re.compile(PHONE)

    def valid_phone(c: str) -> bool:
        for region in ("US", "GB"):
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(c, region)):
                    return True
            except phonenumbers.NumberParseException:
                pass
        return False

    with open(src, newline="") as f, open(dst, "w", newline="") as g:
        reader, writer = csv.reader(f), csv.writer(g)
        writer.writerow(next(reader))
        for row in reader:
            text = row[2]
            for m in email.finditer(text):
                text = text.replace(m.group(1), "[email]")
            for m in card.finditer(text):
                digits = re.sub(r"\D", "", m.group(1))
                if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
                    text = text.replace(m.group(1), f"[card {m.group(1)[-4:]}]")
            for m in phone.finditer(text):
                if valid_phone(m.group(1)):
                    text = text.replace(m.group(1), "[phone]")
            row[2] = text
            writer.writerow(row)


def work_verify(path: Path, _: Path) -> None:
    """No planted value left, rows complete and in order, counts as planted."""
    import duckdb

    src = Path(path.read_text().strip())
    out = path.with_name("result-taxops.csv")
    report = json.loads(out.with_name(out.name + ".report.json").read_text())
    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    [(n, left_email, left_phone, left_card, disorder, dates)] = con.execute(
        f"""SELECT count(*),
              count(*) FILTER (WHERE text LIKE '%@example.com%'),
              count(*) FILTER (WHERE text LIKE '%415-555-%' OR text LIKE '%020 7946%'),
              count(*) FILTER (WHERE regexp_matches(text, '[0-9]{{4}}[ -]?[0-9]{{4}}[ -]?[0-9]{{4}}')),
              count(*) FILTER (WHERE id::BIGINT <= prev),
              count(*) FILTER (WHERE regexp_matches(text, 'on 2025-[0-9]{{2}}-[0-9]{{2}}'))
            FROM (SELECT *, lag(id::BIGINT) OVER () AS prev FROM read_csv('{out}', all_varchar = true))"""
    ).fetchall()
    rows = con.execute(f"SELECT count(*) FROM read_csv('{src}', all_varchar = true)").fetchone()[0]
    [text] = [f for f in report["fields"] if f["field"] == "text"]
    masked = {r["detect"]: r["masked"] for r in text["rules"]}
    expected = planted(rows)
    print(
        json.dumps(
            {
                "rows_kept": n == rows == report["rows"],
                "order_kept": disorder == 0,
                "left": left_email + left_phone + left_card,
                "dates_kept": dates == rows,
                "counts_as_planted": all(masked[k] == v for k, v in expected.items()),
                "masked": masked,
            }
        )
    )


WORKERS = {"taxops": work_taxops, "duckdb-copy": work_copy, "python-csv": work_python}


def measure(variant: str, src: Path, rows: int, repeat: int) -> dict[str, object]:
    dst = OUT / f"result-{variant}.csv"
    times, cpus, peaks = [], [], []
    load_before = os.getloadavg()[0]
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, __file__, "--worker", variant, str(src), str(dst)])
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - started)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)
        if status != 0:
            return {"variant": variant, "error": f"exit status {status}"}
    seconds = sorted(times)[len(times) // 2]
    result: dict[str, object] = {
        "variant": variant,
        "seconds": round(seconds, 2),
        # CPU seconds (user + system, every thread): what the work costs, much
        # less disturbed than wall time by other jobs on a shared machine.
        "cpu_seconds": round(sorted(cpus)[len(cpus) // 2], 2),
        "rows_per_s": round(rows / seconds),
        "peak_rss_mb": round(max(peaks)),
        # The 1-minute load average before and after this variant's runs.
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    if variant == "taxops":
        marker = OUT / "verify-source.txt"
        marker.write_text(str(src))
        check = subprocess.run(
            [sys.executable, __file__, "--worker", "verify", str(marker), "-"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        result["check"] = json.loads(check.stdout)
    return result


def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def trace(variant: str, src: Path, limit: str) -> dict[str, object]:
    """One run with DuckDB's memory limit at ``limit``: its peak (max RSS) and
    its RSS every 0.2 s."""
    import threading

    dst = OUT / f"result-{variant}.csv"
    env = {**os.environ, LIMIT_VARIABLE: limit}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker", variant, str(src), str(dst)], env=env
    )
    samples: list[tuple[float, float]] = []

    def sample() -> None:
        while (rss := _rss_mb(proc.pid)) is not None:
            samples.append((round(time.perf_counter() - started, 1), round(rss)))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    sampler.join(timeout=1)
    return {
        "variant": variant,
        "memory_limit": limit,
        "status": status,
        "seconds": round(time.perf_counter() - started, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "rss_mb": samples,
    }


def memory_sweep(rows: list[int], limits: list[str]) -> None:
    """Peak memory over file size, at several memory limits: growth that stops
    at the limit is DuckDB's buffer pool, not memory held per row. Writes the
    chart ``results/redact-memory.svg`` and the traces beside the outputs."""
    from chart import line_chart

    peaks: dict[str, list[tuple[float, float]]] = {}
    traces = []
    for n in rows:
        src = generate(n)
        runs = [(variant, limit) for variant in ("taxops", "duckdb-copy") for limit in limits]
        for variant, limit in runs:
            r = {"rows": n, **trace(variant, src, limit)}
            _LOADS.append(os.getloadavg()[0])
            traces.append(r)
            print(json.dumps({k: v for k, v in r.items() if k != "rss_mb"}), flush=True)
            peak = float(str(r["peak_rss_mb"]))
            peaks.setdefault(f"{variant}, memory limit {limit}", []).append((n / 1e3, peak))
    (OUT / "redact-memory.json").write_text(json.dumps(traces))
    svg = line_chart(
        peaks,
        title="taxops redact: peak memory over rows",
        x_label="rows (thousands)",
        y_label="peak RSS (MB)",
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "redact-memory.svg").write_text(svg)
    lines = [
        "# Redaction benchmark: peak memory over rows, at several memory limits\n",
        f"`python benchmarks/redact.py {' '.join(sys.argv[1:])}`; {_machine(_LOADS)}. One run per "
        "point, each in its own process; peak = its max RSS. The plain copy (a DuckDB "
        "CSV-to-CSV copy of the same file) runs at the same limits.\n",
        "| rows | variant | memory limit | seconds | peak MB |",
        "|---:|---|---|---:|---:|",
    ]
    lines += [
        f"| {r['rows']:,} | {r['variant']} | {r['memory_limit']} | {r['seconds']} | "
        f"{r['peak_rss_mb']} |"
        for r in traces
    ]
    lines.append("\n![peak memory over rows](redact-memory.svg)")
    (RESULTS / "redact-memory.md").write_text("\n".join(lines) + "\n")


def _machine(loads: list[float]) -> str:
    import duckdb

    seen = (
        f"{min(loads):.1f} to {max(loads):.1f} (1-minute, sampled around each measurement)"
        if loads
        else "not recorded"
    )
    return (
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, DuckDB {duckdb.__version__}, "
        f"load average {seen}"
    )


def _check_text(check: dict[str, object]) -> str:
    ok = (
        check["left"] == 0
        and check["rows_kept"]
        and check["order_kept"]
        and check["dates_kept"]
        and check["counts_as_planted"]
    )
    if ok:
        return "all masked, rows, order and dates kept, counts = planted"
    return "FAILED: " + json.dumps(check)


#: What the file and the policy are, for the results page.
DATA = (
    "The file: `id`, `created`, `text`, `label`; `text` is a support message in which one "
    "row in 9 holds an email address, one in 11 a phone number (US `+1 415-555-0123` or UK "
    "`020 7946 0123`), one in 13 a card number (Luhn-valid; spaced, hyphenated or plain), "
    "one in 7 an order number and every row a date (neither is personal). Policy: class "
    "`personal` on `text` (email, phone, payment_card keeping the last 4 digits, iban), "
    "`id` and `created` internal, the label column never redacted; `phone_regions: [US, GB]`. "
    "The check, a separate process reading taxops' output: no planted value left, every row "
    "there in order, every date kept, and the report's counts per rule equal to the numbers "
    "planted."
)


def write_results(run: dict[str, Any]) -> None:
    """``results/redact.md``: each variant's median time and its ratio to the
    plain copy of the same file in the same run; ``results/redact.svg``."""
    from chart import line_chart

    results: list[dict[str, Any]] = run["results"]
    loads = [x for r in results for x in r.get("load", [])]
    copy = {r["rows"]: r for r in results if r["variant"] == "duckdb-copy" and "error" not in r}
    lines = [
        "# Redaction benchmark: taxops redact against a plain DuckDB copy\n",
        f"`python benchmarks/redact.py {run['command']}`; {_machine(loads)}. Median of "
        f"{run['repeat']} runs, each its own process (start-up included); CPU = user + system "
        "seconds of every thread; peak = max RSS. The ratio is a variant's time over the "
        "plain copy's (`COPY (SELECT * FROM read_csv(...)) TO ...`: the same read and "
        "write, no detection) on the same file in the same run. CPU seconds are less "
        "disturbed than wall time by the other jobs sharing the machine.\n",
        DATA + "\n",
        "| rows | variant | seconds | x copy | CPU s | x copy (CPU) | rows/s | peak MB | load | check |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    ratios: dict[str, list[tuple[float, float]]] = {}
    for r in results:
        if "error" in r:
            lines.append(f"| {r['rows']:,} | {r['variant']} | {r['error']} | | | | | | | |")
            continue
        base = copy.get(r["rows"])
        wall = cpu = ""
        if base is not None:
            w, c = r["seconds"] / base["seconds"], r["cpu_seconds"] / base["cpu_seconds"]
            wall, cpu = f"{w:.1f}", f"{c:.1f}"
            if r["variant"] == "taxops":
                ratios.setdefault("wall time", []).append((r["rows"] / 1e3, w))
                ratios.setdefault("CPU time", []).append((r["rows"] / 1e3, c))
        load = r["load"]
        check = _check_text(r["check"]) if "check" in r else ""
        lines.append(
            f"| {r['rows']:,} | {r['variant']} | {r['seconds']} | {wall} | {r['cpu_seconds']} "
            f"| {cpu} | {r['rows_per_s']:,} | {r['peak_rss_mb']} | {load[0]:.1f} → {load[1]:.1f} "
            f"| {check} |"
        )
    taxops = [r for r in results if r["variant"] == "taxops" and "error" not in r]
    if len(taxops) > 1:
        peaks = ", ".join(f"{r['peak_rss_mb']} MB at {r['rows']:,}" for r in taxops)
        copies = ", ".join(f"{copy[r['rows']]['peak_rss_mb']} MB" for r in taxops)
        lines.append(
            f"\nPeak memory of taxops: {peaks} rows (the plain copy: {copies}). DuckDB's memory "
            "limit (512 MB unless `--memory-limit` says otherwise) bounds both; "
            "`redact-memory.md` has the peak at several limits."
        )
    lines.append("\n![taxops redact's time as a multiple of the plain copy's](redact.svg)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "redact.md").write_text("\n".join(lines) + "\n")
    svg = line_chart(
        ratios,
        title="taxops redact: time as a multiple of a plain DuckDB copy",
        x_label="rows (thousands)",
        y_label="x the copy's time",
    )
    (RESULTS / "redact.svg").write_text(svg)


def profile(rows: int) -> None:
    """Where the time goes, in one process on a table already in memory (so
    reading the file is left out): the CPU seconds of each detector alone, of
    all together as ``taxops redact`` runs them, and of the screens alone (no
    value passing them), the best of two runs each. Printed, not written: the
    redaction reference page quotes it."""
    import dataclasses
    import resource

    import duckdb
    from taxops.models.privacy import Privacy
    from taxops.redaction import sql
    from taxops.redaction.plan import field_plan

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{_memory_limit()}'")
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{generate(rows)}', all_varchar = true)")
    columns = ["id", "created", "text", "label"]

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    def run(name: str, detect: list[str], screens_only: bool = False) -> None:
        personal = {**POLICY["classes"][1]}  # type: ignore[index]
        personal["redaction"] = [r for r in personal["redaction"] if r["detect"] in detect]
        policy = Privacy.model_validate({**POLICY, "classes": [POLICY["classes"][0], personal]})  # type: ignore[index]
        plan = field_plan(policy, columns, "personal", skip=["label"])
        real = sql.detectors
        if screens_only:  # a screen no value passes: what the rows that hold nothing cost
            sql.detectors = lambda p: {  # type: ignore[assignment]
                k: dataclasses.replace(d, prefilter="x^") for k, d in real(p).items()
            }
        query = sql.redaction_query("t", columns, plan, policy)
        sql.detectors = real  # type: ignore[assignment]
        best = float("inf")
        for _ in range(2):
            started = cpu()
            con.execute(f"SELECT sum(hash(text)), sum(__taxops_n_0_0) FROM ({query})").fetchall()
            best = min(best, cpu() - started)
        print(f"{name:<36} {best:6.2f} CPU s", flush=True)

    print(f"{rows:,} rows in memory; load average {os.getloadavg()[0]:.1f}")
    every = ["email", "iban", "payment_card", "phone"]
    for d in every:
        run(f"{d} alone", [d])
    run("all four, as taxops redact runs them", every)
    run("all four, no value passing a screen", every, screens_only=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument(
        "--python-rows", type=int, nargs="*", default=[1_000_000],
        help="sizes the python-csv baseline also runs at (it is slow)",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median time)")
    parser.add_argument(
        "--memory-sweep", type=int, nargs="*", metavar="ROWS",
        help="instead: peak memory of taxops and of the plain copy at each --memory-limits "
        "over these sizes (one run each), charted",
    )  # fmt: skip
    parser.add_argument("--memory-limits", nargs="*", default=["256MB", "512MB", "1GB"])
    parser.add_argument(
        "--rewrite", action="store_true",
        help="instead: write the results page again from the last run's figures (out/redact-run.json)",
    )  # fmt: skip
    parser.add_argument(
        "--profile", type=int, metavar="ROWS",
        help="instead: CPU seconds of each detector and of the screens, in one process (printed)",
    )  # fmt: skip
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        variant, src, dst = args.worker
        {**WORKERS, "verify": work_verify}[variant](Path(src), Path(dst))
        return
    saved = OUT / "redact-run.json"
    if args.rewrite:
        write_results(json.loads(saved.read_text()))
        return
    if args.profile:
        profile(args.profile)
        return
    _LOADS.append(os.getloadavg()[0])
    if args.memory_sweep:
        memory_sweep(args.memory_sweep, args.memory_limits)
        return
    results = []
    for rows in args.rows:
        src = generate(rows)
        for variant in WORKERS:
            if variant == "python-csv" and rows not in args.python_rows:
                continue
            r = {"rows": rows, **measure(variant, src, rows, args.repeat)}
            results.append(r)
            print(json.dumps(r), flush=True)
    run = {"command": " ".join(sys.argv[1:]), "repeat": args.repeat, "results": results}
    saved.write_text(json.dumps(run))
    write_results(run)
    print(f"wrote {RESULTS / 'redact.md'}")


if __name__ == "__main__":
    main()
