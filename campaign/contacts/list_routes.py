"""Contact list pages: static lists (add and remove members) and saved tag filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.contacts import lists
from campaign.contacts.access import require_press_for
from campaign.contacts.forms import AddMembersForm, FilterForm, ListForm, RenameForm
from campaign.contacts.models import ContactList, ListKind
from campaign.extensions import db
from campaign.formdata import required
from campaign.pagination import paginate
from campaign.urlconverters import requested_page

bp = Blueprint("contact_lists", __name__, url_prefix="/contacts/lists")
require_press_for(bp)
PER_PAGE = 100


@bp.get("")
def index() -> str:
    return render_template("contacts/lists.html", lists=lists.all_lists())


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    form = ListForm()
    if form.validate_on_submit():
        try:
            created = lists.create_list(
                required(form.name.data),
                ListKind(form.kind.data),
                current_user,
                description=form.description.data or "",
                tags=form.tags.data or "",
                match_all=form.match_all.data,
            )
        except lists.ListError as error:
            form.name.errors = [*form.name.errors, str(error)]
        else:
            flash(f"List “{created.name}” created.", "success")
            return redirect(url_for("contact_lists.show", list_id=created.id))
    return render_template("contacts/list_new.html", form=form)


@bp.get("/<int:list_id>")
def show(list_id: int) -> str:
    lst = db.get_or_404(ContactList, list_id)
    page = paginate(lists.list_contacts(lst), requested_page(), PER_PAGE)
    filter_form = FilterForm(
        data={"tags": ", ".join(lst.filter_tags), "match_all": lst.filter_match_all}
    )
    return render_template(
        "contacts/list_show.html",
        lst=lst,
        page=page,
        add_form=AddMembersForm(),
        filter_form=filter_form,
        rename_form=RenameForm(obj=lst),
    )


def _change(
    list_id: int, form: Any, invalid: str, change: Callable[[ContactList], None]
) -> ResponseReturnValue:
    """Validate `form`, apply `change` to the list, and say what happened on the list page."""
    lst = db.get_or_404(ContactList, list_id)
    try:
        if not form.validate_on_submit():
            raise lists.ListError(invalid)
        change(lst)
    except lists.ListError as error:
        flash(str(error), "error")
    else:
        flash("List saved.", "success")
    return redirect(url_for("contact_lists.show", list_id=list_id))


@bp.post("/<int:list_id>/rename")
def rename(list_id: int) -> ResponseReturnValue:
    form = RenameForm()
    return _change(
        list_id,
        form,
        "A list needs a name of at most 200 characters.",
        lambda lst: lists.rename_list(
            lst, required(form.name.data), form.description.data or "", current_user
        ),
    )


@bp.post("/<int:list_id>/members")
def add_members(list_id: int) -> ResponseReturnValue:
    lst = db.get_or_404(ContactList, list_id)
    form = AddMembersForm()
    if form.validate_on_submit():
        try:
            added, not_found = lists.add_members_by_email(
                lst, required(form.emails.data), current_user
            )
        except lists.ListError as error:
            flash(str(error), "error")
        else:
            flash(f"{added} contact{'s' if added != 1 else ''} added.", "success")
            if not_found:
                flash(f"Not contacts (add them first): {', '.join(not_found)}", "error")
    return redirect(url_for("contact_lists.show", list_id=lst.id))


@bp.post("/<int:list_id>/members/<int:contact_id>/remove")
def remove_member(list_id: int, contact_id: int) -> ResponseReturnValue:
    lst = db.get_or_404(ContactList, list_id)
    lists.remove_member(lst, contact_id, current_user)
    flash("Removed from the list.", "success")
    return redirect(url_for("contact_lists.show", list_id=lst.id))


@bp.post("/<int:list_id>/filter")
def update_filter(list_id: int) -> ResponseReturnValue:
    form = FilterForm()
    return _change(
        list_id,
        form,
        "A filter list needs at least one tag.",
        lambda lst: lists.update_filter(
            lst, required(form.tags.data), form.match_all.data, current_user
        ),
    )


@bp.post("/<int:list_id>/delete")
def delete(list_id: int) -> ResponseReturnValue:
    lst = db.get_or_404(ContactList, list_id)
    name = lst.name
    lists.delete_list(lst, current_user)
    flash(f"List “{name}” deleted; its contacts are kept.", "success")
    return redirect(url_for("contact_lists.index"))
