"""The pieces of a release email that need more than a template: the embargo line, the
dateline run into the first paragraph, the contacts and boilerplate with the organization's
as fallback, and the plain-text versions of the Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import escape

from campaign.distribution.models import Distribution
from campaign.site.services import organization
from campaign.statements.models import Kind, ReleaseType, StatementVersion
from campaign.templating import local_time
from press.markdown import render_markdown
from press.plaintext import markdown_to_text

EMBARGO_FORMAT = "%B %-d, %Y %-I:%M %p %Z"


@dataclass(frozen=True)
class EmailParts:
    embargo: str
    immediate: bool
    endmark: bool
    logo_url: str
    contacts: tuple[dict[str, Any], ...]
    boilerplate: str
    pitch_html: str
    pitch_text: str
    body_html: str
    body_text: str
    closing_text: str
    boilerplate_text: str


def dateline(version: StatementVersion) -> str:
    """ "RIVERTON, December 1, 2026", or "" without a dateline."""
    if not version.dateline:
        return ""
    when = version.release_date.strftime("%B %-d, %Y") if version.release_date else ""
    return f"{version.dateline}, {when}" if when else version.dateline


def run_in(html: str, line: str) -> str:
    """The dateline in bold at the start of the first paragraph, as wire copy prints it."""
    if not line:
        return html
    lead = f'<strong class="dateline">{escape(line)}</strong> — '
    if html.startswith("<p>"):
        return "<p>" + lead + html[3:]
    return f"<p>{lead}</p>\n{html}"


def email_parts(dist: Distribution) -> EmailParts:
    """Everything the email templates show beyond the version's own fields."""
    version, org = dist.version, organization()
    embargoed = version.release_type is ReleaseType.EMBARGOED and version.embargo_until
    embargo = local_time(version.embargo_until, version.embargo_timezone, EMBARGO_FORMAT)
    boilerplate = version.boilerplate or org.boilerplate
    line = dateline(version)
    body_text = markdown_to_text(version.body)
    return EmailParts(
        embargo=embargo if embargoed else "",
        immediate=dist.statement.kind is Kind.PRESS_RELEASE,
        endmark=dist.statement.kind is Kind.PRESS_RELEASE,
        logo_url=f"{org.public_base_url}/organization/logo" if org.logo else "",
        contacts=tuple(version.media_contacts or org.media_contacts),
        boilerplate=boilerplate,
        pitch_html=render_markdown(dist.pitch) if dist.pitch else "",
        pitch_text=markdown_to_text(dist.pitch).strip() if dist.pitch else "",
        body_html=run_in(render_markdown(version.body), line),
        body_text=f"{line} — {body_text}" if line else body_text,
        closing_text=markdown_to_text(version.closing) if version.closing else "",
        boilerplate_text=markdown_to_text(boilerplate) if boilerplate else "",
    )
