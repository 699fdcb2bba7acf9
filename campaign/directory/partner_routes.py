"""Staff page of a letter's partners: referral links and embed snippets, counts per
partner, the live counter badge and the QR code to hand out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.directory import partners
from campaign.extensions import db
from campaign.statements.forms import ActionForm
from campaign.statements.models import Statement
from campaign.urls import external_url

bp = Blueprint("partners", __name__, url_prefix="/statements/<int:statement_id>/partners")
require_login_for(bp)


@bp.get("")
def show(statement_id: int) -> str:
    statement = db.get_or_404(Statement, statement_id)
    rows, shared = partners.partner_rows(statement)
    return render_template(
        "directory/partners.html",
        statement=statement,
        rows=rows,
        shared=shared,
        badge=external_url("coalition_public.badge", slug=statement.slug),
        sign=external_url("signon_public.sign", slug=statement.slug),
        form=ActionForm(),
    )


@bp.post("")
@requires(Permission.EDIT)
def add(statement_id: int) -> ResponseReturnValue:
    statement = db.get_or_404(Statement, statement_id)
    if ActionForm().validate_on_submit():
        try:
            upload = request.files.get("logo")
            logo = upload.read(current_app.config["SIGNON_LOGO_MAX_BYTES"] + 1) if upload else None
            name = request.form.get("name", "")
            partner = partners.add_partner(statement, name, current_user, logo or None)
        except partners.PartnerError as error:
            flash(str(error), "error")
        else:
            flash(f"{partner.name} added; its referral code is “{partner.code}”.", "success")
    return redirect(url_for("partners.show", statement_id=statement.id))
