"""Tasks of verifiable letters: checking a domain's published verification token."""

from __future__ import annotations

from celery import shared_task

from campaign.attest.domain_checks import check


@shared_task(name="attest.check_domain")
def check_domain(claim_id: int) -> bool:
    """Look for a domain's token in DNS and at its well-known URL (network: not in requests)."""
    return check(claim_id)
