"""How long a press PDF takes: the demo-sized letter, a 2,000-signatory letter, a cached repeat.

Each letter is the demo letter's text with N confirmed fictional signatories in a scratch
database. Its render time (layout and PDF writing, cache bypassed) is given as a ratio to
WeasyPrint rendering a minimal HTML page of the same words (title, paragraphs, one line per
signatory, no stylesheet) in the same run, so the figure says what the letter's typography
costs on any machine. The cached repeat download goes through the Flask route and is given
as a ratio to a trivial Flask route.

    .venv/bin/python bench/pdf.py [--database-url URL] [--sizes 140,2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import html
import io
import random
import tempfile
from pathlib import Path

from flask import Flask
from pypdf import PdfReader
from report import Timing, check, figure, timed, timed_in_turns  # bench/report.py
from versions import build_app  # bench/versions.py, beside this script
from weasyprint import HTML

from campaign.auth.roles import Role
from campaign.auth.services import create_user
from campaign.campaigns.services import create_campaign
from campaign.demo.content import LETTER
from campaign.extensions import db
from campaign.pdfs import services
from campaign.signon.models import Grouping, Scope, Signature, SignatureStatus, SignOnSettings
from campaign.signon.names import normalize_name
from campaign.statements.models import Kind, Statement, StatementVersion
from campaign.statements.services import create_statement
from press.documents import Document, Letterhead
from press.markdown import render_markdown
from press.render import render_pdf

PLACES = ["Riverside", "Harbor", "Prairie", "Summit", "Lakeshore", "Valley", "Bayview", "Granite"]
FOCUS = ["Families", "Recovery", "Justice", "Health", "Tenants", "Workers", "Youth", "Faith"]
FORMS = ["Alliance", "Network", "Project", "Coalition", "Center", "Collective", "Council"]
CITIES = [("Dayton", "OH"), ("Tucson", "AZ"), ("Albany", "NY"), ("Boise", "ID"), ("Macon", "GA")]


def _signature(statement: Statement, number: int, rng: random.Random) -> Signature:
    name = f"{rng.choice(PLACES)} {rng.choice(FOCUS)} {rng.choice(FORMS)} {number}"
    city, region = rng.choice(CITIES)
    return Signature(
        statement_id=statement.id,
        signed_version_id=statement.head.id,
        organization=name,
        normalized_name=normalize_name(name),
        city=city,
        region=region,
        scope=Scope.NATIONAL if number % 3 else Scope.STATE_LOCAL,
        contact_email=f"org{number}@example.org",
        email_key=f"org{number}@example.org",
        status=SignatureStatus.CONFIRMED,
    )


def build_letter(app: Flask, signatories: int) -> int:
    """The demo letter with `signatories` confirmed signers; returns the version id."""
    rng = random.Random(signatories)
    with app.app_context():
        campaign = create_campaign(f"Bench {signatories}", "", None)
        statement = create_statement(campaign, Kind.COALITION_LETTER, LETTER, None)
        db.session.add(SignOnSettings(statement_id=statement.id, grouping=Grouping.SCOPE))
        db.session.add_all(_signature(statement, n, rng) for n in range(signatories))
        db.session.commit()
        return statement.head.id


def minimal_html(document: Document) -> str:
    """The same words with no template and no stylesheet: WeasyPrint's floor for this text."""
    names = (s for group in document.signatory_groups for s in group.signatories)
    lines = "".join(f"<p>{html.escape(s.name)}, {html.escape(s.place)}</p>" for s in names)
    return f"<h1>{html.escape(document.title)}</h1>{render_markdown(document.body)}{lines}"


def time_letter(app: Flask, version_id: int, repeat: int) -> tuple[Timing, Timing]:
    """(letter render, minimal render of the same words), both fully in this process, in turns."""
    with app.app_context():
        version = db.session.get(StatementVersion, version_id)
        document = services.document_for_version(version)
    text = pdf_text(render_pdf(document))
    names = [s.name for group in document.signatory_groups for s in group.signatories]
    check(all(name in text for name in names), f"all {len(names)} signatories in the PDF text")
    return timed_in_turns(
        lambda: render_pdf(document),
        lambda: HTML(string=minimal_html(document)).write_pdf(),
        repeat,
    )


def pdf_text(data: bytes) -> str:
    """The PDF's text with line breaks joined, as a reader searching it would see it."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def time_worst_case() -> Timing:
    """One render of the input that used to cost the most: a body that is one 200,000-character
    word (the most a body may hold) under a 300-character one-word title (the most a title
    may hold). WeasyPrint's line breaking is quadratic in a word's length; press.safety
    gives such words break opportunities."""
    document = Document(
        kind="coalition_letter",
        title="t" * 300,
        letterhead=Letterhead("Bench"),
        body="x" * 200_000,
    )
    text = pdf_text(render_pdf(document))
    check(text.count("x") >= 200_000, "the whole 200,000-character word is in the PDF")
    return timed(lambda: render_pdf(document), 1, warmup=0)


def time_cached_download(app: Flask, version_id: int, repeat: int) -> tuple[Timing, Timing]:
    """(cached download route, trivial route) through the test client."""
    with app.app_context():
        user_id = create_user(
            "bench@example.org", "Bench", Role.PRESS_OFFICER, "bench-pass1"
        ).get_id()
        version = db.session.get(StatementVersion, version_id)
        path = f"/statements/{version.statement_id}/versions/{version.number}/pdf"
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_id, True
    response = client.get(path)  # the first download renders (a staff copy, watermarked)
    again = client.get(path)
    check(again.status_code == 200 and again.data == response.data, "the cached bytes are served")
    check(response.data[:4] == b"%PDF", "a PDF is served")
    repeat_with_etag = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    check(repeat_with_etag.status_code == 304, "a repeat with its ETag answers 304")
    return (
        timed(lambda: client.get(path), repeat),
        timed(lambda: client.get("/bench/trivial"), repeat),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a scratch SQLite file")
    parser.add_argument("--sizes", default="140,2000", help="signatory counts to render")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        app = build_app(url)
        app.config["LETTERHEAD_NAME"] = "Bench Coalition"
        version_ids = {size: build_letter(app, size) for size in sizes}
        HTML(string="<p>warm-up</p>").write_pdf()
        print(f"backend: {url.split(':', 1)[0]}; {args.repeat} renders each")
        for size, version_id in version_ids.items():
            letter, baseline = time_letter(app, version_id, args.repeat)
            goal = {"goal": "<= 2x", "at_most": 2.0} if size == sizes[0] else {}
            figure(
                "pdf",
                f"letter PDF, {size:,} signatories",
                letter,
                "s",
                "minimal WeasyPrint page of the same words",
                baseline.median,
                **goal,
            )
        worst = time_worst_case()
        figure(
            "pdf",
            "worst case: a body of one 200,000-character word",
            worst,
            "s",
            f"letter PDF, {sizes[-1]:,} signatories",
            letter.median,
        )
        cached, trivial = time_cached_download(app, version_ids[sizes[0]], 20)
        figure(
            "pdf",
            f"cached repeat PDF download, {sizes[0]} signatories",
            cached,
            "s",
            "trivial route",
            trivial.median,
            "<= 4x",
            at_most=4.0,
        )


if __name__ == "__main__":
    main()
