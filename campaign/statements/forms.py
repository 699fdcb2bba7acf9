"""The statement editor and the workflow buttons."""

from __future__ import annotations

import dataclasses
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

from campaign.formdata import add_error, required
from campaign.phones import PhoneError, display_phone, normalize_phone
from campaign.statements.content import KIND_FIELDS, Content
from campaign.statements.models import Kind, ReleaseType

MAX_MEDIA_CONTACTS = 20
CONTENT_NAMES = frozenset(f.name for f in dataclasses.fields(Content))


@cache
def timezone_names() -> list[str]:
    """Canonical zone names (Area/City and UTC), for the searchable picker."""
    return [name for name in sorted(available_timezones()) if "/" in name or name == "UTC"]


def timezone_choices() -> list[tuple[str, str]]:
    """The same zones as (value, label) pairs, for select fields elsewhere."""
    return [(name, name) for name in timezone_names()]


def validate_zone(form: object, field: StringField) -> None:
    """A typed zone must be one the server knows, or the embargo time would be wrong."""
    if field.data not in set(timezone_names()):
        raise ValidationError("Choose a time zone from the list, for example America/New_York.")


class MediaContactForm(Form):
    """One media contact of a press release; an all-blank row is ignored."""

    name = StringField("Name", validators=[Length(max=120)])
    phone = StringField("Phone", validators=[Length(max=40)])
    email = StringField("Email", validators=[Length(max=254)])

    def validate_phone(self, field: StringField) -> None:
        if field.data:
            try:
                normalize_phone(field.data, current_app.config["CONTACTS_PHONE_REGION"])
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
    embargo_timezone = StringField("Time zone", default="UTC", validators=[validate_zone])
    release_date = DateField("Date", validators=[Optional()])
    dateline = StringField("Dateline city", validators=[Length(max=120)])
    media_contacts = FieldList(
        FormField(MediaContactForm), min_entries=1, max_entries=MAX_MEDIA_CONTACTS
    )
    boilerplate = TextAreaField("Boilerplate (About …)", validators=[Length(max=5000)])
    note = StringField("Change note", validators=[Length(max=500)])
    submit = SubmitField("Save version")

    # The kind being edited, set by the view; the new-statement form reads its own select.
    statement_kind: Kind | None = None

    def chosen_kind(self) -> Kind:
        """The kind whose fields apply to this form."""
        if self.statement_kind is not None:
            return self.statement_kind
        kind = getattr(self, "kind", None)
        values = {k.value for k in Kind}
        return Kind(kind.data) if kind is not None and kind.data in values else Kind.STATEMENT

    def shows(self, name: str) -> bool:
        """Whether field `name` belongs to the statement's kind."""
        return name in KIND_FIELDS[self.chosen_kind()]

    @staticmethod
    def zones() -> list[str]:
        return timezone_names()

    @staticmethod
    def kinds_of(name: str) -> str:
        """Space-separated kinds that have field `name` (for the editor's script)."""
        return " ".join(k.value for k, names in KIND_FIELDS.items() if name in names)

    @property
    def embargoed(self) -> bool:
        return self.shows("release_type") and self.release_type.data == ReleaseType.EMBARGOED.value

    def validate_body(self, field: TextAreaField) -> None:
        limit = current_app.config["STATEMENT_BODY_MAX_CHARS"]
        if field.data and len(field.data) > limit:
            raise ValidationError(
                f"The body has {len(field.data):,} characters; the limit is {limit:,}."
            )

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """Cross-field rule: Optional() on the embargo time would skip a per-field check."""
        if not self.embargoed:  # only an embargoed release has a time zone to check
            self.embargo_timezone.data = self.embargo_timezone.data or "UTC"
            self.embargo_timezone.validators = [Optional()]
        valid = super().validate(extra_validators)
        for name, field in self._fields.items():
            if name in CONTENT_NAMES and not self.shows(name):
                field.errors = []  # not on the page for this kind, so not the user's mistake
        valid = not any(field.errors for field in self._fields.values())
        if self.embargoed and self.embargo_until.data is None and not self.embargo_until.errors:
            message = "An embargoed release needs the date and time it lifts."
            add_error(self.embargo_until, message)
            return False
        return valid

    def fill_from(self, content: Content, zone: str = "UTC") -> None:
        """Put stored content into the form for editing; `zone` is the user's own time zone,
        offered when the release is not embargoed yet."""
        for name in ("title", "subtitle", "addressee", "body", "closing", "dateline"):
            getattr(self, name).data = getattr(content, name)
        self.boilerplate.data = content.boilerplate
        self.release_type.data = content.release_type.value
        embargoed = content.release_type is ReleaseType.EMBARGOED
        self.embargo_timezone.data = content.embargo_timezone if embargoed else zone
        self.release_date.data = content.release_date
        if content.embargo_until is not None:
            local = content.embargo_until.astimezone(ZoneInfo(content.embargo_timezone))
            self.embargo_until.data = local.replace(tzinfo=None)
        region = current_app.config["CONTACTS_PHONE_REGION"]
        while len(self.media_contacts) > 0:
            self.media_contacts.pop_entry()
        for name, phone, email in content.media_contacts:
            self.media_contacts.append_entry(
                {"name": name, "phone": display_phone(phone, region), "email": email}
            )
        if len(self.media_contacts) < MAX_MEDIA_CONTACTS:
            self.media_contacts.append_entry()

    def content(self, keep: Content | None = None) -> Content:
        """The validated form as Content, with times in UTC and phones in E.164.

        Fields the statement's kind does not have keep their values from `keep` (the version
        being edited), so switching what the editor shows never erases stored words.
        """
        kept = keep or Content(title="")
        zone = required(self.embargo_timezone.data) if self.embargoed else kept.embargo_timezone
        embargo = None
        shown_type = self.shows("release_type") and self.release_type.data
        release_type = ReleaseType(shown_type) if shown_type else kept.release_type
        if self.embargoed and self.embargo_until.data:
            embargo = self.embargo_until.data.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
        region = current_app.config["CONTACTS_PHONE_REGION"]
        contacts = tuple(
            (
                entry.form.name.data.strip(),
                normalize_phone(entry.form.phone.data, region) if entry.form.phone.data else "",
                (entry.form.email.data or "").strip(),
            )
            for entry in self.media_contacts
            if entry.form.name.data
        )
        typed = Content(
            title=required(self.title.data).strip(),
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
        names = [f.name for f in dataclasses.fields(kept)]
        hidden = {name: getattr(kept, name) for name in names if not self.shows(name)}
        if "embargo_timezone" not in hidden and not self.embargoed:
            hidden["embargo_timezone"] = kept.embargo_timezone
        return dataclasses.replace(typed, **hidden)


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
