"""The CSV import, step by step: upload, map columns, preview with per-line errors, commit.

The upload stays on the server (see imports.store) between steps; the last step re-checks
the whole file and writes it in one transaction. Files over CONTACT_IMPORT_INLINE_ROWS lines
are checked and written by worker jobs (imports.jobs) whose page polls a JSON endpoint.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.contacts.access import require_press_for
from campaign.contacts.forms import CommitForm, UploadForm, mapping_form
from campaign.contacts.imports import jobs, store
from campaign.contacts.imports.analysis import Analysis
from campaign.contacts.imports.columns import FIELDS, guess_mapping, missing_required
from campaign.contacts.imports.models import ContactImportJob, ImportJobKind
from campaign.contacts.imports.reading import FileProblem
from campaign.contacts.imports.service import prepare, read_header
from campaign.contacts.imports.writing import ImportFailed, OnDuplicate, write
from campaign.csvsafe import csv_response, csv_text
from campaign.extensions import db
from campaign.jobs import JobStatus

bp = Blueprint("contact_imports", __name__, url_prefix="/contacts/import")
require_press_for(bp)
ERRORS_SHOWN = 500


@bp.url_value_preprocessor
def _allow_big_uploads(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Raise the upload cap for this step only; this runs before CSRF reads the form."""
    if endpoint == "contact_imports.upload":
        request.max_content_length = current_app.config["CONTACT_IMPORT_MAX_BYTES"]


def _upload(token: str) -> store.Upload:
    upload = store.load(token, current_user.id)
    if upload is None:
        abort(404, description="This upload is gone; please upload the file again.")
    return upload


@bp.route("", methods=["GET", "POST"])
def upload() -> ResponseReturnValue:
    form = UploadForm()
    if form.validate_on_submit():
        file = form.file.data
        saved = store.create(file.read(), file.filename or "upload.csv", current_user.id)
        return redirect(url_for("contact_imports.columns", token=saved.token))
    return render_template("contacts/import_upload.html", form=form)


@bp.route("/<token>", methods=["GET", "POST"])
def columns(token: str) -> ResponseReturnValue:
    upload = _upload(token)
    encoding = request.form.get("encoding") or upload.encoding
    try:
        header = read_header(upload.data(), encoding)
    except FileProblem as problem:
        return _columns_page(upload, None, str(problem), encoding)
    mapping = upload.mapping or guess_mapping(header)
    defaults = {f"column_{field}": str(index) for field, index in mapping.items()}
    form = mapping_form(
        header, encoding=encoding or "utf-8", on_duplicate=upload.on_duplicate, **defaults
    )
    if "column_email" in request.form and form.validate_on_submit():
        chosen = _chosen_mapping(form)
        if not missing_required(chosen):
            upload.encoding, upload.mapping = encoding, chosen
            upload.on_duplicate = form.on_duplicate.data
            upload.save()
            return redirect(url_for("contact_imports.preview", token=token))
        mapping = chosen
    missing = missing_required(mapping)
    message = f"Choose the column that holds: {', '.join(missing)}." if missing else ""
    return _columns_page(upload, form, message, encoding, header)


def _chosen_mapping(form: Any) -> dict[str, int]:
    values = {field: form[f"column_{field}"].data for field in FIELDS}
    return {field: int(value) for field, value in values.items() if value}


def _columns_page(
    upload: store.Upload,
    form: Any,
    problem: str,
    encoding: str | None,
    header: list[str] | None = None,
) -> str:
    return render_template(
        "contacts/import_columns.html",
        upload=upload,
        form=form or mapping_form([], encoding=encoding or "utf-8"),
        header=header,
        problem=problem,
        fields=FIELDS,
    )


def _analysis(upload: store.Upload) -> Analysis | None:
    """Every line checked once per set of choices; later steps reuse the stored result.

    None when the file is too large to check here and no worker has checked it yet.
    """
    checked = upload.checked()
    if checked is not None:
        return Analysis.from_json(checked)
    if jobs.runs_in_worker(upload):
        return None
    analysis = prepare(upload.data(), upload.encoding, upload.mapping)
    upload.keep_checked(analysis.to_json())
    return analysis


