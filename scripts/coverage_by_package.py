"""Print the line coverage of the last test run (`.coverage`) per package, smallest first.

`make test` runs it after pytest: one line per feature of campaign/, its core modules, press/
and workers/, instead of pytest-cov's hundreds of file lines. `coverage report -m` gives the
lines of one file (`.venv/bin/coverage report -m --include='campaign/signon/*'`).
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import coverage


def package_of(path: str) -> str:
    """`campaign/signon/x.py` -> `campaign/signon`; `campaign/x.py` -> `campaign (core)`."""
    parts = Path(path).parts
    if parts[0] == "campaign":
        return "campaign (core)" if len(parts) == 2 else f"campaign/{parts[1]}"
    return parts[0]


def totals(report: dict) -> dict[str, list[int]]:
    """(statements, covered) per package from a `coverage json` report."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path, data in report["files"].items():
        summary = sums[package_of(path)]
        summary[0] += data["summary"]["num_statements"]
        summary[1] += data["summary"]["covered_lines"]
    return sums


def main() -> int:
    if not Path(".coverage").exists():
        print("no .coverage file: run pytest with --cov first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "coverage.json"
        measured = coverage.Coverage()
        measured.load()
        measured.json_report(outfile=str(out))
        report = json.loads(out.read_text())
    sums = totals(report)
    print(f"{'package':<28}{'lines':>8}{'missed':>8}{'cover':>8}")
    for name, (lines, covered) in sorted(sums.items(), key=lambda i: i[1][1] / max(i[1][0], 1)):
        print(f"{name:<28}{lines:>8}{lines - covered:>8}{covered / max(lines, 1):>8.0%}")
    total = report["totals"]
    print(
        f"{'total':<28}{total['num_statements']:>8}{total['missing_lines']:>8}"
        f"{total['percent_covered'] / 100:>8.0%}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
