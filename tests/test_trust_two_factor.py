"""Two-factor sign-in with an authenticator app (TOTP) and single-use recovery codes."""

from __future__ import annotations

import re

import pyotp

from campaign.auth.roles import Role
from tests.conftest import PASSWORD


def _enrol(client) -> tuple[str, list[str]]:
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]{16,})</code>", page).group(1)
    assert client.post("/auth/two-factor/setup", data={"code": "000000"}).status_code == 200
    done = client.post("/auth/two-factor/setup", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def _password_step(client, user):
    return client.post("/auth/login", data={"email": user.email, "password": PASSWORD})


def test_sign_in_needs_the_code_once_two_factor_is_on(app, client, make_user):
    user = make_user(Role.EDITOR)
    _password_step(client, user)
    secret, _ = _enrol(client)
    browser = app.test_client()
    step = _password_step(browser, user)
    assert step.status_code == 302 and step.location.endswith("/auth/two-factor/verify")
    assert browser.get("/").status_code == 302  # the password alone signs nobody in
    assert browser.post("/auth/two-factor/verify", data={"code": "123456"}).status_code == 401
    right = browser.post("/auth/two-factor/verify", data={"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 302
    assert browser.get("/").status_code == 200


def test_a_recovery_code_works_once(app, client, make_user):
    user = make_user(Role.EDITOR)
    _password_step(client, user)
    _, codes = _enrol(client)
    first = app.test_client()
    _password_step(first, user)
    assert first.post("/auth/two-factor/verify", data={"code": codes[0]}).status_code == 302
    second = app.test_client()
    _password_step(second, user)
    assert second.post("/auth/two-factor/verify", data={"code": codes[0]}).status_code == 401


def test_roles_named_in_the_setting_must_enrol(app, client_as):
    app.config["TWO_FACTOR_ROLES"] = "admin,press_officer"
    admin = client_as(Role.ADMIN)
    response = admin.get("/")
    assert response.status_code == 302 and response.location.endswith("/auth/two-factor/setup")
    assert admin.get("/contacts").status_code == 302
    _enrol(admin)
    assert admin.get("/").status_code == 200
    assert client_as(Role.EDITOR).get("/").status_code == 200


def test_turning_two_factor_off_needs_the_password(app, client, make_user):
    user = make_user(Role.EDITOR)
    _password_step(client, user)
    _enrol(client)
    client.post("/auth/two-factor/disable", data={"password": "not-the-password"})
    assert b"Two-factor sign-in is <strong>on</strong>" in client.get("/auth/two-factor/setup").data
    client.post("/auth/two-factor/disable", data={"password": PASSWORD})
    assert _password_step(app.test_client(), user).location == "/"


def test_a_code_cannot_be_replayed(app, client, make_user):
    user = make_user(Role.EDITOR)
    _password_step(client, user)
    secret, _ = _enrol(client)
    code = pyotp.TOTP(secret).now()
    first = app.test_client()
    _password_step(first, user)
    assert first.post("/auth/two-factor/verify", data={"code": code}).status_code == 302
    thief = app.test_client()
    _password_step(thief, user)
    assert thief.post("/auth/two-factor/verify", data={"code": code}).status_code == 401
