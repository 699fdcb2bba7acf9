"""Contact and list pages through the test client: CRUD, search, filters, export, access."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.auth.roles import Role
from campaign.contacts.models import Contact, ContactList
from campaign.contacts.services import contact_ids_for_lists
from campaign.extensions import db

Client = Callable[..., FlaskClient]


def test_only_press_roles_see_contacts(client_as: Client, make_contact: Callable[..., int]) -> None:
    contact_id = make_contact()
    assert client_as(Role.EDITOR).get("/contacts").status_code == 403
    assert client_as(Role.VIEWER).get(f"/contacts/{contact_id}").status_code == 403
    assert client_as(Role.PRESS_OFFICER).get("/contacts").status_code == 200
    assert client_as(Role.ADMIN).get("/contacts/lists").status_code == 200


def test_create_edit_and_delete_a_contact(app: Flask, client_as: Client) -> None:
    press = client_as(Role.PRESS_OFFICER)
    response = press.post(
        "/contacts/new",
        data={
            "name": "Rosa Quill",
            "email": "Rosa.Quill@Harbor-Radio.example",
            "outlet": "Harbor Radio",
            "beat": "Climate",
            "phone": "+44 20 7946 0958",
            "city": "Springfield",
            "tags": "Climate, Radio",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Contact Rosa Quill added." in page
    assert "+44 20 7946 0958" in page, "foreign numbers shown internationally"
    with app.app_context():
        contact = db.session.scalar(select(Contact))
        assert (contact.email, contact.phone) == (
            "Rosa.Quill@harbor-radio.example",
            "+442079460958",
        )
        assert contact.tags == ["climate", "radio"]
        contact_id = contact.id
    response = press.post(
        f"/contacts/{contact_id}/edit",
        data={"name": "Rosa Quill", "email": "rosa@harbor-radio.example", "phone": "202 555 0188"},
        follow_redirects=True,
    )
    assert "(202) 555-0188" in response.get_data(as_text=True)
    assert press.post(f"/contacts/{contact_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Contact, contact_id) is None


def test_the_form_shows_each_invalid_field(
    client_as: Client, make_contact: Callable[..., int]
) -> None:
    make_contact(email="taken@news.example")
    press = client_as(Role.PRESS_OFFICER)
    page = press.post("/contacts/new", data={"name": "", "email": "nope", "phone": "555"}).get_data(
        as_text=True
    )
    assert "name is missing" in page
    assert "invalid email" in page
    assert "invalid phone" in page
    page = press.post(
        "/contacts/new", data={"name": "Dup", "email": "TAKEN@news.example"}
    ).get_data(as_text=True)
    assert "Another contact already has the address" in page


def test_search_and_filters(client_as: Client, make_contact: Callable[..., int]) -> None:
    make_contact(name="Ana Abara", outlet="Metro Wire", tags="health")
    make_contact(name="Ben Brandt", outlet="Valley Times", tags="climate")
    make_contact(name="Cy Costa", outlet="Metro Wire", tags="climate", do_not_contact="yes")
    press = client_as(Role.PRESS_OFFICER)

    def names(query: str) -> list[str]:
        page = press.get(f"/contacts?{query}").get_data(as_text=True)
        return [n for n in ("Ana Abara", "Ben Brandt", "Cy Costa") if n in page]

    assert names("q=brandt") == ["Ben Brandt"]
    assert names("tag=Climate") == ["Ben Brandt", "Cy Costa"]
    assert names("q=%25") == []
    assert names("outlet=Metro+Wire") == ["Ana Abara", "Cy Costa"]
    assert names("outlet=Metro+Wire&reachable=yes") == ["Ana Abara"]
    assert names("reachable=no") == ["Cy Costa"]


def test_export_is_formula_safe_and_follows_the_filters(
    client_as: Client, make_contact: Callable[..., int]
) -> None:
    make_contact(name='=HYPERLINK("http://evil.example")', tags="climate", phone="2025550143")
    make_contact(name="Other", tags="health")
    response = client_as(Role.PRESS_OFFICER).get("/contacts/export.csv?tag=climate")
    assert response.mimetype == "text/csv"
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the mark to read UTF-8"
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0][:3] == ["name", "email", "outlet"]
    assert len(rows) == 2
    assert rows[1][0].startswith("'=")
    assert rows[1][4] == "'+12025550143"


def test_static_list_members_and_filter_lists(
    app: Flask, client_as: Client, make_contact: Callable[..., int]
) -> None:
    ana = make_contact(email="ana@metro.example", tags="climate")
    ben = make_contact(email="ben@valley.example", tags="health")
    press = client_as(Role.PRESS_OFFICER)
    press.post("/contacts/lists/new", data={"name": "Friendly desks", "kind": "static"})
    press.post(
        "/contacts/lists/new",
        data={"name": "Climate beat", "kind": "filter", "tags": "climate", "match_all": "y"},
    )
    with app.app_context():
        lists = {lst.name: lst.id for lst in db.session.scalars(select(ContactList))}
    static, climate = lists["Friendly desks"], lists["Climate beat"]
    page = press.post(
        f"/contacts/lists/{static}/members",
        data={"emails": "ANA@metro.example\nben@valley.example\nnobody@none.example"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "2 contacts added." in page
    assert "nobody@none.example" in page
    press.post(f"/contacts/lists/{static}/members/{ben}/remove")
    page = press.post(
        "/contacts/add-to-list?tag=health",
        data={"list_id": static, "all_matching": "1"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "1 contact added to “Friendly desks”." in page
    press.post(f"/contacts/lists/{static}/members/{ben}/remove")
    with app.app_context():
        assert contact_ids_for_lists([static]) == [ana]
        assert contact_ids_for_lists([climate]) == [ana]
    press.post(f"/contacts/lists/{climate}/filter", data={"tags": "climate, health"})
    with app.app_context():
        assert contact_ids_for_lists([climate]) == sorted([ana, ben])
    page = press.get("/contacts/lists").get_data(as_text=True)
    assert "Climate beat" in page and "climate or health" in page
    refused = press.post(
        "/contacts/lists/new", data={"name": "Empty filter", "kind": "filter", "tags": ""}
    )
    assert "needs at least one tag" in refused.get_data(as_text=True)
    page = press.post(
        f"/contacts/lists/{static}/rename",
        data={"name": "Climate beat", "description": ""},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "A list named “Climate beat” already exists." in page
    press.post(f"/contacts/lists/{static}/rename", data={"name": "Friends", "description": "x"})
    assert "<h1>Friends" in press.get(f"/contacts/lists/{static}").get_data(as_text=True)
    assert press.post(f"/contacts/lists/{static}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Contact, ana) is not None
