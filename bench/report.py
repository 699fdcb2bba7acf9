"""What every benchmark prints, so that `bench/run.py` can put them all in one table.

A figure is a median over several runs with its minimum and maximum, a baseline measured in
the same run (a ratio is what means something on a shared, noisy machine), the goal the
project set for it, and the peak resident memory of the processes that did the work. Each
figure is printed twice: a line for people, and a `BENCH {json}` line for the runner.
"""

from __future__ import annotations

import json
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Timing:
    """Median, minimum and maximum of repeated measurements (seconds, or a rate)."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, samples: list[float]) -> Timing:
        return cls(statistics.median(samples), min(samples), max(samples))


def timed(action: Callable[[], object], repeat: int, warmup: int = 1) -> Timing:
    """Wall-clock seconds of `action`, after `warmup` uncounted calls."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return Timing.of(samples)


def timed_in_turns(
    action: Callable[[], object], baseline: Callable[[], object], repeat: int
) -> tuple[Timing, Timing]:
    """`timed` for an action and its baseline, run in turns after one warm-up each: on a
    shared machine the load changes within seconds, and a ratio of two series taken a
    minute apart measures the neighbours as much as the code."""
    action(), baseline()
    turns = [(timed(action, 1, 0).median, timed(baseline, 1, 0).median) for _ in range(repeat)]
    return Timing.of([mine for mine, _ in turns]), Timing.of([base for _, base in turns])


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of the largest child it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


@dataclass(frozen=True)
class Figure:
    """One line of the benchmark table."""

    bench: str
    path: str
    value: float
    low: float
    high: float
    unit: str
    baseline_label: str
    baseline: float
    ratio: float
    goal: str
    met: bool | None
    peak_rss_mb: float


def _scaled(value: float, unit: str) -> str:
    return f"{value * 1000:,.2f} ms" if unit == "s" and value < 1 else f"{value:,.2f} {unit}"


def figure(
    bench: str,
    path: str,
    timing: Timing,
    unit: str,
    baseline_label: str,
    baseline: float,
    goal: str = "",
    *,
    at_most: float | None = None,
    at_least: float | None = None,
    met: bool | None = None,
    peak_rss: float | None = None,
) -> Figure:
    """Print one figure (value / baseline, judged against `at_most` or `at_least` if set,
    or by `met` for a goal that is not a ratio); `peak_rss` (MB) for work done in processes
    this one did not start and wait for (e.g. a Celery worker's pool process)."""
    ratio = timing.median / baseline if baseline else float("nan")
    if at_most is not None:
        met = ratio <= at_most
    elif at_least is not None:
        met = ratio >= at_least
    result = Figure(
        bench,
        path,
        timing.median,
        timing.low,
        timing.high,
        unit,
        baseline_label,
        baseline,
        ratio,
        goal,
        met,
        peak_rss_mb() if peak_rss is None else peak_rss,
    )
    verdict = "" if met is None else ("; goal met" if met else "; goal NOT met")
    print(
        f"{path}: {_scaled(timing.median, unit)} "
        f"[{_scaled(timing.low, unit)} .. {_scaled(timing.high, unit)}] = {ratio:,.2f}x "
        f"{baseline_label} ({_scaled(baseline, unit)})"
        + (f"; goal {goal}" if goal else "")
        + verdict
        + f"; peak RSS {result.peak_rss_mb:,.0f} MB"
    )
    print("BENCH " + json.dumps(asdict(result)), flush=True)
    return result


def check(condition: bool, what: str) -> None:
    """Stop the benchmark when its own result is wrong: a fast wrong answer is no figure."""
    print(f"check: {what}: {'PASS' if condition else 'FAIL'}", flush=True)
    if not condition:
        raise SystemExit(f"benchmark result is wrong: {what}")
