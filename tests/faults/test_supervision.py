"""`make run` (scripts/serve) restarts a worker that exits, and SIGTERM (what Ctrl-C leads
to) stops everything it started: the web server, the supervisor, the worker and its pool,
killing the worker if it has not stopped after STOP_SECONDS."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

from bench.scratch import ROOT
from tests.support.smtp import free_port


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _worker_group(log: Path) -> int:
    found = subprocess.run(
        ["pgrep", "-f", "--", f"--schedule {log.parent / 'beat'}"], capture_output=True, text=True
    ).stdout.split()
    return os.getpgid(int(found[0]))  # the worker's group (scripts/serve starts it with setsid)


def test_serve_restarts_a_dead_worker_and_stops_everything_on_sigterm(tmp_path):
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
        STOP_SECONDS="5",
    )
    serve = subprocess.Popen(
        [str(ROOT / "scripts" / "serve")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    worker_group = 0
    try:
        _wait(lambda: log.exists() and "ready." in log.read_text(), 90, "the worker")
        worker_group = _worker_group(log)
        os.killpg(worker_group, signal.SIGKILL)  # the worker and its pool die at once
        _wait(lambda: "starting it again" in log.read_text(), 30, "the restart")
        _wait(lambda: log.read_text().count("ready.") >= 2, 90, "the restarted worker")
        restarted = _worker_group(log)
        assert restarted != worker_group
        worker_group = restarted
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
        _wait(lambda: not _group_alive(worker_group), 10, "the worker to stop")
        _wait(lambda: not _group_alive(serve.pid), 10, "the web server to stop")
    finally:
        if not worker_group and log.exists():
            with contextlib.suppress(IndexError, ProcessLookupError):
                worker_group = _worker_group(log)
        for group in (serve.pid, worker_group):
            if group and _group_alive(group):
                os.killpg(group, signal.SIGKILL)
