"""Emailed links of verifiable letters: a signer's receipt and their domain verification."""

from __future__ import annotations

from campaign.signon.models import Signature
from campaign.tokens import make_token
from campaign.urls import external_url

RECEIPT = "signon-receipt"
DOMAIN = "signon-domain"


def _token(purpose: str, signature: Signature) -> str:
    return make_token(purpose, {"sig": signature.id, "email": signature.email_key})


def receipt_link(signature: Signature) -> str:
    return external_url("attest.receipt", token=_token(RECEIPT, signature))


def domain_link(signature: Signature) -> str:
    return external_url("attest.domain", token=_token(DOMAIN, signature))
