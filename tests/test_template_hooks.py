"""Feature panels reach the statement pages through template hooks, not includes by name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Blueprint, Flask

from campaign.auth.roles import Role
from campaign.hooks import HOOKS, add_panel, panels_for

# What each feature shows on a statement's page, in display order, and a mark of its HTML.
STATEMENT_PANELS = [
    ("embargo/_panel.html", 'class="embargo-panel"'),
    ("pdfs/_version_links.html", 'class="actions pdf-links"'),
    ("distribution/_statement_button.html", None),  # only for approved or published ones
    ("review/_panel.html", 'class="review-panel"'),
    ("targets/_panel.html", 'class="targets-panel"'),
    ("signon/_statement_panel.html", 'class="signon-summary"'),
]


@pytest.fixture()
def without_review_panel(app: Flask) -> Iterator[None]:
    """The app as if the review feature had not registered its statement panel."""
    registry = app.extensions["template_hooks"]["statement-panels"]
    saved = list(registry)
    registry[:] = [panel for panel in saved if not panel.template.startswith("review/")]
    yield
    registry[:] = saved


def test_every_feature_registers_its_statement_panel(app: Flask) -> None:
    registered = [panel.template for panel in panels_for(app, "statement-panels")]
    assert registered == [template for template, _ in STATEMENT_PANELS]
    assert [p.template for p in panels_for(app, "statement-publish-choice")] == [
        "signon/_publish_choice.html",
        "embargo/_publish_choice.html",
    ]
    assert set(app.extensions["template_hooks"]) == set(HOOKS)


def test_statement_page_shows_the_registered_panels_in_order(client_as, make_statement) -> None:
    statement_id = make_statement()
    page = client_as(Role.EDITOR).get(f"/statements/{statement_id}").get_data(as_text=True)
    positions = [page.index(mark) for _, mark in STATEMENT_PANELS if mark]
    assert positions == sorted(positions)


def test_a_panel_not_registered_is_not_shown(
    client_as, make_statement, without_review_panel
) -> None:
    statement_id = make_statement()
    editor = client_as(Role.EDITOR)
    page = editor.get(f"/statements/{statement_id}")
    assert page.status_code == 200
    assert 'class="review-panel"' not in page.get_data(as_text=True)
    assert 'class="targets-panel"' in page.get_data(as_text=True)
    # The editor's own hook still has review's panel: only the one registration is gone.
    edit = editor.get(f"/statements/{statement_id}/edit").get_data(as_text=True)
    assert 'class="review-panel"' in edit


def test_version_page_shows_the_pdf_links_through_its_hook(client_as, make_statement) -> None:
    statement_id = make_statement()
    page = client_as(Role.VIEWER).get(f"/statements/{statement_id}/versions/1")
    assert 'class="actions pdf-links"' in page.get_data(as_text=True)


def test_a_panel_for_an_unknown_hook_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown template hook"):
        add_panel(Blueprint("typo", __name__), "statement-panel", "x.html")
