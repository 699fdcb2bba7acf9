"""Secret key handling, server-side session revocation, idle timeout, passwords, invitations."""

from __future__ import annotations

import re
import stat
import statistics
import time
from datetime import timedelta

import pytest
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from campaign import clock, create_app
from campaign.auth.keys import InsecureKey
from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.mail.models import OutgoingMail
from tests.conftest import PASSWORD, _settings


def _fresh_settings(tmp_path, **overrides):
    settings = _settings(f"sqlite:///{tmp_path / 'k.db'}", tmp_path, "keys")
    settings.update(overrides)
    return settings


def test_without_a_key_one_is_generated_private_and_reused(tmp_path):
    key_path = tmp_path / "instance" / "secret_key"
    settings = _fresh_settings(tmp_path, SECRET_KEY="", SECRET_KEY_FILE=str(key_path))
    first = create_app(settings)
    assert len(first.config["SECRET_KEY"]) >= 32
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    again = create_app(dict(settings))
    assert again.config["SECRET_KEY"] == first.config["SECRET_KEY"]


@pytest.mark.parametrize("key", ["dev-only-insecure-key-set-SECRET_KEY-in-production", "short"])
def test_a_published_or_short_key_stops_the_start(tmp_path, key):
    with pytest.raises(InsecureKey):
        create_app(_fresh_settings(tmp_path, SECRET_KEY=key))


def _forged_session_cookie(key: str, user: User) -> str:
    serializer = SecureCookieSessionInterface().get_signing_serializer(_KeyHolder(key))
    return serializer.dumps({"_user_id": user.get_id(), "_fresh": True})


class _KeyHolder:
    """Just enough of a Flask app for the session serializer."""

    def __init__(self, key: str) -> None:
        self.secret_key = key
        self.config = {"SECRET_KEY_FALLBACKS": []}


def test_a_cookie_or_link_signed_with_the_old_built_in_key_is_refused(app, client, make_user):
    user = make_user(Role.ADMIN)
    old_key = "dev-only-insecure-key-set-SECRET_KEY-in-production"
    client.set_cookie("session", _forged_session_cookie(old_key, user))
    assert client.get("/").status_code == 302
    forged = URLSafeTimedSerializer(old_key, salt="campaign-desk:signon-withdraw").dumps(
        {"sig": 1, "email": "x@example.org"}
    )
    assert client.get(f"/signon/withdraw/{forged}").status_code == 404


def _sign_in(client, user, password=PASSWORD):
    return client.post("/auth/login", data={"email": user.email, "password": password})


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_cookie_copied_before_sign_out_is_refused_after(app, client, make_user):
    user = make_user(Role.EDITOR)
    assert _sign_in(client, user).status_code == 302
    copied = _session_cookie(client)
    assert client.post("/auth/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/").status_code == 302


