"""The campaign impact report: a page, its SVG charts, a PDF typeset by press/, and a CSV."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, abort, render_template

from campaign import clock
from campaign.auth.access import require_login_for
from campaign.campaigns.models import Campaign
from campaign.coverage.report import impact_report
from campaign.csvsafe import csv_response, csv_text
from campaign.extensions import db
from press.impact import ImpactReport, chart_names, chart_svg, render_impact_pdf

bp = Blueprint("impact", __name__)
require_login_for(bp)

CSV_HEADER = ("section", "item", "detail", "value")


def _report(campaign_id: int) -> tuple[Campaign, ImpactReport]:
    campaign = db.get_or_404(Campaign, campaign_id)
    return campaign, impact_report(campaign, clock.now().date())


@bp.get("/campaigns/<int:campaign_id>/impact")
def show(campaign_id: int) -> str:
    campaign, report = _report(campaign_id)
    return render_template(
        "coverage/impact.html", campaign=campaign, report=report, charts=chart_names(report)
    )


@bp.get("/campaigns/<int:campaign_id>/impact/<name>.svg")
def chart(campaign_id: int, name: str) -> Response:
    _, report = _report(campaign_id)
    if name not in chart_names(report):
        abort(404, description="There is no such chart for this campaign.")
    return Response(chart_svg(report, name), mimetype="image/svg+xml")


@bp.get("/campaigns/<int:campaign_id>/impact.pdf")
def pdf(campaign_id: int) -> Response:
    campaign, report = _report(campaign_id)
    return Response(
        render_impact_pdf(report),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="impact-{campaign.id}.pdf"'},
    )


def csv_rows(report: ImpactReport) -> Iterator[tuple[object, ...]]:
    """Every figure of the report as (section, item, detail, value)."""
    for s in report.statements:
        published = " ".join(f"v{n}" for n in s.published_versions)
        yield ("statement", s.title, f"{s.kind}, {s.status}, published {published}", s.versions)
    for curve in report.signatories:
        for day, total in curve.points:
            yield ("signatories", curve.title, day.isoformat(), total)
    for d in report.distributions:
        for label, value in (("sent", d.sent), ("failed", d.failed), ("bounced", d.bounced)):
            yield ("distribution", f"{d.subject} (v{d.version})", label, value)
    for outlet, count in report.by_outlet:
        yield ("coverage by outlet", outlet, "", count)
    for day, count in report.by_date:
        yield ("coverage by date", day.isoformat(), "", count)
    for region, count in report.by_region:
        yield ("coverage by region", region, "", count)
    for p in report.quoted_most:
        yield ("quoted passage", p.text, f"v{p.version}", p.articles)


@bp.get("/campaigns/<int:campaign_id>/impact.csv")
def csv(campaign_id: int) -> Response:
    campaign, report = _report(campaign_id)
    return csv_response(csv_text(CSV_HEADER, csv_rows(report)), f"impact-{campaign.id}.csv")
