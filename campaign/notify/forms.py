"""The profile form: the user's time zone and how they hear about each event."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField

from campaign.notify.events import DESCRIPTIONS, Channel, Event
from campaign.statements.forms import validate_zone

CHANNEL_LABELS = {
    Channel.BOTH: "In the app and by email",
    Channel.APP: "In the app",
    Channel.EMAIL: "By email",
    Channel.NONE: "Off",
}


class ProfileForm(FlaskForm):
    timezone = StringField("Your time zone", validators=[validate_zone])
    submit = SubmitField("Save settings")

    def channel_fields(self) -> list[tuple[Event, RadioField]]:
        return [(event, getattr(self, f"event_{event.value}")) for event in Event]

    def channels(self) -> dict[Event, Channel]:
        return {event: Channel(field.data) for event, field in self.channel_fields()}


for _event in Event:
    setattr(
        ProfileForm,
        f"event_{_event.value}",
        RadioField(
            DESCRIPTIONS[_event],
            choices=[(c.value, label) for c, label in CHANNEL_LABELS.items()],
            default=Channel.APP.value,
        ),
    )
