"""Factories for contacts and contact lists (used by contact and distribution tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from campaign.contacts.lists import add_members, create_list
from campaign.contacts.models import ContactList, ListKind
from campaign.contacts.services import create_contact
from campaign.extensions import db


@pytest.fixture()
def make_contact(app: Flask) -> Callable[..., int]:
    """Create a contact from form-like text fields; returns its id."""
    counter = iter(range(1, 1_000_000))

    def make(**fields: Any) -> int:
        number = next(counter)
        values = {"name": f"Journalist {number}", "email": f"journalist{number}@news.example"}
        values.update(fields)
        with app.app_context():
            return create_contact(values, None).id

    return make


@pytest.fixture()
def make_list(app: Flask) -> Callable[..., int]:
    """Create a static list of the given contact ids, or a filter list of `tags`; returns its id."""

    def make(name: str, contact_ids: list[int] | None = None, tags: str = "") -> int:
        with app.app_context():
            kind = ListKind.FILTER if tags else ListKind.STATIC
            lst = create_list(name, kind, None, tags=tags)
            if contact_ids:
                add_members(db.session.get(ContactList, lst.id), contact_ids, None)
            return lst.id

    return make


@pytest.fixture()
def import_dir(app: Flask, tmp_path: Path) -> Path:
    """A folder of this test's own for uploads waiting between import steps."""
    folder = tmp_path / "contact-imports"
    app.config["CONTACT_IMPORT_DIR"] = str(folder)
    return folder
