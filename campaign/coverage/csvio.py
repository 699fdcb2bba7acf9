"""Coverage as CSV: the clip spreadsheet nonprofits keep today, in and out.

An import either adds every new row or, if any row is bad, nothing; each problem is reported
with its line number. URLs already recorded for the campaign are skipped, so an exported file
can be imported again. Exports go through csvsafe, so no cell becomes a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.coverage import services
from campaign.coverage.models import CoverageItem, CoverageSource
from campaign.coverage.services import CoverageError, ItemFields

COLUMNS = ("url", "outlet", "headline", "author", "published_on", "excerpt", "language", "region")
LIMITS = {"url": 2000, "outlet": 200, "headline": 500, "author": 200, "language": 16, "region": 120}
MAX_ROWS = 5000
EXPORT_HEADER = (
    *COLUMNS,
    "status",
    "public",
    "versions_quoted",
    "passages",
    "superseded_passages",
    "changed_passages",
    "named_organizations",
    "contact",
    "distribution_id",
    "attribution",
)


class CsvFileError(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFileError("The file is not UTF-8 text.") from error
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if "url" not in header:
        raise CsvFileError("The first line must name the columns, including “url”.")
    reader.fieldnames = header
    rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    if len(rows) > MAX_ROWS:
        raise CsvFileError(f"The file has more than {MAX_ROWS:,} rows.")
    return rows


def _fields(row: dict[str, str]) -> ItemFields:
    for column, limit in LIMITS.items():
        if len(row.get(column, "")) > limit:
            raise ValueError(f"{column} is longer than {limit} characters")
    published = row.get("published_on", "")
    try:
        published_on = date.fromisoformat(published) if published else None
    except ValueError as error:
        raise ValueError(f"published_on “{published}” is not a date like 2026-12-03") from error
    services.checked_url(row.get("url", ""))
    return ItemFields(
        **{c: row.get(c, "") for c in COLUMNS if c != "published_on"}, published_on=published_on
    )


def import_csv(campaign: Campaign, data: bytes, actor: User | None) -> ImportReport:
    """Check every row, then add the new ones as confirmed items (or nothing on any error)."""
    report = ImportReport()
    known = {item.url for item in services.items_of(campaign.id)}
    checked: list[ItemFields] = []
    for line, row in enumerate(_rows(data), start=2):
        try:
            fields = _fields(row)
        except (ValueError, CoverageError) as error:
            report.errors.append((line, str(error)))
            continue
        if fields.url.strip() in known:
            report.skipped += 1
            continue
        known.add(fields.url.strip())
        checked.append(fields)
    if report.errors:
        return report
    for fields in checked:
        services.add_manual(campaign, fields, "", actor, source=CoverageSource.CSV)
        report.imported += 1
    return report


def export_row(item: CoverageItem) -> list[object]:
    """One item as a row under EXPORT_HEADER."""
    return [
        item.url,
        item.outlet,
        item.headline,
        item.author,
        item.published_on.isoformat() if item.published_on else "",
        item.excerpt,
        item.language,
        item.region,
        item.status.value,
        "yes" if item.is_public else "no",
        " ".join(f"v{n}" for n in item.version_numbers),
        len(item.matches),
        sum(m.superseded for m in item.matches),
        sum(m.changed for m in item.matches),
        "; ".join(item.named_orgs or []),
        item.contact.name if item.contact else "",
        item.distribution_id or "",
        item.attribution,
    ]
