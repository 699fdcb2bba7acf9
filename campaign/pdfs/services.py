"""PDFs of statement versions, rendered once per distinct content and then served from cache.

The cache key is a hash of the complete `press.Document` (version text, the exact signatories
listed, letterhead, cover note) plus the fingerprint of the templates, stylesheet and fonts,
so anything that would change the output changes the key: a new signature or a withdrawal
yields a new PDF, and a repeat download of the same one does no layout at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from campaign.attest.models import SignedRoot
from campaign.attest.printing import attestation, verified_marks
from campaign.attest.services import root_for_list
from campaign.extensions import db
from campaign.pdfs.documents import build_document
from campaign.pdfs.fingerprint import fingerprint, remember, remembered
from campaign.pdfs.marking import filename_suffix
from campaign.pdfs.models import CachedPdf
from campaign.signon.listing import (
    ListedSignatory,
    grouped,
    listed_signatories,
    split_signers,
)
from campaign.signon.models import Grouping, SignOnSettings
from campaign.site.services import organization
from campaign.statements.models import Kind, StatementVersion
from press.documents import Cosponsor, Document, Signatory, SignatoryGroup
from press.render import render_pdf, template_version

KEEP_PER_VERSION = 4


class UnknownVersion(LookupError):
    """There is no statement version with that id."""


@dataclass(frozen=True)
class RenderedPdf:
    filename: str
    data: bytes
    sha256: str


INDIVIDUALS_LABEL = "Individuals (affiliations for identification only)"


def cache_key(document: Document, link_base: str = "") -> str:
    """The hash of everything that shapes the PDF of `document`, printed with its relative
    links resolved against `link_base` (so served on another address, no PDF keeps links
    to the old one).

    The repr of the frozen dataclass tree is deterministic and covers every field, so a field
    added to `Document` later is part of the key without anyone remembering to add it here.
    """
    digest = hashlib.sha256(template_version().encode())
    digest.update(repr(document).encode())
    digest.update(link_base.encode())
    return digest.hexdigest()


def pdf_link_base() -> str:
    """Where a PDF's relative links point: the public site, as every other generated link."""
    return organization().public_base_url


def pdf_filename(version: StatementVersion, watermark: str = "") -> str:
    """`<slug>-v<n>.pdf`, with `-draft` (or another marking) before the extension."""
    return f"{version.statement.slug}-v{version.number}{filename_suffix(watermark)}.pdf"


def signatory_groups(
    version: StatementVersion,
    listed: list[ListedSignatory] | None = None,
    marks: dict[int, str] | None = None,
) -> tuple[SignatoryGroup, ...]:
    """The statement's listed signatories, grouped and sorted as on the public page.

    Listing is the sign-on feature's one definition of who may be shown (confirmed, and
    approved where approval is on), so a pending or withdrawn signer can never be printed.
    Those who signed an older text than `version` are marked as such, and `marks` gives the
    domain each is verified for.
    """
    settings = db.session.get(SignOnSettings, version.statement_id)
    grouping = settings.grouping if settings else Grouping.NONE
    if listed is None:
        listed = listed_signatories(version.statement_id)
    marks = marks or {}
    organizations, individuals = split_signers(listed)
    groups = [
        SignatoryGroup(label, tuple(_signatory(s, version.number, marks) for s in members))
        for label, members in grouped(organizations, grouping)
    ]
    if individuals:
        people = tuple(_signatory(s, version.number, marks) for s in individuals)
        groups.append(SignatoryGroup(INDIVIDUALS_LABEL, people))
    return tuple(groups)


def _signatory(listed: ListedSignatory, number: int, marks: dict[int, str]) -> Signatory:
    earlier = listed.signed_version_number if listed.signed_version_number < number else None
    return Signatory(
        listed.name,
        listed.place,
        earlier,
        marks.get(listed.id, ""),
        individual=listed.individual,
    )


def document_for_version(
    version: StatementVersion,
    cover_note: str | None = None,
    listed: list[ListedSignatory] | None = None,
    root: SignedRoot | None = None,
    watermark: str = "",
) -> Document:
    """The plain document for `version`; letters carry the statement's current signatories.

    A letter's published version is printed with the signed root of exactly the printed list
    (a delivery passes its own `listed` and `root`); see campaign/attest. `watermark` marks
    a staff copy of a text that is not public ("DRAFT - NOT APPROVED", ...).
    """
    if version.statement.kind is Kind.PRESS_RELEASE:
        return build_document(version, (), cover_note, watermark)
    if listed is None:
        listed = listed_signatories(version.statement_id)
        root = root_for_list(version.statement, version, [s.id for s in listed])
    groups = signatory_groups(version, listed, verified_marks(root))
    document = replace(
        build_document(version, groups, cover_note, watermark),
        cosponsors=_cosponsors(version),
    )
    return replace(document, attestation=attestation(root)) if root else document


