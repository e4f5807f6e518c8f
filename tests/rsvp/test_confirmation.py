"""The emails after an answer, sent by a real worker (StubBroker) through the file backend:
the confirmation with the QR code and the calendar entry, the promotion, the waitlist notice."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import pytest
import zxingcpp
from PIL import Image

from reslog_events.invitations.calendar import calendar_uid


def _parts(message):
    return [(part.get_content_type(), part) for part in message.walk()]


def _decode_qr(data: bytes) -> str:
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))
    return result.text


@pytest.fixture
def event(create_event):
    return create_event(
        title="Şehir Dayanıklılığı Çalıştayı",
        starts_at=datetime(2031, 10, 14, 7, 0, tzinfo=UTC),
        ends_at=datetime(2031, 10, 14, 14, 0, tzinfo=UTC),
        timezone="Europe/Istanbul",
        capacity=1,
    )


def test_confirmation_carries_the_qr_code_and_the_calendar_entry(
    app, stub_worker, event, create_invitation, create_contact, answer, fresh
):
    new = create_invitation(
        event=event, contact=create_contact(full_name="Anna Lindqvist", language="sv")
    )
    answer(new.rsvp_token, "accept")
    stub_worker.drain()
    (message,) = stub_worker.messages()
    assert message["To"].addresses[0].addr_spec == new.invitation.contact.email
    assert "Şehir Dayanıklılığı Çalıştayı" in message["Subject"]

    parts = _parts(message)
    types = [content_type for content_type, _ in parts]
    assert types.count("image/png") == 2 and "text/calendar" in types
    html = message.get_body(preferencelist=("html",))
    text = message.get_body(preferencelist=("plain",)).get_content()
    html_text = html.get_content()
    # Rendered in the invitee's language (Swedish dates) and direction.
    assert 'lang="sv"' in html_text and "okt." in text

    # The QR picture: inline (cid:) in the HTML, and attached.
    inline = [p for t, p in parts if t == "image/png" and p["Content-ID"]]
    attached = [
        p for t, p in parts if t == "image/png" and p.get_content_disposition() == "attachment"
    ]
    assert len(inline) == 1 and len(attached) == 1
    cid = inline[0]["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html_text
    code = _decode_qr(inline[0].get_content())
    assert code == _decode_qr(attached[0].get_content()) == new.checkin_code
    assert len(code) <= 40
    inv = fresh(new.invitation)
    assert (
        hashlib.sha256(code.encode()).hexdigest() == inv.checkin_code_hash
    )  # what the door checks

    # The calendar entry: the invitation's UID, accepted.
    (calendar,) = [p for t, p in parts if t == "text/calendar"]
    ics = calendar.get_content()
    assert f"UID:{calendar_uid(inv)}" in ics.replace("\r\n ", "")
    assert "PARTSTAT=ACCEPTED" in ics and "METHOD:REQUEST" in ics

    # The link back to the page.
    link = f"http://rsvp.test/rsvp/{new.rsvp_token}"
    assert link in text and f'href="{link}"' in html_text


def test_promotion_email_has_the_code_and_calendar_too(
    app, stub_worker, event, create_invitation, answer
):
    first, second = create_invitation(event=event), create_invitation(event=event)
    answer(first.rsvp_token, "accept")
    answer(second.rsvp_token, "accept")
    stub_worker.drain()
    answer(first.rsvp_token, "decline", consent=False)
    stub_worker.drain()
    by_address = {}
    for message in stub_worker.messages():
        by_address.setdefault(message["To"].addresses[0].addr_spec, []).append(message)
    promotion = by_address[second.invitation.contact.email][-1]
    assert "Sizin için yer açıldı" in promotion["Subject"]  # a Turkish-speaking contact
    waitlisted = by_address[second.invitation.contact.email][0]
    assert "Bekleme listesindesiniz" in waitlisted["Subject"]
    assert "Bekleme listesindeki sıranız: 1" in waitlisted.get_body(("plain",)).get_content()
    parts = _parts(promotion)
    (png,) = [p for t, p in parts if t == "image/png" and p["Content-ID"]]
    assert _decode_qr(png.get_content()) == second.checkin_code
    assert any(t == "text/calendar" for t, _ in parts)


def test_a_confirmation_no_longer_true_is_skipped(
    app, stub_worker, event, create_invitation, answer, outbox
):
    new = create_invitation(event=event)
    answer(new.rsvp_token, "accept")
    answer(new.rsvp_token, "decline", consent=False)  # before the worker got to it
    stub_worker.drain()
    assert stub_worker.messages() == []
    assert [(row.kind, row.status.value) for row in outbox()] == [("confirmation", "skipped")]


def test_an_arabic_invitee_gets_a_right_to_left_email(
    app, stub_worker, event, create_invitation, create_contact, answer
):
    new = create_invitation(event=event, contact=create_contact(language="ar"))
    answer(new.rsvp_token, "accept")
    stub_worker.drain()
    (message,) = stub_worker.messages()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html
