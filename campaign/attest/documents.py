"""The JSON handed out: a signed root (with its leaves) and a signer's receipt.

Both carry the head and its signature as issued; a receipt adds one leaf, its index and its
inclusion proof. docs/VERIFY.md is the specification of these objects.
"""

from __future__ import annotations

import json
from typing import Any

from campaign.attest.merkle import inclusion_proof, leaf_hash
from campaign.attest.models import SignedRoot
from campaign.urls import external_url

ROOT_TYPE = "campaign-desk/signed-root"
RECEIPT_TYPE = "campaign-desk/receipt"


def keys_url() -> str:
    return external_url("attest.keys")


def root_document(root: SignedRoot, with_leaves: bool = True) -> dict[str, Any]:
    document: dict[str, Any] = {
        "type": ROOT_TYPE,
        "head": root.head,
        "signature": root.signature,
        "keys": keys_url(),
    }
    if with_leaves:
        document["leaves"] = [json.loads(leaf) for leaf in root.leaves]
    return document


def receipt(root: SignedRoot, signature_id: int) -> dict[str, Any] | None:
    """The receipt of one signature in `root`, or None if the root does not list it."""
    if signature_id not in root.signature_ids:
        return None
    index = root.signature_ids.index(signature_id) + 1  # leaf 0 is the text
    hashes = [leaf_hash(leaf.encode()) for leaf in root.leaves]
    return {
        "type": RECEIPT_TYPE,
        "head": root.head,
        "signature": root.signature,
        "leaf": json.loads(root.leaves[index]),
        "leaf_index": index,
        "proof": [node.hex() for node in inclusion_proof(index, hashes)],
        "keys": keys_url(),
    }
