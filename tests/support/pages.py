"""Every page of the app with the demo data, for the screen-width and axe-core tests.

The list is derived from the URL map, so a new page is visited without editing a list; a GET
endpoint that is not a page (a file, JSON) or cannot be reached from the demo data says why
in NOT_VISITED, and `unexplained` names any endpoint that is neither visited nor explained.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, url_for
from sqlalchemy import select

from campaign.auth.models import User
from campaign.auth.permissions import PUBLIC, access_for
from campaign.campaigns.models import Campaign
from campaign.contacts.imports.models import ContactImportJob
from campaign.contacts.models import Contact, ContactList
from campaign.coverage.models import CoverageItem
from campaign.directory.models import Invitation, Organization, Partner
from campaign.distribution.models import Distribution
from campaign.embargo.models import PreviewLink
from campaign.extensions import db
from campaign.pdfs.models import PdfJob
from campaign.review.models import ReviewInvitee
from campaign.signon.models import Signature
from campaign.statements.models import Statement
from campaign.targets.models import Delivery, Target

NOT_HTML = (
    ".csv",
    ".pdf",
    "/pdf",
    ".svg",
    ".json",
    ".png",
    ".txt",
    ".xml",
    ".atom",
    ".rss",
    ".css",
)
NOT_VISITED = {
    "favicon": "an image",
    "static": "files",
    "distribution.progress": "JSON for the progress bar",
    "contact_imports.job_progress": "JSON for the progress bar",
    "coverage.state": "JSON polled by the review page",
    "targets.delivered_file": "a delivered file",
    "pdfs.job_file": "the PDF a job made",
    "pdfs.asset": "fonts and images of the PDFs",
    "site_public.logo": "an image",
    "signon_public.logo": "an image",
    "coalition_public.cosponsor_logo": "an image",
    "pdfs.print_preview": "WeasyPrint's print HTML, not a screen page",
    "distribution.preview_email": "an email framed by the review step; needs its form fields",
    "contact_imports.columns": "needs an upload in progress (test_browser_contacts.py)",
    "contact_imports.preview": "needs an upload in progress (test_browser_contacts.py)",
    "two_factor.verify": "shown only between the password and the second factor",
    "contact_imports.job": "the demo runs no import (test_contacts_import_jobs.py)",
    "pdfs.job": "the demo queues no PDF job (test_pdf_jobs.py)",
    "attest.receipt": "a download: the signer's receipt file",
    "embargo_public.page": "the demo sends no embargoed preview (test_embargo_previews.py)",
}
# A path argument and the table whose first row fills it.
MODELS: dict[str, Any] = {
    "campaign_id": Campaign,
    "contact_id": Contact,
    "list_id": ContactList,
    "item_id": CoverageItem,
    "delivery_id": Delivery,
    "organization_id": Organization,
    "distribution_id": Distribution,
    "target_id": Target,
    "partner_id": Partner,
    "signature_id": Signature,
}
JOBS = {"contact_imports.job": ContactImportJob, "pdfs.job": PdfJob}


@dataclass
class Pages:
    staff: list[str] = field(default_factory=list)
    public: list[str] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)


def _first(model: Any) -> int | None:
    return db.session.scalar(select(model.id).order_by(model.id))


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _one_statement_per_kind() -> list[Statement]:
    """The statement pages of one statement of each kind (published ones first: they have
    signatures, targets and versions), instead of every page of every demo statement."""
    chosen: dict[object, Statement] = {}
    for statement in db.session.scalars(select(Statement).order_by(Statement.id)):
        if statement.kind not in chosen or (
            statement.published_version_id and not chosen[statement.kind].published_version_id
        ):
            chosen[statement.kind] = statement
    return list(chosen.values())


def _token_urls() -> dict[str, Callable[[], str | None]]:
    """Personal links, made the way the emails make them, for the demo's first rows."""
    from campaign.attest.links import domain_link
    from campaign.auth.links import INVITATION, RESET, link_for
    from campaign.directory.recruiting import DECLINE, invite_token
    from campaign.distribution.message import unsubscribe_token
    from campaign.review.services import invitation_url
    from campaign.signon.mails import confirm_link, reconfirm_link, withdraw_link

    def signature() -> Signature | None:
        return db.session.scalar(select(Signature).order_by(Signature.id))

    def invitation() -> Invitation | None:
        return db.session.scalar(select(Invitation).order_by(Invitation.id))

    def admin() -> User:
        return db.session.scalar(select(User).order_by(User.id))

    def contact() -> Contact | None:
        return db.session.scalar(select(Contact).order_by(Contact.id))

    def preview() -> PreviewLink | None:
        return db.session.scalar(select(PreviewLink).order_by(PreviewLink.id))

    def with_(row: Any, make: Callable[[Any], str]) -> str | None:
        return make(row) if row is not None else None

    return {
        "signon_public.confirm": lambda: with_(signature(), confirm_link),
        "signon_public.withdraw": lambda: with_(signature(), withdraw_link),
        "signon_public.reconfirm": lambda: with_(
            signature(), lambda s: reconfirm_link(s, s.signed_version)
        ),
        "attest.domain": lambda: with_(signature(), domain_link),
        "review_public.draft": lambda: with_(
            db.session.scalar(select(ReviewInvitee).order_by(ReviewInvitee.id)), invitation_url
        ),
        "directory_public.invited": lambda: with_(
            invitation(), lambda i: url_for("directory_public.invited", token=invite_token(i))
        ),
        "directory_public.decline": lambda: with_(
            invitation(),
            lambda i: url_for("directory_public.decline", token=invite_token(i, DECLINE)),
        ),
        "embargo_public.page": lambda: with_(
            preview(), lambda p: url_for("embargo_public.page", token=p.token)
        ),
        "unsubscribe.page": lambda: with_(
            contact(),
            lambda c: url_for("unsubscribe.page", token=unsubscribe_token(c.id, None, c.email)),
        ),
        "auth.reset_password": lambda: link_for(RESET, admin()),
        "auth.accept_invitation": lambda: link_for(INVITATION, admin()),
    }


