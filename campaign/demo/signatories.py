"""Fictional signatories of the demo coalition letter: every name here is invented.

Names are composed from word lists (deterministically, so every seed looks the same) and
grouped as coalition letters usually are: national, state and local, international.
"""

from __future__ import annotations

import io
import itertools

from PIL import Image, ImageDraw

from campaign import clock
from campaign.extensions import db
from campaign.signon.models import (
    Grouping,
    OrgType,
    Scope,
    Signature,
    SignatureStatus,
    SignOnSettings,
)
from campaign.signon.names import normalize_name
from campaign.statements.models import Statement

NATIONAL = [
    ("Justice Forward Project", OrgType.ADVOCACY),
    ("Harbor Families Alliance", OrgType.NONPROFIT),
    ("Coalition for Treatment First", OrgType.ADVOCACY),
    ("National Council of Recovery Advocates", OrgType.ADVOCACY),
    ("Association of Community Defenders", OrgType.PROFESSIONAL),
    ("The Second Chance Fund", OrgType.NONPROFIT),
    ("Alliance of Harm Reduction Nurses", OrgType.PROFESSIONAL),
    ("Families Against Long Sentences", OrgType.ADVOCACY),
    ("United Reentry Network", OrgType.SERVICE_PROVIDER),
    ("Clergy for Restorative Justice", OrgType.FAITH),
    ("Federation of Peer Support Workers", OrgType.LABOR),
    ("Center for Drug Policy Research", OrgType.ACADEMIC),
    ("Public Health Lawyers Guild", OrgType.PROFESSIONAL),
    ("Mothers for Treatment Not Prison", OrgType.ADVOCACY),
    ("Open Door Housing Partnership", OrgType.SERVICE_PROVIDER),
    ("Bridgeway Foundation", OrgType.NONPROFIT),
    ("Institute for Sentencing Fairness", OrgType.ACADEMIC),
    ("Council of Addiction Medicine Physicians", OrgType.PROFESSIONAL),
    ("Interfaith Table for Justice", OrgType.FAITH),
    ("Youth Justice Collaborative", OrgType.ADVOCACY),
    ("Workers United for Recovery", OrgType.LABOR),
    ("Fair Chance Employers Network", OrgType.BUSINESS),
    ("Veterans for Treatment Courts", OrgType.ADVOCACY),
    ("Network of Social Work Educators", OrgType.ACADEMIC),
    ("Common Ground Legal Defense Fund", OrgType.NONPROFIT),
    ("Campaign for Smart Sentencing", OrgType.ADVOCACY),
    ("Sisters of the Open Table", OrgType.FAITH),
    ("Data for Justice Lab", OrgType.ACADEMIC),
    ("Allied Counselors Union", OrgType.LABOR),
    ("Recovery Housing Association", OrgType.SERVICE_PROVIDER),
    ("Grandparents Raising Grandchildren Network", OrgType.NONPROFIT),
    ("Formerly Incarcerated Leaders Council", OrgType.ADVOCACY),
    ("Coalition of Free Clinics", OrgType.SERVICE_PROVIDER),
    ("Pharmacists for Public Health", OrgType.PROFESSIONAL),
    ("Kinfolk Support Alliance", OrgType.NONPROFIT),
    ("Evidence First Policy Center", OrgType.ACADEMIC),
    ("Neighborhood Bail Fund Collective", OrgType.NONPROFIT),
    ("Small Business Owners for Second Chances", OrgType.BUSINESS),
    ("Tribal Wellness Coalition", OrgType.NONPROFIT),
    ("American Guild of Recovery Coaches", OrgType.PROFESSIONAL),
]

PLACES = [
    ("Millbrook", "OH"),
    ("Riverbend", "MO"),
    ("Lakeview", "MI"),
    ("Cedar Falls", "IA"),
    ("Pine Hollow", "PA"),
    ("Fairview", "OR"),
    ("Oakridge", "TN"),
    ("Brookstone", "GA"),
    ("Westfield", "NM"),
    ("Silver Creek", "NV"),
    ("Maple Grove", "MN"),
    ("Harborview", "WA"),
    ("Stonebridge", "NC"),
    ("Elm Springs", "AR"),
    ("Copper Ridge", "AZ"),
    ("Bayside", "FL"),
    ("Granite Falls", "CO"),
    ("Willow Bend", "TX"),
]

