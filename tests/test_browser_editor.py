"""The statement editor in a real browser: the typeset preview, fields per kind, media
contacts, the unsaved-changes warning, and the conflict page between two editors."""

from __future__ import annotations

import pytest

from campaign.auth.roles import Role
from campaign.statements.models import Kind
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, live_server, user, path: str) -> None:
    page.goto(f"{live_server}{path}")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"**{path}")


def test_sign_in_and_typeset_preview(live_server, page, make_user, make_statement):
    editor = make_user(Role.EDITOR)
    statement_id = make_statement(author=editor)
    sign_in(page, live_server, editor, f"/statements/{statement_id}/edit")
    page.fill("#body", "Hello **coalition** <script>window.pwned = 1</script>")
    preview = page.frame_locator("#preview")
    preview.locator("strong", has_text="coalition").wait_for()
    assert page.evaluate("window.pwned") is None
    assert preview.locator("h1").inner_text() == "Stop the sentencing bill"
    assert page.get_attribute("#preview-status", "role") == "status"
    page.fill("#note", "Bolder")
    page.click("#submit")
    page.wait_for_selector("text=Saved as version 2.")


def test_fields_follow_the_kind_and_the_release_type(live_server, page, make_user, make_statement):
    editor = make_user(Role.EDITOR)
    statement_id = make_statement(author=editor)
    sign_in(page, live_server, editor, f"/statements/{statement_id}")
    campaign_link = page.get_attribute(".crumbs a", "href")
    page.goto(f"{live_server}{campaign_link}/statements/new")
    page.select_option("#kind", "coalition_letter")
    assert page.is_visible("#addressee") and not page.is_visible("#release_type")
    page.select_option("#kind", "press_release")
    assert page.is_visible("#release_type") and not page.is_visible("#addressee")
    assert not page.is_visible("#embargo_until")
    page.select_option("#release_type", "embargoed")
    assert page.is_visible("#embargo_until") and page.is_visible("#embargo_timezone")
    page.fill("#title", "Embargoed release")
    page.fill("#embargo_until", "2027-01-05T09:00")
    page.fill("#embargo_timezone", "Europe/Berlin")
    page.fill("#media_contacts-0-name", "Jo Reyes")
    page.click("text=Add a media contact")
    page.click("text=Add a media contact")
    page.fill("#media_contacts-1-name", "Sam Lee")
    page.fill("#media_contacts-2-name", "Kim Park")
    page.click("[aria-label='Remove media contact 2']")
    preview = page.frame_locator("#preview")
    preview.locator("text=EMBARGOED UNTIL January 5, 2027, 9:00 AM CET").wait_for()
    preview.locator("text=Kim Park").wait_for()
    assert preview.locator("text=Sam Lee").count() == 0
    page.click("#submit")
    page.wait_for_selector("text=Draft created as version 1.")
    assert page.is_visible("text=Jo Reyes") and page.is_visible("text=Kim Park")
    assert not page.is_visible("text=Sam Lee")


def test_leaving_with_unsaved_changes_warns(live_server, page, make_user, make_statement):
    editor = make_user(Role.EDITOR)
    statement_id = make_statement(author=editor, kind=Kind.STATEMENT)
    sign_in(page, live_server, editor, f"/statements/{statement_id}/edit")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.fill("#title", "Changed but not saved")
    page.click(".tabs a >> text=Current")
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/edit")


def test_two_editors_conflict_and_resolve_in_the_browser(
    live_server, browser, make_user, make_statement
):
    alice, bob = make_user(Role.EDITOR), make_user(Role.EDITOR)
    statement_id = make_statement(author=alice, body="One.\n\nTwo shared words.\n\nThree.")
    path = f"/statements/{statement_id}/edit"
    pages = []
    for user in (alice, bob):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        sign_in(tab, live_server, user, path)
        pages.append(tab)
    alice_page, bob_page = pages
    alice_page.fill("#body", "One.\n\nTwo words from Alice.\n\nThree.")
    alice_page.click("#submit")
    alice_page.wait_for_selector("text=Saved as version 2.")
    bob_page.fill("#body", "One, Bob.\n\nTwo words from Bob.\n\nThree.")
    bob_page.click("#submit")
    bob_page.wait_for_selector("text=Not saved yet")
    assert bob_page.is_visible("text=Two shared words.")
    bob_page.check("input[name='choice-0'][value='theirs']")
    assert bob_page.input_value("#result-0") == "Two words from Alice."
    bob_page.fill("#result-0", "Two words from Alice and Bob.")
    assert bob_page.is_checked("input[name='choice-0'][value='edit']")
    bob_page.click("#submit")
    bob_page.wait_for_selector("text=Saved as version 3.")
    text = bob_page.inner_text(".document")
    assert "One, Bob." in text and "Two words from Alice and Bob." in text
    for tab in pages:
        tab.context.close()


def test_restoring_a_version_asks_first(live_server, page, make_user, make_statement):
    editor = make_user(Role.EDITOR)
    statement_id = make_statement(author=editor)
    sign_in(page, live_server, editor, f"/statements/{statement_id}/edit")
    page.fill("#body", "Second words.")
    page.click("#submit")
    page.wait_for_selector("text=Saved as version 2.")
    page.goto(f"{live_server}/statements/{statement_id}/versions/1")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("text=Restore this version")
    assert questions and "Restore version 1?" in questions[0]
    assert page.url.endswith("/versions/1")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Restore this version")
    page.wait_for_selector("text=Version 1 restored as version 3.")
