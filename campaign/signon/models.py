"""Signatures on a statement and the per-statement sign-on settings.

The rule above all: no organization is listed that did not confirm, and none is listed twice.
The second half is enforced by the database itself: one row per (statement, normalized
organization name) and one per (statement, contact email), so two concurrent sign-ons of the
same organization cannot both be stored whatever the application does.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from campaign import clock
from campaign.dbtypes import UTCDateTime, enum_column, not_negative
from campaign.enums import LabeledEnum
from campaign.extensions import Model
from campaign.statements.models import StatementVersion

if TYPE_CHECKING:
    from campaign.directory.models import Organization


class SignatureStatus(LabeledEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class OrgType(LabeledEnum):
    NONPROFIT = "nonprofit"
    ADVOCACY = "advocacy"
    SERVICE_PROVIDER = "service_provider"
    FAITH = "faith"
    LABOR = "labor"
    PROFESSIONAL = "professional"
    ACADEMIC = "academic"
    BUSINESS = "business"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ORG_TYPE_LABELS.get(self.value, super().label)


_ORG_TYPE_LABELS = {
    "nonprofit": "Nonprofit",
    "advocacy": "Advocacy group",
    "service_provider": "Service provider",
    "faith": "Faith-based organization",
    "labor": "Labor union",
    "professional": "Professional association",
    "academic": "Academic institution",
    "business": "Business",
    "other": "Other",
}


class Scope(LabeledEnum):
    """Where an organization works; the classic grouping of coalition letters."""

    NATIONAL = "national"
    STATE_LOCAL = "state_local"
    INTERNATIONAL = "international"

    @property
    def label(self) -> str:
        return {"state_local": "State and local"}.get(self.value, super().label)


class SignerKind(LabeledEnum):
    """Who a signature speaks for: an organization, or a person in their own name."""

    ORGANIZATION = "organization"
    INDIVIDUAL = "individual"


class Signers(LabeledEnum):
    """Who a statement accepts signatures from; chosen in the sign-on settings."""

    ORGANIZATIONS = "organizations"
    INDIVIDUALS = "individuals"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {"both": "Organizations and individuals"}.get(self.value, super().label)


class Grouping(LabeledEnum):
    """How the public list (and the PDF) groups signatories; chosen by the editor."""

    NONE = "none"
    SCOPE = "scope"
    ORG_TYPE = "org_type"
    COUNTRY = "country"
    REGION = "region"

    @property
    def label(self) -> str:
        return _GROUPING_LABELS[self.value]


_GROUPING_LABELS = {
    "none": "One alphabetical list",
    "scope": "National / State and local / International",
    "org_type": "By organization type",
    "country": "By country",
    "region": "By state or region",
}


class Signature(Model):
    """One organization's signature on one statement.

    `signed_version_id` is the version the signature currently applies to: a minor edit
    carries it forward, a material change leaves it on the earlier version until the signer
    reconfirms (`reconfirm_version_id` names the version they were asked to confirm).
    `email_key` is the lower-cased contact email, NULL when an imported row has none (NULLs
    never collide in a unique constraint). Repeated attempts by the same organization are
    not stored as rows; they increment `duplicate_attempts` and describe themselves in
    `flag` so staff can see them.
    """

    __tablename__ = "signatures"
    __table_args__ = (
        UniqueConstraint("statement_id", "normalized_name"),
        UniqueConstraint("statement_id", "email_key"),
        # Counts and lists by status on one letter (the public list, the staff tabs).
        Index("ix_signatures_statement_status", "statement_id", "status"),
        # The reconfirmation sweep: signatures with a version to reconfirm, not yet mailed.
        Index("ix_signatures_reconfirm_due", "reconfirm_version_id", "reconfirm_requested_at"),
        *not_negative("duplicate_attempts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"))
    # The directory record (campaign/directory); set for every row by directory.linking.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    signed_version_id: Mapped[int] = mapped_column(ForeignKey("statement_versions.id"))
    reconfirm_version_id: Mapped[int | None] = mapped_column(ForeignKey("statement_versions.id"))
    reconfirm_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[str] = mapped_column(String(200))
    # An individual's name is in `organization` (the listed name) and their `normalized_name`
    # is "@" + email, so people are told apart by address alone (see signon.services.Signer).
    kind: Mapped[SignerKind] = mapped_column(
        enum_column(SignerKind), default=SignerKind.ORGANIZATION, server_default="organization"
    )
    title: Mapped[str] = mapped_column(String(120), default="", server_default="")
    affiliation: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # "Why we sign": shown publicly only once staff approve it (comment_approved_at).
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    comment_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Signed on a printed sign-on sheet and typed in by staff.
    paper: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # Answers to the statement's extra questions, {question label: answer}.
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    # Who brought the signer: a partner's code, or "s-<id>" of a signer who shared the link.
    referral_code: Mapped[str] = mapped_column(String(40), default="", server_default="")
    normalized_name: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    org_type: Mapped[OrgType] = mapped_column(enum_column(OrgType), default=OrgType.NONPROFIT)
    scope: Mapped[Scope] = mapped_column(enum_column(Scope), default=Scope.NATIONAL)
    city: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    email_key: Mapped[str | None] = mapped_column(String(254))
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_mime: Mapped[str | None] = mapped_column(String(40))

    status: Mapped[SignatureStatus] = mapped_column(
        enum_column(SignatureStatus), default=SignatureStatus.PENDING, index=True
    )
    duplicate_attempts: Mapped[int] = mapped_column(default=0)
    flag: Mapped[str] = mapped_column(String(500), default="")
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    signed_version: Mapped[StatementVersion] = relationship(foreign_keys=[signed_version_id])
    organization_record: Mapped[Organization | None] = relationship("Organization")

    @property
    def shown_name(self) -> str:
        """The name on public lists: the staff correction if there is one."""
        return self.display_name or self.organization

    @property
    def has_logo(self) -> bool:
        return self.logo_mime is not None

    @property
    def individual(self) -> bool:
        return self.kind is SignerKind.INDIVIDUAL


class SignOnSettings(Model):
    """Whether and how a statement takes signatures; one row per statement, made on opening."""

    __tablename__ = "signon_settings"
    __table_args__ = not_negative("min_count_to_show")

    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), primary_key=True)
    open: Mapped[bool] = mapped_column(default=False)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline_timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    requires_approval: Mapped[bool] = mapped_column(default=False)
    grouping: Mapped[Grouping] = mapped_column(enum_column(Grouping), default=Grouping.NONE)
    signers: Mapped[Signers] = mapped_column(
        enum_column(Signers), default=Signers.ORGANIZATIONS, server_default="organizations"
    )
    goal: Mapped[int | None]
    min_count_to_show: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    def accepting(self) -> bool:
        """Open and, if there is a deadline, before it."""
        return self.open and (self.deadline is None or clock.now() < self.deadline)
