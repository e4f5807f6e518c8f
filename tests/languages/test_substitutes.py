"""Sending a colleague instead: the RSVP form's `response=substitute`, end to end (the emails
through a real worker, the QR code decoded, the door's API, the attendance report), the form's
errors and the organiser's approval."""

from __future__ import annotations

import io
import re
import uuid
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from reslog_events.core.columns import utcnow
from reslog_events.directory.models import Contact
from reslog_events.events.models import Event
from reslog_events.extensions import db
from reslog_events.invitations.models import Invitation, InvitationStatus
from reslog_events.invitations.operations import checkin_code_of, rsvp_token_of
from tests.support.forms import csrf_token

COLLEAGUE = {"substitute_name": "Rasha Haddad", "substitute_email": "Rasha.Haddad@example.org"}


def _invitation_of(contact) -> Invitation:
    db.session.expire_all()
    return db.session.scalar(sa.select(Invitation).where(Invitation.contact_id == contact.id))


def _token_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"/rsvp/([A-Za-z0-9_-]{16,64})", text).group(1)


def _qr_text(message) -> str:
    (png,) = [p for p in message.walk() if p.get_content_type() == "image/png" and p["Content-ID"]]
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.get_content())))
    return result.text


@pytest.fixture
def running_event(create_event, create_organisation):
    host = create_organisation(name="Şişli Belediyesi")
    now = utcnow().replace(microsecond=0)
    event = create_event(
        title="Göç Forumu",
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=2),
        translations={"ar": {"title": "منتدى الهجرة", "description": ""}},
    )
    return event, host


def test_invite_substitute_accept_check_in_and_report(
    app, api, stub_worker, running_event, create_contact, client, answer, forget_locale
):
    event, municipality = running_event
    mayor = create_contact(
        full_name="Mehmet Yıldız", organisation=municipality, language="ar", position="Başkan"
    )
    assert (
        api()
        .post(f"/api/v1/events/{event.id}/invitations", json={"contact_ids": [mayor.id]})
        .status_code
        == 202
    )
    stub_worker.drain()
    (invitation_mail,) = stub_worker.messages()
    token = _token_in(invitation_mail)

    # a GET changes nothing
    forget_locale()
    page = client.get(f"/rsvp/{token}").get_data(as_text=True)
    assert 'value="substitute"' in page and 'name="substitute_email"' in page
    assert _invitation_of(mayor).status == InvitationStatus.pending

    sent = answer(token, "substitute", consent=False, substitute_position="Yardımcı", **COLLEAGUE)
    assert sent.status_code == 303
    original = _invitation_of(mayor)
    assert original.status == InvitationStatus.substituted
    colleague_contact = db.session.scalar(
        sa.select(Contact).where(Contact.email == "rasha.haddad@example.org")
    )
    assert colleague_contact.organisation_id == municipality.id
    assert colleague_contact.position == "Yardımcı" and colleague_contact.language.value == "ar"
    forget_locale()
    after = client.get(f"/rsvp/{token}?lang=en").get_data(as_text=True)
    # the thanks were said in the invitee's language (Arabic), with the name as typed
    assert "سيتلقى Rasha Haddad دعوة خاصة به" in after
    assert "You have sent a colleague instead" in after and 'name="response"' not in after

    # the colleague's invitation, by email, in their (the invitee's) language and title
    stub_worker.drain()
    (colleague_mail,) = stub_worker.messages()[1:]
    assert colleague_mail["To"].addresses[0].addr_spec == "rasha.haddad@example.org"
    assert "منتدى الهجرة" in colleague_mail["Subject"]
    colleague_token = _token_in(colleague_mail)
    assert colleague_token != token

    forget_locale()
    assert answer(colleague_token, "accept").status_code == 303
    stub_worker.drain()
    (confirmation,) = stub_worker.messages()[2:]
    code = _qr_text(confirmation)

    door = api("staff").post(
        f"/api/v1/events/{event.id}/checkins",
        json={"code": code, "gate": "A", "nonce": uuid.uuid4().hex},
    )
    assert door.status_code == 201, door.json
    assert door.json["result"] == "ok" and door.json["full_name"] == "Rasha Haddad"
    # the mayor's own code is turned away: the colleague came instead
    turned = api("staff").post(
        f"/api/v1/events/{event.id}/checkins",
        json={"code": checkin_code_of(original), "gate": "A", "nonce": uuid.uuid4().hex},
    )
    assert turned.status_code == 409 and turned.json["result"] == "not_attending"

    # the event ends: the municipality attended once, and nobody of it is a no-show
    db.session.get(Event, event.id).ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    report = api("organiser").get(
        "/api/v1/reports/attendance",
        query_string={"group_by": "organisation", "event_id": event.id},
    )
    assert report.status_code == 200, report.get_data(as_text=True)
    (row,) = [r for r in report.json["rows"] if r["label"] == "Şişli Belediyesi"]
    assert row["attended"] == 1 and row["unique_participants"] == 1
    assert row["no_shows"] == 0 and row["accepted"] == 1


