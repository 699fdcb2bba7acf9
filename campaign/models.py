"""Imports every feature's models so that metadata (Alembic, create_all) sees all tables."""

from campaign.audit.models import AuditEvent
from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.contacts.imports.models import ContactImportJob
from campaign.contacts.models import Contact, ContactList
from campaign.distribution.models import (
    Distribution,
    RateBucket,
    Recipient,
    SentDocument,
    Suppression,
)
from campaign.mail.models import MailAttachment, OutgoingMail
from campaign.notify.models import Notification, Preference
from campaign.pdfs.models import CachedPdf, PdfJob
from campaign.review.models import ReviewComment, ReviewInvitee, ReviewLink
from campaign.signon.models import Signature, SignOnSettings
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
    "Delivery",
    "DeliveryRecipient",
    "Distribution",
    "MailAttachment",
    "Notification",
    "OutgoingMail",
    "PdfJob",
    "Preference",
    "RateBucket",
    "Recipient",
    "ReviewComment",
    "ReviewInvitee",
    "ReviewLink",
    "SentDocument",
    "SignOnSettings",
    "Signature",
    "SiteProfile",
    "Statement",
    "StatementVersion",
    "Suppression",
    "Target",
    "User",
]
