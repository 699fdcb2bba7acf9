"""Two editors saving from the same version: merged when they touched different things,
a conflict page (base, theirs, mine) when they did not, and never a silent loss."""

from __future__ import annotations

import re

from campaign.auth.roles import Role
from campaign.statements.content import Content
from campaign.statements.merging import three_way
from tests.conftest import load_statement
from tests.test_statements_editing import form_data, version_count

A = "Alpha paragraph opens the letter."
B = "Bravo paragraph makes the case."
C = "Charlie paragraph gives the numbers."
D = "Delta paragraph asks for the vote."


def body(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def head_body(app, statement_id: int) -> str:
    with app.app_context():
        return load_statement(app, statement_id).head.body


def two_editors(client_as, make_statement, text: str = body(A, B, C, D)):
    statement_id = make_statement(body=text)
    alice, bob = client_as(Role.EDITOR), client_as(Role.EDITOR)
    for client in (alice, bob):
        assert (
            b'name="base_version" type="hidden" value="1"'
            in client.get(f"/statements/{statement_id}/edit").data
        )
    return statement_id, alice, bob


def save(client, statement_id: int, base: int, **fields: str):
    return client.post(f"/statements/{statement_id}/edit", data=form_data(base, **fields))


def conflict_fields(html: str) -> dict[str, str]:
    """The hidden fields of a conflict page, to post it back like a browser would."""
    fields = dict(
        re.findall(
            r'name="(csrf_token|base_version|theirs_version|mine)"[^>]*value="([^"]*)"', html
        )
    )
    return {
        name: value.replace("&#34;", '"').replace("&amp;", "&") for name, value in fields.items()
    }


def test_edits_to_different_paragraphs_merge(app, client_as, make_statement):
    statement_id, alice, bob = two_editors(client_as, make_statement)
    assert save(alice, statement_id, 1, body=body(A, B + " Alice adds.", C, D)).status_code == 302
    response = save(bob, statement_id, 1, body=body(A, B, C, D + " Bob adds."))
    assert response.status_code == 302
    page = bob.get(response.location).get_data(as_text=True)
    assert "merged with version 2" in page
    assert head_body(app, statement_id) == body(A, B + " Alice adds.", C, D + " Bob adds.")
    assert version_count(app, statement_id) == 3


def test_edits_to_different_fields_merge(app, client_as, make_statement):
    statement_id, alice, bob = two_editors(client_as, make_statement)
    save(alice, statement_id, 1, title="A sharper title", body=body(A, B, C, D))
    assert (
        save(bob, statement_id, 1, body=body(A, B, C, D), addressee="Dear Senators").status_code
        == 302
    )
    with app.app_context():
        head = load_statement(app, statement_id).head
        assert (head.title, head.addressee) == ("A sharper title", "Dear Senators")


def test_a_moved_paragraph_keeps_the_other_editors_change(app, client_as, make_statement):
    statement_id, alice, bob = two_editors(client_as, make_statement)
    assert save(alice, statement_id, 1, body=body(D, A, B, C)).status_code == 302
    assert (
        save(
            bob, statement_id, 1, body=body(A, B, C, "Delta asks loudly for the vote.")
        ).status_code
        == 302
    )
    assert head_body(app, statement_id) == body("Delta asks loudly for the vote.", A, B, C)


def test_a_move_and_an_edit_elsewhere_both_survive(app, client_as, make_statement):
    statement_id, alice, bob = two_editors(client_as, make_statement)
    save(alice, statement_id, 1, body=body(A, B, C, D + " Alice edits."))
    assert save(bob, statement_id, 1, body=body(C, A, B, D)).status_code == 302
    assert head_body(app, statement_id) == body(C, A, B, D + " Alice edits.")


def test_overlapping_edits_show_base_theirs_and_mine(app, client_as, make_statement):
    statement_id, alice, bob = two_editors(client_as, make_statement)
    save(alice, statement_id, 1, body=body(A, "Bravo paragraph makes Alice's case.", C, D))
    response = save(
        bob, statement_id, 1, body=body(A, "Bravo paragraph makes Bob's case.", C, D + " Bob.")
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Not saved yet" in html
    assert B in html and "makes Alice&#39;s case." in html and "makes Bob&#39;s case." in html
    assert "Keep mine" in html and "Take theirs" in html and 'name="result-0"' in html
    assert version_count(app, statement_id) == 2
    # The old editor form cannot clobber Alice's words: it lands on the conflict page again.
    again = save(bob, statement_id, 1, body=body(A, "Bravo paragraph makes Bob's case.", C, D))
    assert again.status_code == 409
    assert version_count(app, statement_id) == 2


def resolve(client, statement_id: int, html: str, **choices: str):
    return client.post(
        f"/statements/{statement_id}/merge", data={**conflict_fields(html), **choices}
    )


def test_resolving_with_an_edited_result_keeps_both_sides(app, client_as, make_statement):
    statement_id, alice, bob = two_editors(client_as, make_statement)
    save(alice, statement_id, 1, body=body(A, "Bravo from Alice.", C, D))
    html = save(bob, statement_id, 1, body=body(A, "Bravo from Bob.", C, D + " Bob.")).get_data(
        as_text=True
    )
    response = resolve(
        bob, statement_id, html, **{"choice-0": "edit", "result-0": "Bravo from both."}
    )
    assert response.status_code == 302
    assert head_body(app, statement_id) == body(A, "Bravo from both.", C, D + " Bob.")


def test_taking_theirs_keeps_only_my_other_changes(app, client_as, make_statement):
    statement_id, alice, bob = two_editors(client_as, make_statement)
    save(alice, statement_id, 1, title="Alice's title", body=body(A, B, C, D))
    html = save(bob, statement_id, 1, title="Bob's title", body=body(A, B, C)).get_data(
        as_text=True
    )
    assert "Conflict 1 of 1: Title" in html
    assert resolve(bob, statement_id, html, **{"choice-0": "theirs"}).status_code == 302
    with app.app_context():
        head = load_statement(app, statement_id).head
        assert (head.title, head.body) == ("Alice's title", body(A, B, C))


def test_a_conflict_needs_a_choice_and_a_genuine_page(app, client_as, make_statement):
    statement_id, alice, bob = two_editors(client_as, make_statement)
    save(alice, statement_id, 1, title="Alice's title", body=body(A, B, C, D))
    html = save(bob, statement_id, 1, title="Bob's title").get_data(as_text=True)
    missing = resolve(bob, statement_id, html)
    assert missing.status_code == 422
    assert "Choose “keep mine”" in missing.get_data(as_text=True)
    fields = conflict_fields(html)
    fields["mine"] = fields["mine"][:-3] + "abc"
    forged = bob.post(f"/statements/{statement_id}/merge", data={**fields, "choice-0": "mine"})
    assert forged.status_code == 400
    stolen = resolve(alice, statement_id, html, **{"choice-0": "mine"})
    assert stolen.status_code == 400
    assert version_count(app, statement_id) == 2


def test_a_save_during_the_conflict_page_is_merged_too(app, client_as, make_statement):
    statement_id, alice, bob = two_editors(client_as, make_statement)
    save(alice, statement_id, 1, body=body(A, "Bravo from Alice.", C, D))
    html = save(bob, statement_id, 1, body=body(A, "Bravo from Bob.", C, D)).get_data(as_text=True)
    save(alice, statement_id, 2, body=body("Alpha, later.", "Bravo from Alice.", C, D))
    assert resolve(bob, statement_id, html, **{"choice-0": "mine"}).status_code == 302
    assert head_body(app, statement_id) == body("Alpha, later.", "Bravo from Bob.", C, D)
    assert version_count(app, statement_id) == 4


def test_a_delete_against_an_edit_is_a_conflict():
    base = Content(title="T", body=body(A, B, C))
    merge = three_way(
        base, Content(title="T", body=body(A, C)), Content(title="T", body=body(A, B + " More.", C))
    )
    assert [(c.base, c.theirs, c.mine) for c in merge.conflicts] == [(B, "", B + " More.")]
    assert merge.content({0: ""}).body == body(A, C)


def test_different_insertions_at_one_place_are_a_conflict():
    base = Content(title="T", body=body(A, B))
    merge = three_way(
        base, Content(title="T", body=body(A, "X.", B)), Content(title="T", body=body(A, "Y.", B))
    )
    assert [(c.theirs, c.mine) for c in merge.conflicts] == [("X.", "Y.")]
    assert merge.content({0: "X.\n\nY."}).body == body(A, "X.", "Y.", B)


def test_both_reordering_differently_is_one_conflict():
    base = Content(title="T", body=body(A, B, C))
    merge = three_way(
        base, Content(title="T", body=body(C, A, B)), Content(title="T", body=body(B, A, C))
    )
    assert len(merge.conflicts) == 1 and merge.conflicts[0].base == body(A, B, C)


def test_a_paragraph_rewritten_in_place_on_both_sides_is_a_conflict():
    base = Content(title="T", body=body("One.", "Two shared words.", "Three."))
    theirs = Content(title="T", body=body("One.", "Entirely new from Alice.", "Three."))
    mine = Content(title="T", body=body("One, Bob.", "Rewritten by Bob.", "Three."))
    merge = three_way(base, theirs, mine)
    assert [(c.theirs, c.mine) for c in merge.conflicts] == [
        ("Entirely new from Alice.", "Rewritten by Bob.")
    ]
    assert merge.content({0: "Both."}).body == body("One, Bob.", "Both.", "Three.")
