"""`make run` (scripts/serve) restarts a worker that exits, and Ctrl-C stops everything it
started within ten seconds: the web server, the supervisor, the worker and its pool (the
worker by itself, not killed after STOP_SECONDS)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

import pytest

from bench.scratch import ROOT
from tests.support.smtp import free_port
from tests.support.waiting import wait_until

pytestmark = pytest.mark.worker


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs (a zombie does not: where the init of a
    container does not reap orphans, they stay listed)."""
    states = subprocess.run(
        ["ps", "-o", "stat=", "--sid", str(pgid)], capture_output=True, text=True
    )
    return any(not state.startswith("Z") for state in states.stdout.split())


def _worker_group(log: Path) -> int:
    found = subprocess.run(
        ["pgrep", "-f", "--", f"--schedule {log.parent / 'beat'}"], capture_output=True, text=True
    ).stdout.split()
    return os.getpgid(int(found[0]))  # the worker's group (scripts/serve starts it with setsid)


def test_serve_restarts_a_dead_worker_and_stops_everything_on_ctrl_c(tmp_path):
    log = tmp_path / "worker.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("CELERY_")}
    env.update(
        FLASK_APP="campaign",
        PORT=str(free_port()),
        DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}",
        CELERY_BROKER_URL=f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
        CELERY_RESULT_BACKEND=f"db+sqlite:///{tmp_path / 'results.sqlite'}",
        WORKER_LOG=str(log),
        BEAT_SCHEDULE=str(tmp_path / "beat"),
    )
    said = tmp_path / "serve.err"
    serve = subprocess.Popen(
        [str(ROOT / "scripts" / "serve")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=said.open("wb"),
        start_new_session=True,
    )
    worker_group = 0
    try:
        wait_until(lambda: log.exists() and "ready." in log.read_text(), 90, "the worker")
        worker_group = _worker_group(log)
        os.killpg(worker_group, signal.SIGKILL)  # the worker and its pool die at once
        wait_until(lambda: "starting it again" in log.read_text(), 30, "the restart")
        wait_until(lambda: log.read_text().count("ready.") >= 2, 90, "the restarted worker")
        restarted = _worker_group(log)
        assert restarted != worker_group
        worker_group = restarted
        os.killpg(serve.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the foreground group
        serve.wait(timeout=10)  # it returns once the worker's whole group is gone
        left = subprocess.run(
            ["ps", "-o", "pid,pgid,stat,cmd", "--sid", f"{worker_group},{serve.pid}"],
            capture_output=True,
            text=True,
        ).stdout
        assert not _group_alive(worker_group) and not _group_alive(serve.pid), left
        assert "did not stop" not in said.read_text()  # it stopped by itself
    finally:
        if not worker_group and log.exists():
            with contextlib.suppress(IndexError, ProcessLookupError):
                worker_group = _worker_group(log)
        for group in (serve.pid, worker_group):
            if group and _group_alive(group):
                os.killpg(group, signal.SIGKILL)
