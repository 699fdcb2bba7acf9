"""The worker's side of domain verification: look for the published token, once per request.

DNS goes through dnspython (tests install a fake resolver in `app.extensions`); the
well-known file goes through campaign.netfetch with the DOMAIN_FETCH_* limits.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dns.exception
import dns.resolver
from flask import current_app

from campaign import clock
from campaign.attest.domains import TXT_PREFIX, well_known_url
from campaign.attest.models import DomainVerification
from campaign.extensions import db
from campaign.netfetch import FetchError, app_limits, fetch

RESOLVER = "attest.resolver"


def _resolver() -> Any:
    return current_app.extensions.get(RESOLVER) or dns.resolver.Resolver()


def txt_values(name: str) -> list[str]:
    """The TXT strings published at `name` (each record's parts joined), [] if none."""
    try:
        answer = _resolver().resolve(
            name, "TXT", lifetime=current_app.config["DOMAIN_FETCH_TIMEOUT"]
        )
    except (dns.exception.DNSException, OSError, ValueError):
        return []
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


def found_in_dns(claim: DomainVerification) -> bool:
    wanted = TXT_PREFIX + claim.token
    names = (f"_campaign-desk.{claim.domain}", claim.domain)
    return any(wanted == value.strip() for name in names for value in txt_values(name))


def found_at_well_known(claim: DomainVerification) -> tuple[bool, str]:
    """(found, what happened) for the domain's /.well-known/campaign-desk.txt."""
    config = current_app.config
    try:
        limits = replace(
            app_limits(),
            max_bytes=config["DOMAIN_FETCH_MAX_BYTES"],
            timeout=config["DOMAIN_FETCH_TIMEOUT"],
        )
        result = fetch(well_known_url(claim.domain), limits)
    except FetchError as error:
        return False, str(error)
    if result.status != 200:
        return False, f"The well-known file answered HTTP {result.status}."
    lines = {line.strip() for line in result.body.decode("utf-8", "replace").splitlines()}
    return bool(lines & {claim.token, TXT_PREFIX + claim.token}), "The token is not in the file."


def check(claim_id: int) -> bool:
    """Look for the token of one claim; mark it verified when found. Safe to run twice."""
    claim = db.session.get(DomainVerification, claim_id)
    if claim is None:
        return False
    if claim.verified_at is not None:
        return True
    claim.checked_at = clock.now()
    if found_in_dns(claim):
        claim.method, claim.verified_at = "dns", clock.now()
        claim.last_result = f"Found the token in DNS for {claim.domain}."
    else:
        found, said = found_at_well_known(claim)
        if found:
            claim.method, claim.verified_at = "well-known", clock.now()
            claim.last_result = f"Found the token at {well_known_url(claim.domain)}."
        else:
            claim.last_result = f"No token in DNS; well-known file: {said}"
    db.session.commit()
    return claim.verified_at is not None
