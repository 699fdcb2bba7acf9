"""Every wait is explained: the distribution page and its JSON, and PDF jobs, say why
nothing is happening and until when."""

from __future__ import annotations

from datetime import time, timedelta

from campaign import clock
from campaign.auth.roles import Role
from campaign.distribution.models import SendMode
from campaign.extensions import db
from campaign.pdfs.models import PdfJob, PdfJobKind


def test_outside_the_sending_window_says_until_when(
    app, send_clock, smtp_sink, contact_list, distribute, client_as
):
    send_clock.now = send_clock.now.replace(hour=20)  # Monday 20:00 UTC
    dist_id = distribute(
        [contact_list(2)],
        window_days=[0, 1, 2, 3, 4],
        window_start=time(9, 0),
        window_end=time(17, 0),
    )
    progress = client_as(Role.VIEWER).get(f"/distributions/{dist_id}/progress").json
    assert progress["note"] == "Outside the sending window until 2026-03-03 09:00:00 UTC."


def test_a_distribution_no_worker_picks_up_asks_whether_a_worker_runs(
    app, send_clock, smtp_sink, contact_list, distribute, client_as
):
    at = send_clock.now + timedelta(hours=1)
    dist_id = distribute([contact_list(2)], send_mode=SendMode.CHOSEN_TIME, send_at=at)
    with app.app_context():
        from campaign.distribution.models import Distribution

        dist = db.session.get(Distribution, dist_id)
        dist.active_at = None  # as if no worker ever ran a step
        db.session.commit()
    send_clock.now = at + timedelta(minutes=3)
    page = client_as(Role.VIEWER).get(f"/distributions/{dist_id}")
    assert "No worker has taken this distribution for" in page.text
    assert "is a worker running?" in page.text


def test_a_pdf_job_nobody_takes_asks_whether_a_worker_runs(app, make_statement, client_as):
    statement_id = make_statement()
    with app.app_context():
        job = PdfJob(
            kind=PdfJobKind.VERSIONS_ZIP,
            statement_id=statement_id,
            enqueued_at=clock.now() - timedelta(minutes=3),
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    page = client_as(Role.EDITOR).get(f"/pdf-jobs/{job_id}")
    assert "No worker has taken this job for 3 minutes: is a worker running?" in page.text
