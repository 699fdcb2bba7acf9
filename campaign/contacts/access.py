"""Contacts hold journalists' personal data: only roles with the PRESS permission see them."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from campaign.auth.access import require_login_for
from campaign.auth.roles import Permission


def require_press_for(bp: Blueprint) -> None:
    """Sign-in and the PRESS permission for every view of `bp`."""
    require_login_for(bp)

    @bp.before_request
    def _check() -> None:
        if not current_user.can(Permission.PRESS):
            abort(403)
