"""Fixtures for directory tests: organization records made through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from campaign.directory.models import Organization, OrgContact
from campaign.extensions import db
from campaign.signon.models import OrgType, Scope
from campaign.signon.names import normalize_name


@pytest.fixture()
def add_organization(app: Flask) -> Callable[..., int]:
    """Insert an organization record (and optionally contact people); returns its id."""

    def add(name: str, contacts: tuple[str, ...] = (), **fields: Any) -> int:
        fields.setdefault("org_type", OrgType.NONPROFIT)
        fields.setdefault("scope", Scope.NATIONAL)
        with app.app_context():
            organization = Organization(
                name=name,
                normalized_name=normalize_name(name),
                contacts=[
                    OrgContact(name=f"Person at {name}", email=e, email_key=e.lower())
                    for e in contacts
                ],
                **fields,
            )
            db.session.add(organization)
            db.session.commit()
            return organization.id

    return add