def test_colleague_form_errors_are_shown_and_change_nothing(
    app, running_event, create_contact, create_invitation, answer, forget_locale
):
    event, municipality = running_event
    invitee = create_contact(email="mayor@example.org", organisation=municipality, language="en")
    new = create_invitation(event=event, contact=invitee)
    already = create_contact(email="deputy@example.org", full_name="Gizli Kişi")
    create_invitation(event=event, contact=already)

    cases = [
        ({"substitute_name": "", "substitute_email": "x@example.org"}, "colleague's name"),
        ({"substitute_name": "A", "substitute_email": "not-an-address"}, "email address"),
        ({"substitute_name": "A", "substitute_email": "MAYOR@example.org"}, "your own address"),
        ({"substitute_name": "A", "substitute_email": "deputy@example.org"}, "invited to this"),
    ]
    for fields, message in cases:
        forget_locale()
        resp = answer(new.rsvp_token, "substitute", consent=False, **fields)
        html = unescape(resp.get_data(as_text=True))
        assert resp.status_code == 422, fields
        assert message in html and 'id="e-substitute_' in html, fields
        assert "Gizli Kişi" not in html  # nothing of another contact's record
    assert _invitation_of(invitee).status == InvitationStatus.pending
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 2


def test_approval_first_when_the_event_asks_for_it(
    app, api, client, auth, stub_worker, running_event, create_contact, create_invitation, answer
):
    event, municipality = running_event
    event.substitutes_need_approval = True
    db.session.commit()
    new = create_invitation(event=event, contact=create_contact(organisation=municipality))
    assert answer(new.rsvp_token, "substitute", consent=False, **COLLEAGUE).status_code == 303
    # not invited yet: neither a reminder nor a change of time reaches the colleague
    assert api().post(f"/api/v1/events/{event.id}/reminders").status_code in (200, 202)
    later = (event.ends_at + timedelta(minutes=30)).isoformat()
    assert api().patch(f"/api/v1/events/{event.id}", json={"ends_at": later}).status_code == 200
    stub_worker.drain()
    assert stub_worker.messages() == []  # waits for the organiser
    colleague = db.session.scalar(
        sa.select(Invitation).where(Invitation.substitute_for_id == new.invitation.id)
    )
    assert colleague.awaiting_approval and colleague.email_status is None
    listed = {
        row["id"]: row for row in api().get(f"/api/v1/events/{event.id}/invitations").json["items"]
    }
    assert listed[colleague.id]["substitute_for_id"] == new.invitation.id
    assert listed[colleague.id]["awaiting_approval"] is True
    assert listed[new.invitation.id]["status"] == "substituted"

    auth.login("organiser")
    page = client.get(f"/events/{event.id}/answers?lang=en").get_data(as_text=True)
    assert "Awaiting your approval" in page and "Sent a colleague" in page
    assert "Instead of" in page
    token = csrf_token(client, f"/events/{event.id}/answers")
    approved = client.post(
        f"/events/{event.id}/answers/{colleague.id}/approve", data={"csrf_token": token}
    )
    assert approved.status_code == 302
    stub_worker.drain()
    (mail,) = stub_worker.messages()
    assert mail["To"].addresses[0].addr_spec == "rasha.haddad@example.org"
    db.session.expire_all()
    assert not db.session.get(Invitation, colleague.id).awaiting_approval
    assert rsvp_token_of(db.session.get(Invitation, colleague.id))
