"""Large CSV imports as worker jobs: the same rules as in-request imports, run by Celery.

The inline threshold is set low so a few lines count as "large". Eager mode runs the jobs in
the test process on both databases; one test runs a real worker on Redis.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from campaign import clock
from campaign.auth.roles import Role
from campaign.contacts.imports import jobs
from campaign.contacts.imports.models import ContactImportJob, ImportJobKind
from campaign.contacts.models import Contact
from campaign.extensions import db
from campaign.jobs import JobStatus, claim_job
from tests.support.celery import broker_down
from tests.support.contacts_csv import choose_columns, upload
from tests.support.waiting import wait_until

Client = Callable[..., FlaskClient]


def csv_bytes(count: int, bad: tuple[int, ...] = ()) -> bytes:
    """`count` contacts; the rows numbered in `bad` have an invalid address."""
    lines = ["name,email,outlet"]
    for n in range(count):
        email = f"not-an-address-{n}" if n in bad else f"reporter{n}@wire.example"
        lines.append(f"Reporter {n},{email},Wire {n % 3}")
    return ("\n".join(lines) + "\n").encode()


def contact_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Contact.id)))


def job_row(app: Flask, job_id: int) -> ContactImportJob:
    with app.app_context():
        job = db.session.get(ContactImportJob, job_id)
        db.session.expunge(job)
        return job


@pytest.fixture(autouse=True)
def _small_threshold(app: Flask, import_dir: Path) -> Path:
    app.config["CONTACT_IMPORT_INLINE_ROWS"] = 3
    return import_dir


def _to_preview(client: FlaskClient, data: bytes) -> str:
    columns_url = upload(client, data)
    assert choose_columns(client, columns_url).status_code == 302
    return columns_url + "/preview"


def test_large_file_is_checked_and_written_by_jobs_with_the_same_rules(
    app: Flask, client_as: Client, import_dir: Path
) -> None:
    press = client_as(Role.PRESS_OFFICER)
    preview_url = _to_preview(press, csv_bytes(8, bad=(2, 5)))
    check = press.get(preview_url)
    job_url = check.headers["Location"]
    assert "/contacts/import/jobs/" in job_url
    state = press.get(job_url + "/progress").get_json()
    assert state["status"] == "done" and state["next_url"].endswith("/preview")
    assert press.get(job_url).headers["Location"].endswith("/preview")
    page = press.get(preview_url).get_data(as_text=True)
    assert "<td>4</td><td>invalid email" in page and "<td>7</td><td>invalid email" in page
    assert contact_count(app) == 0, "checking writes nothing"

    refused = press.post(preview_url, data={"on_duplicate": "merge"}, follow_redirects=True)
    assert "Some lines have errors" in refused.text and contact_count(app) == 0

    commit = press.post(preview_url, data={"on_duplicate": "merge", "skip_invalid": "y"})
    commit_url = commit.headers["Location"]
    done = press.get(commit_url + "/progress").get_json()
    assert (done["status"], done["rows_done"], done["rows_total"]) == ("done", 9, 9)
    assert "6 contacts created" in done["summary"] and "2 lines with errors" in done["summary"]
    page = press.get(commit_url).get_data(as_text=True)
    assert "finished: 6 contacts created" in page and "data-progress-url" in page
    assert contact_count(app) == 6
    assert list(import_dir.iterdir()) == [], "the upload is deleted once imported"


def test_small_files_stay_in_the_request(app: Flask, client_as: Client) -> None:
    press = client_as(Role.PRESS_OFFICER)
    preview_url = _to_preview(press, csv_bytes(2))
    assert press.get(preview_url).status_code == 200
    done = press.post(preview_url, data={"on_duplicate": "merge"}, follow_redirects=True)
    assert "2 contacts created" in done.text
    with app.app_context():
        assert db.session.scalar(select(func.count(ContactImportJob.id))) == 0


def _job(app: Flask, client: FlaskClient, data: bytes, **values: object) -> int:
    """A queued commit job for a freshly uploaded file, its task not yet sent."""
    columns_url = upload(client, data)
    choose_columns(client, columns_url)
    token = columns_url.rsplit("/", 1)[1]
    with app.app_context():
        owner_id = json.loads(Path(app.config["CONTACT_IMPORT_DIR"], f"{token}.json").read_text())[
            "owner_id"
        ]
        job = ContactImportJob(kind=ImportJobKind.COMMIT, token=token, owner_id=owner_id)
        for name, value in values.items():
            setattr(job, name, value)
        db.session.add(job)
        db.session.commit()
        return job.id


def test_a_commit_runs_once_even_if_its_task_is_delivered_twice(
    app: Flask, client_as: Client
) -> None:
    job_id = _job(app, client_as(Role.PRESS_OFFICER), csv_bytes(5))
    with app.app_context():
        assert jobs.run_job(job_id) is True
        assert jobs.run_job(job_id) is False
    assert job_row(app, job_id).status is JobStatus.DONE
    assert contact_count(app) == 5


def test_a_commit_whose_job_was_handed_to_another_task_is_undone(
    app: Flask, client_as: Client
) -> None:
    job_id = _job(app, client_as(Role.PRESS_OFFICER), csv_bytes(5))
    with app.app_context():
        assert claim_job(ContactImportJob, job_id)
        job = db.session.get(ContactImportJob, job_id)
        own_claim = job.claimed_at
        db.session.execute(  # meanwhile the sweep restarted it and another task claimed it
            update(ContactImportJob).values(claimed_at=clock.now() + timedelta(hours=1))
        )
        db.session.commit()
        with pytest.raises(jobs.Superseded):
            jobs._commit(job, own_claim)
        db.session.rollback()
    assert contact_count(app) == 0 and job_row(app, job_id).status is JobStatus.RUNNING


def test_a_commit_job_keeps_the_all_or_nothing_rule(app: Flask, client_as: Client) -> None:
    job_id = _job(app, client_as(Role.PRESS_OFFICER), csv_bytes(5, bad=(4,)))
    with app.app_context():
        assert jobs.run_job(job_id) is True
    failed = job_row(app, job_id)
    assert failed.status is JobStatus.FAILED and "1 line have errors" in failed.error
    assert contact_count(app) == 0


def test_sweep_restarts_lost_and_abandoned_jobs(app: Flask, client_as: Client) -> None:
    press = client_as(Role.PRESS_OFFICER)
    started = clock.now()
    lost = _job(app, press, csv_bytes(4), enqueued_at=started)
    abandoned = _job(
        app,
        press,
        csv_bytes(6).replace(b"reporter", b"desk"),
        status=JobStatus.RUNNING,
        enqueued_at=started,
        claimed_at=started,
    )
    try:
        clock.set_clock(lambda: started + timedelta(minutes=1))
        with app.app_context():
            assert jobs.requeue_stale() == 0
        clock.set_clock(lambda: started + timedelta(hours=1))
        with app.app_context():
            assert jobs.requeue_stale() == 2  # eager: the tasks run right away
            assert jobs.requeue_stale() == 0
    finally:
        clock.set_clock(None)
    assert {job_row(app, lost).status, job_row(app, abandoned).status} == {JobStatus.DONE}
    assert contact_count(app) == 10


def test_broker_down_the_page_says_so_and_the_sweep_starts_the_job(
    app: Flask, client_as: Client
) -> None:
    press = client_as(Role.PRESS_OFFICER)
    preview_url = _to_preview(press, csv_bytes(5))
    with broker_down(app):
        job_url = press.get(preview_url).headers["Location"]
        again = press.get(preview_url).headers["Location"]
    assert again == job_url, "a reload joins the job instead of starting another"
    assert "The job queue is unavailable" in press.get(job_url).text
    assert press.get(job_url + "/progress").get_json()["waiting_for_queue"] is True
    with app.app_context():
        assert jobs.requeue_stale() == 1
    assert press.get(job_url).headers["Location"] == preview_url


def test_only_the_uploader_sees_the_job(app: Flask, client_as: Client) -> None:
    press = client_as(Role.PRESS_OFFICER)
    job_url = press.get(_to_preview(press, csv_bytes(5))).headers["Location"]
    other = client_as(Role.PRESS_OFFICER)
    assert other.get(job_url).status_code == 404
    assert other.get(job_url + "/progress").status_code == 404


def _wait_until_finished(app: Flask, job_id: int, seconds: float = 60) -> ContactImportJob:
    """Poll the row the worker writes (bounded: a stuck worker fails the test, not hangs it)."""

    def finished() -> ContactImportJob | None:
        job = job_row(app, job_id)
        return None if job.active else job

    return wait_until(finished, seconds, f"import job {job_id} to finish")


@pytest.mark.worker
def test_worker_on_redis_checks_and_imports_a_large_file_exactly_once(
    app: Flask, client_as: Client, import_dir: Path, celery_worker: Callable[..., object]
) -> None:
    press = client_as(Role.PRESS_OFFICER)
    preview_url = _to_preview(press, csv_bytes(40))
    celery_worker(extra_env={"CONTACT_IMPORT_DIR": str(import_dir)})
    job_url = press.get(preview_url).headers["Location"]
    check = _wait_until_finished(app, int(job_url.rsplit("/", 1)[1]))
    assert check.status is JobStatus.DONE, check.error
    assert press.get(job_url + "/progress").get_json()["status"] == "done"
    assert "New contacts</th><td>40</td>" in press.get(preview_url).text
    commit_url = press.post(preview_url, data={"on_duplicate": "merge"}).headers["Location"]
    _wait_until_finished(app, int(commit_url.rsplit("/", 1)[1]))
    state = press.get(commit_url + "/progress").get_json()
    assert state["status"] == "done" and "40 contacts created" in state["summary"]
    with app.app_context():
        emails = db.session.scalars(select(Contact.email_key)).all()
    assert sorted(emails) == sorted(f"reporter{n}@wire.example" for n in range(40))
