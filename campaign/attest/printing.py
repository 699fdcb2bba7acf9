"""What a signed root adds to printed and shown lists: the PDF's attestation and the marks."""

from __future__ import annotations

import json

from campaign.attest.documents import root_document
from campaign.attest.heads import ALGORITHM
from campaign.attest.models import SignedRoot
from campaign.urls import external_url
from press.documents import Attestation


def attestation(root: SignedRoot) -> Attestation:
    """press/'s plain data for a root: the note on the page and the PDF's metadata."""
    return Attestation(
        root_hash=root.root_hash,
        algorithm=ALGORITHM,
        key_id=root.key_id,
        sequence=root.sequence,
        verify_url=external_url("attest.verify"),
        document=json.dumps(root_document(root), separators=(",", ":"), ensure_ascii=True),
    )


def verified_marks(root: SignedRoot | None) -> dict[int, str]:
    """Signature id -> the domain the root says it is verified for."""
    if root is None:
        return {}
    domains = (json.loads(leaf).get("verified_domain", "") for leaf in root.leaves[1:])
    return {sid: domain for sid, domain in zip(root.signature_ids, domains, strict=True) if domain}
