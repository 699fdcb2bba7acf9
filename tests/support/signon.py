"""Fixtures for sign-on tests: a published statement open for signatures, and signatures."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.signon.models import Signature, SignatureStatus, SignOnSettings
from campaign.statements.models import Statement
from campaign.statements.workflow import Action, perform


def publish_head(
    app: Flask, statement_id: int, editor: User, approver: User, *, publish: bool = True
) -> None:
    """Take the statement's newest version through review to publication (or approval: an
    embargoed release goes to journalists approved, before its lift)."""
    steps = [(Action.SUBMIT, editor.id), (Action.APPROVE, approver.id)]
    if publish:
        steps.append((Action.PUBLISH, approver.id))
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        for action, actor_id in steps:
            actor = db.session.get(User, actor_id)
            perform(statement, action, actor, statement.head_number)


@pytest.fixture()
def open_statement(app: Flask, make_user: Callable[..., User], make_statement: Any) -> Any:
    """A published coalition letter open for sign-on; returns (statement id, slug)."""

    def make(requires_approval: bool = False, **settings: Any) -> tuple[int, str]:
        # Any create_app() in the session re-enables the shared limiter; tests that check
        # the limit set their own (see test_public_posts_are_rate_limited_per_ip).
        app.config["SIGNON_RATE_LIMIT"] = "10000 per minute"
        editor, approver = make_user(Role.EDITOR), make_user(Role.APPROVER)
        statement_id = make_statement(author=editor)
        publish_head(app, statement_id, editor, approver)
        with app.app_context():
            db.session.add(
                SignOnSettings(
                    statement_id=statement_id,
                    open=True,
                    requires_approval=requires_approval,
                    **settings,
                )
            )
            db.session.commit()
            return statement_id, db.session.get(Statement, statement_id).slug

    return make


@pytest.fixture()
def add_signature(app: Flask) -> Callable[..., int]:
    """Insert a signature row directly (for listing tests); returns its id."""
    counter = itertools.count(1)

    def add(
        statement_id: int,
        organization: str,
        status: SignatureStatus = SignatureStatus.CONFIRMED,
        **fields: Any,
    ) -> int:
        from campaign.signon.names import normalize_name

        number = next(counter)
        email = fields.pop("contact_email", f"contact{number}@example.org")
        with app.app_context():
            statement = db.session.get(Statement, statement_id)
            version_id = statement.published_version_id or statement.head.id
            signature = Signature(
                statement_id=statement_id,
                signed_version_id=version_id,
                organization=organization,
                normalized_name=normalize_name(organization),
                contact_name=f"Contact {number}",
                contact_email=email,
                email_key=email.lower() or None,
                status=status,
                **fields,
            )
            db.session.add(signature)
            db.session.commit()
            return signature.id

    return add
