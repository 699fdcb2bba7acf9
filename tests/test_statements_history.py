"""The history page of a statement with many versions, and comparisons between far ones."""

from __future__ import annotations

import re

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.statements.content import Content
from campaign.statements.models import Statement
from campaign.statements.services import HISTORY_PAGE_SIZE, save_version


def _versions(app, statement_id: int, author_id: int, count: int) -> None:
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        author = db.session.get(User, author_id)
        for number in range(1, count):
            save_version(
                statement, number, Content(title="Letter", body=f"Draft {number}."), author
            )


def test_history_is_paginated_newest_first(app, make_user, make_statement, client_as):
    author = make_user(Role.EDITOR)
    statement_id = make_statement(author=author)
    _versions(app, statement_id, author.id, HISTORY_PAGE_SIZE + 10)
    viewer = client_as(Role.VIEWER)
    first = viewer.get(f"/statements/{statement_id}/history").get_data(as_text=True)
    numbers = [int(n) for n in re.findall(r">v(\d+)</a>", first)]
    assert numbers == list(range(HISTORY_PAGE_SIZE + 10, 10, -1))
    assert "Page 1 of 2" in first and "page=2" in first
    second = viewer.get(f"/statements/{statement_id}/history?page=2").get_data(as_text=True)
    assert [int(n) for n in re.findall(r">v(\d+)</a>", second)] == list(range(10, 0, -1))


def test_history_page_out_of_range_is_not_an_error(client_as, make_statement):
    statement_id = make_statement()
    viewer = client_as(Role.VIEWER)
    for page in ("999", "-3", "x"):
        assert viewer.get(f"/statements/{statement_id}/history?page={page}").status_code == 200


def test_compare_far_versions_keeps_word_detail(app, make_user, make_statement, client_as):
    author = make_user(Role.EDITOR)
    body = "\n\n".join(f"Paragraph {n} urges the committee to act." for n in range(30))
    statement_id = make_statement(author=author, body=body)
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        revised = body.replace("Paragraph 7 urges", "Paragraph 7 strongly urges").replace(
            "Paragraph 20 urges the committee", "Paragraph 20 asks the full committee"
        )
        save_version(
            statement, 1, Content(title="Letter", body=revised), db.session.get(User, author.id)
        )
    html = client_as(Role.VIEWER).get(f"/statements/{statement_id}/compare?old=1&new=2")
    page = html.get_data(as_text=True)
    assert "<ins>strongly </ins>" in page
    assert "<del>urges</del>" in page and "<ins>asks</ins>" in page
    assert "<ins> full</ins>" in page
