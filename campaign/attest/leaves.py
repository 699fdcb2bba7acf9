"""The leaves of a letter's tree: its text first, then each listed signatory in list order.

Each leaf is a small canonical JSON object (docs/VERIFY.md lists the fields). A signatory's
leaf holds the name as listed, whether it is an organization or a person, the version it
signed with that version's text hash, when it confirmed, and the domain it is verified for.
Leaf order is the public list's order, so reordering the list changes the root too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from campaign.attest.canonical import canonical, text_sha256
from campaign.attest.domains import verified_domains
from campaign.attest.merkle import leaf_hash, root_of
from campaign.extensions import db
from campaign.signon.listing import listed_signatories
from campaign.signon.models import Signature
from campaign.statements.models import Statement, StatementVersion


@dataclass(frozen=True)
class Tree:
    """The leaves of one state of a letter, with the ids of the signatures they stand for."""

    leaves: list[dict[str, Any]]
    signature_ids: list[int]

    @property
    def leaf_bytes(self) -> list[bytes]:
        return [canonical(leaf) for leaf in self.leaves]

    @property
    def root_hash(self) -> str:
        return root_of([leaf_hash(leaf) for leaf in self.leaf_bytes]).hex()


def stamp(moment: datetime) -> str:
    """A UTC time as RFC 3339 with seconds and a Z, the one format leaves and heads use."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def version_hash(version: StatementVersion) -> str:
    return text_sha256(
        version.title, version.subtitle, version.addressee, version.body, version.closing
    )


def text_leaf(statement: Statement, version: StatementVersion) -> dict[str, Any]:
    return {
        "type": "text",
        "letter": statement.slug,
        "version": version.number,
        "text_sha256": version_hash(version),
    }


# What a leaf needs from a signature, read as plain rows: a 2,000-name list would otherwise
# cost thousands of ORM objects on every page view that checks the root is current.
_COLUMNS = (
    Signature.id,
    Signature.organization,
    Signature.display_name,
    Signature.signed_version_id,
    Signature.confirmed_at,
    Signature.created_at,
    Signature.website,
    Signature.email_key,
)


def _kind(row: Any) -> str:
    """ "organization" or "person": signers that are people carry their own kind."""
    kind = getattr(row, "signer_kind", None)
    return str(getattr(kind, "value", kind) or "organization")


def signatory_leaf(row: Any, hashes: dict[int, tuple[int, str]], domain: str) -> dict[str, Any]:
    number, text_hash = hashes[row.signed_version_id]
    return {
        "type": "signatory",
        "kind": _kind(row),
        "name": row.display_name or row.organization,
        "version": number,
        "text_sha256": text_hash,
        "confirmed_at": stamp(row.confirmed_at or row.created_at),
        "verified_domain": domain,
    }


def _version_hashes(version_ids: set[int]) -> dict[int, tuple[int, str]]:
    versions = db.session.scalars(
        select(StatementVersion).where(StatementVersion.id.in_(version_ids))
    )
    return {v.id: (v.number, version_hash(v)) for v in versions}


def build_tree(
    statement: Statement, version: StatementVersion, ids: list[int] | None = None
) -> Tree:
    """The tree of `version` with the letter's listed signatories (or exactly `ids`, in order).

    Passing `ids` lets a delivery hash exactly the list it printed.
    """
    if ids is None:
        ids = [s.id for s in listed_signatories(statement.id)]
    wanted = set(ids)
    query = select(*_COLUMNS).where(Signature.statement_id == statement.id)
    rows = {row.id: row for row in db.session.execute(query) if row.id in wanted}
    signatures = [rows[i] for i in ids if i in rows]
    hashes = _version_hashes({s.signed_version_id for s in signatures})
    domains = verified_domains(signatures)
    leaves = [text_leaf(statement, version)]
    leaves += [signatory_leaf(s, hashes, domains.get(s.id, "")) for s in signatures]
    return Tree(leaves, [s.id for s in signatures])