def test_changing_the_password_ends_other_sessions(app, client, make_user):
    user = make_user(Role.EDITOR)
    other = app.test_client()
    _sign_in(client, user)
    _sign_in(other, user)
    response = client.post(
        "/auth/password",
        data={"current": PASSWORD, "password": "a-new-password-1", "confirm": "a-new-password-1"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    other_login = _sign_in(app.test_client(), user, "a-new-password-1")
    assert other_login.status_code == 302


def test_a_wrong_current_password_changes_nothing(client, make_user):
    user = make_user(Role.EDITOR)
    _sign_in(client, user)
    response = client.post(
        "/auth/password",
        data={
            "current": "not-it-at-all",
            "password": "a-new-password-1",
            "confirm": "a-new-password-1",
        },
    )
    assert response.status_code == 422
    assert b"The current password is not right." in response.data
    assert _sign_in(client, user).status_code == 302


def test_deactivating_a_user_ends_their_sessions(app, client_as, make_user):
    admin = client_as(Role.ADMIN)
    user = make_user(Role.PRESS_OFFICER)
    victim = app.test_client()
    _sign_in(victim, user)
    assert victim.get("/contacts").status_code == 200
    assert admin.post(f"/admin/users/{user.id}/active").status_code == 302
    assert victim.get("/contacts").status_code == 302
    assert _sign_in(app.test_client(), user).status_code == 401


def test_sessions_end_after_the_idle_time(app, client, make_user):
    app.config["SESSION_IDLE_MINUTES"] = 30
    user = make_user(Role.EDITOR)
    start = clock.now()
    try:
        clock.set_clock(lambda: start)
        _sign_in(client, user)
        clock.set_clock(lambda: start + timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.set_clock(lambda: start + timedelta(minutes=58))
        assert client.get("/").status_code == 200
        clock.set_clock(lambda: start + timedelta(minutes=89))
        assert client.get("/").status_code == 302
    finally:
        clock.set_clock(None)


def test_session_cookie_is_secure_when_the_site_is_https(tmp_path):
    https = create_app(_fresh_settings(tmp_path, PUBLIC_BASE_URL="https://desk.example.org"))
    assert https.config["SESSION_COOKIE_SECURE"] is True
    plain = create_app(_fresh_settings(tmp_path, PUBLIC_BASE_URL="http://127.0.0.1:5000"))
    assert plain.config["SESSION_COOKIE_SECURE"] is False


def _median_failed_login(client, email: str, samples: int) -> float:
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        response = client.post("/auth/login", data={"email": email, "password": "wrong-guess-1"})
        times.append(time.perf_counter() - began)
        assert response.status_code == 401
    return statistics.median(times)


def test_failed_sign_in_takes_as_long_for_unknown_addresses(app, client, make_user, backend):
    if backend != "sqlite":
        pytest.skip("one backend is enough for a timing comparison")
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:150000"
    user = make_user(Role.EDITOR)
    with app.app_context():
        from campaign.auth.services import _hash

        db.session.get(User, user.id).password_hash = _hash(PASSWORD)
        db.session.commit()
    _median_failed_login(client, "nobody@example.org", 2)  # warm the decoy hash
    known = _median_failed_login(client, user.email, 15)
    unknown = _median_failed_login(client, "nobody@example.org", 15)
    assert 0.6 < unknown / known < 1.6, (known, unknown)


def _mails(app, address):
    with app.app_context():
        return [m.text_body for m in db.session.query(OutgoingMail).filter_by(to_address=address)]


def _reset_path(text: str) -> str:
    return re.search(r"http://localhost(/auth/(?:reset|invitation)/\S+)", text).group(1)


def test_forgotten_password_by_a_single_use_link(app, client, make_user):
    user = make_user(Role.EDITOR)
    for email in (user.email, "nobody@example.org"):
        response = client.post("/auth/forgot", data={"email": email}, follow_redirects=True)
        assert b"If an account uses that address" in response.data
    assert _mails(app, "nobody@example.org") == []
    (text,) = _mails(app, user.email)
    path = _reset_path(text)
    assert client.get(path).status_code == 200
    new = {"password": "reset-password-9", "confirm": "reset-password-9"}
    assert client.post(path, data=new).status_code == 302
    assert client.post(path, data=new).status_code == 404  # used once already
    assert _sign_in(app.test_client(), user, "reset-password-9").status_code == 302


def test_a_reset_link_expires(app, client, make_user):
    user = make_user(Role.EDITOR)
    client.post("/auth/forgot", data={"email": user.email})
    path = _reset_path(_mails(app, user.email)[0])
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(path).status_code == 404


def test_admin_invites_and_the_invitee_sets_a_password(app, client_as):
    admin = client_as(Role.ADMIN)
    data = {"email": "new.person@example.org", "name": "New Person", "role": "approver"}
    assert admin.post("/admin/users/", data=data).status_code == 302
    page = admin.get("/admin/users/")
    assert b"new.person@example.org" in page.data and b"never" in page.data
    path = _reset_path(_mails(app, "new.person@example.org")[0])
    invitee = app.test_client()
    new = {"password": "my-first-password", "confirm": "my-first-password"}
    assert invitee.post(path, data=new).status_code == 302
    assert invitee.post(path, data=new).status_code == 404
    response = invitee.post(
        "/auth/login", data={"email": "new.person@example.org", "password": "my-first-password"}
    )
    assert response.status_code == 302
    assert b"Approver" in invitee.get("/").data


def test_admin_changes_a_role_and_their_session_ends(app, client_as, make_user):
    admin = client_as(Role.ADMIN)
    user = make_user(Role.VIEWER)
    victim = app.test_client()
    _sign_in(victim, user)
    assert admin.post(f"/admin/users/{user.id}/role", data={"role": "editor"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).role is Role.EDITOR
    assert victim.get("/").status_code == 302


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_only_admins_reach_the_users_pages(client_as, make_user, role):
    other = make_user(Role.VIEWER)
    client = client_as(role)
    assert client.get("/admin/users/").status_code == 403
    assert client.post(f"/admin/users/{other.id}/active").status_code == 403
