"""The benchmarks' own correctness checks, at small sizes: a bench that measures a wrong
result (names missing from a PDF, signatures lost, mail not sent) must not print a figure.
No timing is asserted here."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.scratch import ROOT


@pytest.mark.worker
def test_every_bench_passes_its_own_checks_in_quick_mode(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "| path | figure (median) |" in result.stdout
    assert "FAIL" not in result.stdout
