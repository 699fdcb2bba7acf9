"""Key journeys with the keyboard alone (Tab, Shift+Tab, Enter, Space, typing), in Chromium:
every focused control shows a focus ring, Tab reaches the controls in reading order, and the
editor's live preview is not a live region that would read the document on each keystroke."""

from __future__ import annotations

import pytest

from campaign.auth.roles import Role
from campaign.statements.workflow import Action
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
MAX_TABS = 80

# What has focus, and whether a sighted keyboard user can see it: the element matches
# :focus-visible and draws an outline of some width. Two stops draw it elsewhere: a framed
# document (its box outlines itself, :focus-within) and a date field's calendar button, which
# lives in the field's shadow tree (the host then matches neither :focus nor :focus-visible).
FOCUS = """() => {
  const el = document.activeElement;
  const drawn = (node) => getComputedStyle(node).outlineStyle !== 'none'
    && parseFloat(getComputedStyle(node).outlineWidth) > 0;
  const ring = el.tagName === 'IFRAME' ? drawn(el.parentElement)
    : el.matches('input[type=date]:not(:focus)') || (el.matches(':focus-visible') && drawn(el));
  return {key: el.id || el.getAttribute('href') || el.tagName, ring};
}"""

# The controls Tab should reach in a form, in document order: visible, enabled, not taken
# out of the order, and one stop per radio group.
CONTROLS = """(form) => {
  const seen = new Set();
  return [...form.querySelectorAll('input, select, textarea, button, a[href]')].filter((el) => {
    if (el.type === 'hidden' || el.disabled || el.tabIndex < 0 || !el.getClientRects().length) {
      return false;
    }
    if (el.type === 'radio') {
      if (seen.has(el.name)) return false;
      seen.add(el.name);
    }
    return true;
  }).map((el) => el.id || el.getAttribute('href'));
}"""


def tab_to(page, key: str, backwards: bool = False) -> list[str]:
    """Press Tab (or Shift+Tab) until the element `key` (an id or an href) has focus; returns
    every stop on the way, having checked that each one shows its focus."""
    stops: list[str] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUS)
        assert focused["ring"], f"no visible focus on {focused}"
        stops.append(focused["key"])
        if focused["key"] == key:
            return stops
    raise AssertionError(f"Tab never reached {key}; stopped at {stops}")


def in_order(stops: list[str], expected: list[str]) -> bool:
    return [stop for stop in stops if stop in expected] == expected


def sent_back_statement(app, make_user, make_statement):
    """An editor's draft that an approver sent back: the editor's home page links to it."""
    from campaign.auth.models import User
    from campaign.extensions import db
    from campaign.statements.models import Statement
    from campaign.statements.workflow import perform

    editor, approver = make_user(Role.EDITOR), make_user(Role.APPROVER)
    statement_id = make_statement(author=editor)
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        perform(statement, Action.SUBMIT, db.session.get(User, editor.id), 1)
        perform(
            statement,
            Action.REQUEST_CHANGES,
            db.session.get(User, approver.id),
            1,
            note="Name the hearing date.",
        )
    return editor, statement_id


def test_staff_journey_by_keyboard(app, live_server, page, make_user, make_statement):
    editor, statement_id = sent_back_statement(app, make_user, make_statement)
    page.goto(f"{live_server}/auth/login")
    stops = tab_to(page, "submit")
    assert in_order(stops, ["email", "password", "submit"])
    assert tab_to(page, "password", backwards=True) == ["password"]
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Shift+Tab")
    page.keyboard.type(editor.email)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")

    tab_to(page, f"/statements/{statement_id}")  # "Sent back to you", first on the page
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/statements/{statement_id}")
    tab_to(page, f"/statements/{statement_id}/edit")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/statements/{statement_id}/edit")

    stops = tab_to(page, "body")
    assert in_order(stops, ["title", "body"])
    page.keyboard.press("Control+End")
    page.keyboard.type(" The hearing is on March 3.")
    page.frame_locator("#preview").locator("text=The hearing is on March 3.").wait_for()
    live = page.evaluate(
        """() => [...document.querySelectorAll(
               '[aria-live], [role=status], [role=log], [role=alert]'
             )].filter((el) => el.querySelector('#preview') || el.id === 'preview').length"""
    )
    assert live == 0, "the preview sits in a live region"
    assert len(page.inner_text("#preview-status")) < 200
    stops = tab_to(page, "note")
    page.keyboard.type("Hearing date")
    stops += tab_to(page, "submit")
    assert in_order(stops, ["note", "submit"])
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Saved as version 2.")


def test_public_sign_on_by_keyboard(live_server, page, open_statement):
    _, slug = open_statement()
    page.goto(f"{live_server}/s/{slug}/sign")
    expected = page.eval_on_selector("form.signon-form", CONTROLS)
    typed = {
        "organization": "Riverside Food Bank",
        "city": "Millbrook",
        "contact_name": "Lee Rivers",
        "contact_email": "lee@riverside.example.org",
    }
    stops = tab_to(page, expected[0])
    for key in expected[1:]:
        current = stops[-1]
        if current in typed:
            page.keyboard.type(typed[current])
        elif current in ("org_type", "scope"):
            page.keyboard.press("ArrowDown")  # the first real choice
        elif current == "consent":
            page.keyboard.press("Space")
        stops += tab_to(page, key)
    assert in_order(stops, expected)
    assert page.input_value("#scope") != "" and page.is_checked("#consent")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Almost done: please check your email")
