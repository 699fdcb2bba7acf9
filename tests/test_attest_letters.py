"""Verifiable letters through what people touch: receipts, roots, the chain, PDFs, the CLI."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import threading

import pytest
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select

from bench.scratch import ROOT
from campaign.attest.canonical import canonical
from campaign.attest.keys import keys_document, parse_keys
from campaign.attest.models import SignedRoot
from campaign.attest.verify import verify_bytes
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.signon import services as signon
from campaign.signon.models import Signature
from campaign.targets.delivery import request_delivery
from campaign.targets.models import Delivery
from press.documents import Attestation, Document, Letterhead, Signatory, SignatoryGroup
from press.render import render_pdf
from tests.test_signon_public import form, link_in, mails_to
from tests.test_targets import SIGNED, add_targets


def check(app, value) -> tuple[bool, str]:
    """Verify bytes or a JSON value against the published keys, as the page does."""
    data = value if isinstance(value, bytes) else json.dumps(value).encode()
    with app.app_context():
        report = verify_bytes(data, parse_keys(keys_document()))
    return report.ok, "\n".join(report.lines())


def published_keys(client) -> dict:
    response = client.get("/.well-known/campaign-desk-keys.json")
    assert response.status_code == 200
    return response.json


def signed_letter(open_statement, add_signature, names=SIGNED) -> tuple[int, str]:
    statement_id, slug = open_statement()
    for name in names:
        add_signature(statement_id, name)
    return statement_id, slug


def test_signer_gets_a_receipt_that_verifies_and_says_so_in_words(app, client, open_statement):
    _statement_id, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form())
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    page = client.post(link_in(text, "confirm")).get_data(as_text=True)
    receipt_path = re.search(r'href="http://localhost(/signon/receipt/[^"]+)"', page).group(1)
    mail = mails_to(app, "dana@riverbend.example.org")[-1][1]
    assert client.get(link_in(mail, "receipt")).json == client.get(receipt_path).json
    response = client.get(receipt_path)
    assert response.headers["Content-Disposition"].startswith("attachment")
    receipt = response.json
    ok, words = check(app, receipt)
    assert ok, words
    assert "Riverbend Recovery Network is the one signatory of version 1" in words
    assert "verified for riverbend.example.org" in words  # confirmed from the site's own domain
    key = published_keys(client)["keys"][0]
    assert receipt["head"]["key_id"] == key["key_id"]


def test_changing_the_entry_or_its_position_breaks_the_receipt(
    app, client, open_statement, add_signature
):
    _statement_id, slug = signed_letter(open_statement, add_signature)
    client.get(f"/s/{slug}")
    with app.app_context():
        root = db.session.scalars(select(SignedRoot)).one()
        signature_id = root.signature_ids[1]
        from campaign.attest.documents import receipt

        good = receipt(root, signature_id)
    assert check(app, good)[0]
    for change in (
        lambda r: r["leaf"].update(name="Someone Else"),
        lambda r: r["leaf"].update(version=2),
        lambda r: r["leaf"].update(confirmed_at="2020-01-01T00:00:00Z"),
        lambda r: r.update(leaf_index=r["leaf_index"] + 1),
        lambda r: r["proof"].reverse(),
    ):
        bad = copy.deepcopy(good)
        change(bad)
        ok, words = check(app, bad)
        assert not ok and "is not part of this root" in words, words
    forged = copy.deepcopy(good)
    forged["head"]["tree_size"] += 1
    ok, words = check(app, forged)
    assert not ok and "signature does not match" in words


def test_changing_any_signature_the_text_or_the_order_breaks_the_root(
    app, client, open_statement, add_signature
):
    _, slug = signed_letter(open_statement, add_signature)
    client.get(f"/s/{slug}")  # the public page issues the publication root
    document = client.get(f"/s/{slug}/roots/1.json").json
    ok, words = check(app, document)
    assert ok, words
    assert "The 3 signatories in this file are exactly those of version 1" in words
    leaves = document["leaves"]
    changes = [
        lambda ls: ls[1].update(name=ls[1]["name"] + " Inc."),
        lambda ls: ls[2].update(verified_domain="example.org"),
        lambda ls: ls[0].update(text_sha256="0" * 64),  # the letter's words
        lambda ls: ls.__setitem__(slice(1, 3), [ls[2], ls[1]]),  # the order
        lambda ls: ls.pop(),
        lambda ls: ls.append(dict(ls[1], name="Late Addition")),
    ]
    for change in changes:
        bad = copy.deepcopy(document)
        change(bad["leaves"])
        ok, words = check(app, bad)
        assert not ok and "does not match the signed root" in words, words
    assert leaves == document["leaves"]
    words = client.get(f"/s/{slug}/text/1.json").json  # what the text hash is the hash of
    fields = {k: words[k] for k in ("title", "subtitle", "addressee", "body", "closing")}
    assert hashlib.sha256(canonical(fields)).hexdigest() == leaves[0]["text_sha256"]
    assert client.get(f"/s/{slug}/text/2.json").status_code == 404  # no root names it


def test_a_withdrawal_is_a_new_root_chained_to_the_old(app, client, open_statement, add_signature):
    _statement_id, slug = signed_letter(open_statement, add_signature)
    client.get(f"/s/{slug}")
    with app.app_context():
        signature = db.session.scalar(
            select(Signature).filter_by(organization="Harbor Families Alliance")
        )
        signon.withdraw(signature)
    page = client.get(f"/s/{slug}").get_data(as_text=True)
    assert "root #2" in page
    chain = client.get(f"/s/{slug}/roots.json").json
    assert [d["head"]["sequence"] for d in chain] == [1, 2]
    assert chain[1]["head"]["previous"] != "" and chain[0]["head"]["previous"] == ""
    assert chain[1]["head"]["tree_size"] == 3
    ok, words = check(app, chain)
    assert ok, words
    assert "Root #2 follows root #1; removed: Harbor Families Alliance." in words
    client.get(f"/s/{slug}")  # nothing changed: no new root
    assert len(client.get(f"/s/{slug}/roots.json").json) == 2
    rewritten = copy.deepcopy(chain)
    rewritten[0]["leaves"][1]["name"] = "Rewritten History"
    assert not check(app, rewritten)[0]
    broken = [chain[0], chain[0], chain[1]]
    ok, words = check(app, broken)
    assert not ok and "does not follow the root before it" in words


def test_public_page_shows_root_algorithm_and_key(app, client, open_statement, add_signature):
    _, slug = signed_letter(open_statement, add_signature)
    page = client.get(f"/s/{slug}").get_data(as_text=True)
    with app.app_context():
        root = db.session.scalars(select(SignedRoot)).one()
        assert root.event == "publication" and root.signatory_count == 3
        root_hash, key_id = root.root_hash, root.key_id
    assert root_hash in page and key_id in page and "rfc9162-sha256+jcs/ed25519" in page


def test_delivered_pdf_carries_its_root_and_the_command_verifies_it(
    app, client, open_statement, add_signature, client_as, runner, tmp_path
):
    statement_id, _ = signed_letter(open_statement, add_signature)
    editor = client_as(Role.EDITOR)
    add_targets(editor, statement_id)
    with app.app_context():
        from campaign.auth.models import User
        from campaign.statements.models import Statement

        staff = db.session.scalars(select(User)).first()
        request_delivery(db.session.get(Statement, statement_id), staff, 1)  # eager: prepared
        delivery = db.session.scalars(select(Delivery)).one()
        root = db.session.scalar(select(SignedRoot).filter_by(delivery_id=delivery.id))
        assert root is not None and root.event == "delivery" and root.head["delivery"] == 1
        pdf = delivery.pdf_data
        db.session.expunge(root)
    record = editor.get(f"/deliveries/{delivery.id}").get_data(as_text=True)
    assert "root #1" in record and root.root_hash in record
    path = tmp_path / "delivered.pdf"
    path.write_bytes(pdf)
    result = runner.invoke(args=["verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "as delivered on" in result.output
    assert "Every signatory of the signed root is printed in this PDF." in result.output
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps(published_keys(client)))
    assert runner.invoke(args=["verify", "--keys", str(keys), str(path)]).exit_code == 0
    other = tmp_path / "other-keys.json"
    other.write_text(json.dumps({"keys": []}))
    result = runner.invoke(args=["verify", "--keys", str(other), str(path)])
    assert result.exit_code == 1 and "not among the published keys" in result.output
    assert runner.invoke(args=["verify", str(pdf_with_root_changed(pdf, tmp_path))]).exit_code == 1
    reprinted = pdf_printing_other_names(app, pdf, tmp_path)
    result = runner.invoke(args=["verify", str(reprinted)])
    assert result.exit_code == 1
    assert "1 signed name(s) are not printed in this PDF: Justice Forward Project" in result.output


def pdf_with_root_changed(pdf: bytes, tmp_path) -> object:
    """The same pages, with one name in the embedded root changed."""
    reader = PdfReader(io.BytesIO(pdf))
    document = json.loads(reader.metadata["/campaigndeskroot"])
    document["leaves"][1]["name"] = "Somebody Else"
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/campaigndeskroot": json.dumps(document)})
    path = tmp_path / "changed-root.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def pdf_printing_other_names(app, pdf: bytes, tmp_path) -> object:
    """A PDF carrying the delivered (valid) root but printing a list without one name."""
    root_json = PdfReader(io.BytesIO(pdf)).metadata["/campaigndeskroot"]
    attestation = Attestation("0", "alg", "key", 1, "http://localhost/verify", root_json)
    names = [n for n in SIGNED if n != "Justice Forward Project"]
    group = SignatoryGroup("", tuple(Signatory(n) for n in names))
    document = Document(
        kind="coalition_letter",
        title="Stop the sentencing bill",
        letterhead=Letterhead("Campaign Desk"),
        signatory_groups=(group,),
        attestation=attestation,
    )
    path = tmp_path / "reprinted.pdf"
    path.write_bytes(render_pdf(document))
    return path


def test_verification_page_checks_uploads_and_pastes(app, client, open_statement, add_signature):
    _, slug = signed_letter(open_statement, add_signature)
    client.get(f"/s/{slug}")
    document = client.get(f"/s/{slug}/roots/1.json").get_data()
    page = client.post("/verify", data={"text": document.decode()})
    assert page.status_code == 200 and "It checks out" in page.get_data(as_text=True)
    upload = {"file": (io.BytesIO(document.replace(b"Harbor", b"Hover")), "root.json")}
    page = client.post("/verify", data=upload, content_type="multipart/form-data")
    assert "It does not check out" in page.get_data(as_text=True)
    page = client.post("/verify", data={"text": "hello"})
    assert "neither a PDF nor a receipt" in page.get_data(as_text=True)
    assert client.post("/verify", data={}).status_code == 422


def test_key_is_made_once_owner_only_and_identified_by_its_hash(app, client):
    import base64
    import hashlib
    import os
    import stat

    first = published_keys(client)["keys"][0]
    assert published_keys(client)["keys"][0] == first
    raw = base64.b64decode(first["public_key"])
    assert first["key_id"] == hashlib.sha256(raw).hexdigest()
    mode = os.stat(app.config["ATTEST_KEY_PATH"]).st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_the_independent_verifier_in_the_documentation_accepts_a_real_receipt(
    app, client, open_statement, add_signature
):
    """docs/VERIFY.md's verifier shares no code with the app: it must agree with it."""
    source = (ROOT / "docs" / "VERIFY.md").read_text()
    code = re.findall(r"```python\n(.*?)```", source, re.S)[-1]
    namespace: dict = {"__name__": "verify_md"}
    exec(compile(code, "VERIFY.md", "exec"), namespace)
    _, slug = signed_letter(open_statement, add_signature)
    client.get(f"/s/{slug}")
    with app.app_context():
        from campaign.attest.documents import receipt

        root = db.session.scalars(select(SignedRoot)).one()
        good = receipt(root, root.signature_ids[0])
    keys = published_keys(client)
    words = namespace["verify"](good, keys)
    assert words.startswith(f"{good['leaf']['name']} is one of the 3 signatories of version 1")
    bad = copy.deepcopy(good)
    bad["leaf"]["name"] = "Impostor Union"
    with pytest.raises(AssertionError):
        namespace["verify"](bad, keys)


