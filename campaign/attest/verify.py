"""Checking receipts, signed roots, chains of roots and PDFs, and saying what holds in words.

Pure functions of the bytes given and the published keys: the web page, the CLI and an
offline copy all reach the same verdict. Every check that fails says exactly what does not
hold, and nothing is said to hold that was not checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeGuard

from campaign.attest.canonical import canonical
from campaign.attest.documents import RECEIPT_TYPE, ROOT_TYPE
from campaign.attest.heads import HEAD_TYPE, head_digest, signature_holds
from campaign.attest.keys import PublicKey
from campaign.attest.merkle import root_from_proof, tree_root
from campaign.attest.pdfcheck import names_missing_from, root_in_pdf

Keys = dict[str, PublicKey]


@dataclass
class Report:
    """What holds and what does not; `ok` only when something held and nothing failed."""

    holds: list[str] = field(default_factory=list)
    fails: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.holds) and not self.fails

    def lines(self) -> list[str]:
        return [f"OK: {line}" for line in self.holds] + [f"FAILS: {line}" for line in self.fails]


def _when(head: dict[str, Any]) -> str:
    try:
        moment = datetime.strptime(str(head.get("issued_at")), "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return "an unreadable date"
    return moment.strftime("%b %-d, %Y")


def describe(head: dict[str, Any]) -> str:
    """'version 2 of “Title” as delivered on Dec 3, 2026' and the like."""
    event = "delivered" if head.get("event") == "delivery" else "published"
    return f"version {head.get('version')} of “{head.get('title')}” as {event} on {_when(head)}"


def check_head(head: Any, signature: Any, keys: Keys, report: Report) -> TypeGuard[dict[str, Any]]:
    """The head's signature against the published keys."""
    if not isinstance(head, dict) or head.get("type") != HEAD_TYPE:
        report.fails.append("This is not a Campaign Desk signed root.")
        return False
    key = keys.get(str(head.get("key_id")))
    if key is None:
        report.fails.append(
            f"The root names key {str(head.get('key_id'))[:16]}…, which is not among the "
            "published keys."
        )
        return False
    if not isinstance(signature, str) or not signature_holds(head, signature, key):
        report.fails.append(
            "The signature does not match the root: the root was changed after it was signed, "
            f"or {head.get('issuer')} did not sign it."
        )
        return False
    report.holds.append(
        f"{head.get('issuer')} signed root #{head.get('sequence')} of {describe(head)} "
        f"(key {key.key_id[:16]}…)."
    )
    return True


def _signatory_words(leaf: dict[str, Any], head: dict[str, Any]) -> str:
    count = int(head.get("tree_size", 1)) - 1
    among = "the one signatory" if count == 1 else f"one of the {count:,} signatories"
    words = f"{leaf.get('name')} is {among} of {describe(head)}"
    if leaf.get("version") != head.get("version"):
        words += f" (it signed version {leaf.get('version')})"
    if leaf.get("verified_domain"):
        words += f", verified for {leaf['verified_domain']}"
    return words + "."


def verify_receipt(receipt: dict[str, Any], keys: Keys) -> Report:
    report = Report()
    head = receipt.get("head")
    if not check_head(head, receipt.get("signature"), keys, report):
        return report
    leaf, index, proof = receipt.get("leaf"), receipt.get("leaf_index"), receipt.get("proof")
    if not isinstance(leaf, dict) or not isinstance(index, int) or not isinstance(proof, list):
        report.fails.append("The receipt lacks its entry, the entry's position or its proof.")
        return report
    try:
        nodes = [bytes.fromhex(node) for node in proof]
        found = root_from_proof(canonical(leaf), index, int(head["tree_size"]), nodes)
    except (TypeError, ValueError, KeyError):
        found = None
    if found is None or found.hex() != head.get("root_hash"):
        report.fails.append(
            f"The entry for {leaf.get('name', 'the text')} is not part of this root: the entry, "
            "its position or the proof was changed."
        )
        return report
    if leaf.get("type") == "signatory":
        report.holds.append(_signatory_words(leaf, head))
    else:
        report.holds.append(f"The text of {describe(head)} has SHA-256 {leaf.get('text_sha256')}.")
    return report


def verify_root(document: dict[str, Any], keys: Keys) -> Report:
    report = Report()
    head = document.get("head")
    if not check_head(head, document.get("signature"), keys, report):
        return report
    leaves = document.get("leaves")
    if leaves is None:
        return report
    try:
        computed = tree_root([canonical(leaf) for leaf in leaves]).hex()
    except TypeError:
        computed = ""
    if computed != head.get("root_hash") or len(leaves) != head.get("tree_size"):
        report.fails.append(
            "The list in this file does not match the signed root: a name, a detail or the "
            "order was changed, or an entry was added or removed."
        )
        return report
    report.holds.append(
        f"The {len(leaves) - 1:,} signatories in this file are exactly those of {describe(head)}, "
        "in this order."
    )
    return report


def _names(document: dict[str, Any]) -> list[str]:
    leaves = document.get("leaves") or []
    return [leaf.get("name", "") for leaf in leaves if leaf.get("type") == "signatory"]


def verify_chain(documents: list[Any], keys: Keys) -> Report:
    """Each root, and that each names the one before it (nothing rewritten in between)."""
    report = Report()
    previous: dict[str, Any] | None = None
    for document in documents:
        single = verify_root(document, keys) if isinstance(document, dict) else Report()
        report.holds += single.holds
        report.fails += single.fails
        head = document.get("head", {}) if isinstance(document, dict) else {}
        if previous is not None and head.get("previous") != head_digest(previous["head"]):
            report.fails.append(f"Root #{head.get('sequence')} does not follow the root before it.")
        elif previous is not None:
            added = sorted(set(_names(document)) - set(_names(previous)))
            removed = sorted(set(_names(previous)) - set(_names(document)))
            report.holds.append(
                f"Root #{head.get('sequence')} follows root #{previous['head'].get('sequence')}"
                + (f"; added: {', '.join(added)}" if added else "")
                + (f"; removed: {', '.join(removed)}" if removed else "")
                + "."
            )
        previous = document if isinstance(document, dict) else None
    return report


def verify_pdf(data: bytes, keys: Keys) -> Report:
    document = root_in_pdf(data)
    if document is None:
        return Report(fails=["This PDF carries no signed root in its metadata."])
    report = verify_root(document, keys)
    if report.fails:
        return report
    missing = names_missing_from(data, _names(document))
    if missing:
        report.fails.append(
            f"{len(missing)} signed name(s) are not printed in this PDF: {', '.join(missing[:5])}."
        )
    else:
        report.holds.append("Every signatory of the signed root is printed in this PDF.")
    return report


def verify_bytes(data: bytes, keys: Keys) -> Report:
    """Whatever was given: a PDF, a receipt, a signed root or a chain (JSON list of roots)."""
    if data.lstrip().startswith(b"%PDF"):
        return verify_pdf(data, keys)
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return Report(fails=["This is neither a PDF nor a receipt or root (JSON)."])
    if isinstance(value, list):
        return verify_chain(value, keys)
    kind = value.get("type") if isinstance(value, dict) else None
    if kind == RECEIPT_TYPE:
        return verify_receipt(value, keys)
    if kind == ROOT_TYPE:
        return verify_root(value, keys)
    return Report(fails=["This JSON is neither a Campaign Desk receipt nor a signed root."])
