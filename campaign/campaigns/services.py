"""Creating and listing campaigns."""

from __future__ import annotations

from sqlalchemy import select

from campaign.audit.services import record
from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.extensions import db


class CampaignError(ValueError):
    """A user-facing reason why a campaign could not be created."""


def create_campaign(name: str, description: str, author: User | None) -> Campaign:
    """Create a campaign; names are unique so lists and reports stay unambiguous."""
    name = name.strip()
    if db.session.scalar(select(Campaign.id).where(Campaign.name == name)) is not None:
        raise CampaignError(f"A campaign named “{name}” already exists.")
    campaign = Campaign(
        name=name, description=description.strip(), created_by_id=author and author.id
    )
    db.session.add(campaign)
    db.session.flush()
    record(author, "campaign.created", campaign, {"name": name})
    db.session.commit()
    return campaign


def list_campaigns() -> list[Campaign]:
    """All campaigns, newest first."""
    return list(db.session.scalars(select(Campaign).order_by(Campaign.id.desc())))