def test_concurrent_page_views_extend_the_chain_without_forking(
    app, client, open_statement, add_signature
):
    """Many processes serve the page at once after each change: one root per state, no fork."""
    statement_id, slug = signed_letter(open_statement, add_signature)
    errors: list[BaseException] = []

    def view() -> None:
        with app.app_context():
            from campaign.attest.services import current_root
            from campaign.statements.models import Statement

            try:
                current_root(db.session.get(Statement, statement_id))
            except Exception as error:  # reported by the assertion below
                errors.append(error)
            db.session.remove()

    for name in ("Fourth Org", "Fifth Org"):
        threads = [threading.Thread(target=view) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        add_signature(statement_id, name)
    assert errors == []
    client.get(f"/s/{slug}")
    chain = client.get(f"/s/{slug}/roots.json").json
    assert [d["head"]["sequence"] for d in chain] == [1, 2, 3]
    assert [d["head"]["tree_size"] for d in chain] == [4, 5, 6]
    ok, words = check(app, chain)
    assert ok, words


def test_publishing_a_new_version_issues_its_root_at_once(
    app, client, open_statement, add_signature, make_user
):
    """A material change: signers stay on version 1, the text leaf moves to version 2."""
    from campaign.auth.models import User
    from campaign.statements.content import Content
    from campaign.statements.models import Statement
    from campaign.statements.services import save_version
    from campaign.statements.workflow import Action, perform

    statement_id, slug = signed_letter(open_statement, add_signature)
    client.get(f"/s/{slug}")
    editor, approver = make_user(Role.EDITOR), make_user(Role.APPROVER)
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        content = Content(title="Revised", body="We oppose the bill, as amended.")
        save_version(statement, statement.head_number, content, db.session.get(User, editor.id))
        for action, user in ((Action.SUBMIT, editor), (Action.APPROVE, approver)):
            perform(statement, action, db.session.get(User, user.id), statement.head_number)
        publisher = db.session.get(User, approver.id)
        perform(statement, Action.PUBLISH, publisher, statement.head_number, change="material")
        latest = db.session.scalars(select(SignedRoot).order_by(SignedRoot.sequence.desc())).first()
        assert latest.sequence == 2 and latest.head["version"] == 2
        leaves = [json.loads(leaf) for leaf in latest.leaves]
    assert leaves[0]["version"] == 2
    assert {leaf["version"] for leaf in leaves[1:]} == {1}  # what each signer agreed to
    assert leaves[0]["text_sha256"] != leaves[1]["text_sha256"]
    ok, words = check(app, client.get(f"/s/{slug}/roots.json").json)
    assert ok, words
