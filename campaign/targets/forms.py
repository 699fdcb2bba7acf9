"""Forms for a letter's targets and the "Deliver now" button."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length

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
            field.data = validate_email(field.data, check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise ValidationError(str(error)) from error

    def details(self) -> TargetDetails:
        return TargetDetails(
            self.name.data.strip(), (self.office.data or "").strip(), self.email.data
        )


class DeliverForm(FlaskForm):
    """`sequence` is the delivery number the page offered; a second click finds it taken."""

    sequence = IntegerField(validators=[InputRequired()])
    submit = SubmitField("Deliver now")
