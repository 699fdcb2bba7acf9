"""Forms for contacts, lists and the import steps.

Field rules live in `validation.clean_contact`, shared with the CSV import; the forms only
carry the text and show the problems the service reports.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from campaign.contacts.imports.columns import FIELDS, REQUIRED
from campaign.contacts.imports.reading import ENCODINGS
from campaign.contacts.imports.writing import OnDuplicate
from campaign.contacts.models import ListKind

DUPLICATE_CHOICES = [
    (OnDuplicate.MERGE.value, "Merge: fill in and update the existing contact, add tags"),
    (OnDuplicate.SKIP.value, "Skip: keep the existing contact as it is"),
]


class ContactForm(FlaskForm):
    name = StringField("Name")
    email = StringField("Email")
    outlet = StringField("Outlet")
    beat = StringField("Beat / role")
    phone = StringField("Phone")
    city = StringField("City")
    tags = StringField("Tags")
    notes = TextAreaField("Notes")
    do_not_contact = BooleanField("Do not contact")
    submit = SubmitField("Save contact")

    def text_values(self) -> dict[str, str]:
        """The fields as the contact services expect them (text, flag as "yes"/"")."""
        values = {name: self[name].data or "" for name in FIELDS if name != "do_not_contact"}
        values["do_not_contact"] = "yes" if self.do_not_contact.data else ""
        return values

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        for field, message in problems:
            self[field].errors = [*self[field].errors, message]


class ListForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=2000)])
    kind = RadioField(
        "Kind",
        choices=[
            (ListKind.STATIC.value, "Static list: you choose the members"),
            (ListKind.FILTER.value, "Saved filter: every contact carrying the tags"),
        ],
        default=ListKind.STATIC.value,
    )
    tags = StringField("Tags (for a saved filter)", validators=[Optional()])
    match_all = BooleanField("Contacts must carry all the tags (otherwise any)", default=True)
    submit = SubmitField("Create list")


class RenameForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    description = StringField("Description", validators=[Length(max=2000)])
    submit = SubmitField("Rename")


class FilterForm(FlaskForm):
    tags = StringField("Tags", validators=[DataRequired()])
    match_all = BooleanField("Contacts must carry all the tags (otherwise any)")
    submit = SubmitField("Save filter")


class AddMembersForm(FlaskForm):
    emails = TextAreaField("Email addresses (one per line)", validators=[DataRequired()])
    submit = SubmitField("Add to list")


class UploadForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired()])
    submit = SubmitField("Upload and check columns")


class MappingForm(FlaskForm):
    """Built per upload: one select per contact field listing the file's columns."""

    encoding = SelectField("File encoding", choices=list(ENCODINGS.items()))
    on_duplicate = RadioField("When an address is already a contact", choices=DUPLICATE_CHOICES)
    submit = SubmitField("Preview the import")


def mapping_form(header: list[str], **defaults: object) -> MappingForm:
    """A MappingForm with a column select for each contact field."""

    class Form(MappingForm):
        pass

    columns = [(str(index), name) for index, name in enumerate(header)]
    for field, label in FIELDS.items():
        choices = [("", "(not imported)"), *columns]
        required = " (required)" if field in REQUIRED else ""
        setattr(Form, f"column_{field}", SelectField(label + required, choices=choices, default=""))
    return Form(**defaults)


class CommitForm(FlaskForm):
    on_duplicate = RadioField("When an address is already a contact", choices=DUPLICATE_CHOICES)
    skip_invalid = BooleanField("Leave out the lines with errors and import the rest")
    submit = SubmitField("Import")
