"""Contacts in a real browser with CSRF on: each form posts its token; an import runs through."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from campaign.auth.models import User
from campaign.auth.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/contacts")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/contacts")


def test_contact_list_and_import_forms(
    live_server: str,
    page: Any,
    make_user: Callable[..., User],
    import_dir: Path,
    tmp_path: Path,
) -> None:
    sign_in(page, live_server, make_user(Role.PRESS_OFFICER))
    page.click("text=New contact")
    page.fill("#name", "Rosa Quill")
    page.fill("#email", "rosa@harbor.example")
    page.fill("#phone", "202 555 0199")
    page.fill("#tags", "radio")
    page.click("#submit")
    page.wait_for_selector("text=Contact Rosa Quill added.")

    page.goto(f"{live_server}/contacts/lists/new")
    page.fill("#name", "Radio people")
    page.click("#submit")
    page.wait_for_selector("text=List “Radio people” created.")
    page.fill("#emails", "rosa@harbor.example")
    page.click("text=Add to list")
    page.wait_for_selector("text=1 contact added.")

    csv_file = tmp_path / "desk.csv"
    csv_file.write_text("Name,Email,Phone\nAna Abara,ana@metro.example,\nBen,ben@,\n")
    page.goto(f"{live_server}/contacts/import")
    page.set_input_files("#file", str(csv_file))
    page.click("#submit")
    page.wait_for_selector("text=Columns found: Name, Email, Phone")
    page.click("#submit")
    page.wait_for_selector("#line-errors >> text=invalid email “ben@”")
    page.check("#skip_invalid")
    page.click("#submit")
    page.wait_for_selector("text=1 contact created")
    assert page.locator("table.list >> text=Ana Abara").count() == 1
