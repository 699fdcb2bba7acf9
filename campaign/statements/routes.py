"""Staff pages for drafting, revising, comparing and moving statements through review."""

from __future__ import annotations

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

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.campaigns.models import Campaign
from campaign.embargo.services import embargo_pending, scheduled_for
from campaign.errors import bad_request
from campaign.extensions import db
from campaign.formdata import add_error, required
from campaign.notify.services import user_zone
from campaign.pdfs.routes import ASSETS
from campaign.statements import merge_views, services, workflow
from campaign.statements.content import Content
from campaign.statements.diffing import compare
from campaign.statements.forms import (
    ActionForm,
    MergeForm,
    NewStatementForm,
    StatementForm,
    TransitionForm,
)
from campaign.statements.models import Kind, Statement, StatementVersion
from campaign.statements.preview import preview_document as typeset_preview
from campaign.urlconverters import requested_page
from press.markdown import render_markdown
from press.render import render_html

bp = Blueprint("statements", __name__)
require_login_for(bp)


def _statement(statement_id: int) -> Statement:
    return db.get_or_404(Statement, statement_id)


def _version(statement: Statement, number: int) -> StatementVersion:
    try:
        return services.get_version(statement, number)
    except services.UnknownVersion as error:
        abort(404, description=str(error))


@bp.route("/campaigns/<int:campaign_id>/statements/new", methods=["GET", "POST"])
@requires(Permission.EDIT)
def new(campaign_id: int) -> ResponseReturnValue:
    campaign = db.get_or_404(Campaign, campaign_id)
    form = NewStatementForm()
    if not form.is_submitted():
        form.embargo_timezone.data = user_zone(current_user)
    if form.validate_on_submit():
        try:
            statement = services.create_statement(
                campaign, Kind(form.kind.data), form.content(), current_user, form.note.data or ""
            )
        except services.StatementError as error:
            add_error(form.title, str(error))
        else:
            flash("Draft created as version 1.", "success")
            return redirect(url_for("statements.show", statement_id=statement.id))
    return render_template("statements/new.html", form=form, campaign=campaign)


@bp.get("/statements/<int:statement_id>")
def show(statement_id: int) -> str:
    statement = _statement(statement_id)
    head = statement.head
    return render_template(
        "statements/show.html",
        statement=statement,
        version=head,
        html=render_markdown(head.body),
        actions=workflow.available_actions(statement, current_user),
        form=TransitionForm(seen_version=head.number),
        embargo_held=embargo_pending(head),
        changes_requested=workflow.last_request_for_changes(statement),
    )


