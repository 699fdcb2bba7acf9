"""Imports every feature's models so that metadata (Alembic, create_all) sees all tables."""

from campaign.attest.models import DomainVerification, SignedRoot
from campaign.audit.models import AuditEvent
from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.contacts.imports.models import ContactImportJob
from campaign.contacts.models import Contact, ContactList
from campaign.coverage.models import (
    ContactNote,
    CoverageFeed,
    CoverageItem,
    CoverageMatch,
    FeedEntrySeen,
)
from campaign.directory import linking, recruiting  # noqa: F401  (session hooks)
from campaign.directory.models import (
    Invitation,
    OrgAlias,
    Organization,
    OrgContact,
    OrgMerge,
    Partner,
)
from campaign.distribution.models import (
    Distribution,
    RateBucket,
    Recipient,
    SentDocument,
)
from campaign.embargo.models import PreviewLink, PreviewOpen, Publication
from campaign.mail.models import MailAttachment, OutgoingMail
from campaign.mailpolicy.models import Suppression
from campaign.newsroom.models import FeaturedItem
from campaign.notify.models import Notification, Preference
from campaign.pdfs.models import CachedPdf, PdfJob
from campaign.review.models import ReviewComment, ReviewInvitee, ReviewLink
from campaign.signon.models import Signature, SignOnSettings
from campaign.signon.questions import Question
from campaign.site.models import SiteProfile
from campaign.statements.models import Statement, StatementVersion
from campaign.targets.models import Delivery, DeliveryRecipient, Target

__all__ = [
    "AuditEvent",
    "CachedPdf",
    "Campaign",
    "Contact",
    "ContactImportJob",
    "ContactList",
    "ContactNote",
    "CoverageFeed",
    "CoverageItem",
    "CoverageMatch",
    "Delivery",
    "DeliveryRecipient",
    "Distribution",
    "DomainVerification",
    "FeaturedItem",
    "FeedEntrySeen",
    "Invitation",
    "MailAttachment",
    "Notification",
    "OrgAlias",
    "OrgContact",
    "OrgMerge",
    "Organization",
    "OutgoingMail",
    "Partner",
    "PdfJob",
    "Preference",
    "PreviewLink",
    "PreviewOpen",
    "Publication",
    "Question",
    "RateBucket",
    "Recipient",
    "ReviewComment",
    "ReviewInvitee",
    "ReviewLink",
    "SentDocument",
    "SignOnSettings",
    "Signature",
    "SignedRoot",
    "SiteProfile",
    "Statement",
    "StatementVersion",
    "Suppression",
    "Target",
    "User",
]
