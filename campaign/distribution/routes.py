"""Staff pages: create a distribution, watch it, pause/resume/cancel/retry, export the report,
and the suppression list."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.contacts.models import ContactList
from campaign.csvsafe import csv_text
from campaign.distribution import report, services, suppression
from campaign.distribution.forms import ActionForm, DistributionForm, ResendForm
from campaign.distribution.models import Distribution, RecipientStatus, Suppression
from campaign.extensions import db
from campaign.statements.models import StatementVersion

bp = Blueprint("distribution", __name__)
require_login_for(bp)


def _distribution(distribution_id: int) -> Distribution:
    return db.get_or_404(Distribution, distribution_id)


@bp.get("/distributions")
def index() -> str:
    rows = [(dist, report.progress(dist)) for dist in report.all_distributions()]
    return render_template("distribution/index.html", rows=rows)


def _version_choices(statement_id: int | None) -> list[tuple[int, str]]:
    statements = services.sendable_statements()
    if statement_id:
        statements = [s for s in statements if s.id == statement_id] or statements
    return [
        (version.id, f"{version.title} (version {version.number}, {statement.status.label})")
        for statement in statements
        for version in services.sendable_versions(statement)
    ]


def _prepare(form: DistributionForm) -> None:
    form.version_id.choices = _version_choices(request.args.get("statement_id", type=int))
    lists = db.session.scalars(select(ContactList).order_by(ContactList.name))
    form.list_ids.choices = [(lst.id, lst.name) for lst in lists]
    if request.method == "GET":
        form.reply_to.data = current_user.email
        if form.version_id.choices:
            first = db.session.get(StatementVersion, form.version_id.choices[0][0])
            form.subject.data = first.title


@bp.route("/distributions/new", methods=["GET", "POST"])
@requires(Permission.PRESS)
def new() -> Response | str | tuple[str, int]:
    form = DistributionForm()
    _prepare(form)
    if form.validate_on_submit():
        try:
            dist, queued = services.create_distribution(form.to_request(), current_user)
        except services.DistributionError as error:
            flash(str(error), "error")
        else:
            if queued:
                flash("Distribution created; sending is queued.", "success")
            else:
                flash(f"Distribution saved. {report.QUEUE_UNAVAILABLE}", "error")
            return redirect(url_for("distribution.show", distribution_id=dist.id))
    status = 422 if request.method == "POST" else 200
    return render_template("distribution/new.html", form=form), status


@bp.get("/distributions/<int:distribution_id>")
def show(distribution_id: int) -> str:
    dist = _distribution(distribution_id)
    shown = request.args.get("status", "")
    return render_template(
        "distribution/show.html",
        dist=dist,
        progress=report.progress(dist),
        recipients=report.recipients_page(dist, shown),
        shown=shown,
        form=ActionForm(),
    )


@bp.get("/distributions/<int:distribution_id>/progress")
def progress(distribution_id: int) -> Response:
    """Polled by the page for its live progress bar."""
    return jsonify(report.progress(_distribution(distribution_id)).as_json())


@bp.get("/distributions/<int:distribution_id>/report.csv")
def report_csv(distribution_id: int) -> Response:
    dist = _distribution(distribution_id)
    body = csv_text(report.CSV_HEADER, report.report_rows(dist))
    name = f"distribution-{dist.id}-report.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/distributions/<int:distribution_id>/document.pdf")
def document(distribution_id: int) -> Response:
    """The PDF exactly as it was attached (its SHA-256 is shown on the page)."""
    sent = _distribution(distribution_id).document
    return Response(
        sent.data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{sent.filename}"'},
    )


ACTIONS = {
    "pause": (services.pause, "Paused; sending stops after the current batch."),
    "resume": (services.resume, "Resumed."),
    "cancel": (services.cancel, "Cancelled; recipients not yet sent are skipped."),
    "retry": (services.retry_failed, ""),
}


@bp.post("/distributions/<int:distribution_id>/<action>")
@requires(Permission.PRESS)
def act(distribution_id: int, action: str) -> Response:
    dist = _distribution(distribution_id)
    if action not in ACTIONS:
        abort(404, description=f"There is no distribution action “{action}”.")
    if not ActionForm().validate_on_submit():
        abort(400, description="The form was incomplete; reload the page and try again.")
    perform, message = ACTIONS[action]
    try:
        outcome = perform(dist, current_user)
    except services.DistributionError as error:
        flash(str(error), "error")
    else:
        flash(message or _retry_message(outcome), "success")
        if outcome is False or getattr(outcome, "queue_reached", True) is False:
            flash(report.QUEUE_UNAVAILABLE, "error")
    return redirect(url_for("distribution.show", distribution_id=dist.id))


@bp.route("/distributions/<int:distribution_id>/resend-possibly-delivered", methods=["GET", "POST"])
@requires(Permission.PRESS)
def resend(distribution_id: int) -> Response | tuple[str, int]:
    """Send again to the possibly-delivered recipients, after an explicit confirmation."""
    dist = _distribution(distribution_id)
    form = ResendForm()
    if form.validate_on_submit():
        try:
            number = services.resend_possibly_delivered(dist, current_user)
        except services.DistributionError as error:
            flash(str(error), "error")
        else:
            flash(f"Sending again to {number:,} possibly-undelivered recipient(s).", "success")
        return redirect(url_for("distribution.show", distribution_id=dist.id))
    waiting = report.recipients_page(dist, RecipientStatus.UNCONFIRMED.value)
    status = 422 if request.method == "POST" else 200
    page = render_template("distribution/resend.html", dist=dist, form=form, rows=waiting)
    return page, status


def _retry_message(result: services.RetryResult) -> str:
    text = f"Retrying {result.requeued:,} failed recipient(s) once."
    if result.held_back:
        text += f" {result.held_back:,} stay failed: their addresses are suppressed."
    return text


@bp.get("/suppressions")
def suppressions() -> str:
    return render_template(
        "distribution/suppressions.html", rows=suppression.all_suppressions(), form=ActionForm()
    )


@bp.post("/suppressions/<int:suppression_id>/lift")
@requires(Permission.PRESS)
def lift(suppression_id: int) -> Response:
    row = db.get_or_404(Suppression, suppression_id)
    if not ActionForm().validate_on_submit():
        abort(400, description="The form was incomplete; reload the page and try again.")
    email = row.email
    suppression.lift(row, current_user)
    flash(f"{email} is no longer suppressed.", "success")
    return redirect(url_for("distribution.suppressions"))
