"""Contact pages: search and filter, create, edit, delete, export."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import Select

from campaign.contacts import services
from campaign.contacts.access import require_press_for
from campaign.contacts.export import contacts_csv
from campaign.contacts.forms import ContactForm
from campaign.contacts.lists import ListError, add_members, static_lists
from campaign.contacts.models import Contact, ContactList
from campaign.contacts.validation import ContactInvalid
from campaign.csvsafe import csv_response
from campaign.extensions import db
from campaign.pagination import paginate
from campaign.urlconverters import requested_page

bp = Blueprint("contacts", __name__, url_prefix="/contacts")
require_press_for(bp)
PER_PAGE = 50
FILTERS = ("q", "tag", "outlet", "reachable")


def _filters() -> dict[str, str]:
    return {name: request.args.get(name, "").strip() for name in FILTERS}


def _query_for(filters: dict[str, str]) -> Select[Contact]:
    return services.search_contacts(
        filters["q"], filters["tag"], filters["outlet"], filters["reachable"]
    )


@bp.get("")
def index() -> str:
    filters: dict[str, Any] = _filters()  # spread into url_for, beside its non-str options
    page = paginate(_query_for(filters), requested_page(), PER_PAGE)
    return render_template(
        "contacts/index.html",
        page=page,
        filters=filters,
        outlets=services.outlets(),
        lists=static_lists(),
    )


@bp.get("/export.csv")
def export() -> Response:
    filters = _filters()
    return csv_response(contacts_csv(_query_for(filters)), "contacts.csv")


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    form = ContactForm()
    if form.validate_on_submit():
        try:
            contact = services.create_contact(form.text_values(), current_user)
        except ContactInvalid as error:
            form.show_problems(error.problems)
        except services.ContactError as error:
            form.show_problems([("email", str(error))])
        else:
            flash(f"Contact {contact.name} added.", "success")
            return redirect(url_for("contacts.show", contact_id=contact.id))
    return render_template("contacts/form.html", form=form, contact=None)


@bp.get("/<int:contact_id>")
def show(contact_id: int) -> str:
    contact = db.get_or_404(Contact, contact_id)
    return render_template("contacts/show.html", contact=contact, lists=static_lists())


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
def edit(contact_id: int) -> ResponseReturnValue:
    contact = db.get_or_404(Contact, contact_id)
    form = ContactForm(data=_form_data(contact))
    if form.validate_on_submit():
        try:
            services.update_contact(contact, form.text_values(), current_user)
        except ContactInvalid as error:
            form.show_problems(error.problems)
        except services.ContactError as error:
            form.show_problems([("email", str(error))])
        else:
            flash("Contact saved.", "success")
            return redirect(url_for("contacts.show", contact_id=contact.id))
    return render_template("contacts/form.html", form=form, contact=contact)


def _form_data(contact: Contact) -> dict[str, object]:
    data: dict[str, object] = {name: getattr(contact, name) for name in services.EDITABLE}
    data.update(tags=", ".join(contact.tags), phone=contact.phone_display)
    return data


@bp.post("/<int:contact_id>/delete")
def delete(contact_id: int) -> ResponseReturnValue:
    contact = db.get_or_404(Contact, contact_id)
    name = contact.name
    services.delete_contact(contact, current_user)
    flash(f"Contact {name} deleted.", "success")
    return redirect(url_for("contacts.index"))


@bp.post("/add-to-list")
def add_matches_to_list() -> ResponseReturnValue:
    """Put the chosen contacts, or every contact the search matches on all pages, on a static
    list (how lists get built)."""
    filters: dict[str, Any] = _filters()  # spread into url_for, beside its non-str options
    lst = db.get_or_404(ContactList, request.form.get("list_id", type=int))
    chosen = [int(value) for value in request.form.getlist("ids") if value.isdigit()]
    everyone = bool(request.form.get("all_matching"))
    ids = services.matching_ids(_query_for(filters), None if everyone else chosen)
    if not ids:
        flash("Select at least one contact, or all matching contacts.", "error")
        return redirect(url_for("contacts.index", **filters))
    try:
        added = add_members(lst, ids, current_user)
    except ListError as error:
        flash(str(error), "error")
    else:
        flash(f"{added} contact{'s' if added != 1 else ''} added to “{lst.name}”.", "success")
    return redirect(url_for("contacts.index", **filters))


@bp.post("/<int:contact_id>/lists")
def add_to_list(contact_id: int) -> ResponseReturnValue:
    contact = db.get_or_404(Contact, contact_id)
    lst = db.get_or_404(ContactList, request.form.get("list_id", type=int))
    try:
        add_members(lst, [contact.id], current_user)
    except ListError as error:
        flash(str(error), "error")
    else:
        flash(f"{contact.name} is on “{lst.name}”.", "success")
    return redirect(url_for("contacts.show", contact_id=contact.id))
