"""Staff page of a statement's extra sign-form questions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.extensions import db
from campaign.signon import questions
from campaign.statements.forms import ActionForm
from campaign.statements.models import Statement

bp = Blueprint("questions", __name__, url_prefix="/statements/<int:statement_id>/questions")
require_login_for(bp)


@bp.get("")
def index(statement_id: int) -> str:
    statement = db.get_or_404(Statement, statement_id)
    return render_template(
        "signon/questions.html",
        statement=statement,
        questions=questions.questions_for(statement.id),
        kinds=questions.QuestionKind,
        form=ActionForm(),
    )


@bp.post("")
@requires(Permission.EDIT)
def add(statement_id: int) -> ResponseReturnValue:
    statement = db.get_or_404(Statement, statement_id)
    if ActionForm().validate_on_submit():
        values: dict[str, Any] = {k: request.form.get(k, "") for k in ("label", "kind", "choices")}
        values |= {k: request.form.get(k) == "y" for k in ("required", "public")}
        if values["kind"] not in {kind.value for kind in questions.QuestionKind}:
            values["kind"] = "text"
        try:
            questions.add_question(statement, values, current_user)
        except questions.QuestionError as error:
            flash(str(error), "error")
    return redirect(url_for("questions.index", statement_id=statement.id))


@bp.post("/<int:question_id>/delete")
@requires(Permission.EDIT)
def remove(statement_id: int, question_id: int) -> ResponseReturnValue:
    question = db.get_or_404(questions.Question, question_id)
    if question.statement_id != statement_id:
        abort(404)
    if ActionForm().validate_on_submit():
        questions.remove_question(question, current_user)
    return redirect(url_for("questions.index", statement_id=statement_id))
