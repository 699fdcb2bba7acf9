"""Access checks for staff views.

Every staff blueprint calls `require_login_for(bp)` so that a new route cannot be left open
by forgetting a decorator; actions that need more than reading declare `@requires(...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort
from flask_login import current_user, login_required

from campaign.auth.roles import Permission

View = TypeVar("View", bound=Callable[..., Any])


def require_login_for(bp: Blueprint) -> None:
    """Refuse every request to `bp` from anyone not signed in with at least VIEW."""

    @bp.before_request
    @login_required
    def _check() -> None:
        if not current_user.can(Permission.VIEW):
            abort(403)


def requires(permission: Permission) -> Callable[[View], View]:
    """Decorate a view so that only users whose role grants `permission` reach it."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
