""" "Deliver now" asks first: who already received which version, an editable cover message,
and by default only the targets that have not received this version."""

from __future__ import annotations

import re

from tests.test_targets import COMMITTEE, add_targets, letter, wait_until_sent  # noqa: F401

NEW_TARGET = [("Sen. Mara Quill", "Member", "quill@committee.example.gov")]


def _confirm_form(page: str) -> dict:
    hidden = r'<input[^>]*name="(\w+)"[^>]*type="hidden"[^>]*value="([^"]*)"'
    data = dict(re.findall(hidden, page))
    data["target_ids"] = re.findall(r'name="target_ids" value="(\d+)"[^>]*checked', page)
    data["cover_message"] = re.search(r"<textarea[^>]*>\n?([^<]*)</textarea>", page).group(1)
    return data


def test_deliver_now_skips_targets_already_served_and_carries_the_cover_message(
    app,
    letter,  # noqa: F811
    smtp_sink,
):
    statement_id, editor = letter()
    first = editor.get(f"/statements/{statement_id}/deliveries/new")
    assert first.status_code == 200 and first.text.count("Nothing yet") == 3
    data = _confirm_form(first.text)
    assert len(data["target_ids"]) == 3
    data["cover_message"] = "Ahead of Thursday's markup, please find our letter."
    posted = editor.post(f"/statements/{statement_id}/deliveries", data=data)
    assert posted.status_code == 302, posted.text
    messages = smtp_sink.wait_for(3)
    wait_until_sent(app, 3)
    body = messages[0].get_body(("plain",)).get_content()
    assert "Ahead of Thursday's markup" in body
    assert "We, the undersigned, oppose the bill." in body  # the letter text, not only attached

    add_targets(editor, statement_id, NEW_TARGET)
    second = editor.get(f"/statements/{statement_id}/deliveries/new").text
    assert second.count("in delivery 1") == 3 and "(this version)" in second
    data = _confirm_form(second)
    assert len(data["target_ids"]) == 1  # only the new target is ticked
    editor.post(f"/statements/{statement_id}/deliveries", data=data)
    messages = smtp_sink.wait_for(4)
    assert [m["To"] for m in messages[3:]] == ["quill@committee.example.gov"]
    assert "On behalf of the 3 organizations" in messages[3].get_body(("plain",)).get_content()

    page = editor.post(
        f"/statements/{statement_id}/deliveries", data={"sequence": "3"}, follow_redirects=True
    )
    assert "Every target already received the published version" in page.text
    assert len(smtp_sink.messages) == 4
