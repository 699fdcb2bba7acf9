"""Staff-defined extra questions on a statement's sign form, and the form that asks them.

Answers are stored on the signature keyed by the question's label as it read when the
signer answered, so exports stay readable even if staff later reword or remove a question.
Public questions' answers appear beside the signer on the public list and in its CSV.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from campaign import clock
from campaign.audit.services import record
from campaign.dbtypes import UTCDateTime, enum_column
from campaign.enums import LabeledEnum
from campaign.extensions import Model, db
from campaign.signon.forms import SignOnForm
from campaign.statements.models import Statement

MAX_QUESTIONS = 20
MAX_ANSWER = 500


class QuestionKind(LabeledEnum):
    TEXT = "text"
    CHOICE = "choice"
    CHECKBOX = "checkbox"


class Question(Model):
    """One extra question of one statement's sign form."""

    __tablename__ = "signon_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind), default=QuestionKind.TEXT)
    choices_text: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    @property
    def choices(self) -> list[str]:
        return [line.strip() for line in self.choices_text.splitlines() if line.strip()]


class QuestionError(ValueError):
    """A question staff cannot add as typed."""


def questions_for(statement_id: int) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question).where(Question.statement_id == statement_id).order_by(Question.id)
        )
    )


def add_question(statement: Statement, values: dict[str, Any], actor: Any) -> Question:
    """Add a question (audited); a choice question needs at least two choices."""
    label = (values.get("label") or "").strip()[:200]
    kind = QuestionKind(values.get("kind") or "text")
    question = Question(
        statement_id=statement.id,
        label=label,
        kind=kind,
        choices_text=(values.get("choices") or "")[:5000],
        required=bool(values.get("required")),
        public=bool(values.get("public")),
    )
    if not label:
        raise QuestionError("Enter the question.")
    if kind is QuestionKind.CHOICE and len(question.choices) < 2:
        raise QuestionError("A choice question needs at least two choices, one a line.")
    if any(q.label == label for q in questions_for(statement.id)):
        raise QuestionError("The letter already asks that question.")
    if len(questions_for(statement.id)) >= MAX_QUESTIONS:
        raise QuestionError(f"A letter asks at most {MAX_QUESTIONS} questions.")
    db.session.add(question)
    db.session.flush()
    record(actor, "signon.question_added", statement, {"label": label, "kind": kind.value})
    db.session.commit()
    return question


def remove_question(question: Question, actor: Any) -> None:
    statement = db.session.get(Statement, question.statement_id)
    record(actor, "signon.question_removed", statement, {"label": question.label})
    db.session.delete(question)
    db.session.commit()


def _field(question: Question) -> Any:
    required = [DataRequired("Please answer this question.")] if question.required else []
    if question.kind is QuestionKind.CHECKBOX:
        return BooleanField(question.label, validators=required)
    if question.kind is QuestionKind.CHOICE:
        choices = [("", "—"), *((c, c) for c in question.choices)]
        return SelectField(question.label, choices=choices, validators=required or [Optional()])
    return StringField(question.label, validators=[*required, Length(max=MAX_ANSWER)])


def sign_form(statement: Statement, **kwargs: Any) -> SignOnForm:
    """The public sign form of `statement`, with its extra questions as fields."""
    questions = questions_for(statement.id)
    if not questions:
        return SignOnForm(**kwargs)
    fields = {f"q_{q.id}": _field(q) for q in questions}
    form_class = type("SignOnFormWithQuestions", (SignOnForm,), fields)
    form = form_class(**kwargs)
    form.questions = questions
    return form


def answers_of(form: SignOnForm) -> dict[str, str]:
    """{question label: answer} from a validated form (checkboxes: "yes"/"no")."""
    answers = {}
    for question in form.questions:
        value = form[f"q_{question.id}"].data
        if question.kind is QuestionKind.CHECKBOX:
            answers[question.label] = "yes" if value else "no"
        elif value:
            answers[question.label] = str(value).strip()[:MAX_ANSWER]
    return answers


def public_labels(statement_id: int) -> list[str]:
    """Labels of the questions whose answers the public may see, in order."""
    return [q.label for q in questions_for(statement_id) if q.public]
