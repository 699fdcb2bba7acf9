"""Staff pages: create a distribution, watch it, pause/resume/cancel/retry, export the report,
and the suppression list."""

from __future__ import annotations

from urllib.parse import urlencode

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
from wtforms import ValidationError

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.contacts.lists import all_lists
from campaign.courier.transport import MailError
from campaign.csvsafe import csv_response, csv_text
from campaign.distribution import report, review, services
from campaign.distribution.forms import ActionForm, ResendForm, ReviewForm
from campaign.distribution.models import Distribution, RecipientStatus
from campaign.errors import bad_request
from campaign.extensions import db
from campaign.site.services import organization
from campaign.statements.models import StatementVersion
from campaign.urlconverters import requested_page

bp = Blueprint("distribution", __name__)
require_login_for(bp)


def _distribution(distribution_id: int) -> Distribution:
    return db.get_or_404(Distribution, distribution_id)


@bp.get("/distributions")
def index() -> str:
    page = report.distributions_page(requested_page())
    rows = [(dist, report.progress(dist)) for dist in page.items]
    return render_template("distribution/index.html", rows=rows, page=page)


def _version_choices(statement_id: int | None) -> list[tuple[int, str]]:
    statements = services.sendable_statements()
    if statement_id:
        statements = [s for s in statements if s.id == statement_id] or statements
    return [
        (version.id, services.version_label(version))
        for statement in statements
        for version in services.sendable_versions(statement)
    ]


def _prepare(form: ReviewForm, statement_id: int | None = None, defaults: bool = False) -> None:
    """Choices of the form; with `defaults`, the compose page's first values."""
    form.version_id.choices = _version_choices(statement_id)
    form.list_ids.choices = [
        (lst.id, f"{lst.name} ({size:,} contacts)") for lst, size in all_lists()
    ]
    org = organization()
    senders = [("organization", org.sender_name)]
    if current_user.name and current_user.name != org.sender_name:
        senders.append(("officer", f"{current_user.name}, {org.name}"))
    form.offer_senders(senders, org.sender_address)
    if defaults:
        form.reply_to.data = current_user.email
        if form.version_id.choices:
            first = db.session.get_one(StatementVersion, form.version_id.choices[0][0])
            form.subject.data = first.title


@bp.get("/distributions/new")
@requires(Permission.PRESS)
def new() -> str:
    """Step 1, compose."""
    form = ReviewForm()
    _prepare(form, request.args.get("statement_id", type=int), defaults=True)
    return render_template("distribution/new.html", form=form)


@bp.post("/distributions/new")
@requires(Permission.PRESS)
def submit() -> ResponseReturnValue:
    """Steps 2 and 3: review (the default), send a test, or start. Only "start" writes."""
    form = ReviewForm()
    _prepare(form)
    action = request.form.get("action", "review")
    if not form.validate_on_submit() or action == "edit":
        return render_template("distribution/new.html", form=form), 422 if form.errors else 200
    try:
        req = form.to_request()
        checked = review.review(req)
        if action == "start":
            return _start(form, req, checked)
        if action == "test":
            _test(form, req)
        return _review_page(form, req, checked), 200
    except services.DistributionError as error:
        flash(str(error), "error")
        return render_template("distribution/new.html", form=form), 422


def _start(form: ReviewForm, req: services.Request, checked: review.Review) -> ResponseReturnValue:
    expected = request.form.get("expected", type=int)
    if expected != checked.receive:
        flash(
            f"The recipients changed since the review: {checked.receive:,} would now receive "
            "it. Check the counts and start again.",
            "error",
        )
        return _review_page(form, req, checked), 409
    dist, queued = services.create_distribution(req, current_user)
    if queued:
        flash(f"Sending to {checked.receive:,} journalists has started.", "success")
    else:
        flash(f"Distribution saved. {report.QUEUE_UNAVAILABLE}", "error")
    return redirect(url_for("distribution.show", distribution_id=dist.id))


