"""Downloads, print preview, render jobs and the CLI, through the test client and runner."""

from __future__ import annotations

import io
import zipfile

from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.jobs import JobStatus
from campaign.pdfs.models import CachedPdf, PdfJob
from campaign.statements.content import Content
from campaign.statements.models import Statement
from campaign.statements.services import save_version
from tests.support.pdfs import pdf_text


def _revise(app, statement_id, title):
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        save_version(statement, statement.head_number, Content(title=title, body="New."), None)


def test_statement_and_history_pages_offer_the_pdf_of_every_version(app, client_as, make_statement):
    statement_id = make_statement(title="First wording")
    _revise(app, statement_id, "Second wording")
    client = client_as(Role.PRESS_OFFICER)
    show = client.get(f"/statements/{statement_id}").get_data(as_text=True)
    assert f"/statements/{statement_id}/versions/2/pdf" in show
    assert f"/statements/{statement_id}/versions/2/print" in show
    history = client.get(f"/statements/{statement_id}/history").get_data(as_text=True)
    assert f"/statements/{statement_id}/versions/1/pdf" in history

    old = client.get(f"/statements/{statement_id}/versions/1/pdf")
    assert old.status_code == 200
    assert old.mimetype == "application/pdf"
    assert old.headers["Content-Disposition"] == "attachment; filename=first-wording-v1-draft.pdf"
    assert "First wording" in pdf_text(old.data)
    assert "Second wording" in pdf_text(
        client.get(f"/statements/{statement_id}/versions/2/pdf").data
    )


def test_repeat_download_is_served_from_cache_and_revalidates(app, client_as, make_statement):
    statement_id = make_statement()
    client = client_as(Role.VIEWER)
    url = f"/statements/{statement_id}/versions/1/pdf"
    first = client.get(url)
    assert client.get(url).data == first.data
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with app.app_context():
        assert db.session.query(CachedPdf).count() == 1


def test_unknown_version_and_anonymous_visitors_are_refused(client, client_as, make_statement):
    statement_id = make_statement()
    assert client.get(f"/statements/{statement_id}/versions/1/pdf").status_code == 302
    staff = client_as(Role.VIEWER)
    assert staff.get(f"/statements/{statement_id}/versions/9/pdf").status_code == 404
    assert staff.get("/statements/999/versions/1/print").status_code == 404


def test_print_preview_uses_the_pdf_template_and_its_assets(client_as, make_statement):
    statement_id = make_statement(title="Preview me", addressee="To the Committee")
    client = client_as(Role.EDITOR)
    page = client.get(f"/statements/{statement_id}/versions/1/print").get_data(as_text=True)
    assert '<h1 class="title">Preview me</h1>' in page
    assert 'href="/press-assets/styles/press.css"' in page
    css = client.get("/press-assets/styles/press.css")
    assert css.status_code == 200 and b"@font-face" in css.data
    assert client.get("/press-assets/fonts/LiberationSerif-Regular.ttf").status_code == 200
    assert client.get("/press-assets/templates/_base.html").status_code == 404
    assert client.get("/press-assets/fonts/..%2F..%2Fconfig.py").status_code == 404


def test_large_letter_becomes_a_job_whose_page_offers_the_file(
    app, client_as, open_statement, add_signature
):
    statement_id, _ = open_statement()
    for n in range(6):
        add_signature(statement_id, f"Big Coalition Member {n}")
    app.config["PDF_INLINE_SIGNATORY_LIMIT"] = 5
    client = client_as(Role.PRESS_OFFICER)
    with app.app_context():
        number = db.session.get(Statement, statement_id).head_number
    response = client.get(f"/statements/{statement_id}/versions/{number}/pdf")
    assert response.status_code == 302
    job_url = response.headers["Location"]
    page = client.get(job_url).get_data(as_text=True)  # tasks run eagerly in tests
    assert "Status: <strong>Done</strong>" in page
    assert 'http-equiv="refresh"' not in page
    pdf = client.get(job_url + "/file")
    text = pdf_text(pdf.data)
    assert all(text.count(f"Big Coalition Member {n}") == 1 for n in range(6))
    # Now that it is cached, the same download is served at once.
    direct = client.get(f"/statements/{statement_id}/versions/{number}/pdf")
    assert direct.status_code == 200 and direct.data == pdf.data


def test_export_all_versions_as_zip(app, client_as, make_statement):
    statement_id = make_statement(title="Zip one")
    _revise(app, statement_id, "Zip two")
    client = client_as(Role.PRESS_OFFICER)
    response = client.post(f"/statements/{statement_id}/pdfs/all-versions")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "All versions as a zip" in page and "3 of 3 steps" in page
    archive = zipfile.ZipFile(io.BytesIO(client.get(response.headers["Location"] + "/file").data))
    assert sorted(archive.namelist()) == ["zip-one-v1-draft.pdf", "zip-one-v2-draft.pdf"]
    assert "Zip two" in pdf_text(archive.read("zip-one-v2-draft.pdf"))


def test_job_file_before_it_is_ready_is_refused(app, client_as, make_statement):
    statement_id = make_statement()
    with app.app_context():
        job = PdfJob(kind="letter", statement_id=statement_id, status=JobStatus.QUEUED)
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    client = client_as(Role.VIEWER)
    assert 'http-equiv="refresh"' in client.get(f"/pdf-jobs/{job_id}").get_data(as_text=True)
    assert client.get(f"/pdf-jobs/{job_id}/file").status_code == 409


def test_cli_writes_the_pdf_of_a_chosen_version(app, runner, make_statement, tmp_path):
    statement_id = make_statement(title="Shell wording")
    _revise(app, statement_id, "Shell revised")
    out = tmp_path / "letter.pdf"
    result = runner.invoke(args=["render-pdf", "shell-wording", "--version", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Shell wording" in pdf_text(out.read_bytes())
    result = runner.invoke(args=["render-pdf", str(statement_id), "-o", str(out)])
    assert "Shell revised" in pdf_text(out.read_bytes())
    assert runner.invoke(args=["render-pdf", "nope", "-o", str(out)]).exit_code == 1
    bad = runner.invoke(args=["render-pdf", "shell-wording", "--version", "7", "-o", str(out)])
    assert "has no version 7" in bad.output