@bp.route("/statements/<int:statement_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT)
def edit(statement_id: int) -> ResponseReturnValue:
    statement = _statement(statement_id)
    form = StatementForm()
    form.statement_kind = statement.kind
    if request.method == "GET":
        form.fill_from(Content.of(statement.head), zone=user_zone(current_user))
        form.base_version.data = str(statement.head_number)
        return render_template("statements/edit.html", form=form, statement=statement)
    if not form.validate_on_submit():
        return render_template("statements/edit.html", form=form, statement=statement), 422
    base_number = form.base_version.data or ""
    if not base_number.isdigit():
        bad_request("The form does not say which version it started from.")
    base = _version(statement, int(base_number))
    try:
        outcome = services.save_or_merge(
            statement,
            base.number,
            form.content(Content.of(base)),
            current_user,
            form.note.data or "",
        )
    except services.MergeNeeded as needed:
        return merge_views.render_conflict(needed, form.note.data or ""), 409
    except services.StatementError as error:
        add_error(form.body, str(error))
        return render_template("statements/edit.html", form=form, statement=statement), 422
    return _saved(statement, outcome)


@bp.post("/statements/<int:statement_id>/merge")
@requires(Permission.EDIT)
def merge(statement_id: int) -> ResponseReturnValue:
    """The only way to save after a conflict: the conflict page's choices, applied to the merge."""
    statement = _statement(statement_id)
    form = MergeForm()
    mine = merge_views.read_mine(statement, form.mine.data or "")
    if not form.validate_on_submit() or mine is None:
        bad_request("This conflict page is incomplete or not yours; edit again.")
    base, theirs = required(form.base_version.data), required(form.theirs_version.data)
    _version(statement, base), _version(statement, theirs)
    merged = services.rebuild_merge(statement, base, theirs, mine)
    chosen, errors = merge_views.resolutions(merged)
    needed = services.MergeNeeded(statement, merged, base, theirs)
    if errors:
        return merge_views.render_conflict(needed, form.note.data or "", errors), 422
    try:
        outcome = services.resolve_merge(
            statement, base, theirs, mine, chosen, current_user, form.note.data or ""
        )
    except services.MergeNeeded as again:
        return merge_views.render_conflict(again, form.note.data or ""), 409
    except services.StatementError as error:
        flash(str(error), "error")
        return merge_views.render_conflict(needed, form.note.data or ""), 422
    return _saved(statement, outcome)


def _saved(statement: Statement, outcome: services.SaveOutcome) -> ResponseReturnValue:
    """Say what the save did: nothing, a new version, or a merge with someone else's save."""
    if outcome.version is None:
        flash(
            f"Nothing changed, so no new version was made; still version {outcome.head_number}.",
            "info",
        )
    elif outcome.merge is not None:
        theirs = ", ".join(outcome.merge.theirs_changed) or "nothing"
        mine = ", ".join(outcome.merge.mine_changed) or "nothing"
        flash(
            f"Saved as version {outcome.version.number}, merged with version "
            f"{outcome.merged_with}: their changes ({theirs}) and yours ({mine}) are both kept.",
            "success",
        )
    else:
        flash(f"Saved as version {outcome.version.number}.", "success")
    return redirect(url_for("statements.show", statement_id=statement.id))


def _done_message(statement: Statement, action: workflow.Action) -> str:
    if action is workflow.Action.PUBLISH and scheduled_for(statement) is not None:
        return "Scheduled: the release becomes public at its embargo lift, at its public address."
    return f"{action.label}: the statement is now {statement.status.label.lower()}."


@bp.post("/statements/preview")
@requires(Permission.EDIT)
def preview() -> Response:
    """Live preview for the editor: the same sanitizer the public page uses."""
    payload = request.get_json(silent=True) or {}
    body = payload.get("body")
    if not isinstance(body, str):
        bad_request("Send JSON with a string field “body”.")
    limit = current_app.config["STATEMENT_BODY_MAX_CHARS"]
    if len(body) > limit:
        abort(413, description=f"The body is over the limit of {limit:,} characters.")
    return jsonify(html=render_markdown(body))


@bp.post("/statements/preview/document")
@requires(Permission.EDIT)
def preview_document() -> Response | tuple[Response, int]:
    """The whole unsaved document as the PDF will typeset it, for the editor's preview frame."""
    kind = request.form.get("preview_kind", "")
    form = StatementForm() if kind in {k.value for k in Kind} else NewStatementForm()
    if kind in {k.value for k in Kind}:
        form.statement_kind = Kind(kind)
    if len(form.body.data or "") > current_app.config["STATEMENT_BODY_MAX_CHARS"]:
        return jsonify(error="The body is over the limit; the preview stops here."), 413
    number = request.form.get("base_version", type=int) or 0
    document = typeset_preview(form, number + 1)
    html = render_html(document, asset_base=request.script_root + ASSETS)
    return Response(html, mimetype="text/html")


@bp.get("/statements/<int:statement_id>/history")
def history(statement_id: int) -> str:
    statement = _statement(statement_id)
    return render_template(
        "statements/history.html",
        statement=statement,
        page=services.version_history(statement, requested_page()),
        events=workflow.workflow_events(statement),
        form=ActionForm(),
    )


@bp.get("/statements/<int:statement_id>/versions/<int:number>")
def version(statement_id: int, number: int) -> str:
    statement = _statement(statement_id)
    shown = _version(statement, number)
    return render_template(
        "statements/version.html",
        statement=statement,
        version=shown,
        html=render_markdown(shown.body),
        form=ActionForm(),
    )


@bp.get("/statements/<int:statement_id>/compare")
def compare_versions(statement_id: int) -> str:
    statement = _statement(statement_id)
    old_number = request.args.get("old", type=int)
    new_number = request.args.get("new", type=int)
    if old_number is None or new_number is None:
        bad_request("Choose two versions to compare.")
    old, new = _version(statement, old_number), _version(statement, new_number)
    return render_template(
        "statements/compare.html",
        statement=statement,
        old=old,
        new=new,
        diffs=compare(Content.of(old), Content.of(new)),
    )


@bp.post("/statements/<int:statement_id>/versions/<int:number>/restore")
@requires(Permission.EDIT)
def restore(statement_id: int, number: int) -> ResponseReturnValue:
    statement = _statement(statement_id)
    if not ActionForm().validate_on_submit():
        bad_request()
    _version(statement, number)
    restored = services.restore_version(statement, number, current_user)
    flash(f"Version {number} restored as version {restored.number}.", "success")
    return redirect(url_for("statements.show", statement_id=statement.id))


@bp.post("/statements/<int:statement_id>/workflow/<action>")
def transition(statement_id: int, action: str) -> ResponseReturnValue:
    statement = _statement(statement_id)
    try:
        chosen = workflow.Action(action)
    except ValueError:
        abort(404, description=f"There is no workflow action “{action}”.")
    form = TransitionForm()
    if not form.validate_on_submit():
        bad_request()
    try:
        workflow.perform(
            statement,
            chosen,
            current_user,
            required(form.seen_version.data),
            form.note.data or "",
            change=request.form.get("signature_change"),
            embargo=request.form.get("embargo"),
            reason=request.form.get("lift_reason", ""),
        )
    except workflow.WorkflowError as error:
        if not current_user.can(workflow.TRANSITIONS[chosen].permission):
            abort(403, description=str(error))
        flash(str(error), "error")
    else:
        flash(_done_message(statement, chosen), "success")
    return redirect(url_for("statements.show", statement_id=statement.id))
