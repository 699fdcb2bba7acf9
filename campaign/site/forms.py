"""The organization settings form."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from campaign.signon.logos import LogoError, check_logo
from campaign.site.services import ACCENT_COLOUR
from campaign.statements.forms import MediaContactForm

MEDIA_CONTACT_ROWS = 4


class ProfileForm(FlaskForm):
    name = StringField(
        "Organization name", validators=[DataRequired("A name is required."), Length(max=200)]
    )
    postal_address = TextAreaField(
        "Postal address", validators=[Length(max=500)], description="Printed in email footers."
    )
    boilerplate = TextAreaField(
        "About the organization",
        validators=[Length(max=3000)],
        description="The boilerplate of press releases, the newsroom and the press kit.",
    )
    accent_colour = StringField(
        "Accent colour",
        validators=[DataRequired(), Regexp(ACCENT_COLOUR.pattern, message="Use #RRGGBB.")],
    )
    sender_name = StringField("Sender name", validators=[DataRequired(), Length(max=200)])
    sender_address = EmailField(
        "Sender address", validators=[DataRequired(), Email(), Length(max=254)]
    )
    public_base_url = URLField(
        "Public base URL",
        validators=[
            DataRequired(),
            Length(max=500),
            Regexp(r"^https?://[^\s/]+(/[^\s]*)?$", message="Use an http:// or https:// address."),
        ],
        description="Where the public reaches this site; every emailed link starts with it.",
    )
    media_contacts = FieldList(FormField(MediaContactForm), min_entries=MEDIA_CONTACT_ROWS)
    logo = FileField("Logo (PNG or JPEG)", validators=[Optional()])
    remove_logo = BooleanField("Remove the logo")
    submit = SubmitField("Save settings")

    def validate_logo(self, field: FileField) -> None:
        """Decode the upload now, so a bad file is a field error and not a broken PDF later."""
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            field.data = None
            return
        try:
            field.data = check_logo(
                upload.read(),
                current_app.config["SIGNON_LOGO_MAX_BYTES"],
                current_app.config["SIGNON_LOGO_MAX_PIXELS"],
            )
        except LogoError as error:
            raise ValidationError(str(error)) from error

    def contacts(self) -> list[dict[str, str]]:
        """The filled media-contact rows."""
        return [
            {"name": row.data["name"], "phone": row.data["phone"], "email": row.data["email"]}
            for row in self.media_contacts
            if any(row.data.get(key) for key in ("name", "phone", "email"))
        ]
