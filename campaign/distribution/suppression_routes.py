"""The suppression list pages: search, export, add by hand or from CSV, lift (audited)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.csvsafe import csv_response, csv_text
from campaign.distribution import suppression_admin as admin
from campaign.distribution.forms import ActionForm, SuppressForm, SuppressImportForm
from campaign.errors import bad_request
from campaign.extensions import db
from campaign.formdata import required
from campaign.mailpolicy import suppression
from campaign.mailpolicy.models import Suppression
from campaign.urlconverters import requested_page

bp = Blueprint("suppressions", __name__)
require_login_for(bp)


@bp.get("/suppressions")
def index() -> str:
    query = request.args.get("q", "")[:200]
    return render_template(
        "distribution/suppressions.html",
        query=query,
        rows=admin.search(query, requested_page()),
        unsubscribed=admin.unsubscribed(query, requested_page(name="upage")),
        form=ActionForm(),
        add_form=SuppressForm(),
        import_form=SuppressImportForm(),
    )


@bp.get("/suppressions.csv")
def export() -> Response:
    query = request.args.get("q", "")[:200]
    body = csv_text(admin.CSV_HEADER, admin.export_rows(query))
    return csv_response(body, "suppression-list.csv")


@bp.post("/suppressions")
@requires(Permission.PRESS)
def add() -> ResponseReturnValue:
    form = SuppressForm()
    if not form.validate_on_submit():
        flash("Type the address to suppress.", "error")
        return redirect(url_for("suppressions.index"))
    try:
        added = admin.add_by_hand(required(form.email.data), form.reason.data or "", current_user)
    except admin.AddressError as error:
        flash(str(error), "error")
    else:
        message = "is now suppressed." if added else "was already on the list."
        flash(f"{required(form.email.data).strip()} {message}", "success" if added else "info")
    return redirect(url_for("suppressions.index"))


@bp.post("/suppressions/import")
@requires(Permission.PRESS)
def import_csv() -> ResponseReturnValue:
    form = SuppressImportForm()
    if not form.validate_on_submit():
        flash("Choose a CSV file.", "error")
        return redirect(url_for("suppressions.index"))
    try:
        result = admin.import_csv(form.file.data.read(admin.MAX_IMPORT_ROWS * 400), current_user)
    except admin.AddressError as error:
        flash(str(error), "error")
        return redirect(url_for("suppressions.index"))
    if result.invalid:
        shown = "; ".join(result.invalid[:5])
        flash(f"Nothing was imported: {len(result.invalid)} invalid address(es): {shown}", "error")
    else:
        flash(f"{result.added:,} added, {result.already:,} already on the list.", "success")
    return redirect(url_for("suppressions.index"))


@bp.post("/suppressions/<int:suppression_id>/lift")
@requires(Permission.PRESS)
def lift(suppression_id: int) -> ResponseReturnValue:
    row = db.get_or_404(Suppression, suppression_id)
    if not ActionForm().validate_on_submit():
        bad_request()
    email = row.email
    suppression.lift(row, current_user)
    flash(f"{email} is no longer suppressed.", "success")
    return redirect(url_for("suppressions.index"))
