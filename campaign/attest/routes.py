"""Public pages of verifiable letters: keys, roots, receipts, the verifier, domain checks."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue

from campaign.attest import domains, services
from campaign.attest.documents import receipt as make_receipt
from campaign.attest.documents import root_document
from campaign.attest.forms import VerifyForm
from campaign.attest.keys import keys_document, parse_keys
from campaign.attest.leaves import version_hash
from campaign.attest.links import DOMAIN, RECEIPT
from campaign.attest.models import SignedRoot
from campaign.attest.printing import verified_marks
from campaign.attest.verify import verify_bytes
from campaign.extensions import csrf, db, limiter
from campaign.jobs import enqueue
from campaign.public.routes import published_statement
from campaign.signon.forms import TokenActionForm
from campaign.signon.models import Signature
from campaign.signon.panel import public_panel
from campaign.statements.models import Statement
from campaign.tokens import TokenExpired, TokenInvalid, read_token

bp = Blueprint("attest", __name__)
CHECK_TASK = "attest.check_domain"


def _json(value: Any, filename: str = "") -> Response:
    response = Response(
        json.dumps(value, indent=2, ensure_ascii=False), mimetype="application/json"
    )
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers run anywhere
    return response


@bp.get("/.well-known/campaign-desk-keys.json")
def keys() -> Response:
    """The public keys every root is signed with."""
    return _json(keys_document())


def _listable(statement: Statement) -> bool:
    """Leaves name signatories: none are served while the public list is still hidden."""
    panel = public_panel(statement)
    return panel is not None and not panel.list_hidden


@bp.get("/s/<slug>/roots.json")
def chain(slug: str) -> Response:
    """Every signed root of a letter, oldest first: the chain a verifier checks whole."""
    statement = published_statement(slug)
    services.current_root(statement)
    leaves = _listable(statement)
    roots = services.roots_of(statement.id)
    return _json([root_document(root, leaves) for root in roots], f"{slug}-roots.json")


@bp.get("/s/<slug>/roots/<int:sequence>.json")
def root(slug: str, sequence: int) -> Response:
    statement = published_statement(slug)
    found = db.session.scalar(
        db.select(SignedRoot).filter_by(statement_id=statement.id, sequence=sequence)
    )
    if found is None:
        abort(404)
    return _json(root_document(found, _listable(statement)), f"{slug}-root-{sequence}.json")


@bp.get("/s/<slug>/text/<int:number>.json")
def text(slug: str, number: int) -> Response:
    """The exact words of a version a signed root names, to check its text hash against.

    Only versions named by a root (published, or signed while published) are served.
    """
    statement = published_statement(slug)
    version = services.attested_version(statement, number)
    if version is None:
        abort(404)
    return _json(
        {
            "title": version.title,
            "subtitle": version.subtitle,
            "addressee": version.addressee,
            "body": version.body,
            "closing": version.closing,
            "text_sha256": version_hash(version),
        }
    )


def _signature(purpose: str, token: str) -> Signature:
    try:
        data = read_token(purpose, token)
    except (TokenInvalid, TokenExpired):
        abort(404)
    signature = db.session.get(Signature, data.get("sig"))
    if signature is None or data.get("email") != signature.email_key:
        abort(404)
    return signature


@bp.get("/signon/receipt/<token>")
def receipt(token: str) -> ResponseReturnValue:
    """A signer's receipt: their entry in the newest signed root that lists them."""
    signature = _signature(RECEIPT, token)
    statement = db.session.get_one(Statement, signature.statement_id)
    services.current_root(statement)
    for candidate in reversed(services.roots_of(statement.id)):
        found = make_receipt(candidate, signature.id)
        if found is not None:
            return _json(found, f"receipt-{statement.slug}-{signature.id}.json")
    text = "This signature is not in a signed list yet (it may be awaiting approval)."
    return render_template("signon/message.html", title="No receipt yet", text=text), 404


@bp.route("/verify", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"], methods=["POST"])
def verify() -> ResponseReturnValue:
    """Check a receipt, a root, a chain or a PDF against this site's published keys."""
    form = VerifyForm()
    report, status = None, 200
    if form.validate_on_submit():
        data = form.given()
        if data is None:
            form.file.errors = ["Choose a file or paste a receipt."]
            status = 422
        else:
            report = verify_bytes(data, parse_keys(keys_document()))
    elif form.errors:
        status = 422
    return render_template("attest/verify.html", form=form, report=report), status


@bp.route("/signon/domain/<token>", methods=["GET", "POST"])
@csrf.exempt  # TokenActionForm carries its own signed token (campaign/signon/csrf.py)
@limiter.limit(lambda: current_app.config["SIGNON_RATE_LIMIT"], methods=["POST"])
def domain(token: str) -> ResponseReturnValue:
    """How to verify the signer's domain, and a button to have it checked now."""
    signature = _signature(DOMAIN, token)
    claim = domains.claim_for(signature)
    form = TokenActionForm()
    if claim is not None and form.validate_on_submit():
        if enqueue(CHECK_TASK, claim.id):
            flash("We are checking now; reload this page in a minute to see the result.")
        else:
            flash("The checker is unavailable right now; please try again later.")
        return redirect(url_for("attest.domain", token=token))
    return render_template(
        "attest/domain.html",
        signature=signature,
        claim=claim,
        verified=domains.verified_domains([signature]).get(signature.id),
        well_known=domains.well_known_url(claim.domain) if claim else "",
        txt=domains.TXT_PREFIX + claim.token if claim else "",
        form=form,
    )


@bp.app_context_processor
def _public_root() -> dict[str, Any]:
    """Lets the public letter page show its signed root and verified marks, and a delivery's
    record page its root."""

    def attest_view(statement: Statement) -> dict[str, Any] | None:
        root_row = services.current_root(statement)
        if root_row is None:
            return None
        return {"root": root_row, "marks": verified_marks(root_row)}

    def delivery_root(delivery_id: int) -> SignedRoot | None:
        return db.session.scalar(db.select(SignedRoot).filter_by(delivery_id=delivery_id))

    return {"attest_view": attest_view, "delivery_root": delivery_root}
