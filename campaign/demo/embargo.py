"""Demo: a press release approved and scheduled to publish at its embargo lift.

The lift is next week at 9:00 AM Central time, counted from when the demo is loaded, so a
new user sees the holding page and its countdown at the release's public address.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from campaign import clock
from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.demo.content import EMBARGOED_RELEASE
from campaign.statements.models import Kind
from campaign.statements.services import create_statement
from campaign.statements.workflow import Action, perform

ZONE = "America/Chicago"


def next_week_at_nine() -> datetime:
    """9:00 AM Central, seven days after today (the demo's lift)."""
    local = clock.now().astimezone(ZoneInfo(ZONE)) + timedelta(days=7)
    return local.replace(hour=9, minute=0, second=0, microsecond=0).astimezone(UTC)


def seed_embargoed_release(campaign: Campaign, editor: User, approver: User) -> None:
    """Create, approve and schedule the embargoed demo release."""
    text = replace(EMBARGOED_RELEASE, embargo_until=next_week_at_nine(), embargo_timezone=ZONE)
    release = create_statement(campaign, Kind.PRESS_RELEASE, text, editor)
    perform(release, Action.SUBMIT, editor, 1)
    perform(release, Action.APPROVE, approver, 1)
    perform(release, Action.PUBLISH, approver, 1, note="Hold for the hearing", embargo="at_lift")
