"""Public newsroom pages (no login) and the staff switch that features an item."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import requires
from campaign.auth.roles import Permission
from campaign.errors import bad_request
from campaign.extensions import db
from campaign.newsroom import feeds, services
from campaign.newsroom.cache import cached
from campaign.newsroom.theme import theme_css
from campaign.site.services import organization
from campaign.statements.forms import ActionForm
from campaign.statements.models import Statement
from campaign.urlconverters import requested_page

bp = Blueprint("newsroom", __name__)
PUBLIC_CACHE = "public, max-age=60"


def _cached(response: Response, policy: str = PUBLIC_CACHE) -> Response:
    response.headers["Cache-Control"] = policy
    return response


@bp.get("/newsroom")
def index() -> Response:
    """Featured and latest public items, open letters, contacts; paginated and searchable."""
    return cached(_index)


def _index() -> Response:
    search = request.args.get("q", "")[: services.SEARCH_MAX]
    page = services.latest(requested_page(), search)
    if page.page > page.pages:
        abort(404)
    first = page.page == 1 and not search
    html = render_template(
        "newsroom/index.html",
        page=page,
        search=search,
        featured=services.featured() if first else [],
        letters=services.open_letters() if first else [],
        organization=organization(),
    )
    return _cached(Response(html))


@bp.get("/newsroom/press-kit")
def press_kit() -> str:
    """Logo, boilerplate, media contacts and the latest PDFs, for journalists."""
    return render_template(
        "newsroom/press_kit.html",
        organization=organization(),
        latest=services.latest(1, per_page=5).items,
    )


@bp.get("/newsroom/boilerplate.txt")
def boilerplate() -> Response:
    org = organization()
    text = f"About {org.name}\n\n{org.boilerplate}\n"
    response = Response(text, mimetype="text/plain")
    response.headers["Content-Disposition"] = "attachment; filename=boilerplate.txt"
    return _cached(response)


@bp.get("/newsroom/theme.css")
def theme() -> Response:
    """The accent colour as a stylesheet (no inline styles under the coming CSP)."""
    return _cached(Response(theme_css(organization().accent_colour), mimetype="text/css"))


@bp.get("/newsroom/feed.rss")
def rss() -> Response:
    return cached(lambda: _cached(Response(feeds.rss(), mimetype="application/rss+xml")))


@bp.get("/newsroom/feed.atom")
def atom() -> Response:
    return cached(lambda: _cached(Response(feeds.atom(), mimetype="application/atom+xml")))


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    return cached(_sitemap)


def _sitemap() -> Response:
    xml = render_template(
        "newsroom/sitemap.xml", entries=services.sitemap_entries(), absolute=feeds.absolute
    )
    return _cached(Response(xml, mimetype="application/xml"))


@bp.get("/robots.txt")
def robots() -> Response:
    text = render_template("newsroom/robots.txt", absolute=feeds.absolute)
    return _cached(Response(text, mimetype="text/plain"))


@bp.post("/statements/<int:statement_id>/newsroom/feature")
@requires(Permission.PUBLISH)
def feature(statement_id: int) -> ResponseReturnValue:
    statement = db.get_or_404(Statement, statement_id)
    if not ActionForm().validate_on_submit():
        bad_request()
    on = request.form.get("on") == "1"
    services.set_featured(statement, current_user, on)
    flash("Featured in the newsroom." if on else "No longer featured.", "success")
    return redirect(url_for("statements.show", statement_id=statement.id))


@bp.app_context_processor
def _public_helpers() -> dict[str, object]:
    """For templates/newsroom/_layout.html and the public item page."""
    from campaign.newsroom.sharing import page_meta

    return {"organization_profile": organization, "page_meta": page_meta}


@bp.get("/s/<slug>/og.png")
def og_image(slug: str) -> ResponseReturnValue:
    """Page 1 of the public PDF as the link-preview image; the logo if it cannot be drawn."""
    from campaign.newsroom.images import can_render_page_images, first_page_png
    from campaign.pdfs.services import pdf_for_version
    from campaign.public.routes import public_or_404

    version = public_or_404(slug)
    if not can_render_page_images():
        return redirect(url_for("site_public.logo"))
    rendered = pdf_for_version(version.id)
    png = first_page_png(rendered.sha256, rendered.data)
    return _cached(Response(png, mimetype="image/png"), "public, max-age=3600")
