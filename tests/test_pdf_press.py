"""press/ on plain data: what a reader of the PDF finds in it."""

from __future__ import annotations

import base64
import gc
import io
import re
import tempfile
from datetime import UTC, date, datetime

import pytest
from PIL import Image

from press.documents import (
    COALITION_LETTER,
    PRESS_RELEASE,
    Contact,
    Document,
    Letterhead,
    Signatory,
    SignatoryGroup,
)
from press.images import logo_data_uri
from press.render import render_html, render_pdf
from tests.support.pdfs import pdf_info, pdf_pages, pdf_reader, pdf_text

LETTERHEAD = Letterhead("Harbor Families Alliance", "12 Quay Street\nPortsmouth, NH 03801")
BODY = "\n\n".join(
    f"Paragraph {n}: the committee should reject the bill because it fails families." * 3
    for n in range(1, 9)
)


def _letter(groups: tuple[SignatoryGroup, ...], **fields: object) -> Document:
    values: dict = {
        "kind": COALITION_LETTER,
        "title": "Reject the sentencing bill",
        "letterhead": LETTERHEAD,
        "addressee": "To the Members of the Judiciary Committee",
        "body": BODY,
        "closing": "Respectfully,",
        "document_date": date(2026, 11, 18),
        "created": datetime(2026, 11, 18, 9, 30, tzinfo=UTC),
        "signatory_groups": groups,
    }
    return Document(**(values | fields))


def _groups(count: int) -> tuple[SignatoryGroup, ...]:
    names = [f"Signer {n:04d} Coalition" for n in range(count)]
    half = count // 2
    return (
        SignatoryGroup("National", tuple(Signatory(n, "Boston, MA") for n in names[:half])),
        SignatoryGroup("State and local", tuple(Signatory(n) for n in names[half:])),
    )


@pytest.fixture(scope="module")
def letter_pdf() -> bytes:
    return render_pdf(_letter(_groups(120)))


def test_letter_lists_every_signatory_once_with_count_and_groups(letter_pdf):
    text = pdf_text(letter_pdf)
    for n in range(120):
        assert len(re.findall(rf"Signer {n:04d} Coalition", text)) == 1
    assert "Signatories (120 organizations)" in text
    assert "National (60)" in text.replace("NATIONAL", "National")
    assert text.index("To the Members") < text.index("Reject the sentencing bill")


def test_every_page_is_numbered_and_carries_the_running_header(letter_pdf):
    pages = pdf_pages(letter_pdf)
    assert len(pages) == int(pdf_info(letter_pdf)["Pages"]) > 1
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        if number == 1:
            assert "Coalition letter · version 1" in page
        else:
            assert "Harbor Families Alliance" in page
            assert "Reject the sentencing bill" in page


