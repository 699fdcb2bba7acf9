"""Staff pages of coverage items: the campaign's list, add by URL / by hand / by CSV, export,
and the review page where a candidate is confirmed, corrected or dismissed."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.campaigns.models import Campaign
from campaign.coverage import csvio, services
from campaign.coverage.forms import (
    ActionForm,
    ImportForm,
    ItemForm,
    ManualItemForm,
    PublicForm,
    UrlForm,
)
from campaign.coverage.highlight import article_segments, quote_sides
from campaign.coverage.models import CoverageItem, CoverageStatus
from campaign.csvsafe import csv_response, csv_text
from campaign.errors import bad_request
from campaign.extensions import db
from campaign.formdata import add_error, required
from campaign.urlconverters import requested_page

bp = Blueprint("coverage", __name__)
require_login_for(bp)

QUEUE_DOWN = "The page will be read when the task queue is reachable again."


def _campaign(campaign_id: int) -> Campaign:
    return db.get_or_404(Campaign, campaign_id)


def _item(item_id: int) -> CoverageItem:
    return db.get_or_404(CoverageItem, item_id)


# The list page's tables: (key, heading, statuses); each pages on its own `<key>_page`.
GROUPS = (
    ("candidates", "Candidates waiting for review", (CoverageStatus.CANDIDATE,)),
    ("confirmed", "Confirmed coverage", (CoverageStatus.CONFIRMED,)),
    ("reading", "Being read or unreadable", (CoverageStatus.FETCHING, CoverageStatus.FAILED)),
    ("dismissed", "Dismissed", (CoverageStatus.DISMISSED,)),
)


def _list_page(campaign: Campaign, url_form: UrlForm | None = None) -> str:
    groups = [
        (
            key,
            heading,
            services.items_page(campaign.id, statuses, requested_page(name=f"{key}_page")),
        )
        for key, heading, statuses in GROUPS
    ]
    return render_template(
        "coverage/index.html",
        campaign=campaign,
        groups=groups,
        url_form=url_form or UrlForm(),
        import_form=ImportForm(),
    )


@bp.get("/campaigns/<int:campaign_id>/coverage")
def index(campaign_id: int) -> str:
    return _list_page(_campaign(campaign_id))


@bp.post("/campaigns/<int:campaign_id>/coverage/add-url")
@requires(Permission.PRESS)
def add_url(campaign_id: int) -> ResponseReturnValue:
    campaign = _campaign(campaign_id)
    form = UrlForm()
    if form.validate_on_submit():
        try:
            item, queued = services.add_by_url(campaign, required(form.url.data), current_user)
        except services.CoverageError as error:
            add_error(form.url, str(error))
        else:
            if not queued:
                flash(QUEUE_DOWN, "error")
            return redirect(url_for("coverage.show", item_id=item.id))
    return _list_page(campaign, form), 422


@bp.route("/campaigns/<int:campaign_id>/coverage/new", methods=["GET", "POST"])
@requires(Permission.PRESS)
def new(campaign_id: int) -> ResponseReturnValue:
    campaign = _campaign(campaign_id)
    form = ManualItemForm()
    if form.validate_on_submit():
        try:
            item = services.add_manual(
                campaign, form.to_fields(), form.text.data or "", current_user
            )
        except services.CoverageError as error:
            add_error(form.url, str(error))
        else:
            flash("Coverage added.", "success")
            return redirect(url_for("coverage.show", item_id=item.id))
    status = 422 if form.is_submitted() else 200
    return render_template("coverage/new.html", campaign=campaign, form=form), status


@bp.post("/campaigns/<int:campaign_id>/coverage/import")
@requires(Permission.PRESS)
def import_csv(campaign_id: int) -> ResponseReturnValue:
    campaign = _campaign(campaign_id)
    form = ImportForm()
    if not form.validate_on_submit():
        flash("Choose a CSV file to import.", "error")
        return redirect(url_for("coverage.index", campaign_id=campaign.id))
    try:
        report = csvio.import_csv(campaign, form.file.data.read(), current_user)
    except csvio.CsvFileError as error:
        flash(str(error), "error")
        return redirect(url_for("coverage.index", campaign_id=campaign.id))
    if report.errors:
        flash("Nothing was imported: correct these lines and upload the file again.", "error")
        return render_template("coverage/import_errors.html", campaign=campaign, report=report), 422
    flash(
        f"Imported {report.imported} item(s); {report.skipped} already recorded were skipped.",
        "success",
    )
    return redirect(url_for("coverage.index", campaign_id=campaign.id))


@bp.get("/campaigns/<int:campaign_id>/coverage.csv")
def export_csv(campaign_id: int) -> Response:
    campaign = _campaign(campaign_id)
    rows = [csvio.export_row(item) for item in services.items_of(campaign.id)]
    return csv_response(csv_text(csvio.EXPORT_HEADER, rows), f"coverage-{campaign.id}.csv")


def _review_page(item: CoverageItem, form: ItemForm | None = None) -> str:
    sides = [quote_sides(m.passage, m.version_passage) for m in item.matches]
    return render_template(
        "coverage/show.html",
        item=item,
        form=form or ItemForm(obj=item),
        pairs=list(zip(item.matches, sides, strict=True)),
        segments=article_segments(item.text or "", item.matches),
        action_form=ActionForm(),
        public_form=PublicForm(),
    )


@bp.get("/coverage/<int:item_id>")
def show(item_id: int) -> str:
    return _review_page(_item(item_id))


@bp.get("/coverage/<int:item_id>/state")
def state(item_id: int) -> Response:
    """Polled by the review page while a worker reads the article."""
    return jsonify(status=_item(item_id).status.value)


@bp.post("/coverage/<int:item_id>/confirm")
@requires(Permission.PRESS)
def confirm(item_id: int) -> ResponseReturnValue:
    item = _item(item_id)
    form = ItemForm()
    if form.validate_on_submit():
        try:
            services.confirm(item, form.to_fields(), current_user)
        except services.CoverageError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash("Confirmed as coverage of the campaign.", "success")
            return redirect(url_for("coverage.show", item_id=item.id))
    return _review_page(item, form), 422


@bp.post("/coverage/<int:item_id>/dismiss")
@requires(Permission.PRESS)
def dismiss(item_id: int) -> ResponseReturnValue:
    item = _item(item_id)
    if not ActionForm().validate_on_submit():
        bad_request()
    services.dismiss(item, current_user)
    flash("Dismissed; a feed will not bring it back.", "success")
    return redirect(url_for("coverage.index", campaign_id=item.campaign_id))


@bp.post("/coverage/<int:item_id>/public")
@requires(Permission.PRESS)
def public(item_id: int) -> ResponseReturnValue:
    item = _item(item_id)
    form = PublicForm()
    if not form.validate_on_submit():
        bad_request()
    try:
        services.set_public(item, form.public.data == "1", current_user)
    except services.CoverageError as error:
        flash(str(error), "error")
    else:
        shown = "now listed" if item.is_public else "no longer listed"
        flash(f"The item is {shown} under “In the news”.", "success")
    return redirect(url_for("coverage.show", item_id=item.id))
