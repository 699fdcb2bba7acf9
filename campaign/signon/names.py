"""Organization names reduced to a key under which the same organization always matches.

"The Justice Forward Project, Inc." and "justice forward project" are one organization:
case, accents, punctuation, a leading "The" and legal-form suffixes do not tell
organizations apart, so they are dropped from the key that the unique constraint uses.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

LEGAL_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "lp",
        "llp",
        "pbc",
        "pllc",
        "gmbh",
        "ev",
        "nfp",
    }
)
_JOINED_PUNCTUATION = re.compile("[.'\u2019`]")
_WORD = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalize_name(name: str) -> str:
    """The matching key of an organization name; empty if it has no letters or digits."""
    text = _JOINED_PUNCTUATION.sub("", _fold(name).replace("&", " and "))
    words = _WORD.findall(text)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def sort_key(name: str) -> str:
    """Alphabetical order as readers expect it: case-insensitive, ignoring a leading "The"."""
    folded = _fold(name).strip()
    if folded.startswith("the ") and len(folded) > 4:
        folded = folded[4:].lstrip()
    return folded


def normalize_website(address: str) -> str:
    """An http(s) URL with a dotted host, "https://" added if no scheme was typed.

    Anything else (javascript:, data:, spaces, a bare word) raises ValueError: the address
    may end up as a link in PDFs and on partner pages.
    """
    address = address.strip()
    if not address:
        return ""
    if "://" not in address:
        address = "https://" + address
    parts = urlsplit(address)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or re.search(r"[\s<>\"']", address):
        raise ValueError("Enter a web address such as https://example.org.")
    return address


def referral_code(text: str | None) -> str:
    """A partner's or sharer's code from a link (`?partner=`): lower-case letters, digits
    and "-", at most 40 characters; anything else is dropped, so a code is never markup."""
    return re.sub(r"[^a-z0-9-]", "", (text or "").strip().lower())[:40]
