"""The issuing organization's Ed25519 signing key: made on first use, kept owner-only.

The private key is a PEM file in the instance folder (or ATTEST_KEY_PATH) created
once with mode 0600 (campaign.keyfiles), so two processes starting at once agree on one key
and no other user on the machine can read it. The key id is the SHA-256 of the raw public
key, which a verifier can recompute from the published key.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

from campaign.keyfiles import create_once

SIGNATURE_ALGORITHM = "ed25519"


@dataclass(frozen=True)
class PublicKey:
    """One published verification key."""

    key_id: str
    raw: bytes

    @property
    def b64(self) -> str:
        return base64.b64encode(self.raw).decode()

    def as_json(self) -> dict[str, str]:
        return {"key_id": self.key_id, "algorithm": SIGNATURE_ALGORITHM, "public_key": self.b64}


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def key_path() -> Path:
    """ATTEST_KEY_PATH, which create_app puts in the instance folder unless it is set."""
    return Path(current_app.config["ATTEST_KEY_PATH"])


def _create(path: Path) -> None:
    """Write a new key unless one exists (campaign.keyfiles: one wins, none half-written)."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    create_once(path, pem)


def signing_key() -> Ed25519PrivateKey:
    """The organization's private key, generated the first time it is needed."""
    path = key_path()
    if not path.exists():
        _create(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"{path} does not hold an Ed25519 key")
    return key


def current_public_key() -> PublicKey:
    raw = raw_public(signing_key().public_key())
    return PublicKey(key_id_of(raw), raw)


def keys_document() -> dict[str, object]:
    """What /.well-known/campaign-desk-keys.json serves: every key roots may be signed with."""
    return {
        "issuer": current_app.config["LETTERHEAD_NAME"],
        "keys": [current_public_key().as_json()],
    }


def parse_keys(document: object) -> dict[str, PublicKey]:
    """Keys by id from a keys document; ids that do not match their key are dropped."""
    keys: dict[str, PublicKey] = {}
    entries = document.get("keys", []) if isinstance(document, dict) else []
    for entry in entries if isinstance(entries, list) else []:
        try:
            raw = base64.b64decode(entry["public_key"], validate=True)
        except (KeyError, TypeError, ValueError):
            continue
        if len(raw) == 32 and entry.get("key_id") == key_id_of(raw):
            keys[key_id_of(raw)] = PublicKey(key_id_of(raw), raw)
    return keys
