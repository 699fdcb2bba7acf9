"""Staff pages: sign-on settings and embed snippet, the signatories table, CSV in and out."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.csvsafe import csv_response
from campaign.errors import bad_request
from campaign.extensions import db
from campaign.signon import importing, moderation
from campaign.signon.forms import BulkForm, DisplayNameForm, ImportForm, SettingsForm
from campaign.signon.listing import listed_signatories, signatories_csv
from campaign.signon.models import Grouping, Signature, SignatureStatus, Signers
from campaign.signon.services import settings_for
from campaign.signon.versions import SignatureChange, signatures_behind
from campaign.statements.forms import ActionForm
from campaign.statements.models import Statement
from campaign.urls import external_url

bp = Blueprint("signon", __name__)
TABLE_ARGS = ("status", "q", "sort", "dir", "flagged", "page")
require_login_for(bp)


def _statement(statement_id: int) -> Statement:
    return db.get_or_404(Statement, statement_id)


def _signature(signature_id: int) -> Signature:
    return db.get_or_404(Signature, signature_id)


def _fill_settings(form: SettingsForm, statement: Statement) -> None:
    settings = settings_for(statement.id)
    if settings is None:
        return
    form.open.data, form.requires_approval.data = settings.open, settings.requires_approval
    form.grouping.data, form.goal.data = settings.grouping.value, settings.goal
    form.min_count_to_show.data = settings.min_count_to_show
    form.signers.data = (settings.signers or Signers.ORGANIZATIONS).value
    form.deadline_timezone.data = settings.deadline_timezone
    if settings.deadline is not None:
        local = settings.deadline.astimezone(ZoneInfo(settings.deadline_timezone))
        form.deadline.data = local.replace(tzinfo=None)


def _change(form: SettingsForm) -> moderation.SettingsChange:
    return moderation.SettingsChange(
        open=form.open.data,
        requires_approval=form.requires_approval.data,
        grouping=Grouping(form.grouping.data),
        deadline_local=form.deadline.data,
        timezone=form.deadline_timezone.data or "UTC",
        goal=form.goal.data,
        min_count_to_show=form.min_count_to_show.data or 0,
        signers=Signers(form.signers.data or Signers.ORGANIZATIONS.value),
    )


@bp.route("/statements/<int:statement_id>/signon", methods=["GET", "POST"])
def settings(statement_id: int) -> ResponseReturnValue:
    """Open or close sign-on (editors); everyone with access sees the embed snippet."""
    statement = _statement(statement_id)
    form = SettingsForm()
    if request.method == "POST":
        if not current_user.can(Permission.EDIT):
            abort(403)
        if form.validate_on_submit():
            moderation.save_settings(statement, _change(form), current_user)
            flash("Sign-on settings saved.", "success")
            return redirect(url_for("signon.settings", statement_id=statement.id))
    else:
        _fill_settings(form, statement)
    status = 422 if form.errors else 200
    return render_template(
        "signon/settings.html",
        statement=statement,
        form=form,
        sign_url=external_url("signon_public.sign", slug=statement.slug),
        embed_url=external_url("signon_public.embed", slug=statement.slug),
        counts=moderation.status_counts(statement.id),
    ), status


@bp.get("/statements/<int:statement_id>/signatories")
def table(statement_id: int) -> str:
    statement = _statement(statement_id)
    query = moderation.TableQuery.from_args(request.args.to_dict())
    return render_template(
        "signon/table.html",
        statement=statement,
        query=query,
        page=moderation.signature_table(statement.id, query),
        counts=moderation.status_counts(statement.id),
        statuses=list(SignatureStatus),
        bulk=BulkForm(),
        rename_form=DisplayNameForm(),
    )


@bp.post("/statements/<int:statement_id>/signatories/decide")
@requires(Permission.MODERATE)
def decide(statement_id: int) -> ResponseReturnValue:
    statement = _statement(statement_id)
    form = BulkForm()
    if not form.validate_on_submit():
        bad_request()
    ids = [int(value) for value in request.form.getlist("ids") if value.isdigit()]
    if form.all_matching.data:
        query = moderation.TableQuery.from_args(request.args.to_dict())
        ids = moderation.matching_ids(statement.id, query)
    if not ids:
        flash("Select at least one signature.", "error")
    else:
        changed, skipped = moderation.decide(statement.id, ids, form.decision.data, current_user)
        message = f"{moderation.DECISIONS[form.decision.data][0].label} {changed}."
        if skipped:
            message += f" {skipped} skipped (not in a state that allows it)."
        flash(message, "success" if changed else "error")
    filters: dict[str, Any] = {k: v for k, v in request.args.items() if k in TABLE_ARGS}
    return redirect(url_for("signon.table", statement_id=statement.id, **filters))


@bp.post("/signatures/<int:signature_id>/display-name")
@requires(Permission.MODERATE)
def rename(signature_id: int) -> ResponseReturnValue:
    signature = _signature(signature_id)
    form = DisplayNameForm()
    if not form.validate_on_submit():
        bad_request("A display name has at most 200 characters.")
    moderation.rename(signature, form.display_name.data or "", current_user)
    flash(f"Now shown as “{signature.shown_name}”.", "success")
    return redirect(url_for("signon.table", statement_id=signature.statement_id))


@bp.post("/signatures/<int:signature_id>/clear-flag")
@requires(Permission.MODERATE)
def clear_flag(signature_id: int) -> ResponseReturnValue:
    signature = _signature(signature_id)
    if not ActionForm().validate_on_submit():
        bad_request()
    moderation.clear_flag(signature, current_user)
    return redirect(url_for("signon.table", statement_id=signature.statement_id, flagged="1"))


@bp.get("/statements/<int:statement_id>/signatories.csv")
@requires(Permission.MODERATE)
def export_all(statement_id: int) -> Response:
    """Every signature with contact details: staff who moderate only (personal data)."""
    statement = _statement(statement_id)
    return csv_response(moderation.staff_csv(statement.id), f"{statement.slug}-signatures.csv")


@bp.get("/statements/<int:statement_id>/signatories-public.csv")
def export_public(statement_id: int) -> Response:
    """The public list, exactly as shown on the public page."""
    statement = _statement(statement_id)
    data = signatories_csv(listed_signatories(statement.id))
    return csv_response(data, f"{statement.slug}-signatories.csv")


@bp.route("/statements/<int:statement_id>/signatories/import", methods=["GET", "POST"])
@requires(Permission.MODERATE)
def import_list(statement_id: int) -> ResponseReturnValue:
    statement = _statement(statement_id)
    form = ImportForm()
    report, problem = None, None
    if form.validate_on_submit():
        content = form.file.data.read()
        try:
            report = importing.import_csv(
                statement,
                content,
                current_user,
                form.skip_bad_rows.data,
                current_app.config["SIGNON_IMPORT_MAX_ROWS"],
            )
        except importing.ImportFileError as error:
            problem = str(error)
    status = 422 if problem or (report and report.errors and not report.imported) else 200
    return render_template(
        "signon/import.html",
        statement=statement,
        form=form,
        report=report,
        problem=problem,
        columns=importing.COLUMNS,
    ), status


@bp.app_context_processor
def _statement_page_helpers() -> dict[str, Any]:
    """For the include in templates/statements/show.html (publish choice, sign-on panel)."""
    return {
        "signon_settings": settings_for,
        "signon_behind": signatures_behind,
        "signature_changes": list(SignatureChange),
    }
