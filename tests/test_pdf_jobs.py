"""Render jobs: a real Celery worker on Redis, exactly-once claiming, and the stale sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest

from campaign import clock
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.jobs import JobStatus
from campaign.pdfs import jobs
from campaign.pdfs.models import PdfJob, PdfJobKind
from campaign.statements.models import Statement
from tests.support.pdfs import pdf_text
from tests.support.waiting import wait_until


def _wait_until_finished(app, job_id, seconds=120):
    """Poll the row the worker writes (bounded: a stuck worker fails the test, not hangs it)."""

    def finished():
        db.session.expire_all()
        job = db.session.get(PdfJob, job_id)
        return None if job.active else job.status

    with app.app_context():
        return wait_until(finished, seconds, f"job {job_id} to finish")


@pytest.mark.worker
def test_worker_renders_a_large_letter_offered_on_the_progress_page(
    app, client_as, open_statement, add_signature, celery_worker
):
    statement_id, _ = open_statement()
    names = [f"Worker Test Alliance {n:02d}" for n in range(12)]
    for name in names:
        add_signature(statement_id, name)
    app.config["PDF_INLINE_SIGNATORY_LIMIT"] = 10
    client = client_as(Role.PRESS_OFFICER)
    with app.app_context():
        number = db.session.get(Statement, statement_id).head_number
    response = client.get(f"/statements/{statement_id}/versions/{number}/pdf")
    job_url = response.headers["Location"]
    waiting = client.get(job_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' in waiting and "Queued" in waiting
    celery_worker()
    assert _wait_until_finished(app, int(job_url.rsplit("/", 1)[1])) is JobStatus.DONE
    page = client.get(job_url).get_data(as_text=True)
    assert "Download" in page and "4 of 4 steps" in page
    text = pdf_text(client.get(job_url + "/file").data)
    assert all(text.count(name) == 1 for name in names)


def _job(app, statement_id, **values):
    with app.app_context():
        job = PdfJob(kind=PdfJobKind.VERSIONS_ZIP, statement_id=statement_id, **values)
        db.session.add(job)
        db.session.commit()
        return job.id


def test_a_job_runs_once_even_if_its_task_is_delivered_twice(app, make_statement):
    job_id = _job(app, make_statement())
    with app.app_context():
        assert jobs.run_job(job_id) is True
        assert jobs.run_job(job_id) is False
        assert db.session.get(PdfJob, job_id).status is JobStatus.DONE


def test_sweep_restarts_lost_and_abandoned_jobs(app, make_statement):
    statement_id = make_statement()
    started = clock.now()
    never_sent = _job(app, statement_id)  # the broker was down when it was requested
    lost = _job(app, statement_id, enqueued_at=started)
    abandoned = _job(
        app,
        statement_id,
        status=JobStatus.RUNNING,
        enqueued_at=started,
        claimed_at=started,
        steps_total=2,
    )
    try:
        clock.set_clock(lambda: started + timedelta(minutes=1))
        with app.app_context():
            assert jobs.requeue_stale() == 1  # tasks run eagerly in tests
            assert db.session.get(PdfJob, never_sent).status is JobStatus.DONE
            assert db.session.get(PdfJob, lost).status is JobStatus.QUEUED
        clock.set_clock(lambda: started + timedelta(hours=1))
        with app.app_context():
            assert jobs.requeue_stale() == 2
            for job_id in (lost, abandoned):
                assert db.session.get(PdfJob, job_id).status is JobStatus.DONE
            assert jobs.requeue_stale() == 0
    finally:
        clock.set_clock(None)


def test_failed_render_is_reported_on_the_page(app, client_as, make_statement):
    statement_id = make_statement()
    with app.app_context():  # a letter job that names no version cannot be rendered
        job = PdfJob(kind=PdfJobKind.LETTER, statement_id=statement_id, version_id=None)
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        assert jobs.run_job(job_id) is True
        assert db.session.get(PdfJob, job_id).status is JobStatus.FAILED
    page = client_as(Role.VIEWER).get(f"/pdf-jobs/{job_id}").get_data(as_text=True)
    assert "The render failed" in page
    assert 'http-equiv="refresh"' not in page
