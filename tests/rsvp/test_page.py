"""The invitee's RSVP page: what it shows, what a GET must not do, answering, the deadline,
revoked invitations, cancelled events, unknown tokens and guessing."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta

import pytest
from PIL import Image

from reslog_events.core.columns import utcnow


@pytest.fixture
def invitation(create_invitation, create_event, create_contact, create_organisation, create_user):
    organiser = create_user("organiser", name="Zeynep Kaya", email="zeynep@tbb.example")
    event = create_event(
        title="Yerel Yönetimlerde Dayanıklılık Forumu",
        kind="roundtable",
        timezone="Europe/Istanbul",
        venue="Kültür Merkezi",
        address="Meşrutiyet Cad. 5",
        city="Ankara",
        online_url="https://meet.example/reslog",
        description="09:30 Açılış\n10:00 Panel",
        languages=["tr", "ar"],
        capacity=20,
        organiser_id=organiser.id,
    )
    contact = create_contact(
        full_name="Ahmad Al-Hasan",
        language="en",
        organisation=create_organisation(name="Gaziantep Büyükşehir Belediyesi"),
    )
    return create_invitation(event=event, contact=contact)


def _state(app, invitation):
    from reslog_events.extensions import db

    db.session.expire_all()
    inv = db.session.get(type(invitation), invitation.id)
    return inv.status.value, inv.responded_at


def test_page_shows_the_event_the_invitee_and_the_form(client, invitation):
    token = invitation.rsvp_token
    resp = client.get(f"/rsvp/{token}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    for text in (
        "Yerel Yönetimlerde Dayanıklılık Forumu",
        "Roundtable",
        "Europe/Istanbul",
        "Kültür Merkezi",
        "https://meet.example/reslog",
        "09:30 Açılış",
        "Ahmad Al-Hasan",
        "Gaziantep Büyükşehir Belediyesi",
        "Arabic",
    ):
        assert text in html, text
    # The form posts back to the same URL, with the contract's field and values.
    assert f'<form method="post" action="/rsvp/{token}"' in html
    for value in ("accept", "decline", "tentative"):
        assert f'name="response" value="{value}"' in html
    assert 'name="csrf_token"' in html
    # Accessible: a fieldset with a legend for the radio group, a label for every input.
    assert re.search(r'<fieldset class="rsvp-choice[^>]*>\s*<legend>', html)
    for input_id in re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id
    # Strict CSP: no inline script, style or handlers.
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in resp.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and not re.search(r"\son[a-z]+=", html)
    assert resp.headers["Cache-Control"] == "no-store"


def test_a_get_changes_nothing(app, client, invitation, outbox, audit):
    token = invitation.rsvp_token
    for path in (f"/rsvp/{token}", f"/rsvp/{token}?response=accept", f"/rsvp/{token}/qr.png"):
        client.get(path)
        client.head(path)
    assert _state(app, invitation.invitation) == ("pending", None)
    assert outbox() == []
    assert [e.action for e in audit() if e.object_type == "invitation"] == []


def test_the_page_speaks_the_invitees_language_unless_asked(create_invitation, create_contact, app):
    new = create_invitation(contact=create_contact(language="ar"))
    html = app.test_client().get(f"/rsvp/{new.rsvp_token}").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    html = app.test_client().get(f"/rsvp/{new.rsvp_token}?lang=sv").get_data(as_text=True)
    assert '<html lang="sv" dir="ltr">' in html


def test_accepting_needs_consent_shown_next_to_the_field(app, client, invitation, answer):
    resp = answer(invitation.rsvp_token, "accept", consent=False, dietary_needs="Fıstık alerjisi")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert re.search(
        r'id="f-consent_data"[^>]*aria-describedby="consent-data-text e-consent_data"'
        r'[^>]*aria-invalid="true"',
        html,
    )
    assert '<p class="error" id="e-consent_data" role="alert">' in html
    assert 'id="error-summary"' in html and 'role="alert"' in html
    assert 'value="Fıstık alerjisi"' in html  # what was typed is kept
    assert 'value="accept" required checked' in html
    assert _state(app, invitation.invitation) == ("pending", None)


def test_accept_with_needs(app, client, invitation, answer, outbox, audit, received, fresh):
    from reslog_events.core.signals import invitation_answered

    calls = received(invitation_answered)
    resp = answer(
        invitation.rsvp_token,
        "accept",
        diet_choices=["vegetarian", "halal"],
        dietary_needs="No nuts",
        access_choices=["wheelchair"],
        interpretation_language="ar",
        consent_photos="1",
    )
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith(f"/rsvp/{invitation.rsvp_token}")
    inv = fresh(invitation.invitation)
    assert inv.status.value == "accepted"
    assert inv.diet_choices == ["vegetarian", "halal"] and inv.dietary_needs == "No nuts"
    assert inv.access_choices == ["wheelchair"] and inv.interpretation_language == "ar"
    assert inv.consent_data_at is not None and inv.consent_photos is True
    assert [(row.kind, row.invitation_id) for row in outbox()] == [("confirmation", inv.id)]
    (entry,) = audit("invitation.answer")
    assert entry.actor == "invitee" and entry.user_id is None
    assert entry.data == {
        "from": "pending",
        "to": "accepted",
        "response": "accept",
        "needs_changed": True,
    }
    assert [(sender.id, kw["old_status"].value) for sender, kw in calls] == [(inv.id, "pending")]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "You are registered" in page
    assert f'src="/rsvp/{invitation.rsvp_token}/qr.png"' in page
    assert 'value="vegetarian" checked' in page


def test_the_answer_can_change_until_the_deadline(app, invitation, answer, fresh):
    token = invitation.rsvp_token
    answer(token, "accept", diet_choices=["vegan"], interpretation_language="tr")
    assert answer(token, "tentative").status_code == 303
    inv = fresh(invitation.invitation)
    assert inv.status.value == "tentative" and inv.diet_choices == []
    assert answer(token, "decline", consent=False, dietary_needs="kept?").status_code == 303
    inv = fresh(invitation.invitation)
    assert inv.status.value == "declined"
    # Needs are not kept for someone who does not come, nor without consent.
    assert inv.dietary_needs is None and inv.consent_data_at is None
    assert answer(token, "tentative", consent=False, dietary_needs="x").status_code == 422


def test_after_the_deadline_the_page_is_read_only(app, client, invitation, answer, fresh, outbox):
    from reslog_events.extensions import db

    event = invitation.invitation.event
    answer(invitation.rsvp_token, "accept")
    event.rsvp_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    html = client.get(f"/rsvp/{invitation.rsvp_token}").get_data(as_text=True)
    assert "Answers are closed" in html
    assert 'name="response"' not in html
    assert "Zeynep Kaya" in html and "mailto:zeynep@tbb.example" in html
    assert "You are registered" in html  # the answer and the QR stay visible
    resp = answer(invitation.rsvp_token, "decline", http=client)
    assert resp.status_code == 409
    assert fresh(invitation.invitation).status.value == "accepted"
    assert [row.kind for row in outbox()] == ["confirmation"]


def test_a_revoked_invitation_gets_a_clear_page(app, client, create_invitation, answer, fresh):
    new = create_invitation(status="revoked")
    resp = client.get(f"/rsvp/{new.rsvp_token}")
    assert resp.status_code == 410
    # The factories' contact speaks Turkish, the RSVP page's default language.
    assert "Bu davet artık geçerli değil" in resp.get_data(as_text=True)
    assert client.post(f"/rsvp/{new.rsvp_token}", data={"response": "accept"}).status_code in (
        400,
        410,
    )
    assert fresh(new.invitation).status.value == "revoked"
    assert client.get(f"/rsvp/{new.rsvp_token}/qr.png").status_code == 404


def test_a_cancelled_event_gets_a_clear_page(app, client, create_event, create_invitation, fresh):
    from tests.support.forms import csrf_token

    new = create_invitation(event=create_event(status="cancelled"), status="accepted")
    resp = client.get(f"/rsvp/{new.rsvp_token}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Bu etkinlik iptal edildi" in html and 'name="response"' not in html
    token = csrf_token(client, f"/rsvp/{new.rsvp_token}")
    client.post(f"/rsvp/{new.rsvp_token}", data={"csrf_token": token, "response": "decline"})
    assert fresh(new.invitation).status.value == "accepted"
    assert client.get(f"/rsvp/{new.rsvp_token}/qr.png").status_code == 404


def test_unknown_or_tampered_tokens_get_a_plain_404(app, client, invitation):
    from reslog_events.extensions import limiter

    token = invitation.rsvp_token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    bodies = set()
    for bad in (tampered, "x" * 27, "short", "a" * 200, "%3Cscript%3E", token.upper()):
        for suffix in ("", "/qr.png", "/calendar.ics"):
            resp = client.get(f"/rsvp/{bad}{suffix}")
            assert resp.status_code == 404, (bad, suffix)
            body = resp.get_data(as_text=True)
            assert "Forum" not in body and "Ahmad" not in body
            bodies.add(re.sub(r'(href|content)="[^"]*"', "", body))  # links name the path
        limiter.reset()  # this test is about the answers, not the limit
    assert len(bodies) == 1  # the same page whatever the token looked like


def test_guessing_tokens_is_rate_limited_per_address(app, client, invitation):
    good = f"/rsvp/{invitation.rsvp_token}"
    for _ in range(15):  # the invitee's own visits do not count
        assert client.get(good).status_code == 200
    for n in range(10):
        assert client.get(f"/rsvp/guess{n:012d}abcdefghij").status_code == 404
    assert client.get("/rsvp/guess99999999999abcdefghij").status_code == 429
    assert client.get("/rsvp/guess99999999999abcdefghij/qr.png").status_code == 429
    # Another address is not affected.
    other = client.get(good, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200


def test_qr_code_and_calendar_after_accepting(app, client, invitation, answer, fresh):
    import zxingcpp

    from reslog_events.invitations.calendar import calendar_uid

    token = invitation.rsvp_token
    assert client.get(f"/rsvp/{token}/qr.png").status_code == 404  # no seat yet
    assert client.get(f"/rsvp/{token}/calendar.ics").status_code == 404
    answer(token, "accept")
    png = client.get(f"/rsvp/{token}/qr.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.headers["Cache-Control"] == "no-store"
    (decoded,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    inv = fresh(invitation.invitation)
    assert decoded.text == invitation.checkin_code and len(decoded.text) <= 40
    assert hashlib.sha256(decoded.text.encode()).hexdigest() == inv.checkin_code_hash

    ics = client.get(f"/rsvp/{token}/calendar.ics")
    assert ics.mimetype == "text/calendar"
    assert "attachment" in ics.headers["Content-Disposition"]
    body = ics.get_data(as_text=True)
    assert f"UID:{calendar_uid(inv)}" in body and "PARTSTAT=ACCEPTED" in body
    assert "TZID=Europe/Istanbul" in body

    html = client.get(f"/rsvp/{token}").get_data(as_text=True)
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE&amp;" in html
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in html
    assert f'href="/rsvp/{token}/calendar.ics"' in html


def test_text_from_people_is_escaped(client, create_invitation, create_contact):
    new = create_invitation(contact=create_contact(full_name="<script>alert(1)</script>"))
    html = client.get(f"/rsvp/{new.rsvp_token}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"response": "maybe"}, "response"),
        ({}, "response"),
        ({"response": "accept", "diet_choices": ["vegetarian", "pizza"]}, "diet_choices"),
        ({"response": "accept", "interpretation_language": "Arabic"}, "interpretation_language"),
        ({"response": "accept", "dietary_needs": "x" * 501}, "dietary_needs"),
        ({"response": "accept", "consent_photos": "perhaps"}, "consent_photos"),
    ],
)
def test_bad_input_is_answered_next_to_the_field(app, client, invitation, fields, field):
    from tests.support.forms import csrf_token

    path = f"/rsvp/{invitation.rsvp_token}"
    data = {"csrf_token": csrf_token(client, path), "consent_data": "1", **fields}
    resp = client.post(path, data=data)
    assert resp.status_code == 422
    assert f'id="e-{field}" role="alert"' in resp.get_data(as_text=True)
    assert _state(app, invitation.invitation) == ("pending", None)
