"""Roles and the permissions each one grants.

Views never test a role by name: they ask for a permission, so a role can change what it may
do in this one table.
"""

from __future__ import annotations

from campaign.enums import LabeledEnum


class Role(LabeledEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    APPROVER = "approver"
    PRESS_OFFICER = "press_officer"
    VIEWER = "viewer"


class Permission(LabeledEnum):
    VIEW = "view"
    EDIT = "edit"
    APPROVE = "approve"
    PUBLISH = "publish"
    RETRACT = "retract"
    MODERATE = "moderate"
    PRESS = "press"
    ADMIN = "admin"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.EDITOR: frozenset(
        {Permission.VIEW, Permission.EDIT, Permission.PUBLISH, Permission.MODERATE}
    ),
    Role.APPROVER: frozenset(
        {Permission.VIEW, Permission.APPROVE, Permission.PUBLISH, Permission.RETRACT}
    ),
    Role.PRESS_OFFICER: frozenset({Permission.VIEW, Permission.PRESS}),
    Role.VIEWER: frozenset({Permission.VIEW}),
}
