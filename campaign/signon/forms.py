"""Forms of the public sign-on page and of the staff sign-on pages."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from campaign.formdata import required
from campaign.signon.csrf import SignedCSRF
from campaign.signon.logos import Logo, LogoError, check_logo
from campaign.signon.models import Grouping, OrgType, Scope, SignerKind, Signers
from campaign.signon.names import normalize_name, normalize_website
from campaign.statements.forms import timezone_choices


def _choices(kind: Any) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in kind]


class SignOnForm(FlaskForm):
    """The public form; see campaign/signon/csrf.py for why its CSRF token is signed."""

    class Meta:
        csrf_class = SignedCSRF

    signer_kind = RadioField(
        "I sign",
        choices=[
            (SignerKind.ORGANIZATION.value, "For an organization"),
            (SignerKind.INDIVIDUAL.value, "As an individual"),
        ],
        default=SignerKind.ORGANIZATION.value,
    )
    organization = StringField("Organization name", validators=[Length(max=200)])
    person_title = StringField("Your title (optional)", validators=[Length(max=120)])
    affiliation = StringField(
        "Affiliation (optional, listed for identification only)", validators=[Length(max=200)]
    )
    org_type = SelectField("Organization type", choices=_choices(OrgType))
    # No default: which level an organization works at is the signer's answer, not ours.
    scope = SelectField(
        "Where you work",
        choices=[("", "Choose…"), *_choices(Scope)],
        validators=[DataRequired("Choose where your organization works.")],
    )
    city = StringField("City", validators=[Length(max=120)])
    region = StringField("State or region", validators=[Length(max=120)])
    country = StringField("Country", default="United States", validators=[Length(max=120)])
    website = StringField("Website", validators=[Length(max=300)])
    contact_name = StringField(
        "Contact person", validators=[DataRequired("Enter a contact person."), Length(max=120)]
    )
    contact_email = StringField(
        "Contact email",
        validators=[DataRequired("Enter an email address for the confirmation."), Length(max=254)],
    )
    logo = FileField("Logo (optional, PNG or JPEG)")
    comment = TextAreaField("Why we sign (optional)", validators=[Length(max=1000)])
    consent = BooleanField(
        "I am authorized to sign on behalf of this organization, and agree that its name is "
        "published with the statement.",
        validators=[DataRequired("Please confirm that you may sign for the organization.")],
    )
    # The partner or sharer whose link brought the signer (`?partner=` on the sign link).
    partner = HiddenField(validators=[Length(max=40)])
    # Hidden from people by CSS; bots fill every field they find.
    fax_number = StringField("Leave this field empty", validators=[Length(max=200)])
    submit = SubmitField("Sign on")

    checked_logo: Logo | None = None
    # Who the statement accepts; the view sets it from the sign-on settings before validating.
    signers: Signers = Signers.ORGANIZATIONS
    # The statement's extra questions (signon.questions.sign_form adds a field for each).
    questions: list[Any] = []

    def question_fields(self) -> list[Any]:
        return [self[f"q_{question.id}"] for question in self.questions]

    @property
    def kind(self) -> SignerKind:
        """What this submission signs as, within what the statement accepts."""
        if self.signers is Signers.BOTH:
            return SignerKind(self.signer_kind.data or SignerKind.ORGANIZATION.value)
        if self.signers is Signers.INDIVIDUALS:
            return SignerKind.INDIVIDUAL
        return SignerKind.ORGANIZATION

    def validate_organization(self, field: StringField) -> None:
        if self.kind is SignerKind.INDIVIDUAL:
            return
        if not (field.data or "").strip():
            raise ValidationError("Enter your organization's name.")
        if not normalize_name(field.data or ""):
            raise ValidationError("The organization name needs letters or digits.")

    def validate_website(self, field: StringField) -> None:
        try:
            field.data = normalize_website(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def validate_contact_email(self, field: StringField) -> None:
        try:
            field.data = validate_email(
                required(field.data).strip(), check_deliverability=False
            ).normalized
        except EmailNotValidError as error:
            raise ValidationError(str(error)) from error

    def validate_logo(self, field: FileField) -> None:
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        config = current_app.config
        content = upload.read(config["SIGNON_LOGO_MAX_BYTES"] + 1)
        try:
            self.checked_logo = check_logo(
                content, config["SIGNON_LOGO_MAX_BYTES"], config["SIGNON_LOGO_MAX_PIXELS"]
            )
        except LogoError as error:
            raise ValidationError(str(error)) from error

    @property
    def is_bot(self) -> bool:
        return bool(self.fax_number.data)


class ResendForm(FlaskForm):
    class Meta:
        csrf_class = SignedCSRF

    email = StringField("Contact email", validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Send a new link")


class TokenActionForm(FlaskForm):
    """One button on a page reached from an emailed link (withdraw, new confirmation link)."""

    class Meta:
        csrf_class = SignedCSRF

    submit = SubmitField()


class SettingsForm(FlaskForm):
    open = BooleanField("Open for signatures")
    deadline = DateTimeLocalField(
        "Deadline (optional)",
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        validators=[Optional()],
    )
    deadline_timezone = SelectField("Time zone", default="America/New_York")
    requires_approval = BooleanField("Staff approve each signature before it is listed")
    grouping = SelectField("Group the public list", choices=_choices(Grouping))
    signers = SelectField("Who may sign", choices=_choices(Signers), default="organizations")
    goal = IntegerField("Goal (optional)", validators=[Optional(), NumberRange(1, 1_000_000)])
    min_count_to_show = IntegerField(
        "Show the list from this many signatures", default=0, validators=[NumberRange(0, 100_000)]
    )
    submit = SubmitField("Save sign-on settings")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline_timezone.choices = timezone_choices()


class BulkForm(FlaskForm):
    decision = SelectField(
        "Decision for the selected signatures",
        choices=[("approve", "Approve"), ("reject", "Reject")],
    )
    all_matching = BooleanField("Every signature that matches the filter, on all pages")
    submit = SubmitField("Apply to selected")


class DisplayNameForm(FlaskForm):
    display_name = StringField("Display name", validators=[Length(max=200)])
    submit = SubmitField("Save name")


class ImportForm(FlaskForm):
    file = FileField("CSV file", validators=[DataRequired("Choose a CSV file.")])
    skip_bad_rows = BooleanField("Import the good rows and skip the bad ones")
    submit = SubmitField("Import")
