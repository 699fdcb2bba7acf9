"""The campaign impact report: plain figures in, SVG charts, HTML and PDF bytes out.

Charts are drawn by pygal as standalone SVG; the PDF embeds them as data: images (the only
kind of resource press documents load besides their own fonts and stylesheet).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from weasyprint import HTML

from press.render import PDF_VARIANT, ROOT, _environment, asset_fetcher


@cache
def _style() -> Any:
    """pygal is imported by the first chart, not by every process that builds the app."""
    from pygal.style import Style

    return Style(
        background="white",
        plot_background="white",
        font_family="DejaVu Sans, sans-serif",
        colors=("#1f5f8b", "#c0392b", "#2e8b57", "#8e44ad", "#d4a017"),
        label_font_size=14,
        major_label_font_size=14,
        legend_font_size=14,
        value_font_size=14,
        title_font_size=18,
    )


@dataclass(frozen=True)
class StatementRow:
    title: str
    kind: str
    status: str
    versions: int
    published_versions: list[int]
    published_on: date | None


@dataclass(frozen=True)
class SignatoryCurve:
    title: str
    points: list[tuple[date, int]]


@dataclass(frozen=True)
class DistributionRow:
    subject: str
    version: int
    created_on: date
    sent: int
    failed: int
    bounced: int


@dataclass(frozen=True)
class QuotedPassage:
    text: str
    version: int
    articles: int


@dataclass
class ImpactReport:
    campaign: str
    generated_on: date
    statements: list[StatementRow] = field(default_factory=list)
    signatories: list[SignatoryCurve] = field(default_factory=list)
    distributions: list[DistributionRow] = field(default_factory=list)
    by_outlet: list[tuple[str, int]] = field(default_factory=list)
    by_date: list[tuple[date, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)
    quoted_most: list[QuotedPassage] = field(default_factory=list)
    coverage: list[tuple[date | None, str, str, str, int]] = field(default_factory=list)
    candidates_waiting: int = 0


def _chart(kind: str, title: str, **options: object) -> Any:
    """A pygal chart of `kind` ("Bar", "DateLine"...) in the report's style."""
    import pygal

    settings: dict[str, object] = {
        "title": title,
        "style": _style(),
        "js": [],
        "width": 720,
        "height": 320,
        "show_legend": False,
        "explicit_size": True,
    }
    return getattr(pygal, kind)(**(settings | options))


def _whole_numbers(chart: Any, top: int) -> None:
    """Counts are whole: label the value axis 0, 1, 2... (or in steps), never 0.1."""
    step = max(1, -(-top // 8))
    chart.y_labels = list(range(0, top + step, step))


def _bars(title: str, rows: list[tuple[object, int]], horizontal: bool = False) -> bytes:
    chart = _chart("HorizontalBar" if horizontal else "Bar", title)
    _whole_numbers(chart, max((count for _, count in rows), default=1))
    chart.x_labels = [str(label) for label, _ in rows]
    chart.add("Items", [count for _, count in rows])
    return chart.render()


def _signatories(report: ImpactReport) -> bytes:
    chart = _chart("DateLine", "Signatories over time", show_legend=len(report.signatories) > 1)
    chart.x_value_formatter = lambda day: day.strftime("%b %d")
    for curve in report.signatories:
        chart.add(curve.title[:40], curve.points)
    return chart.render()


def _distributions(report: ImpactReport) -> bytes:
    chart = _chart("StackedBar", "Distributions", show_legend=True)
    chart.x_labels = [f"v{d.version} {d.created_on:%b %d}" for d in report.distributions]
    _whole_numbers(chart, max((d.sent + d.failed for d in report.distributions), default=1))
    chart.add("Sent", [d.sent for d in report.distributions])
    chart.add("Failed", [d.failed - d.bounced for d in report.distributions])
    chart.add("Bounced", [d.bounced for d in report.distributions])
    return chart.render()


CHARTS = {
    "signatories": _signatories,
    "distributions": _distributions,
    "outlets": lambda r: _bars("Coverage by outlet", r.by_outlet[:12], horizontal=True),
    "dates": lambda r: _bars(
        "Coverage by publication date", [(d.strftime("%b %d"), n) for d, n in r.by_date]
    ),
    "regions": lambda r: _bars("Coverage by region", r.by_region[:12], horizontal=True),
}


def chart_names(report: ImpactReport) -> list[str]:
    """The charts that have something to show."""
    present = {
        "signatories": report.signatories,
        "distributions": report.distributions,
        "outlets": report.by_outlet,
        "dates": report.by_date,
        "regions": report.by_region,
    }
    return [name for name in CHARTS if present[name]]


def chart_svg(report: ImpactReport, name: str) -> bytes:
    """One chart as an SVG document (KeyError for an unknown name)."""
    return CHARTS[name](report)


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def render_impact_html(report: ImpactReport) -> str:
    """The report as a print page with its charts inline."""
    charts = [_data_uri(chart_svg(report, name)) for name in chart_names(report)]
    return (
        _environment()
        .get_template("impact.html")
        .render(report=report, charts=charts, assets=ROOT.as_uri())
    )


def render_impact_pdf(report: ImpactReport) -> bytes:
    """Tagged PDF bytes of the report."""
    html = HTML(
        string=render_impact_html(report), base_url=ROOT.as_uri() + "/", url_fetcher=asset_fetcher()
    )
    return html.render(pdf_variant=PDF_VARIANT).write_pdf(pdf_variant=PDF_VARIANT)
