"""Pure rules of sending: weekly windows across midnight and DST, rate-limit slots, MIME."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from email import message_from_bytes, policy

from campaign import clock
from campaign.distribution.mime import Attachment, compose
from campaign.distribution.ratelimit import reserve, slots_for
from campaign.distribution.schedule import Window, earliest_send

OFFICE = Window(frozenset(range(5)), time(8), time(18), "Europe/Berlin")


def test_office_hours_open_and_close_in_local_time():
    monday_noon = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    assert OFFICE.next_opening(monday_noon) == monday_noon
    friday_evening = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)  # 18:00 in Berlin: closed
    assert OFFICE.next_opening(friday_evening) == datetime(2026, 3, 9, 7, 0, tzinfo=UTC)
    # Summer time starts on 29 March: Monday 08:00 in Berlin is then 06:00 UTC.
    assert OFFICE.next_opening(datetime(2026, 3, 28, 12, 0, tzinfo=UTC)) == datetime(
        2026, 3, 30, 6, 0, tzinfo=UTC
    )
    assert OFFICE.describe() == "Mon-Fri 08:00-18:00 Europe/Berlin"


def test_a_window_past_midnight_and_a_send_time_inside_it():
    nights = Window(frozenset({5}), time(22), time(6), "UTC")  # Saturday night
    sunday_3am = datetime(2026, 3, 8, 3, 0, tzinfo=UTC)
    assert nights.next_opening(sunday_3am) == sunday_3am
    sunday_7am = datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert nights.next_opening(sunday_7am) == datetime(2026, 3, 14, 22, 0, tzinfo=UTC)
    now = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    later = now + timedelta(hours=2)
    assert earliest_send(now, later, None) == later
    assert earliest_send(now, now - timedelta(days=1), None) == now
    assert earliest_send(now, later, OFFICE) == later


def test_rate_slots_are_shared_by_all_callers_and_never_bunch_up(app):
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    clock.set_clock(lambda: moment)
    try:
        with app.app_context():
            first = reserve("distribution:1", 60, 3)
            second = reserve("distribution:1", 60, 2)  # another worker, same limit
            assert first == [moment + timedelta(seconds=s) for s in (0, 1, 2)]
            assert second == [moment + timedelta(seconds=s) for s in (3, 4)]
            both = slots_for({"global": 120, "distribution:2": 30}, 2)
            assert both == [moment, moment + timedelta(seconds=2)]
            assert slots_for({"global": 0}, 2) == [moment, moment]
    finally:
        clock.set_clock(None)


def test_composed_messages_parse_and_resist_header_injection():
    raw = compose(
        sender="Desk <desk@example.org>",
        to=("Zoë Ünal", "zoe@example.org"),
        subject="Ruling welcomed\r\nBcc: victim@example.org",
        text="Dear Zoë,\n.\nA line that starts with a dot.",
        html="<p>Dear Zoë,</p>",
        reply_to="press@example.org",
        headers={"List-Unsubscribe": "<http://x/u/t>"},
        attachment=Attachment.encode("r.pdf", "application/pdf", b"%PDF-1.7"),
    )
    message = message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Ruling welcomed Bcc: victim@example.org"
    assert message["Bcc"] is None
    assert message["To"].addresses[0].display_name == "Zoë Ünal"
    assert message.get_body(("plain",)).get_content().startswith("Dear Zoë,\n.\n")
    [pdf] = list(message.iter_attachments())
    assert pdf.get_filename() == "r.pdf" and pdf.get_content() == b"%PDF-1.7"


def test_unconfirmed_rows_are_labelled_possibly_delivered():
    """The page's counts and the status text use one word for rows that may have arrived."""
    from campaign.distribution.models import GreetingStyle, RecipientStatus

    assert RecipientStatus.UNCONFIRMED.label == "Possibly delivered"
    assert GreetingStyle.NONE.label == "None"