@bp.route("/<token>/preview", methods=["GET", "POST"])
def preview(token: str) -> ResponseReturnValue:
    upload = _upload(token)
    try:
        analysis = _analysis(upload)
    except FileProblem as problem:
        flash(str(problem), "error")
        return redirect(url_for("contact_imports.columns", token=token))
    if analysis is None:
        return _job_page(*jobs.request_job(upload, ImportJobKind.CHECK))
    form = CommitForm(on_duplicate=upload.on_duplicate)
    if form.validate_on_submit():
        if analysis.errors and not form.skip_invalid.data:
            flash(
                "Some lines have errors: fix the file, or tick the box to leave them out.", "error"
            )
        elif jobs.runs_in_worker(upload):
            policy, skip = OnDuplicate(form.on_duplicate.data), bool(form.skip_invalid.data)
            return _job_page(*jobs.request_job(upload, ImportJobKind.COMMIT, policy, skip))
        else:
            return _commit(upload, analysis, OnDuplicate(form.on_duplicate.data))
    return render_template(
        "contacts/import_preview.html",
        upload=upload,
        analysis=analysis,
        form=form,
        errors_shown=ERRORS_SHOWN,
        fields=FIELDS,
    )


def _commit(upload: store.Upload, analysis: Analysis, policy: OnDuplicate) -> ResponseReturnValue:
    try:
        result = write(analysis, policy, current_user, upload.filename)
    except ImportFailed as error:
        flash(str(error), "error")
        return redirect(url_for("contact_imports.preview", token=upload.token))
    store.discard(upload.token)
    flash(f"Import of {upload.filename} finished: {result.summary()}", "success")
    return redirect(url_for("contacts.index"))


@bp.get("/<token>/errors.csv")
def errors_csv(token: str) -> ResponseReturnValue:
    analysis = _analysis(_upload(token))
    if analysis is None:
        return redirect(url_for("contact_imports.preview", token=token))
    body = csv_text(["line", "reason"], [(e.line, e.reason) for e in analysis.errors])
    return csv_response(body, "import-errors.csv")


@bp.post("/<token>/cancel")
def cancel(token: str) -> ResponseReturnValue:
    store.discard(_upload(token).token)
    flash("Import cancelled; the uploaded file was deleted.", "success")
    return redirect(url_for("contacts.index"))


def _job_page(job: ContactImportJob, queued: bool) -> ResponseReturnValue:
    if not queued:
        flash("The job queue is unavailable right now; the import will go on when it is back.")
    return redirect(url_for("contact_imports.job", job_id=job.id))


def _own_job(job_id: int) -> ContactImportJob:
    job = db.get_or_404(ContactImportJob, job_id)
    if job.owner_id != current_user.id:
        abort(404)
    return job


def _job_state(job: ContactImportJob) -> dict[str, Any]:
    """What the progress page shows, and where it goes once the job is done."""
    checked = job.kind is ImportJobKind.CHECK and job.status is JobStatus.DONE
    return {
        "status": job.status.value,
        "label": job.status.label,
        "stage": job.stage,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "active": job.active,
        "waiting_for_queue": job.status is JobStatus.QUEUED and job.enqueued_at is None,
        "wait_note": job.wait_note if job.enqueued_at is not None else "",
        "summary": job.summary,
        "error": job.error,
        "next_url": url_for("contact_imports.preview", token=job.token) if checked else None,
    }


@bp.get("/jobs/<int:job_id>")
def job(job_id: int) -> ResponseReturnValue:
    """Progress of a large import step; a finished check goes on to the preview."""
    import_job = _own_job(job_id)
    state = _job_state(import_job)
    if state["next_url"]:
        return redirect(state["next_url"])
    return render_template("contacts/import_job.html", job=import_job, state=state)


@bp.get("/jobs/<int:job_id>/progress")
def job_progress(job_id: int) -> Response:
    """The job's state as JSON, polled by the progress page."""
    return jsonify(_job_state(_own_job(job_id)))
