"""Signing in, throttling, roles and the create-user command."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.extensions import db
from tests.conftest import PASSWORD

STAFF_PAGES = ["/", "/campaigns/new", "/admin/audit"]


def test_login_with_right_password_redirects_to_next(client, make_user):
    user = make_user(Role.EDITOR)
    response = client.post(
        "/auth/login?next=/campaigns/new", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.location == "/campaigns/new"
    assert client.get("/").status_code == 200


def test_login_never_redirects_off_site(client, make_user):
    user = make_user(Role.EDITOR)
    response = client.post(
        "/auth/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.location == "/"


def test_wrong_password_is_refused_with_a_message(client, make_user):
    user = make_user(Role.EDITOR)
    response = client.post("/auth/login", data={"email": user.email, "password": "nope-nope-nope"})
    assert response.status_code == 401
    assert b"Wrong email or password." in response.data
    assert client.get("/").status_code == 302


def test_inactive_account_cannot_sign_in(app, client, make_user):
    user = make_user(Role.EDITOR)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 401


def test_repeated_failures_are_throttled(app, client, make_user, rate_limits):
    user = make_user(Role.EDITOR)
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    codes = [
        client.post(
            "/auth/login", data={"email": user.email, "password": "bad-password"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    blocked = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert b"Too Many Requests" in blocked.data


def test_successful_logins_do_not_count_against_the_limit(app, make_user, rate_limits):
    user = make_user(Role.EDITOR)
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    for _ in range(4):
        response = app.test_client().post(
            "/auth/login", data={"email": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_require_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")


def test_logout_requires_post_with_csrf(app, client_as):
    client = client_as(Role.VIEWER)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/auth/logout").status_code == 400
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_viewer_cannot_create_campaigns_or_read_audit(client_as):
    viewer = client_as(Role.VIEWER)
    assert viewer.get("/").status_code == 200
    assert viewer.get("/campaigns/new").status_code == 403
    assert viewer.post("/campaigns/new", data={"name": "X"}).status_code == 403
    assert viewer.get("/admin/audit").status_code == 403


def test_create_user_command(app, runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "New@Example.org",
            "--name",
            "Nia",
            "--role",
            "approver",
            "--password",
            "long-enough-pass",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Created approver new@example.org" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new@example.org"))
        assert user.role is Role.APPROVER
        assert user.password_hash != "long-enough-pass"


def test_create_user_refuses_short_password_and_duplicates(app, runner, make_user):
    existing = make_user(Role.EDITOR)
    short = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "viewer",
            "--password",
            "short",
        ],
    )
    assert short.exit_code != 0
    assert "at least 10 characters" in short.output
    duplicate = runner.invoke(
        args=[
            "create-user",
            "--email",
            existing.email,
            "--name",
            "B",
            "--role",
            "viewer",
            "--password",
            "long-enough-pass",
        ],
    )
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "a@example.org")) is None
