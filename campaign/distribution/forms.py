"""The new-distribution form and the action buttons."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from campaign.distribution.models import GreetingStyle, SendMode
from campaign.distribution.schedule import WEEKDAYS
from campaign.distribution.services import Request
from campaign.formdata import required
from campaign.statements.forms import timezone_choices


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DistributionForm(FlaskForm):
    version_id = SelectField("Statement version", coerce=int, validators=[DataRequired()])
    list_ids = CheckboxesField("Contact lists", coerce=int)
    subject = StringField("Subject", validators=[DataRequired(), Length(max=300)])
    pitch = TextAreaField(
        "Pitch (optional, above the release)", validators=[Optional(), Length(max=3000)]
    )
    sender = RadioField("Sender's display name", default="organization")
    greeting_style = RadioField(
        "Greeting",
        choices=[
            (GreetingStyle.FULL_NAME.value, "Dear Jane Doe,"),
            (GreetingStyle.FIRST_NAME.value, "Dear Jane,"),
            (GreetingStyle.NONE.value, "No greeting"),
        ],
        default=GreetingStyle.FULL_NAME.value,
    )
    reply_to = StringField("Reply-To (press officer)", validators=[DataRequired()])
    send_mode = RadioField(
        "Send",
        choices=[
            (SendMode.NOW.value, "Now"),
            (SendMode.CHOSEN_TIME.value, "At a chosen time"),
            (SendMode.EMBARGO_LIFT.value, "When the embargo lifts"),
        ],
        default=SendMode.NOW.value,
    )
    send_at = DateTimeLocalField("Send at", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    timezone = SelectField("Time zone", choices=timezone_choices, default="UTC")
    rate_per_minute = IntegerField(
        "Rate limit (messages per minute)",
        validators=[Optional(), NumberRange(min=1, max=100_000)],
    )
    window_days = CheckboxesField(
        "Sending window: days", coerce=int, choices=list(enumerate(WEEKDAYS))
    )
    window_start = TimeField("from", validators=[Optional()])
    window_end = TimeField("to", validators=[Optional()])
    cover_note = TextAreaField("Cover note on the PDF", validators=[Optional(), Length(max=1000)])

    def validate_list_ids(self, field: CheckboxesField) -> None:
        if not field.data:
            raise ValidationError("Choose at least one contact list.")

    def validate_reply_to(self, field: StringField) -> None:
        try:
            field.data = validate_email(required(field.data), check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise ValidationError(str(error)) from error

    def validate_send_at(self, field: DateTimeLocalField) -> None:
        if self.send_mode.data == SendMode.CHOSEN_TIME.value and field.data is None:
            raise ValidationError("Choose the date and time to send.")

    def validate_window_start(self, field: TimeField) -> None:
        if self.window_days.data and (field.data is None or self.window_end.data is None):
            raise ValidationError("A sending window needs a start and an end time.")

    def _send_at(self) -> datetime | None:
        if self.send_at.data is None:
            return None
        return self.send_at.data.replace(tzinfo=ZoneInfo(self.timezone.data))

    def to_request(self) -> Request:
        """The parsed form as the service's request."""
        return Request(
            version_id=self.version_id.data,
            list_ids=list(self.list_ids.data or []),
            subject=required(self.subject.data),
            reply_to=required(self.reply_to.data),
            send_mode=SendMode(self.send_mode.data),
            send_at=self._send_at(),
            rate_per_minute=self.rate_per_minute.data,
            window_days=list(self.window_days.data or []),
            window_start=self.window_start.data,
            window_end=self.window_end.data,
            window_timezone=self.timezone.data,
            cover_note=self.cover_note.data or "",
            pitch=self.pitch.data or "",
            sender_name=dict(self.sender_names).get(self.sender.data, ""),
            greeting_style=GreetingStyle(self.greeting_style.data),
        )

    def offer_senders(self, names: list[tuple[str, str]], address: str) -> None:
        """`names`: (choice, display name); shown with the organization's address."""
        self.sender_names = names
        self.sender.choices = [(key, f"{name} <{address}>") for key, name in names]

    def carried(self) -> list[tuple[str, str]]:
        """The submitted values as (name, value) pairs, for the review page's hidden inputs
        and the preview links: the review step keeps everything in the page, nothing stored."""
        pairs: list[tuple[str, str]] = []
        for field in self:
            if field.name in NOT_CARRIED:
                continue
            pairs.extend((field.name, value) for value in field.raw_data or [])
        return pairs


NOT_CARRIED = frozenset({"csrf_token", "test_addresses", "preview_contact"})


class ReviewForm(DistributionForm):
    """The compose form plus what only the review step asks."""

    test_addresses = TextAreaField(
        "Also send the test to (optional, one address a line)",
        validators=[Optional(), Length(max=2000)],
    )
    preview_contact = IntegerField("Show the email as received by", validators=[Optional()])

    def test_recipients(self, own: str, extra_limit: int) -> list[str]:
        """The tester's address and up to `extra_limit` more, validated; ValidationError."""
        found = [own]
        for line in (self.test_addresses.data or "").replace(",", "\n").splitlines():
            if not line.strip():
                continue
            try:
                address = validate_email(line.strip(), check_deliverability=False).normalized
            except EmailNotValidError as error:
                raise ValidationError(f"“{line.strip()}”: {error}") from error
            if address.lower() not in (a.lower() for a in found):
                found.append(address)
        if len(found) > extra_limit + 1:
            raise ValidationError(f"A test goes to you and at most {extra_limit} more addresses.")
        return found


class ActionForm(FlaskForm):
    """A bare form for the pause/resume/cancel/retry/lift buttons: carries the CSRF token."""


class ResendForm(FlaskForm):
    """Staff confirm they accept that some possibly-delivered recipients get it twice."""

    understood = BooleanField(
        "I understand that some of these recipients may receive the message twice.",
        validators=[DataRequired("Tick the box to confirm that duplicates are acceptable.")],
    )


class SuppressForm(FlaskForm):
    email = StringField("Address", validators=[DataRequired(), Length(max=254)])
    reason = StringField("Reason", validators=[Optional(), Length(max=300)])


class SuppressImportForm(FlaskForm):
    file = FileField("CSV file (an “email” column, optional “reason”)", validators=[FileRequired()])
