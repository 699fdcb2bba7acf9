"""Audit actions as people read them: "statement.request_changes" is "Changes requested"."""

from __future__ import annotations

NAMES: dict[str, str] = {
    "campaign.created": "Campaign created",
    "contact.created": "Contact added",
    "contact.deleted": "Contact deleted",
    "contact.unsubscribed": "Contact unsubscribed",
    "contact.updated": "Contact edited",
    "contact_list.created": "Contact list created",
    "contact_list.deleted": "Contact list deleted",
    "contact_list.filter_changed": "Contact list filter changed",
    "contact_list.member_removed": "Removed from contact list",
    "contact_list.members_added": "Added to contact list",
    "contact_list.renamed": "Contact list renamed",
    "contacts.imported": "Contacts imported",
    "delivery.requested": "Delivery to targets requested",
    "delivery.sent": "Delivered to targets",
    "distribution.cancelled": "Distribution cancelled",
    "distribution.created": "Distribution created",
    "distribution.finished": "Distribution finished",
    "distribution.paused": "Distribution paused",
    "distribution.resumed": "Distribution resumed",
    "distribution.retry_failed": "Failed recipients retried",
    "distribution.started": "Distribution started",
    "review.comment_resolved": "Partner comment resolved",
    "review.commented": "Partner commented",
    "review.link_created": "Review link created",
    "review.link_revoked": "Review link revoked",
    "signature.confirmed": "Signature confirmed",
    "signature.created": "Signature received",
    "signature.duplicate_attempt": "Duplicate signature attempt",
    "signature.flag_cleared": "Signature flag cleared",
    "signature.link_resent": "Signature link resent",
    "signature.reconfirmed": "Signature reconfirmed",
    "signature.renamed": "Signature renamed",
    "signature.withdrawn": "Signature withdrawn",
    "signatures.imported": "Signatures imported",
    "signon.deadline_tomorrow": "Sign-on deadline reminder sent",
    "signon.goal_reached": "Sign-on goal reached",
    "site.profile_changed": "Organization settings changed",
    "statement.approve": "Approved",
    "statement.created": "Statement created",
    "statement.publish": "Published",
    "statement.request_changes": "Changes requested",
    "statement.restored": "Version restored",
    "statement.retract": "Retracted",
    "statement.revised": "New version saved",
    "statement.submit": "Submitted for review",
    "suppression.added": "Address suppressed",
    "suppression.lifted": "Suppression lifted",
    "target.removed": "Target removed",
    "user.created": "User created",
}


def action_name(action: str) -> str:
    """The readable name of `action`; unknown codes still read as words, not as a code."""
    if action in NAMES:
        return NAMES[action]
    subject, _, verb = action.partition(".")
    return f"{subject.replace('_', ' ').capitalize()}: {verb.replace('_', ' ')}".rstrip(": ")
