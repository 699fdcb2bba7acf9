"""The email each recipient gets: HTML and plain text from the statement, the PDF attached,
a personal greeting, Reply-To the press officer and a one-click unsubscribe link."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr

from flask import current_app, render_template

from campaign.distribution.models import Distribution
from campaign.mail.transport import build_message
from campaign.tokens import make_token
from press.markdown import render_markdown

UNSUBSCRIBE_PURPOSE = "unsubscribe"
UNSUBSCRIBE_PATH = "/unsubscribe/"


def unsubscribe_token(contact_id: int | None, distribution_id: int) -> str:
    return make_token(UNSUBSCRIBE_PURPOSE, {"c": contact_id, "d": distribution_id})


def unsubscribe_url(token: str) -> str:
    """Absolute link for emails; workers have no request, so it is built from PUBLIC_BASE_URL."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + UNSUBSCRIBE_PATH + token


def greeting(name: str) -> str:
    return f"Dear {name.strip()}," if name.strip() else "Hello,"


@dataclass
class Composer:
    """Renders the statement once per batch and personalises it per recipient."""

    distribution: Distribution
    html_body: str
    attachment: tuple[str, str, bytes]

    @classmethod
    def for_distribution(cls, distribution: Distribution) -> Composer:
        document = distribution.document
        return cls(
            distribution,
            render_markdown(distribution.version.body),
            (document.filename, "application/pdf", document.data),
        )

    def build(self, contact_id: int | None, email: str, name: str) -> EmailMessage:
        dist = self.distribution
        link = unsubscribe_url(unsubscribe_token(contact_id, dist.id))
        context = {
            "distribution": dist,
            "statement": dist.statement,
            "version": dist.version,
            "html": self.html_body,
            "greeting": greeting(name),
            "unsubscribe_url": link,
        }
        return build_message(
            sender=current_app.config["MAIL_FROM"],
            to=formataddr((name, email)),
            subject=dist.subject,
            text=render_template("distribution/email.txt", **context),
            html=render_template("distribution/email.html", **context),
            reply_to=dist.reply_to,
            headers={
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            attachments=[self.attachment],
        )
