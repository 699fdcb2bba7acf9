"""The statement editor and the workflow buttons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from campaign.phones import PhoneError, display_phone, normalize_phone
from campaign.statements.content import Content
from campaign.statements.models import Kind, ReleaseType


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones()) if "/" in name or name == "UTC"]


class MediaContactForm(Form):
    """One media contact of a press release; an all-blank row is ignored."""

    name = StringField("Name", validators=[Length(max=120)])
    phone = StringField("Phone", validators=[Length(max=40)])
    email = StringField("Email", validators=[Length(max=254)])

    def validate_phone(self, field: StringField) -> None:
        if field.data:
            try:
                normalize_phone(field.data, current_app.config.get("PHONE_REGION", "US"))
            except PhoneError as error:
                raise ValidationError(str(error)) from error

    def validate_email(self, field: StringField) -> None:
        if field.data:
            try:
                validate_email(field.data, check_deliverability=False)
            except EmailNotValidError as error:
                raise ValidationError(str(error)) from error

    def validate_name(self, field: StringField) -> None:
        if not field.data and (self.phone.data or self.email.data):
            raise ValidationError("A media contact needs a name.")


class StatementForm(FlaskForm):
    base_version = HiddenField()
    title = StringField("Title", validators=[DataRequired("A title is required."), Length(max=300)])
    subtitle = StringField("Subtitle", validators=[Length(max=500)])
    addressee = StringField("Addressee", validators=[Length(max=500)])
    body = TextAreaField("Body (Markdown)")
    closing = TextAreaField("Closing", validators=[Length(max=2000)])
    release_type = SelectField(
        "Release",
        choices=[
            (ReleaseType.IMMEDIATE.value, "For immediate release"),
            (ReleaseType.EMBARGOED.value, "Embargoed until…"),
        ],
    )
    embargo_until = DateTimeLocalField("Embargoed until", validators=[Optional()])
    embargo_timezone = SelectField("Time zone", default="America/New_York")
    release_date = DateField("Release date", validators=[Optional()])
    dateline = StringField("Dateline city", validators=[Length(max=120)])
    media_contacts = FieldList(FormField(MediaContactForm), min_entries=3, max_entries=10)
    boilerplate = TextAreaField("Boilerplate (About …)", validators=[Length(max=5000)])
    note = StringField("Change note", validators=[Length(max=500)])
    submit = SubmitField("Save version")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.embargo_timezone.choices = timezone_choices()

    def validate_body(self, field: TextAreaField) -> None:
        limit = current_app.config["STATEMENT_BODY_MAX_CHARS"]
        if field.data and len(field.data) > limit:
            raise ValidationError(
                f"The body has {len(field.data):,} characters; the limit is {limit:,}."
            )

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """Cross-field rule: Optional() on the embargo time would skip a per-field check."""
        valid = super().validate(extra_validators)
        embargoed = self.release_type.data == ReleaseType.EMBARGOED.value
        if embargoed and self.embargo_until.data is None and not self.embargo_until.errors:
            message = "An embargoed release needs the date and time it lifts."
            self.embargo_until.errors.append(message)
            return False
        return valid

    def fill_from(self, content: Content) -> None:
        """Put stored content into the form for editing."""
        for name in ("title", "subtitle", "addressee", "body", "closing", "dateline"):
            getattr(self, name).data = getattr(content, name)
        self.boilerplate.data = content.boilerplate
        self.release_type.data = content.release_type.value
        self.embargo_timezone.data = content.embargo_timezone
        self.release_date.data = content.release_date
        if content.embargo_until is not None:
            local = content.embargo_until.astimezone(ZoneInfo(content.embargo_timezone))
            self.embargo_until.data = local.replace(tzinfo=None)
        region = current_app.config.get("PHONE_REGION", "US")
        while len(self.media_contacts) > 0:
            self.media_contacts.pop_entry()
        for name, phone, email in content.media_contacts:
            self.media_contacts.append_entry(
                {"name": name, "phone": display_phone(phone, region), "email": email}
            )
        while len(self.media_contacts) < 3:
            self.media_contacts.append_entry()

    def content(self) -> Content:
        """The validated form as Content, with times in UTC and phones in E.164."""
        zone = self.embargo_timezone.data or "UTC"
        embargo = None
        release_type = ReleaseType(self.release_type.data)
        if release_type is ReleaseType.EMBARGOED and self.embargo_until.data:
            embargo = self.embargo_until.data.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
        region = current_app.config.get("PHONE_REGION", "US")
        contacts = tuple(
            (
                entry.form.name.data.strip(),
                normalize_phone(entry.form.phone.data, region) if entry.form.phone.data else "",
                entry.form.email.data.strip(),
            )
            for entry in self.media_contacts
            if entry.form.name.data
        )
        return Content(
            title=self.title.data.strip(),
            subtitle=(self.subtitle.data or "").strip(),
            addressee=(self.addressee.data or "").strip(),
            body=self.body.data or "",
            closing=self.closing.data or "",
            release_type=release_type,
            embargo_until=embargo,
            embargo_timezone=zone,
            release_date=self.release_date.data,
            dateline=(self.dateline.data or "").strip(),
            media_contacts=contacts,
            boilerplate=self.boilerplate.data or "",
        )


class NewStatementForm(StatementForm):
    kind = SelectField("Kind", choices=[(kind.value, kind.label) for kind in Kind])
    submit = SubmitField("Create draft")


class MergeForm(FlaskForm):
    """The conflict page: which merge it shows (two versions and the user's signed text)."""

    base_version = IntegerField(validators=[InputRequired()])
    theirs_version = IntegerField(validators=[InputRequired()])
    mine = HiddenField(validators=[DataRequired()])
    note = StringField("Change note", validators=[Length(max=500)])
    submit = SubmitField("Save merged version")


class TransitionForm(FlaskForm):
    """A workflow button; `seen_version` is the version shown on the page it was pressed on."""

    seen_version = IntegerField(validators=[InputRequired()])
    note = StringField("Note", validators=[Length(max=500)])


class ActionForm(FlaskForm):
    """A bare POST button (restore, logout): CSRF protection and nothing else."""