def _urls_of(rule: Any, statements: list[Statement], tokens: dict[str, Any]) -> list[str]:
    """The demo pages one rule stands for (none when the demo has no row to show)."""
    if rule.endpoint in tokens:
        url = tokens[rule.endpoint]()
        return [_path(url)] if url else []
    fixed: dict[str, object] = {}
    for argument in rule.arguments - {"statement_id", "slug", "number", "token"}:
        model = JOBS.get(rule.endpoint) if argument == "job_id" else MODELS.get(argument)
        fixed[argument] = _first(model) if model is not None else None
    if None in fixed.values() or "token" in rule.arguments:
        return []
    if "slug" in rule.arguments:
        slugs = db.session.scalars(
            select(Statement.slug).where(Statement.published_version_id.is_not(None))
        )
        return [url_for(rule.endpoint, slug=slug, **fixed) for slug in slugs]
    if "statement_id" not in rule.arguments:
        return [url_for(rule.endpoint, **fixed)]
    urls = []
    for statement in statements:
        args = {"statement_id": statement.id, **fixed}
        if "number" in rule.arguments:
            args["number"] = statement.head_number
        if rule.endpoint == "statements.compare_versions":
            args.update(old=1, new=statement.head_number)
        urls.append(url_for(rule.endpoint, **args))
    return urls


def every_page(app: Flask) -> Pages:
    """The staff and public pages of the demo data, each kind of page once (statement pages
    once per kind of statement, public statement pages for every published one)."""
    pages = Pages()
    with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]):
        statements = _one_statement_per_kind()
        tokens = _token_urls()
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in NOT_VISITED:
                continue
            if rule.rule.endswith(NOT_HTML):
                continue
            urls = _urls_of(rule, statements, tokens)
            if urls:
                pages.visited.add(rule.endpoint)
            public = access_for(rule.endpoint) == PUBLIC
            (pages.public if public else pages.staff).extend(urls)
    return pages


def unexplained(app: Flask, pages: Pages) -> set[str]:
    """GET pages neither visited nor explained in NOT_VISITED (a new page, or demo data that
    no longer reaches one)."""
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.rule.endswith(NOT_HTML)
        and rule.endpoint not in NOT_VISITED
        and rule.endpoint not in pages.visited
    }
