"""Staff pages: a letter's targets, "Deliver now", and the record of each delivery."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign import clock
from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.errors import bad_request
from campaign.extensions import db
from campaign.formdata import add_error, required
from campaign.signon.listing import listed_signatories
from campaign.statements.forms import ActionForm
from campaign.statements.models import Statement
from campaign.targets import delivery as deliveries
from campaign.targets import preparing, services
from campaign.targets.forms import DeliverForm, TargetForm
from campaign.targets.models import Delivery, Target

bp = Blueprint("targets", __name__)
require_login_for(bp)


@bp.app_template_global("target_summary")
def target_summary(statement: Statement) -> tuple[int, int]:
    """(targets, deliveries) of a letter, for the statement page (targets/_panel.html)."""
    return services.target_count(statement.id), deliveries.next_sequence(statement.id) - 1


def _page(statement: Statement, form: TargetForm) -> str:
    return render_template(
        "targets/index.html",
        statement=statement,
        targets=services.targets_of(statement.id),
        deliveries=deliveries.deliveries_of(statement.id),
        form=form,
        deliver_form=DeliverForm(sequence=deliveries.next_sequence(statement.id)),
        action_form=ActionForm(),
        deadline=deliveries.signon_deadline(statement.id),
        now=clock.now(),
    )


@bp.get("/statements/<int:statement_id>/targets")
def index(statement_id: int) -> str:
    return _page(db.get_or_404(Statement, statement_id), TargetForm(formdata=None))


@bp.post("/statements/<int:statement_id>/targets")
@requires(Permission.EDIT)
def add(statement_id: int) -> ResponseReturnValue:
    statement = db.get_or_404(Statement, statement_id)
    form = TargetForm()
    if form.validate_on_submit():
        try:
            target = services.add_target(statement, form.details(), current_user)
        except services.TargetError as error:
            add_error(form.email, str(error))
        else:
            flash(f"{target.name} will receive the letter.", "success")
            return redirect(url_for("targets.index", statement_id=statement_id))
    return _page(statement, form), 422


@bp.route("/targets/<int:target_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT)
def edit(target_id: int) -> ResponseReturnValue:
    target = db.get_or_404(Target, target_id)
    statement = db.session.get_one(Statement, target.statement_id)
    form = TargetForm(obj=target)
    if form.validate_on_submit():
        try:
            services.update_target(target, form.details(), current_user)
        except services.TargetError as error:
            add_error(form.email, str(error))
        else:
            flash("Target saved.", "success")
            return redirect(url_for("targets.index", statement_id=statement.id))
    status = 422 if form.errors else 200
    return render_template("targets/edit.html", statement=statement, form=form), status


@bp.post("/targets/<int:target_id>/delete")
@requires(Permission.EDIT)
def delete(target_id: int) -> ResponseReturnValue:
    target = db.get_or_404(Target, target_id)
    statement_id = target.statement_id
    if not ActionForm().validate_on_submit():
        bad_request()
    services.delete_target(target, current_user)
    flash("Target removed; past deliveries still show it.", "success")
    return redirect(url_for("targets.index", statement_id=statement_id))


def _deliver_form(statement: Statement, form: DeliverForm | None = None) -> DeliverForm:
    form = form or DeliverForm(sequence=deliveries.next_sequence(statement.id))
    form.target_ids.choices = [(t.id, t.name) for t in services.targets_of(statement.id)]
    return form


@bp.get("/statements/<int:statement_id>/deliveries/new")
@requires(Permission.PUBLISH)
def confirm_delivery(statement_id: int) -> str:
    """ "Deliver now", step 2: who already received which version, the cover message."""
    statement = db.get_or_404(Statement, statement_id)
    form = _deliver_form(statement)
    form.target_ids.data = deliveries.unserved_target_ids(statement)
    count = len(listed_signatories(statement.id))
    form.cover_message.data = form.cover_default.data = preparing.default_cover_message(count)
    form.choose.data = "1"
    return render_template(
        "targets/confirm.html",
        statement=statement,
        form=form,
        targets=services.targets_of(statement.id),
        served=deliveries.served(statement.id),
        signatories=count,
    )


@bp.post("/statements/<int:statement_id>/deliveries")
@requires(Permission.PUBLISH)
def deliver(statement_id: int) -> ResponseReturnValue:
    statement = db.get_or_404(Statement, statement_id)
    form = _deliver_form(statement, DeliverForm())
    if not form.validate_on_submit():
        bad_request()
    try:
        started, queued = deliveries.request_delivery(
            statement,
            current_user,
            required(form.sequence.data),
            target_ids=form.chosen_targets(),
            cover_message=form.edited_cover(),
        )
    except deliveries.DeliveryError as error:
        flash(str(error), "error")
        return redirect(url_for("targets.index", statement_id=statement_id))
    if queued:
        flash("Delivery started: each target gets one email with the PDF and the CSV.", "success")
    else:
        flash("The job queue is unavailable; the delivery is saved and starts within minutes.")
    return redirect(url_for("targets.delivery", delivery_id=started.id))


@bp.get("/deliveries/<int:delivery_id>")
def delivery(delivery_id: int) -> str:
    shown = db.get_or_404(Delivery, delivery_id)
    return render_template(
        "targets/delivery.html",
        statement=db.session.get(Statement, shown.statement_id),
        delivery=shown,
        csv_filename=preparing.csv_filename(shown),
    )


@bp.get("/deliveries/<int:delivery_id>/<kind>")
def delivered_file(delivery_id: int, kind: str) -> Response:
    """The exact PDF or CSV the targets received (not a new render)."""
    shown = db.get_or_404(Delivery, delivery_id)
    files = {
        "pdf": (shown.pdf_data, "application/pdf", shown.pdf_filename),
        "csv": (shown.csv_data, "text/csv; charset=utf-8", preparing.csv_filename(shown)),
    }
    if kind not in files or files[kind][0] is None:
        abort(404, description="This delivery has no such file (yet).")
    data, mime_type, filename = files[kind]
    return Response(
        data,
        mimetype=mime_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
