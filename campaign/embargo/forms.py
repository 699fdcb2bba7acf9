"""Forms for changing a scheduled publication and lifting an embargo early."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from campaign.formdata import required
from campaign.statements.forms import timezone_choices


class RescheduleForm(FlaskForm):
    """A new publication time, in a zone the press officer chooses."""

    publish_at = DateTimeLocalField(
        "Publish at", format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    timezone = SelectField("Time zone", choices=timezone_choices, default="UTC")

    def when(self) -> datetime:
        """The chosen local time as aware UTC."""
        local = required(self.publish_at.data).replace(tzinfo=ZoneInfo(self.timezone.data))
        return local.astimezone(UTC)


class LiftForm(FlaskForm):
    """Lifting an embargo early needs a reason for the audit log."""

    reason = StringField("Reason", validators=[DataRequired(), Length(max=500)])
