"""Signed roots ("heads"): what the organization signs about one state of a letter's list.

A head names the letter, the version, the event (a delivery or a publication), the tree's
size and root, when it was issued, and the digest of the previous head of the same letter,
so the heads of one letter form a hash chain: a list cannot be rewritten without every
later head, each signed, disagreeing with copies already handed out.
"""

from __future__ import annotations

import base64
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from campaign.attest.canonical import canonical, sha256_hex
from campaign.attest.keys import PublicKey

HEAD_TYPE = "campaign-desk/root"
FORMAT = 1
# Signed bytes are prefixed so a signature over a head can never be replayed as anything else.
SIGNING_CONTEXT = b"campaign-desk root v1\x00"
ALGORITHM = "rfc9162-sha256+jcs/ed25519"


def head_digest(head: dict[str, Any]) -> str:
    """The id of a head, which the next head of the same letter names as `previous`."""
    return sha256_hex(canonical(head))


def sign_head(head: dict[str, Any], key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.sign(SIGNING_CONTEXT + canonical(head))).decode()


def signature_holds(head: dict[str, Any], signature: str, key: PublicKey) -> bool:
    """Whether `signature` (base64) is `key`'s Ed25519 signature over this head."""
    try:
        raw = base64.b64decode(signature, validate=True)
        Ed25519PublicKey.from_public_bytes(key.raw).verify(raw, SIGNING_CONTEXT + canonical(head))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
