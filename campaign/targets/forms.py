"""Forms for a letter's targets and the "Deliver now" button."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from campaign.formdata import required
from campaign.targets.services import TargetDetails


class TargetForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired("Give the target's name."), Length(max=120)]
    )
    office = StringField("Office", validators=[Length(max=200)])
    email = StringField(
        "Email", validators=[DataRequired("Give an email address."), Length(max=254)]
    )
    submit = SubmitField("Save target")

    def validate_email(self, field: StringField) -> None:
        try:
            field.data = validate_email(required(field.data), check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise ValidationError(str(error)) from error

    def details(self) -> TargetDetails:
        return TargetDetails(
            required(self.name.data).strip(),
            (self.office.data or "").strip(),
            required(self.email.data),
        )


class DeliverForm(FlaskForm):
    """`sequence` is the delivery number the page offered; a second click finds it taken.

    The confirmation page sends `choose` with the ticked targets; without it (an old page,
    a script) the delivery goes to the targets that have not received this version."""

    sequence = IntegerField(validators=[InputRequired()])
    choose = HiddenField()
    target_ids = SelectMultipleField(
        "Targets", coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )
    cover_message = TextAreaField(
        "Cover message (above the letter text)", validators=[Optional(), Length(max=5000)]
    )
    cover_default = HiddenField()
    submit = SubmitField("Deliver now")

    def chosen_targets(self) -> list[int] | None:
        return list(self.target_ids.data or []) if self.choose.data else None

    def edited_cover(self) -> str:
        """The cover message if staff changed it; "" keeps the default (with the final count)."""
        text = (self.cover_message.data or "").strip()
        return "" if text == (self.cover_default.data or "").strip() else text