def test_metadata_and_tagging(letter_pdf):
    info = pdf_info(letter_pdf)
    assert info["Title"] == "Reject the sentencing bill"
    assert info["Author"] == "Harbor Families Alliance"
    assert info["Subject"].startswith("Coalition letter, version 1")
    assert info["CreationDate"].startswith("Wed Nov 18 09:30:00 2026")
    assert info["Tagged"] == "yes"
    root = pdf_reader(letter_pdf).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712  (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"


def test_press_release_has_embargo_contacts_dateline_boilerplate_and_end_mark():
    release = Document(
        kind=PRESS_RELEASE,
        title="Coalition calls for a hearing",
        subtitle="Letter delivered today",
        letterhead=LETTERHEAD,
        body="A coalition of groups today asked for a hearing.\n\nMore words follow.",
        document_date=date(2026, 12, 3),
        embargo_until=datetime(2026, 12, 3, 14, 0, tzinfo=UTC),
        embargo_timezone="America/New_York",
        dateline="Washington",
        media_contacts=(
            Contact("Jordan Reyes", "(212) 555-0147", "press@example.org"),
            Contact("Priya Natarajan", "(202) 555-0183", "media@example.org"),
        ),
        boilerplate="**About the Harbor Families Alliance.** A fictional group.",
    )
    text = pdf_text(render_pdf(release))
    assert "EMBARGOED UNTIL December 3, 2026, 9:00 AM EST" in text
    for part in ("Jordan Reyes", "(212) 555-0147", "press@example.org", "Priya Natarajan"):
        assert part in text
    assert "WASHINGTON, December 3, 2026 — A coalition of groups" in text
    assert "About the Harbor Families Alliance." in text
    lines = text.splitlines()
    about = lines.index("About the Harbor Families Alliance. A fictional group.")
    assert lines.index("###") > about
    assert "Page 1 of 1" in lines


def test_a_long_release_repeats_its_release_line_on_every_page():
    release = Document(
        kind=PRESS_RELEASE,
        title="Long release",
        letterhead=LETTERHEAD,
        body=BODY + "\n\n" + BODY,
        embargo_until=datetime(2026, 12, 3, 14, 0, tzinfo=UTC),
    )
    pages = pdf_pages(render_pdf(release))
    assert len(pages) == 2
    assert "EMBARGOED UNTIL December 3, 2026, 2:00 PM UTC" in pages[1]
    assert "Page 2 of 2" in pages[1]


def test_an_embargoed_letter_says_so_and_an_open_one_does_not():
    embargoed = _letter((), embargo_until=datetime(2026, 12, 3, 14, 0, tzinfo=UTC))
    assert "EMBARGOED UNTIL December 3, 2026, 2:00 PM UTC" in pdf_text(render_pdf(embargoed))
    text = pdf_text(render_pdf(_letter(())))
    assert "EMBARGOED" not in text and "IMMEDIATE" not in text


def test_immediate_release_line():
    release = Document(kind=PRESS_RELEASE, title="Now", letterhead=LETTERHEAD, body="Words.")
    assert "FOR IMMEDIATE RELEASE" in pdf_text(render_pdf(release))


def _png(size=(120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "logo",
    [b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50, _png()[:70], b"GIF89a" + b"\x00" * 40],
    ids=["garbage", "truncated", "not-png-or-jpeg"],
)
def test_malformed_logo_is_left_out_and_the_letter_still_renders(logo):
    broken = Letterhead("Broken Logo Org", logo=logo)
    assert logo_data_uri(logo) is None
    html = render_html(_letter(_groups(4), letterhead=broken))
    assert 'class="logo"' not in html
    text = pdf_text(render_pdf(_letter(_groups(4), letterhead=broken)))
    assert "Broken Logo Org" in text
    assert "Signer 0003 Coalition" in text


def test_a_good_logo_is_printed():
    html = render_html(_letter(_groups(2), letterhead=Letterhead("Logo Org", logo=_png())))
    assert '<img class="logo" src="data:image/png;base64,' in html
    assert (
        pdf_reader(render_pdf(_letter(_groups(2), letterhead=Letterhead("L", logo=_png()))))
        .pages[0]
        .images
    )


def test_absurdly_long_organization_name_wraps_inside_the_page():
    giant = "Alliance" * 120
    others = tuple(Signatory(f"Short Name Org {n}") for n in range(20))
    for groups in (
        (SignatoryGroup("", (Signatory(giant), others[0])),),
        (SignatoryGroup("", (*others[:10], Signatory(giant, "Dayton, OH"), *others[10:])),),
    ):
        flat = re.sub(r"\s+", "", pdf_text(render_pdf(_letter(groups))))
        assert giant in flat
        assert "ShortNameOrg0" in flat


def test_markup_in_text_is_escaped_and_no_external_resource_is_fetched():
    document = _letter(
        (SignatoryGroup("", (Signatory("<b>Evil</b> & Sons"),)),),
        body='<script>alert(1)</script> ![x](http://192.0.2.1/track.png) <img src="file:///etc/passwd">',
    )
    html = render_html(document)
    assert "<script" not in html
    assert "192.0.2.1" not in html
    assert '<img src="file:' not in html
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Sons" in html
    assert "<b>Evil</b> & Sons" in pdf_text(render_pdf(document))


def test_a_wrapped_entry_is_never_split_across_pages():
    names = [f"Tri-County Association of Community Advocates Number {n:03d}" for n in range(90)]
    groups = (SignatoryGroup("", tuple(Signatory(name, "Springfield, IL") for name in names)),)
    pages = [re.sub(r"\s+", " ", page) for page in pdf_pages(render_pdf(_letter(groups)))]
    assert len(pages) > 2
    for name in names:
        assert sum(name in page for page in pages) == 1, name


def _font_names(data: bytes) -> set[str]:
    fonts = pdf_reader(data).pages[0]["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]).split("+", 1)[1] for font in fonts.values()}


def test_renders_in_process_or_forked_use_our_fonts_and_leave_no_font_folder(tmp_path, monkeypatch):
    """Every render, in this process or in a forked child, is set in the press fonts; a child
    used to write its own copy of the fonts to a temporary folder that nothing removed."""
    document = _letter(_groups(4))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    in_process, forked = render_pdf(document), render_pdf(document, time_limit=30)
    assert _font_names(in_process) == _font_names(forked) >= {"Desk-Serif", "Desk-Sans-Bold"}
    gc.collect()
    assert list(tmp_path.iterdir()) == []


def _image(mode: str, color: object, size=(1800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def test_logos_are_sized_for_print_and_keep_an_alpha_channel_only_if_used():
    opaque, see_through = _image("RGBA", (0, 0, 128, 255)), _image("RGBA", (0, 0, 128, 90))
    for logo, mode in ((opaque, "RGB"), (see_through, "RGBA")):
        uri = logo_data_uri(logo)
        assert uri is logo_data_uri(logo)  # normalized once per process
        with Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))) as printed:
            assert (printed.mode, printed.size) == (mode, (600, 200))
