"""Run every benchmark and print one table: path, figure, baseline, ratio, goal, met.

    .venv/bin/python bench/run.py            # the sizes the README quotes (many minutes)
    .venv/bin/python bench/run.py --quick    # small sizes: checks each bench's own results

Each bench runs in its own process (a fresh interpreter, its own peak memory) and prints
`BENCH {json}` lines (bench/report.py) that this script collects. A bench whose own
correctness check fails makes this script exit non-zero; a goal not met does not, since
timing is the machine's business, not a test's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# script -> (full-size arguments, quick arguments)
BENCHES: dict[str, tuple[list[str], list[str]]] = {
    "versions.py": ([], ["--versions", "60", "--words", "1000", "--repeat", "5"]),
    "pdf.py": ([], ["--sizes", "40", "--repeat", "1"]),
    "contact_import.py": ([], ["--rows", "2000", "--skip-postgres"]),
    "signon.py": ([], ["--sign-ons", "100", "--clients", "5", "--workers", "2", "--repeat", "1"]),
    "distribution.py": ([], ["--contacts", "100", "--repeat", "1"]),
}


def run(script: str, arguments: list[str]) -> tuple[list[dict[str, object]], bool, float]:
    """(figures, whether its checks passed, seconds) of one bench process."""
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, str(HERE / script), *arguments],
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    figures = [
        json.loads(line[len("BENCH ") :])
        for line in process.stdout.splitlines()
        if line.startswith("BENCH ")
    ]
    for line in process.stdout.splitlines():
        if not line.startswith("BENCH "):
            print(f"  {script}: {line}")
    if process.returncode != 0:
        print(f"  {script} FAILED (exit {process.returncode}):\n{process.stderr[-3000:]}")
    return figures, process.returncode == 0, elapsed


def _value(figure: dict[str, object]) -> str:
    value, unit = float(figure["value"]), str(figure["unit"])
    if unit == "s":
        return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"
    return f"{value:,.0f} {unit}"


def table(figures: list[dict[str, object]]) -> str:
    """The figures as a Markdown table, ready for the README."""
    rows = [
        "| path | figure (median) | baseline | ratio | goal | met | peak RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        baseline = f"{f['baseline_label']}: " + _value({**f, "value": f["baseline"]})
        met = {True: "yes", False: "no", None: ""}[f["met"]]  # type: ignore[index]
        rows.append(
            f"| {f['path']} | {_value(f)} | {baseline} | {float(f['ratio']):,.2f}x "
            f"| {f['goal']} | {met} | {float(f['peak_rss_mb']):,.0f} MB |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke test")
    parser.add_argument("--only", nargs="*", help="bench scripts to run, e.g. pdf.py")
    args = parser.parse_args()
    figures: list[dict[str, object]] = []
    failed = []
    for script, (full, quick) in BENCHES.items():
        if args.only and script not in args.only:
            continue
        print(f"running {script} ...", flush=True)
        found, ok, elapsed = run(script, quick if args.quick else full)
        print(f"  {script}: {len(found)} figures in {elapsed:.0f} s", flush=True)
        figures += found
        if not ok or not found:
            failed.append(script)
    print()
    print(table(figures))
    if failed:
        sys.exit(f"benchmarks that failed their own checks: {', '.join(failed)}")


if __name__ == "__main__":
    main()
