"""What a staff copy of a version must say about itself, so a draft never passes for final.

The marking is a field of the `press.Document`, hence part of the PDF cache key, and names
the file: a draft downloads as `<slug>-v3-draft.pdf`.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from campaign.statements.models import Statement, StatementVersion, Status

DRAFT = "DRAFT - NOT APPROVED"
APPROVED = "APPROVED - NOT YET PUBLISHED"
EMBARGOED = "EMBARGOED - NOT FOR PUBLICATION UNTIL"
SUFFIXES = {DRAFT: "-draft", APPROVED: "-approved"}


def staff_watermark(version: StatementVersion) -> str:
    """The marking for `version` as its statement stands now ("" when it is the public text)."""
    from campaign.embargo.services import scheduled_for

    statement: Statement = version.statement
    if statement.published_version_id == version.id:
        return ""
    scheduled = scheduled_for(statement)
    if scheduled is not None and scheduled.version_id == version.id:
        return APPROVED
    is_head = version.number == statement.head_number
    if is_head and statement.status in (Status.APPROVED, Status.PUBLISHED):
        return APPROVED
    return DRAFT


def embargo_watermark(until: datetime, zone: str) -> str:
    """The marking of a journalist's preview copy."""
    local = until.astimezone(ZoneInfo(zone)).strftime("%B %-d, %Y, %-I:%M %p %Z")
    return f"{EMBARGOED} {local}"


def filename_suffix(watermark: str) -> str:
    """`-draft`, `-approved` or `-embargoed` for a marked copy, "" for the final text."""
    if watermark.startswith(EMBARGOED):
        return "-embargoed"
    return SUFFIXES.get(watermark, "")
