"""Awaiting a condition instead of sleeping a fixed time: the one polling loop of the tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T], timeout: float = 30.0, what: str = "", interval: float = 0.05
) -> T:
    """Call `predicate` until it returns something truthy, and return that; fail after
    `timeout` seconds saying what was awaited (`what`, or the predicate's name)."""
    deadline = time.monotonic() + timeout
    while True:
        found = predicate()
        if found:
            return found
        if time.monotonic() >= deadline:
            name = what or getattr(predicate, "__name__", "a condition")
            raise AssertionError(f"timed out after {timeout:g} s waiting for {name}")
        time.sleep(interval)
