"""What each feature of the letter's layout costs, against bench/pdf.py's minimal page.

The letter of bench/pdf.py is rendered whole, then with one more feature taken away at each
step (by a stylesheet appended to the page, or by plain markup), down to the minimal page of
the same words. Times are CPU seconds of this process (on a shared machine they move less
than wall-clock time), medians of `--repeat` renders taken in turns.

    .venv/bin/python bench/pdf_floor.py [--signatories 140] [--repeat 7]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pdf import build_letter, minimal_html  # bench/pdf.py, beside this script
from versions import build_app  # bench/versions.py, beside this script
from weasyprint import HTML

from campaign.extensions import db
from campaign.pdfs import services
from campaign.statements.models import StatementVersion
from press.documents import Document
from press.render import PDF_VARIANT, ROOT, asset_fetcher, print_html, typesetting

ONE_COLUMN = ".signatory-list { columns: auto !important; }"
NO_MARGIN_BOXES = (
    "@page { @top-left { content: none } @top-right { content: none }"
    " @bottom-center { content: none } } @page :first { @top-right { content: none } }"
)
PLACE_SPAN = re.compile(r'<span class="place">(.*?)</span>')


def letter_document(signatories: int) -> Document:
    with tempfile.TemporaryDirectory() as scratch:
        app = build_app(f"sqlite:///{Path(scratch) / 'floor.db'}")
        app.config["LETTERHEAD_NAME"] = "Bench Coalition"
        version_id = build_letter(app, signatories)
        with app.app_context():
            return services.document_for_version(db.session.get(StatementVersion, version_id))


def layout(page: str, extra_css: str = "", tagged: bool = True) -> Callable[[], object]:
    """A render of `page` as press.render does it, with `extra_css` appended."""
    shared = typesetting()
    variant = PDF_VARIANT if tagged else None
    source = page.replace("</head>", f"<style>{extra_css}</style></head>")

    def render() -> object:
        html = HTML(string=source, base_url=ROOT.as_uri() + "/", url_fetcher=asset_fetcher())
        laid_out = html.render(
            pdf_variant=variant, stylesheets=[shared.stylesheet], font_config=shared.fonts
        )
        return laid_out.write_pdf(pdf_variant=variant, custom_metadata=True)

    return render


def steps(document: Document) -> dict[str, Callable[[], object]]:
    page = print_html(document)
    plain_places = PLACE_SPAN.sub(r"\1", page)
    return {
        "the letter (press.render)": layout(page),
        "- PDF/UA tagging": layout(page, tagged=False),
        "- two balanced columns (one column)": layout(page, ONE_COLUMN, tagged=False),
        "- running headers, page x of y": layout(page, ONE_COLUMN + NO_MARGIN_BOXES, tagged=False),
        "- grey place (one text run an entry)": layout(
            plain_places, ONE_COLUMN + NO_MARGIN_BOXES, tagged=False
        ),
        "minimal page (bench/pdf.py baseline)": lambda: HTML(
            string=minimal_html(document)
        ).write_pdf(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatories", type=int, default=140)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    renders = steps(letter_document(args.signatories))
    samples: dict[str, list[float]] = {name: [] for name in renders}
    for render in renders.values():
        render()  # warm-up
    for _ in range(args.repeat):
        for name, render in renders.items():
            started = time.process_time()
            render()
            samples[name].append(time.process_time() - started)
    floor = statistics.median(samples["minimal page (bench/pdf.py baseline)"])
    print(f"{args.signatories} signatories; CPU seconds, median of {args.repeat} [min .. max]")
    for name, values in samples.items():
        median = statistics.median(values)
        print(
            f"{name:40s} {median:6.3f} [{min(values):.3f} .. {max(values):.3f}]"
            f"  {median / floor:4.2f}x"
        )


if __name__ == "__main__":
    main()
