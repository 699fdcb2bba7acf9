"""The email each recipient gets: a journalist-grade HTML part with inlined CSS, a real
plain-text part, the PDF attached, a personal greeting, Reply-To the press officer, a
one-click unsubscribe link and a bounce address that names the recipient row.

The statement is rendered once per batch with markers where the greeting and the link go;
each copy then only substitutes them and encodes its own headers (see mime.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formataddr

from flask import render_template
from markupsafe import escape

from campaign.bounces import verp
from campaign.distribution.email_parts import email_parts
from campaign.distribution.mime import Attachment, DkimKey, compose, dkim_key, dkim_sign
from campaign.distribution.models import Distribution, GreetingStyle
from campaign.embargo.previews import preview_url_for
from campaign.embargo.services import embargo_pending
from campaign.site.services import organization
from campaign.tokens import address_digest, make_token

UNSUBSCRIBE_PURPOSE = "unsubscribe"
UNSUBSCRIBE_PATH = "/unsubscribe/"
# Placeholders substituted per copy; plain ASCII, because the CSS inliner parses the HTML
# and would replace control characters.
GREETING, LINK = "@@campaign-greeting-5d1e@@", "@@campaign-unsubscribe-5d1e@@"
PREVIEW = "@@campaign-preview-5d1e@@"
PREVIEW_STAND_IN = "(each journalist's own preview link)"


def unsubscribe_token(contact_id: int | None, distribution_id: int | None, email: str) -> str:
    """Names the contact by id and address digest (never reused; see tokens.address_digest)."""
    data = {"c": contact_id, "d": distribution_id, "e": address_digest(email)}
    return make_token(UNSUBSCRIBE_PURPOSE, data)


def unsubscribe_url(token: str) -> str:
    """Absolute link for emails; workers have no request, so it is built from PUBLIC_BASE_URL."""
    return organization().public_base_url + UNSUBSCRIBE_PATH + token


def greeting(name: str, style: GreetingStyle = GreetingStyle.FULL_NAME) -> str:
    """ "Dear Jane Doe," or "Dear Jane,"; "Hello," when the name is unknown; "" for none."""
    name = name.strip()
    if style is GreetingStyle.NONE:
        return ""
    if style is GreetingStyle.FIRST_NAME:
        name = name.split()[0] if name else ""
    return f"Dear {name}," if name else "Hello,"


def sender_of(dist: Distribution) -> str:
    """The From header: the chosen display name with the organization's address."""
    org = organization()
    return formataddr((dist.sender_name or org.sender_name, org.sender_address))


@dataclass(frozen=True)
class Composer:
    """Everything shared by the copies of one distribution, as plain data."""

    distribution_id: int | None
    sender: str
    subject: str
    reply_to: str
    text: str
    html: str
    attachment: Attachment | None
    greeting_style: GreetingStyle = GreetingStyle.FULL_NAME
    dkim: DkimKey | None = None

    @classmethod
    def for_distribution(cls, dist: Distribution, attachment: Attachment | None = None) -> Composer:
        """`attachment` replaces the stored document (a test send before anything is stored)."""
        context = {
            "distribution": dist,
            "statement": dist.statement,
            "version": dist.version,
            "org": organization(),
            "email": email_parts(dist),
            "greeting": "" if dist.greeting_style is GreetingStyle.NONE else GREETING,
            "unsubscribe_url": LINK,
            # A personal preview link per recipient while the version is under embargo.
            "preview_url": PREVIEW if embargo_pending(dist.version) else "",
        }
        if attachment is None and dist.document is not None:
            document = dist.document
            attachment = Attachment.encode(document.filename, "application/pdf", document.data)
        return cls(
            distribution_id=dist.id,
            sender=sender_of(dist),
            subject=dist.subject,
            reply_to=dist.reply_to,
            text=render_template("distribution/email.txt", **context),
            html=inline_css(render_template("distribution/email.html", **context)),
            attachment=attachment,
            greeting_style=dist.greeting_style or GreetingStyle.FULL_NAME,
            dkim=dkim_key(),
        )

    def personal(
        self, contact_id: int | None, email: str, name: str, recipient_id: int | None = None
    ) -> tuple[str, str]:
        """The (text, html) of one recipient's copy; a review or test copy, which has no
        recipient row, shows where each journalist's own embargo preview link will be."""
        link = unsubscribe_url(unsubscribe_token(contact_id, self.distribution_id, email))
        greet = greeting(name, self.greeting_style)
        preview = PREVIEW_STAND_IN
        if PREVIEW in self.text and recipient_id is not None:
            preview = preview_url_for(recipient_id)
        text = self.text.replace(GREETING, greet).replace(LINK, link).replace(PREVIEW, preview)
        html = (
            self.html.replace(GREETING, str(escape(greet)))
            .replace(LINK, link)
            .replace(PREVIEW, str(escape(preview)))
        )
        return text, html

    def build(
        self,
        contact_id: int | None,
        email: str,
        name: str,
        recipient_id: int | None = None,
        subject_prefix: str = "",
    ) -> bytes:
        """The copy for one recipient, as raw message bytes (DKIM-signed when configured)."""
        link = unsubscribe_url(unsubscribe_token(contact_id, self.distribution_id, email))
        text, html = self.personal(contact_id, email, name, recipient_id)
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        if recipient_id is not None:
            headers[verp.HEADER] = verp.tag(recipient_id)
        message = compose(
            sender=self.sender,
            to=(name, email),
            subject=subject_prefix + self.subject,
            text=text,
            html=html,
            reply_to=self.reply_to,
            headers=headers,
            attachment=self.attachment,
        )
        return dkim_sign(message, self.dkim)


def inline_css(html: str) -> str:
    """Move the template's <style> rules onto the elements: many mail clients drop <style>."""
    import css_inline

    return css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False).inline(html)
