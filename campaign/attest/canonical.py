"""The one byte encoding of every hashed or signed object (RFC 8785 for our value types).

Objects hold only strings, integers, lists and objects, so JSON with keys sorted, no
whitespace and UTF-8 output is exactly the JSON Canonicalization Scheme: a verifier in
any language reproduces the bytes with its own JCS library.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical(value: Any) -> bytes:
    """`value` as canonical JSON bytes; floats are refused (JCS and Python disagree on them)."""
    _check(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _check(value: Any) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return
    if isinstance(value, list):
        for item in value:
            _check(item)
        return
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        for item in value.values():
            _check(item)
        return
    raise TypeError(f"not canonical JSON: {type(value).__name__}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_sha256(title: str, subtitle: str, addressee: str, body: str, closing: str) -> str:
    """The hash of the words of one version: what a signatory agreed to."""
    words = {
        "addressee": addressee,
        "body": body,
        "closing": closing,
        "subtitle": subtitle,
        "title": title,
    }
    return sha256_hex(canonical(words))
