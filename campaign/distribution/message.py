"""The email each recipient gets: HTML and plain text from the statement, the PDF attached,
a personal greeting, Reply-To the press officer and a one-click unsubscribe link.

The statement is rendered once per batch with markers where the greeting and the link go;
each copy then only substitutes them and encodes its own headers (see mime.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from markupsafe import escape

from campaign.distribution.mime import Attachment, compose
from campaign.distribution.models import Distribution
from campaign.embargo.previews import preview_url_for
from campaign.embargo.services import embargo_pending
from campaign.site.services import organization
from campaign.tokens import make_token
from press.markdown import render_markdown

UNSUBSCRIBE_PURPOSE = "unsubscribe"
UNSUBSCRIBE_PATH = "/unsubscribe/"
GREETING, LINK = "\x00greeting\x00", "\x00unsubscribe\x00"
PREVIEW = "\x00preview\x00"


def unsubscribe_token(contact_id: int | None, distribution_id: int) -> str:
    return make_token(UNSUBSCRIBE_PURPOSE, {"c": contact_id, "d": distribution_id})


def unsubscribe_url(token: str) -> str:
    """Absolute link for emails; workers have no request, so it is built from PUBLIC_BASE_URL."""
    return organization().public_base_url + UNSUBSCRIBE_PATH + token


def greeting(name: str) -> str:
    return f"Dear {name.strip()}," if name.strip() else "Hello,"


@dataclass(frozen=True)
class Composer:
    """Everything shared by the copies of one distribution, as plain data."""

    distribution_id: int
    sender: str
    subject: str
    reply_to: str
    text: str
    html: str
    attachment: Attachment

    @classmethod
    def for_distribution(cls, dist: Distribution) -> Composer:
        context = {
            "distribution": dist,
            "statement": dist.statement,
            "version": dist.version,
            "html": render_markdown(dist.version.body),
            "greeting": GREETING,
            "unsubscribe_url": LINK,
            # A personal preview link per recipient while the version is under embargo.
            "preview_url": PREVIEW if embargo_pending(dist.version) else "",
        }
        document = dist.document
        return cls(
            distribution_id=dist.id,
            sender=organization().sender,
            subject=dist.subject,
            reply_to=dist.reply_to,
            text=render_template("distribution/email.txt", **context),
            html=render_template("distribution/email.html", **context),
            attachment=Attachment.encode(document.filename, "application/pdf", document.data),
        )

    def build(
        self, contact_id: int | None, email: str, name: str, recipient_id: int | None = None
    ) -> bytes:
        """The copy for one recipient, as raw message bytes."""
        link = unsubscribe_url(unsubscribe_token(contact_id, self.distribution_id))
        greet = greeting(name)
        preview = ""
        if PREVIEW in self.text and recipient_id is not None:
            preview = preview_url_for(recipient_id)
        return compose(
            sender=self.sender,
            to=(name, email),
            subject=self.subject,
            text=self.text.replace(GREETING, greet).replace(LINK, link).replace(PREVIEW, preview),
            html=self.html.replace(GREETING, str(escape(greet)))
            .replace(LINK, link)
            .replace(PREVIEW, preview),
            reply_to=self.reply_to,
            headers={
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            attachment=self.attachment,
        )
