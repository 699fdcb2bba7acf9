"""The conflict page of the editor: showing a merge that needs a person, and reading their choices.

The page carries the user's own text as a signed token (it passed the editor's validation
once; the signature stops a hand-made post from skipping it) and the two version numbers, so
the server rebuilds exactly the merge it showed and applies the choices to it.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_login import current_user

from campaign.statements.content import Content
from campaign.statements.forms import MergeForm
from campaign.statements.merging import Merge
from campaign.statements.models import Statement
from campaign.statements.services import MergeNeeded, get_version
from campaign.tokens import TokenInvalid, make_token, read_token

PURPOSE = "statement-merge"
CHOICES = ("mine", "theirs", "edit")


def mine_token(statement: Statement, mine: Content) -> str:
    """Sign the user's text for this statement and this user only."""
    return make_token(
        PURPOSE, {"statement": statement.id, "user": current_user.id, "mine": mine.to_json()}
    )


def read_mine(statement: Statement, token: str) -> Content | None:
    """The user's text from a conflict page, or None if the token is not theirs for this page."""
    try:
        data = read_token(PURPOSE, token)
    except TokenInvalid:
        return None
    if data.get("statement") != statement.id or data.get("user") != current_user.id:
        return None
    return Content.from_json(data["mine"])


def render_conflict(
    needed: MergeNeeded, note: str = "", errors: dict[int, str] | None = None
) -> str:
    """The page with base, theirs and mine for every conflict, and the merged rest."""
    statement = needed.statement
    form = MergeForm(
        base_version=needed.base_number,
        theirs_version=needed.theirs_number,
        mine=mine_token(statement, needed.merge.mine),
        note=note,
    )
    return render_template(
        "statements/conflict.html",
        statement=statement,
        form=form,
        merge=needed.merge,
        base=get_version(statement, needed.base_number),
        theirs=get_version(statement, needed.theirs_number),
        errors=errors or {},
        chosen=request.form if request.endpoint == "statements.merge" else {},
    )


def resolutions(merge: Merge) -> tuple[dict[int, Any], dict[int, str]]:
    """Each conflict's chosen result from the posted page, and a message for each one missing."""
    chosen: dict[int, Any] = {}
    errors: dict[int, str] = {}
    for conflict in merge.conflicts:
        choice = request.form.get(f"choice-{conflict.index}")
        if choice == "mine":
            chosen[conflict.index] = conflict.mine_value if not conflict.editable else conflict.mine
        elif choice == "theirs":
            chosen[conflict.index] = (
                conflict.theirs_value if not conflict.editable else conflict.theirs
            )
        elif choice == "edit" and conflict.editable:
            chosen[conflict.index] = request.form.get(f"result-{conflict.index}", "")
        else:
            errors[conflict.index] = "Choose “keep mine”, “take theirs” or your edited text."
    return chosen, errors
