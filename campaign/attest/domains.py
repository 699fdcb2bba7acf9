"""Which domain a signatory is verified for, and checking published verification tokens.

A signature is verified for its website's domain when its confirming address is on that
domain, or when someone confirming from the same address once published a token for it in
DNS (TXT at _campaign-desk.<domain> or <domain>) or at the domain's well-known URL. Tokens
bind (domain, address), so the verification is reused on every later letter they sign.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, tuple_

from campaign.attest.models import DomainVerification
from campaign.extensions import db
from campaign.signon.models import Signature

TXT_PREFIX = "campaign-desk-verification="


@lru_cache(maxsize=4096)
def site_domain(website: str) -> str:
    """The organization's own domain, from its website ("https://www.x.org/a" -> "x.org")."""
    text = website.strip()
    if text and "//" not in text:
        text = "//" + text
    host = (urlsplit(text).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.") if "." in host else ""


def _address_domain(email: str) -> str:
    return email.rpartition("@")[2].lower().rstrip(".")


def by_address(signature: Any) -> str:
    """The site domain if the confirming address is on it (or on one of its subdomains)."""
    domain, mail = site_domain(signature.website), _address_domain(signature.email_key or "")
    return domain if domain and (mail == domain or mail.endswith("." + domain)) else ""


def verified_domains(signatures: Iterable[Any]) -> dict[int, str]:
    """Signature id -> the domain it is verified for (absent when none).

    Takes signatures or rows with their `id`, `website` and `email_key`.
    """
    signatures = list(signatures)
    found = {s.id: by_address(s) for s in signatures}
    wanted = {(site_domain(s.website), s.email_key) for s in signatures if not found[s.id]}
    wanted = {pair for pair in wanted if pair[0] and pair[1]}
    proven: set[tuple[str, str]] = set()
    if wanted:
        rows = db.session.execute(
            select(DomainVerification.domain, DomainVerification.email_key).where(
                DomainVerification.verified_at.is_not(None),
                tuple_(DomainVerification.domain, DomainVerification.email_key).in_(wanted),
            )
        )
        proven = {(row.domain, row.email_key) for row in rows}
    for s in signatures:
        if not found[s.id] and (site_domain(s.website), s.email_key) in proven:
            found[s.id] = site_domain(s.website)
    return {key: value for key, value in found.items() if value}


def claim_for(signature: Signature) -> DomainVerification | None:
    """The token this signer publishes to verify their site's domain (made once, reused)."""
    domain = site_domain(signature.website)
    if not domain or not signature.email_key:
        return None
    claim = db.session.scalar(
        select(DomainVerification).filter_by(domain=domain, email_key=signature.email_key)
    )
    if claim is None:
        claim = DomainVerification(
            domain=domain, email_key=signature.email_key, token=secrets.token_urlsafe(24)
        )
        db.session.add(claim)
        db.session.commit()
    return claim


def well_known_url(domain: str) -> str:
    return current_app.config["DOMAIN_WELL_KNOWN_URL"].format(domain=domain)