def _test(form: ReviewForm, req: services.Request) -> None:
    limit = current_app.config["DISTRIBUTION_TEST_EXTRA_ADDRESSES"]
    try:
        addresses = form.test_recipients(current_user.email, limit)
    except ValidationError as error:
        form.test_addresses.errors = [str(error)]
        flash(str(error), "error")
        return
    try:
        sent = review.send_test(req, addresses, current_user)
    except MailError as error:
        flash(f"The test could not be sent: {error}", "error")
        return
    flash(f"Test sent to {', '.join(addresses[:sent])}, marked [TEST].", "success")


def _review_page(form: ReviewForm, req: services.Request, checked: review.Review) -> str:
    sample = review.pick(checked, form.preview_contact.data)
    text, _ = review.preview(req, sample)
    carried = form.carried()
    query = urlencode([*carried, ("preview_contact", sample.contact_id if sample else "")])
    frame_url = url_for("distribution.preview_email") + "?" + query
    return render_template(
        "distribution/review.html",
        form=form,
        req=req,
        checked=checked,
        sample=sample,
        text=text,
        carried=carried,
        frame_url=frame_url,
        version=db.session.get(StatementVersion, req.version_id),
        test_limit=current_app.config["DISTRIBUTION_TEST_EXTRA_ADDRESSES"],
    )


@bp.get("/distributions/preview")
@requires(Permission.PRESS)
def preview_email() -> Response:
    """The HTML part as one recipient gets it, for the review page's frame. It is a whole
    email document with inline styles, so it gets its own policy: no scripts, no forms."""
    form = ReviewForm(formdata=request.args, meta={"csrf": False})
    _prepare(form)
    if not form.validate():
        bad_request("The preview link is incomplete; go back to the review.")
    req = form.to_request()
    try:
        checked = review.review(req)
        _, html = review.preview(req, review.pick(checked, form.preview_contact.data))
    except services.DistributionError as error:
        bad_request(str(error))
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; "
        "frame-ancestors 'self'; form-action 'none'"
    )
    return response


@bp.get("/distributions/<int:distribution_id>")
def show(distribution_id: int) -> str:
    dist = _distribution(distribution_id)
    shown = request.args.get("status", "")
    return render_template(
        "distribution/show.html",
        dist=dist,
        progress=report.progress(dist),
        recipients=report.recipients_page(dist, shown, requested_page()),
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
    return csv_response(body, name)


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
def act(distribution_id: int, action: str) -> ResponseReturnValue:
    dist = _distribution(distribution_id)
    if action not in ACTIONS:
        abort(404, description=f"There is no distribution action “{action}”.")
    if not ActionForm().validate_on_submit():
        bad_request()
    perform, message = ACTIONS[action]
    try:
        outcome = perform(dist, current_user)
    except services.DistributionError as error:
        flash(str(error), "error")
    else:
        if isinstance(outcome, services.RetryResult):
            message = _retry_message(outcome)
        flash(message, "success")
        if outcome is False or getattr(outcome, "queue_reached", True) is False:
            flash(report.QUEUE_UNAVAILABLE, "error")
    return redirect(url_for("distribution.show", distribution_id=dist.id))


@bp.route("/distributions/<int:distribution_id>/resend-possibly-delivered", methods=["GET", "POST"])
@requires(Permission.PRESS)
def resend(distribution_id: int) -> ResponseReturnValue:
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
    waiting = report.recipients_page(dist, RecipientStatus.UNCONFIRMED.value, requested_page())
    status = 422 if request.method == "POST" else 200
    page = render_template("distribution/resend.html", dist=dist, form=form, rows=waiting)
    return page, status


def _retry_message(result: services.RetryResult) -> str:
    text = f"Retrying {result.requeued:,} failed recipient(s) once."
    if result.held_back:
        text += f" {result.held_back:,} stay failed: their addresses are suppressed."
    return text
