"""The one normalized form of an email address that lists, uniqueness and links compare."""

from __future__ import annotations


def email_key(address: str) -> str:
    """Trimmed and lower-cased: "Ana@X.org " and "ana@x.org" are one addressee.

    Every table's `email_key` column and every lookup by address uses this, so a contact,
    a suppression, a signature and an invitation of the same person always match.
    """
    return address.strip().lower()