def _cosponsors(version: StatementVersion) -> tuple[Cosponsor, ...]:
    """The letter's co-sponsoring partners (the coalition directory's), logos included."""
    from campaign.directory.partners import cosponsors

    return tuple(Cosponsor(p.name, p.logo) for p in cosponsors(version.statement))


def pdf_for_version(
    version_id: int,
    *,
    cover_note: str | None = None,
    listed: list[ListedSignatory] | None = None,
    root: SignedRoot | None = None,
    watermark: str = "",
) -> RenderedPdf:
    """The PDF of a version as it would be printed now, from cache when nothing changed.

    A new render is stored and committed (in a savepoint, so two processes rendering the
    same document at once both succeed and one row is kept).
    """
    version = db.session.get(StatementVersion, version_id)
    if version is None:
        raise UnknownVersion(f"There is no statement version {version_id}.")
    document = document_for_version(version, cover_note, listed, root, watermark)
    return cached_render(version, document)


def cached_render(
    version: StatementVersion,
    document: Document,
    progress: Callable[[str], None] | None = None,
    time_limit_setting: str = "PDF_RENDER_TIME_LIMIT",
) -> RenderedPdf:
    """The cached PDF of `document`, rendering and storing it on a miss.

    A render past the time limit (PDF_RENDER_TIME_LIMIT in a request, PDF_JOB_TIME_LIMIT in
    a worker job) raises press.safety.RenderTimeout instead of holding the process.
    """
    key = cache_key(document, pdf_link_base())
    hit = _cached(key)
    if hit is not None:
        return hit
    data = render_pdf(
        document,
        progress,
        link_base=pdf_link_base(),
        time_limit=current_app.config[time_limit_setting],
    )
    filename = pdf_filename(version, document.watermark)
    rendered = RenderedPdf(filename, data, hashlib.sha256(data).hexdigest())
    _store(key, version, rendered)
    return rendered


def remembered_pdf(version: StatementVersion, watermark: str) -> tuple[RenderedPdf | None, str]:
    """(the cached PDF, if this process saw the same rows before; the rows' fingerprint).

    A hit serves a repeat download without building the document (see fingerprint.py).
    """
    key_of = fingerprint(version, watermark)
    key = remembered(key_of)
    return (_cached(key) if key is not None else None), key_of


def remember_pdf(
    version: StatementVersion, watermark: str, key_of: str, document: Document
) -> None:
    """File the cache key of `document` under `key_of`, unless the rows changed meanwhile."""
    if fingerprint(version, watermark) == key_of:
        remember(key_of, cache_key(document, pdf_link_base()))


def is_cached(document: Document) -> bool:
    """Whether `document` was rendered before (so serving it costs no layout)."""
    key = cache_key(document, pdf_link_base())
    return db.session.scalar(select(CachedPdf.id).where(CachedPdf.cache_key == key)) is not None


def _cached(key: str) -> RenderedPdf | None:
    row = db.session.scalar(
        select(CachedPdf).where(CachedPdf.cache_key == key).options(undefer(CachedPdf.data))
    )
    if row is None:
        return None
    return RenderedPdf(row.filename, row.data, row.sha256)


def _store(key: str, version: StatementVersion, rendered: RenderedPdf) -> None:
    row = CachedPdf(
        cache_key=key,
        statement_id=version.statement_id,
        version_id=version.id,
        filename=rendered.filename,
        sha256=rendered.sha256,
        size=len(rendered.data),
        data=rendered.data,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        pass  # another process stored the same document first; its bytes are as good
    _prune(version.id)
    db.session.commit()


def _prune(version_id: int) -> None:
    """Keep the newest renders of a version only: every signature on a growing letter makes
    a new PDF, and a 2,000-name letter is half a megabyte each time."""
    keep = select(CachedPdf.id).where(CachedPdf.version_id == version_id)
    newest = keep.order_by(CachedPdf.id.desc()).limit(KEEP_PER_VERSION).scalar_subquery()
    db.session.execute(
        delete(CachedPdf).where(CachedPdf.version_id == version_id, CachedPdf.id.not_in(newest))
    )
