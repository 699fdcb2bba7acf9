"""The staff form that creates a review link and the partner's comment form."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, NumberRange

from campaign.review.services import Partner


class PartnerForm(Form):
    """One partner contact; an all-blank row is ignored."""

    name = StringField("Name", validators=[Length(max=120)])
    email = StringField("Email", validators=[Length(max=254)])

    def validate_email(self, field: StringField) -> None:
        if field.data:
            try:
                field.data = validate_email(field.data, check_deliverability=False).normalized
            except EmailNotValidError as error:
                raise ValidationError(str(error)) from error
        elif self.name.data:
            raise ValidationError("Give an email address for this contact.")

    def validate_name(self, field: StringField) -> None:
        if self.email.data and not (field.data or "").strip():
            raise ValidationError("Give the contact's name; it is shown on their comments.")


class ReviewLinkForm(FlaskForm):
    partners = FieldList(FormField(PartnerForm), min_entries=3, max_entries=20)
    days = IntegerField(
        "Link valid for (days)",
        default=14,
        validators=[InputRequired(), NumberRange(1, 90, "Choose between 1 and 90 days.")],
    )
    message = TextAreaField("Message to the partners", validators=[Length(max=1000)])
    submit = SubmitField("Send review link")

    def validate_partners(self, field: FieldList) -> None:
        emails = [entry.form.email.data.lower() for entry in field if entry.form.email.data]
        if not emails:
            raise ValidationError("Name at least one partner contact.")
        if len(set(emails)) != len(emails):
            raise ValidationError("The same email address is listed twice.")

    def chosen_partners(self) -> list[Partner]:
        """The filled-in rows, as the service takes them."""
        return [
            Partner((entry.form.name.data or "").strip(), entry.form.email.data)
            for entry in self.partners
            if entry.form.email.data
        ]


class CommentForm(FlaskForm):
    """`website` is a honeypot: people never see it, form-filling robots fill it in."""

    paragraph = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    body = TextAreaField("Your comment", validators=[InputRequired("Write a comment first.")])
    website = StringField("Leave this field empty")
    submit = SubmitField("Add comment")
