"""Long staff lists page through one helper and one pager; bulk actions reach every page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.contacts.models import ContactList
from campaign.distribution.models import SendMode
from campaign.extensions import db
from campaign.mailpolicy.models import Suppression, SuppressionSource
from campaign.pagination import Page
from campaign.signon.models import SignatureStatus


def _current(html: str) -> list[str]:
    return re.findall(r'aria-current="page" aria-label="Page (\d+), current"', html)


def test_page_numbers_show_both_ends_and_a_window():
    middle = Page(items=[object()], page=50, per_page=1, total=300)
    assert middle.numbers() == [1, None, 48, 49, 50, 51, 52, None, 300]
    assert Page(items=[], page=1, per_page=50, total=0).numbers() == [1]
    assert (middle.first, middle.last, middle.prev_num, middle.next_num) == (50, 50, 49, 51)


def test_signatories_pager_is_labelled_and_keeps_the_filters(
    client_as, open_statement, add_signature
):
    statement_id, _ = open_statement()
    for number in range(55):
        add_signature(statement_id, f"Group {number:02d}", SignatureStatus.CONFIRMED)
    editor = client_as(Role.EDITOR)
    url = f"/statements/{statement_id}/signatories?q=group&sort=organization&dir=desc"
    first = editor.get(url).text
    assert _current(first) == ["1"] and 'aria-label="Pages of signatures"' in first
    assert "(1 to 50 of 55 signatures)" in first and "Group 54" in first
    second_link = re.search(r'href="([^"]+)" aria-label="Next: page 2"', first)
    assert second_link and "q=group" in second_link[1] and "dir=desc" in second_link[1]
    second = editor.get(second_link[1].replace("&amp;", "&")).text
    assert _current(second) == ["2"] and 'aria-label="Previous: page 1"' in second
    assert second.count('name="ids"') == 5 and "Group 00" in second


def test_contacts_bulk_add_takes_the_chosen_or_every_matching_contact(
    app, client_as, make_contact, make_list
):
    ids = [make_contact(name=f"Reporter {n:02d}", outlet="Daily") for n in range(53)]
    other = make_contact(name="Columnist", outlet="Weekly")
    chosen_list, all_list = make_list("Chosen"), make_list("Everyone")
    press = client_as(Role.PRESS_OFFICER)
    page = press.get("/contacts?outlet=Daily").text
    assert page.count('name="ids"') == 50 and 'aria-label="Select Reporter 00"' in page
    assert "Select all 53 matching contacts, on every page" in page
    assert "Page 1 of 2" in page and _current(page) == ["1"]
    done = press.post(
        "/contacts/add-to-list?outlet=Daily",
        data={"list_id": chosen_list, "ids": [ids[0], ids[1], other]},
        follow_redirects=True,
    ).text
    assert "2 contacts added to “Chosen”." in done  # the forged id is outside the search
    done = press.post(
        "/contacts/add-to-list?outlet=Daily",
        data={"list_id": all_list, "all_matching": "1"},
        follow_redirects=True,
    ).text
    assert "53 contacts added to “Everyone”." in done
    nothing = press.post(
        "/contacts/add-to-list", data={"list_id": chosen_list}, follow_redirects=True
    ).text
    assert "Select at least one contact" in nothing
    with app.app_context():
        assert len(db.session.get(ContactList, all_list).members) == 53


def test_suppressions_and_users_page_fifty_at_a_time(app, client_as):
    with app.app_context():
        db.session.execute(
            insert(Suppression),
            [
                {
                    "email": f"gone{n:02d}@example.org",
                    "email_key": f"gone{n:02d}@example.org",
                    "reason": "bounced",
                    "source": SuppressionSource.MANUAL,
                }
                for n in range(60)
            ],
        )
        db.session.execute(
            insert(User),
            [
                {"email": f"u{n:02d}@example.org", "name": f"User {n:02d}", "password_hash": "!"}
                | {"role": Role.VIEWER}
                for n in range(55)
            ],
        )
        db.session.commit()
    admin = client_as(Role.ADMIN)
    first = admin.get("/suppressions").text
    assert first.count("@example.org</td>") == 50
    assert "(1 to 50 of 60 suppressed addresses)" in first
    assert admin.get("/suppressions?page=2").text.count("@example.org</td>") == 10
    users = admin.get("/admin/users/").text
    assert "Page 1 of 2" in users and 'aria-label="Pages of users"' in users
    second = admin.get("/admin/users/?page=2").text
    assert _current(second) == ["2"] and "(51 to 56 of 56 users)" in second
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 56


def test_distribution_recipients_page_through_everyone(client_as, contact_list, distribute):
    later = datetime.now(UTC) + timedelta(days=30)  # scheduled: nothing is sent meanwhile
    distribution_id = distribute([contact_list(130)], send_mode=SendMode.CHOSEN_TIME, send_at=later)
    press = client_as(Role.PRESS_OFFICER)
    first = press.get(f"/distributions/{distribution_id}").text
    assert "(1 to 100 of 130 recipients)" in first and "first 200" not in first
    last = press.get(f"/distributions/{distribution_id}?page=2").text
    assert "(101 to 130 of 130 recipients)" in last and _current(last) == ["2"]
    listing = press.get("/distributions").text
    assert "Ruling welcomed" in listing
