"""Staff pages: PDF downloads of any version, the HTML print preview, and render jobs."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for
from campaign.errors import bad_request
from campaign.extensions import db
from campaign.hooks import add_panel
from campaign.jobs import JobStatus
from campaign.pdfs import jobs, services
from campaign.pdfs.documents import ASSETS
from campaign.pdfs.marking import staff_watermark
from campaign.pdfs.models import PdfJob, PdfJobKind
from campaign.statements.forms import ActionForm
from campaign.statements.models import Statement, StatementVersion
from campaign.statements.services import UnknownVersion, get_version
from press.render import ASSET_FOLDERS, ROOT, render_html
from press.safety import RenderFailed, RenderTimeout

bp = Blueprint("pdfs", __name__)
require_login_for(bp)
add_panel(bp, "statement-panels", "pdfs/_version_links.html", order=20)
add_panel(bp, "version-panels", "pdfs/_version_links.html", order=20)


def _version(statement_id: int, number: int) -> tuple[Statement, StatementVersion]:
    statement = db.get_or_404(Statement, statement_id)
    try:
        return statement, get_version(statement, number)
    except UnknownVersion as error:
        abort(404, description=str(error))


def _send(data: bytes, filename: str, mime_type: str, etag: str) -> Response:
    return send_file(
        io.BytesIO(data),
        mimetype=mime_type,
        as_attachment=True,
        download_name=filename,
        etag=etag,
        max_age=0,
    )


def _job_page(job: PdfJob, queued: bool) -> ResponseReturnValue:
    if not queued:
        flash("The job queue is unavailable right now; the job will start when it is back.")
    return redirect(url_for("pdfs.job", job_id=job.id))


@bp.get("/statements/<int:statement_id>/versions/<int:number>/pdf")
def download(statement_id: int, number: int) -> ResponseReturnValue:
    """The PDF of one version; a large letter not yet rendered becomes a worker job."""
    statement, version = _version(statement_id, number)
    watermark = staff_watermark(version)
    rendered, key_of = services.remembered_pdf(version, watermark)
    if rendered is None:
        document = services.document_for_version(version, watermark=watermark)
        limit = current_app.config["PDF_INLINE_SIGNATORY_LIMIT"]
        if document.signatory_count > limit and not services.is_cached(document):
            return _job_page(*jobs.request_job(PdfJobKind.LETTER, statement, version, current_user))
        try:
            rendered = services.cached_render(version, document)
        except (RenderTimeout, RenderFailed) as error:
            abort(503, description=f"The PDF could not be made: {error}")
        services.remember_pdf(version, watermark, key_of, document)
    return _send(rendered.data, rendered.filename, "application/pdf", rendered.sha256)


@bp.get("/statements/<int:statement_id>/versions/<int:number>/print")
def print_preview(statement_id: int, number: int) -> str:
    """The same template and stylesheet as the PDF, shown in the browser."""
    _, version = _version(statement_id, number)
    document = services.document_for_version(version, watermark=staff_watermark(version))
    return render_html(document, asset_base=request.script_root + ASSETS)


@bp.get(ASSETS + "/<folder>/<path:name>")
def asset(folder: str, name: str) -> Response:
    """The preview's stylesheet and fonts, straight from press/."""
    if folder not in ASSET_FOLDERS:
        abort(404)
    return send_from_directory(ROOT / folder, name, max_age=86400)


@bp.post("/statements/<int:statement_id>/pdfs/all-versions")
def export_all_versions(statement_id: int) -> ResponseReturnValue:
    """Start a zip of every version's PDF in a worker."""
    statement = db.get_or_404(Statement, statement_id)
    if not ActionForm().validate_on_submit():
        bad_request()
    return _job_page(*jobs.request_job(PdfJobKind.VERSIONS_ZIP, statement, None, current_user))


@bp.get("/pdf-jobs/<int:job_id>")
def job(job_id: int) -> str:
    """Progress of a render job; reloads itself until the file is ready."""
    pdf_job = db.get_or_404(PdfJob, job_id)
    statement = db.session.get(Statement, pdf_job.statement_id)
    return render_template("pdfs/job.html", job=pdf_job, statement=statement)


@bp.get("/pdf-jobs/<int:job_id>/file")
def job_file(job_id: int) -> Response:
    pdf_job = db.get_or_404(PdfJob, job_id)
    if pdf_job.status is not JobStatus.DONE or pdf_job.data is None:
        abort(409, description="This job has no file yet.")
    return _send(pdf_job.data, pdf_job.filename, pdf_job.mime_type, pdf_job.sha256)
