"""The dated notes staff add to a contact's timeline."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.contacts.models import Contact
from campaign.coverage.forms import NoteForm
from campaign.coverage.timeline import add_note
from campaign.extensions import db
from campaign.formdata import required

bp = Blueprint("contact_notes", __name__)
require_login_for(bp)


@bp.post("/contacts/<int:contact_id>/notes")
@requires(Permission.PRESS)
def add(contact_id: int) -> ResponseReturnValue:
    contact = db.get_or_404(Contact, contact_id)
    form = NoteForm()
    if form.validate_on_submit():
        add_note(contact, required(form.noted_on.data), required(form.text.data), current_user)
        flash("Note added to the timeline.", "success")
    else:
        flash("A note needs a date and some text (at most 2,000 characters).", "error")
    return redirect(url_for("contacts.show", contact_id=contact.id) + "#timeline")