LOCAL_KINDS = [
    ("Recovery Network", OrgType.SERVICE_PROVIDER),
    ("Legal Aid Society", OrgType.SERVICE_PROVIDER),
    ("Interfaith Council", OrgType.FAITH),
    ("Harm Reduction Coalition", OrgType.ADVOCACY),
    ("Community Health Center", OrgType.SERVICE_PROVIDER),
    ("Reentry Project", OrgType.NONPROFIT),
]

INTERNATIONAL = [
    ("Global Drug Policy Observatory of Nowhere", "Erewhon"),
    ("Transatlantic Harm Reduction Forum", "Utopia"),
    ("Lowlands Treatment Collective", "Lowlands"),
    ("Northern Lights Justice Institute", "Borealia"),
    ("Southern Cross Recovery Alliance", "Australis"),
    ("International Federation of Peer Educators", "Meridia"),
    ("Mediterranean Public Health Circle", "Thalassia"),
    ("Andean Network for Humane Drug Laws", "Cordillera"),
    ("Pacific Islands Wellbeing Trust", "Oceania Minor"),
    ("Alpine Institute for Prison Reform", "Montania"),
    ("Coalition of River Delta Clinics", "Deltaria"),
    ("Prairie Provinces Justice League", "Plainsland"),
    ("Harbour City Legal Clinic", "Portavia"),
    ("World Congress of Recovery Nurses", "Meridia"),
]

LOGO_COLORS = ["#1f5fa8", "#1c7c47", "#a15c00", "#6b3fa0", "#b3261e"]


def _logo(color: str) -> bytes:
    image = Image.new("RGB", (96, 96), color)
    ImageDraw.Draw(image).ellipse((18, 18, 78, 78), fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def demo_organizations() -> list[tuple[str, OrgType, Scope, str, str, str]]:
    """(name, type, scope, city, region, country) for every demo signatory."""
    national = [(n, t, Scope.NATIONAL, "Washington", "DC", "United States") for n, t in NATIONAL]
    kinds = [kind for kind in LOCAL_KINDS for _ in range(15)]  # 15 places per kind
    local = [
        (f"{city} {kind}", org_type, Scope.STATE_LOCAL, city, region, "United States")
        for (city, region), (kind, org_type) in zip(itertools.cycle(PLACES), kinds)
    ]
    international = [
        (name, OrgType.NONPROFIT, Scope.INTERNATIONAL, "", "", country)
        for name, country in INTERNATIONAL
    ]
    return national + local + international


def _signature(statement: Statement, number: int, org: tuple) -> Signature:
    name, org_type, scope, city, region, country = org
    slug = normalize_name(name).replace(" ", "-")
    return Signature(
        statement_id=statement.id,
        signed_version_id=statement.published_version_id,
        organization=name,
        normalized_name=normalize_name(name),
        org_type=org_type,
        scope=scope,
        city=city,
        region=region,
        country=country,
        website=f"https://{slug}.example.org",
        contact_name=f"Demo Contact {number}",
        contact_email=f"contact{number}@{slug}.example.org",
        email_key=f"contact{number}@{slug}.example.org",
        status=SignatureStatus.CONFIRMED,
        confirmed_at=clock.now(),
    )


def add_demo_signatories(statement: Statement) -> int:
    """Open sign-on on the demo letter and add its confirmed signatories; returns how many."""
    db.session.add(
        SignOnSettings(statement_id=statement.id, open=True, grouping=Grouping.SCOPE, goal=200)
    )
    signatures = [
        _signature(statement, number, org) for number, org in enumerate(demo_organizations(), 1)
    ]
    for signature, color in zip(signatures[:5], LOGO_COLORS, strict=True):
        signature.logo, signature.logo_mime = _logo(color), "image/png"
    unconfirmed = ("Lantern Street Tenants Union", OrgType.LABOR, Scope.STATE_LOCAL)
    pending = _signature(statement, 0, (*unconfirmed, "Millbrook", "OH", "United States"))
    pending.status, pending.confirmed_at = SignatureStatus.PENDING, None
    pending.duplicate_attempts, pending.flag = (
        1,
        "Signed again as “Lantern St. Tenants Union, Inc.”",
    )
    db.session.add_all([*signatures, pending])
    db.session.commit()
    return len(signatures)
