"""Directory pages: search and filter, an organization's page, edits, CSV, merges."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.csvsafe import csv_response
from campaign.directory import csvio, merging, services
from campaign.directory.forms import (
    DirectoryImportForm,
    MergeForm,
    OrganizationForm,
    OrgContactForm,
)
from campaign.directory.history import history
from campaign.directory.models import Organization, OrgContact, OrgMerge
from campaign.directory.search import DirectoryFilter, regions, search, signed_counts
from campaign.directory.suggestions import suggestions
from campaign.extensions import db
from campaign.formdata import required
from campaign.pagination import paginate
from campaign.signon.models import OrgType, Scope
from campaign.statements.forms import ActionForm
from campaign.statements.models import Kind, Statement
from campaign.urlconverters import requested_page

bp = Blueprint("directory", __name__, url_prefix="/directory")
require_login_for(bp)
PER_PAGE = 50


def letters() -> list[Statement]:
    """Coalition letters, for the "signed any of these letters" filter."""
    return list(
        db.session.scalars(
            select(Statement).where(Statement.kind == Kind.COALITION_LETTER).order_by(Statement.id)
        )
    )


def _organization(organization_id: int) -> Organization:
    return db.get_or_404(Organization, organization_id)


@bp.get("")
def index() -> str:
    filters = DirectoryFilter.from_args(request.args)
    page = paginate(search(filters), requested_page(), PER_PAGE)
    return render_template(
        "directory/index.html",
        page=page,
        filters=filters,
        regions=regions(),
        letters=letters(),
        types=OrgType,
        scopes=Scope,
        signed_counts=signed_counts([o.id for o in page.items]),
    )


@bp.get("/export.csv")
def export() -> Response:
    filters = DirectoryFilter.from_args(request.args)
    return csv_response(csvio.directory_csv(search(filters)), "directory.csv")


@bp.route("/import", methods=["GET", "POST"])
@requires(Permission.EDIT)
def import_file() -> ResponseReturnValue:
    form, report = DirectoryImportForm(), None
    if form.validate_on_submit():
        content = form.file.data.read()
        try:
            max_rows = current_app.config["SIGNON_IMPORT_MAX_ROWS"]
            report = csvio.import_directory(content, current_user, max_rows)
        except csvio.ImportFileError as error:
            form.file.errors = [str(error)]
        else:
            if not report.errors:
                flash(f"{report.created} created, {report.updated} updated.", "success")
                return redirect(url_for("directory.index"))
    return render_template("directory/import.html", form=form, report=report)


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.EDIT)
def new() -> ResponseReturnValue:
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            organization = services.create_organization(form.values(), current_user)
        except services.DirectoryError as error:
            form.name.errors = [str(error)]
        else:
            return redirect(url_for("directory.show", organization_id=organization.id))
    return render_template("directory/form.html", form=form, organization=None)


@bp.get("/<int:organization_id>")
def show(organization_id: int) -> ResponseReturnValue:
    organization = _organization(organization_id)
    if not organization.active:
        flash(f"{organization.name} was merged into this organization.", "success")
        return redirect(url_for("directory.show", organization_id=organization.merged_into_id))
    return render_template(
        "directory/show.html",
        organization=organization,
        rows=history(organization),
        merges=merging.merges_of(organization),
        contact_form=OrgContactForm(),
        action_form=ActionForm(),
    )


@bp.route("/<int:organization_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT)
def edit(organization_id: int) -> ResponseReturnValue:
    organization = _organization(organization_id)
    form = OrganizationForm(obj=organization)
    if request.method == "GET":
        form.aliases.data = "\n".join(alias.name for alias in organization.aliases)
        form.tags.data = ", ".join(organization.tags)
        form.org_type.data, form.scope.data = organization.org_type.value, organization.scope.value
    if form.validate_on_submit():
        try:
            services.update_organization(
                organization, form.values(), form.alias_list(), current_user
            )
        except services.DirectoryError as error:
            db.session.rollback()
            form.name.errors = [str(error)]
        else:
            flash("Organization saved.", "success")
            return redirect(url_for("directory.show", organization_id=organization.id))
    return render_template("directory/form.html", form=form, organization=organization)


@bp.post("/<int:organization_id>/contacts")
@requires(Permission.EDIT)
def add_contact(organization_id: int) -> ResponseReturnValue:
    organization = _organization(organization_id)
    form = OrgContactForm()
    if not form.validate_on_submit():
        flash("Enter a name and a valid email address.", "error")
    else:
        try:
            services.add_contact(
                organization,
                required(form.name.data),
                required(form.email.data),
                form.title.data or "",
                form.may_sign.data,
                current_user,
            )
        except services.DirectoryError as error:
            flash(str(error), "error")
    return redirect(url_for("directory.show", organization_id=organization.id))


@bp.post("/contacts/<int:contact_id>/delete")
@requires(Permission.EDIT)
def remove_contact(contact_id: int) -> ResponseReturnValue:
    contact = db.get_or_404(OrgContact, contact_id)
    organization_id = contact.organization_id
    if ActionForm().validate_on_submit():
        services.remove_contact(contact, current_user)
    return redirect(url_for("directory.show", organization_id=organization_id))


@bp.get("/suggestions")
def merge_suggestions() -> str:
    found = suggestions()
    ids = {i for s in found for i in (s.first_id, s.second_id)}
    records = {
        o.id: o for o in db.session.scalars(select(Organization).where(Organization.id.in_(ids)))
    }
    return render_template(
        "directory/suggestions.html", suggestions=found, records=records, form=MergeForm()
    )


@bp.post("/merge")
@requires(Permission.EDIT)
def merge() -> ResponseReturnValue:
    form = MergeForm()
    if not form.validate_on_submit():
        flash("The merge form expired; try again.", "error")
        return redirect(url_for("directory.merge_suggestions"))
    survivor = _organization(required(form.survivor_id.data))
    absorbed = _organization(required(form.absorbed_id.data))
    try:
        merging.merge(survivor, absorbed, current_user)
    except merging.MergeError as error:
        flash(str(error), "error")
        return redirect(url_for("directory.merge_suggestions"))
    flash(f"{absorbed.name} merged into {survivor.name}.", "success")
    return redirect(url_for("directory.show", organization_id=survivor.id))


@bp.post("/merges/<int:merge_id>/undo")
@requires(Permission.EDIT)
def undo_merge(merge_id: int) -> ResponseReturnValue:
    merge_row = db.get_or_404(OrgMerge, merge_id)
    if ActionForm().validate_on_submit():
        try:
            merging.undo(merge_row, current_user)
        except merging.MergeError as error:
            flash(str(error), "error")
        else:
            flash("Merge undone.", "success")
    return redirect(url_for("directory.show", organization_id=merge_row.survivor_id))
