"""Forms of the directory pages."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length
from wtforms.widgets import HiddenInput

from campaign.signon.models import OrgType, Scope


def _choices(kind: Any) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in kind]


class OrganizationForm(FlaskForm):
    name = StringField("Canonical name", validators=[DataRequired(), Length(max=200)])
    aliases = TextAreaField("Other names (one a line)", validators=[Length(max=5000)])
    org_type = SelectField("Type", choices=_choices(OrgType))
    scope = SelectField("Scope", choices=_choices(Scope))
    city = StringField("City", validators=[Length(max=120)])
    region = StringField("State or region", validators=[Length(max=120)])
    country = StringField("Country", validators=[Length(max=120)])
    website = StringField("Website", validators=[Length(max=300)])
    email_domain = StringField("Email domain", validators=[Length(max=254)])
    tags = StringField("Tags (comma-separated)", validators=[Length(max=1000)])
    notes = TextAreaField("Notes", validators=[Length(max=5000)])
    submit = SubmitField("Save organization")

    def values(self) -> dict[str, Any]:
        names = ("name", "org_type", "scope", "city", "region", "country", "website")
        values = {name: getattr(self, name).data or "" for name in names}
        values.update(
            email_domain=self.email_domain.data or "",
            tags=self.tags.data or "",
            notes=self.notes.data or "",
        )
        return values

    def alias_list(self) -> list[str]:
        return [line.strip() for line in (self.aliases.data or "").splitlines() if line.strip()]


class OrgContactForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    title = StringField("Title", validators=[Length(max=120)])
    email = StringField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    may_sign = BooleanField("May sign for the organization", default=True)
    submit = SubmitField("Add contact")


class MergeForm(FlaskForm):
    survivor_id = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    absorbed_id = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    submit = SubmitField("Merge")


class DirectoryImportForm(FlaskForm):
    file = FileField("CSV file", validators=[DataRequired("Choose a CSV file.")])
    submit = SubmitField("Import")
