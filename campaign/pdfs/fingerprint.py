"""A cheap stand-in for a PDF's cache key, so a repeat download builds no document.

The cache key (services.cache_key) hashes the whole `press.Document`, which for a letter
means reading and sorting every signatory and checking the attestation root: about five
times a plain list read. The fingerprint hashes the raw rows the document is built from
instead (the signature rows of the letter, its sign-on settings, co-sponsors, latest signed
root, the domain verifications, the organization profile, the version and its marking), so
any change to them gives a new fingerprint, and a process remembers which cache key each
fingerprint led to. A new, withdrawn or edited signature, a new version or root, or a new
renderer (the key includes press.render.template_version) therefore still gives a new PDF.

The memo is per process and bounded: a process that has not seen a fingerprint builds the
document once, as before. A fingerprint is remembered only if it was the same before and
after the document was built, so a change made meanwhile is never filed under the old rows.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from threading import Lock

from sqlalchemy import func, select, type_coerce
from sqlalchemy.types import NullType

from campaign.attest.models import DomainVerification, SignedRoot
from campaign.directory.models import Partner
from campaign.extensions import db
from campaign.signon.models import Signature, SignOnSettings
from campaign.site.services import organization
from campaign.statements.models import StatementVersion
from press.render import template_version

MEMO_SIZE = 512
_memo: OrderedDict[str, str] = OrderedDict()
_lock = Lock()
# Every signature column but those that never reach a PDF or its root: a column added later
# is part of the fingerprint without anyone remembering to add it here.
_UNPRINTED = {
    *("logo", "logo_mime", "answers", "comment", "comment_approved_at", "flag", "paper"),
    *("duplicate_attempts", "contact_name", "contact_email", "normalized_name"),
    *("referral_code", "imported_by_id", "organization_id", "decided_at", "withdrawn_at"),
    *("reconfirm_version_id", "reconfirm_requested_at"),
}
# Raw driver values (no enum or time-zone conversion): they are only hashed.
_SIGNATURE_COLUMNS = [
    type_coerce(c, NullType()) for c in Signature.__table__.columns if c.key not in _UNPRINTED
]


def fingerprint(version: StatementVersion, watermark: str) -> str:
    """The hash of every row `services.document_for_version(version, watermark=...)` reads."""
    statement = version.statement
    digest = hashlib.sha256(template_version().encode())
    for part in (
        (version.id, statement.kind, statement.slug, statement.published_version_id, watermark),
        organization(),
        _letter_state(statement.id),
        [
            tuple(row)
            for row in db.session.execute(
                select(*_SIGNATURE_COLUMNS)
                .where(Signature.statement_id == statement.id)
                .order_by(Signature.id)
            )
        ],
        db.session.execute(
            select(Partner.id, Partner.name, Partner.logo_mime, Partner.logo)
            .where(Partner.statement_id == statement.id)
            .order_by(Partner.id)
        ).all(),
    ):
        digest.update(repr(part).encode())
    return digest.hexdigest()


def _letter_state(statement_id: int) -> tuple[object, ...]:
    """Settings, latest root and verifications of a letter, in one round trip."""
    settings = select(SignOnSettings).where(SignOnSettings.statement_id == statement_id)
    verified = select(DomainVerification).where(DomainVerification.verified_at.is_not(None))
    return tuple(
        db.session.execute(
            select(
                settings.with_only_columns(SignOnSettings.requires_approval).scalar_subquery(),
                settings.with_only_columns(SignOnSettings.grouping).scalar_subquery(),
                select(func.max(SignedRoot.id))
                .where(SignedRoot.statement_id == statement_id)
                .scalar_subquery(),
                verified.with_only_columns(func.count()).scalar_subquery(),
                verified.with_only_columns(func.max(DomainVerification.id)).scalar_subquery(),
                verified.with_only_columns(
                    func.max(DomainVerification.verified_at)
                ).scalar_subquery(),
            )
        ).one()
    )


def remembered(key_of: str) -> str | None:
    """The cache key this process found for fingerprint `key_of`, if any."""
    with _lock:
        key = _memo.get(key_of)
        if key is not None:
            _memo.move_to_end(key_of)
        return key


def remember(key_of: str, cache_key: str) -> None:
    """File `cache_key` under fingerprint `key_of`, forgetting the oldest past MEMO_SIZE."""
    with _lock:
        _memo[key_of] = cache_key
        _memo.move_to_end(key_of)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
