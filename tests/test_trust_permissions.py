"""Every route against the one permission map, for every role, reading and writing.

The map is campaign/auth/permissions.py. A route added anywhere in the app without an entry
there fails `test_every_route_is_in_the_permission_map` with the line to add.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from werkzeug.routing import Rule

from campaign.auth.permissions import ENDPOINTS, PUBLIC, READ_METHODS, access_for, needed
from campaign.auth.roles import ROLE_PERMISSIONS, Role

IGNORED_METHODS = {"HEAD", "OPTIONS"}
DUMMY = {"int": "2000000000", "default": "no-such-thing", "path": "no/such/thing"}


def _dummy_url(rule: Rule) -> str:
    """The rule's path with every argument replaced by a value that matches nothing."""

    def value(match: re.Match[str]) -> str:
        return DUMMY.get(match.group(1) or "default", DUMMY["default"])

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", value, rule.rule)


def _staff_requests(app: Flask) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        access = access_for(rule.endpoint)
        if access is None or access == PUBLIC:
            continue
        for method in sorted(rule.methods - IGNORED_METHODS):
            found.append((rule.endpoint, method, _dummy_url(rule)))
    return found


def test_every_route_is_in_the_permission_map(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ENDPOINTS))
    assert not missing, (
        "These endpoints are not in the permission map. Add a line for each to ENDPOINTS in "
        "campaign/auth/permissions.py, e.g.\n"
        + "\n".join(f'    "{name}": Permission.VIEW,  # or PUBLIC, Access(...)' for name in missing)
    )
    stale = sorted(set(ENDPOINTS) - endpoints)
    assert not stale, f"The permission map lists endpoints that no longer exist: {stale}"


def test_a_route_missing_from_the_map_is_refused(app, client_as):
    from campaign.auth import permissions

    saved = permissions.ENDPOINTS.pop("campaigns.index")
    try:
        assert client_as(Role.ADMIN).get("/").status_code == 403
    finally:
        permissions.ENDPOINTS["campaigns.index"] = saved


def test_every_staff_route_for_every_role(app, client_as, backend):
    """Reading and writing, each role: refused exactly when its role lacks the permission."""
    if backend != "sqlite":
        pytest.skip("the map does not depend on the database; one backend is enough")
    clients = {role: client_as(role) for role in Role}
    anonymous = app.test_client()
    wrong = []
    for endpoint, method, url in _staff_requests(app):
        if endpoint == "auth.logout":
            continue  # would end the shared session; tested in test_trust_sessions
        permission = needed(endpoint, method)
        response = anonymous.open(url, method=method)
        if response.status_code != 302 or "/auth/login" not in response.location:
            wrong.append(f"anonymous {method} {url}: {response.status_code}")
        for role, client in clients.items():
            status = client.open(url, method=method).status_code
            allowed = permission in ROLE_PERMISSIONS[role]
            if status >= 500 or (status == 403) == allowed:
                wrong.append(f"{role.value} {method} {url} ({endpoint}): {status}")
    assert not wrong, "\n".join(wrong)


def test_the_map_covers_reading_and_writing():
    assert "GET" in READ_METHODS and "POST" not in READ_METHODS
