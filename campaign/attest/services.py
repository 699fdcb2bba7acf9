"""Issuing signed roots for a letter's list, and the receipts and documents built on them.

A publication root is issued whenever the public list is served in a state no root covers
yet (after a confirmation, a withdrawal, an approval, a new version, a corrected name), so
the letter page, its PDF and each signer's receipt always name a root for exactly what they
show. A delivery always gets its own root, recorded with the delivery.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from campaign import clock
from campaign.attest.canonical import canonical
from campaign.attest.heads import ALGORITHM, FORMAT, HEAD_TYPE, head_digest, sign_head
from campaign.attest.keys import current_public_key, signing_key
from campaign.attest.leaves import Tree, build_tree, stamp
from campaign.attest.models import SignedRoot
from campaign.extensions import db
from campaign.signon.listing import listed_signatories
from campaign.signon.models import SignOnSettings
from campaign.statements.models import Kind, Statement, StatementVersion
from campaign.urls import external_url

ATTEMPTS = 3
PUBLICATION = "publication"
DELIVERY = "delivery"


def latest_root(statement_id: int) -> SignedRoot | None:
    return db.session.scalar(
        select(SignedRoot)
        .where(SignedRoot.statement_id == statement_id)
        .order_by(SignedRoot.sequence.desc())
        .limit(1)
    )


def roots_of(statement_id: int) -> list[SignedRoot]:
    """A letter's chain, oldest first."""
    return list(
        db.session.scalars(
            select(SignedRoot)
            .where(SignedRoot.statement_id == statement_id)
            .order_by(SignedRoot.sequence)
        )
    )


def make_head(
    statement: Statement,
    version: StatementVersion,
    tree: Tree,
    previous: SignedRoot | None,
    event: str,
    delivery: int = 0,
    when: datetime | None = None,
) -> dict[str, Any]:
    """The head to sign: the next link of the letter's chain."""
    return {
        "type": HEAD_TYPE,
        "format": FORMAT,
        "algorithm": ALGORITHM,
        "issuer": current_app.config["LETTERHEAD_NAME"],
        "key_id": current_public_key().key_id,
        "letter": statement.slug,
        "url": external_url("public.statement", slug=statement.slug),
        "title": version.title,
        "version": version.number,
        "event": event,
        "delivery": delivery,
        "sequence": (previous.sequence + 1) if previous else 1,
        "previous": previous.digest if previous else "",
        "issued_at": stamp(when or clock.now()),
        "tree_size": len(tree.leaves),
        "root_hash": tree.root_hash,
    }


def new_root(
    statement: Statement, version: StatementVersion, tree: Tree, event: str, delivery: int = 0
) -> SignedRoot:
    """A signed root extending the chain as it stands now (not yet added to the session)."""
    head = make_head(statement, version, tree, latest_root(statement.id), event, delivery)
    return SignedRoot(
        statement_id=statement.id,
        sequence=head["sequence"],
        event=event,
        version_id=version.id,
        head=head,
        signature=sign_head(head, signing_key()),
        digest=head_digest(head),
        root_hash=head["root_hash"],
        key_id=head["key_id"],
        tree_size=head["tree_size"],
        leaves=[canonical(leaf).decode() for leaf in tree.leaves],
        signature_ids=tree.signature_ids,
    )


def insert(root: SignedRoot) -> bool:
    """Add `root` in a savepoint; False if another process extended the chain first.

    On SQLite a writer that read before another writer committed gets "database is locked"
    (SQLITE_BUSY_SNAPSHOT) instead of waiting: the same "someone was first", so the caller
    rolls back and reads the chain again.
    """
    try:
        with db.session.begin_nested():
            db.session.add(root)
    except IntegrityError:
        return False
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        return False
    return True


def is_signed_letter(statement: Statement) -> bool:
    """A published letter or statement that takes (or took) signatures."""
    return (
        statement.kind is not Kind.PRESS_RELEASE
        and statement.published_version is not None
        and db.session.get(SignOnSettings, statement.id) is not None
    )


def current_root(statement: Statement) -> SignedRoot | None:
    """The root of the list as published right now, issuing one if none covers it yet."""
    version = statement.published_version
    if version is None or not is_signed_letter(statement):
        return None
    ids = [s.id for s in listed_signatories(statement.id)]
    return root_for_list(statement, version, ids)


def _lock_chain(statement_id: int) -> bool:
    """Serialize the issuers of one letter's chain before they read its latest root.

    A no-op UPDATE of the statement row, first in a fresh transaction, takes that row's lock
    on PostgreSQL and the write lock on SQLite, so two page views that both found the chain
    behind issue one root between them, not one each. False if SQLite refused the lock
    (another writer committed first); the caller reads the chain again.
    """
    db.session.commit()
    try:
        db.session.execute(
            update(Statement)
            .where(Statement.id == statement_id)
            .values(id=Statement.id)
            .execution_options(synchronize_session=False)
        )
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        db.session.rollback()
        return False
    return True


def root_for_list(
    statement: Statement, version: StatementVersion, ids: list[int]
) -> SignedRoot | None:
    """The publication root of exactly this printed list of the published version, if any.

    Only the published version's list is attested: a preview of an unpublished version is
    not something the organization has said to anyone.
    """
    if not is_signed_letter(statement) or statement.published_version_id != version.id:
        return None
    for _ in range(ATTEMPTS):
        tree = build_tree(statement, version, ids)
        latest = latest_root(statement.id)
        if latest is not None and latest.root_hash == tree.root_hash:
            return latest
        if not _lock_chain(statement.id):
            continue
        latest = latest_root(statement.id)  # read under the lock: another issuer may have won
        if latest is not None and latest.root_hash == tree.root_hash:
            db.session.commit()
            return latest
        root = new_root(statement, version, tree, PUBLICATION)
        if insert(root):
            db.session.commit()
            return root
        db.session.rollback()
    return None


def delivery_root(
    statement: Statement, version: StatementVersion, ids: list[int], sequence: int
) -> SignedRoot:
    """The root of one delivery's list, to be inserted with the delivery's record."""
    return new_root(statement, version, build_tree(statement, version, ids), DELIVERY, sequence)


def attested_version(statement: Statement, number: int) -> StatementVersion | None:
    """Version `number` of the letter if some signed root names it (its text or a signer's)."""
    for root in roots_of(statement.id):
        named = {root.head.get("version")} | {json.loads(leaf)["version"] for leaf in root.leaves}
        if number in named:
            return db.session.scalar(
                select(StatementVersion).filter_by(statement_id=statement.id, number=number)
            )
    return None
