"""The audit log's filter form (GET: filters belong in the address, to share and bookmark)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from campaign.audit.names import action_name


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a read-only search

    who = StringField("Who (name or email contains)", validators=[Optional()])
    action = SelectField("Action", validators=[Optional()])
    type = SelectField("Record type", validators=[Optional()])
    id = IntegerField("Record number", validators=[Optional(), NumberRange(min=1)])
    since = DateField("From", validators=[Optional()])
    until = DateField("Until", validators=[Optional()])

    def set_choices(self, actions: list[str], types: list[str]) -> None:
        named = sorted(((a, action_name(a)) for a in actions), key=lambda pair: pair[1])
        self.action.choices = [("", "Any action"), *named]
        self.type.choices = [("", "Any record")] + [(t, t) for t in types]
