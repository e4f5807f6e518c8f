"""Minutes written in the app (author, time, audit) and sent to the attendees: a preview with
the count, then one confirmation that sends once, in each attendee's language, with a link to
the RSVP page's documents, through the outbox to a real SMTP server."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.checkin.models import CheckIn
from reslog_events.documents.models import EventDocument, MinutesMailing
from reslog_events.extensions import db
from reslog_events.mail.models import OutgoingEmail
from tests.support.forms import csrf_token, post_form

DAY = date(2026, 3, 14)
BODY = "# Kararlar\n- Sarıçam ile ortak çalışma grubu\n\nBir sonraki toplantı Şişli'de."


@pytest.fixture
def event(create_event):
    return create_event(
        title="Göç ve Yerel Yönetim Forumu",
        starts_at=datetime(2026, 3, 14, 6, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 14, 14, 0, tzinfo=UTC),
        languages=["tr", "ar"],
        translations={"ar": {"title": "منتدى الهجرة والإدارة المحلية"}},
    )


@pytest.fixture
def people(event, create_invitation, create_contact):
    def invite(status, came=False, language="tr", **contact):
        new = create_invitation(
            event=event, contact=create_contact(language=language, **contact), status=status
        )
        if came:
            db.session.add(CheckIn(event_id=event.id, invitation_id=new.invitation.id, day=DAY))
            db.session.commit()
        return new

    return {
        "came_tr": invite("accepted", came=True, full_name="Ayşe Çelik"),
        "came_ar": invite("accepted", came=True, language="ar", full_name="أحمد الحلبي"),
        "came_no_address": invite("accepted", came=True, email=None),
        "stayed_away": invite("accepted"),
        "declined": invite("declined"),
        "revoked_came": invite("revoked", came=True),
    }


def _write(client, event, visibility="attendees", title="Forum tutanağı"):
    return post_form(
        client,
        f"/events/{event.id}/documents/minutes/new",
        {"title": title, "body": BODY, "visibility": visibility},
    )


def test_write_and_edit_minutes(client, auth, event, people):
    auth.login("organiser")
    user = auth.user
    resp = _write(client, event)
    assert resp.status_code == 303
    document = db.session.scalar(sa.select(EventDocument))
    assert document.author_id == user.id and document.body == BODY
    created = document.updated_at
    auth.logout()
    auth.login("admin")
    other = auth.user
    resp = post_form(
        client,
        f"/events/{event.id}/documents/{document.id}/edit",
        {"title": "Forum tutanağı (son)", "body": BODY + "\n- Ek", "visibility": "invitees"},
    )
    assert resp.status_code == 303
    db.session.expire_all()
    document = db.session.get(EventDocument, document.id)
    assert document.author_id == other.id and document.updated_at >= created
    assert document.visibility.value == "invitees"
    actions = db.session.scalars(
        sa.select(AuditLog.action)
        .where(AuditLog.object_type == "eventdocument")
        .order_by(AuditLog.id)
    ).all()
    assert actions == ["document.minutes", "document.minutes_update"]
    page = unescape(client.get(f"/events/{event.id}/documents?lang=tr").get_data(True))
    assert "Forum tutanağı (son)" in page and (other.name or other.email) in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "body": "x", "visibility": "invitees"}, "title"),
        ({"title": "T", "body": "", "visibility": "invitees"}, "body"),
        ({"title": "T", "body": "x", "visibility": "herkes"}, "visibility"),
        ({"title": "T" * 201, "body": "x", "visibility": "invitees"}, "title"),
    ],
)
def test_bad_minutes_are_422_with_the_field_and_keep_the_text(client, auth, event, data, field):
    auth.login("organiser")
    resp = post_form(client, f"/events/{event.id}/documents/minutes/new?lang=tr", data)
    assert resp.status_code == 422
    page = unescape(resp.get_data(True))
    assert f'id="e-{field}"' in page
    if data["body"]:
        assert data["body"] in page  # nothing lost
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventDocument)) == 0


def _nonce(page: str) -> str:
    return re.search(r'name="nonce" value="([^"]+)"', page).group(1)


def test_send_minutes_to_attendees_once(client, auth, event, people, stub_worker, smtp):
    auth.login("organiser")
    _write(client, event)
    document = db.session.scalar(sa.select(EventDocument))
    preview_path = f"/events/{event.id}/documents/{document.id}/send"
    preview = unescape(client.get(preview_path + "?lang=en").get_data(True))
    # two attendees with an address: the revoked one and the one without an address are not
    assert "2 people will get this email." in preview
    assert "منتدى الهجرة والإدارة المحلية" in preview  # the Arabic reader's subject, previewed
    stub_worker.drain()
    assert smtp.inbox.messages == []  # nothing before the confirmation
    nonce = _nonce(preview)
    token = csrf_token(client, preview_path)
    for _click in range(2):  # a double click sends once
        resp = client.post(preview_path, data={"csrf_token": token, "nonce": nonce})
        assert resp.status_code == 303
    stub_worker.drain()
    received = {m["To"].addresses[0].addr_spec: m for m in smtp.inbox.messages}
    came_tr, came_ar = people["came_tr"], people["came_ar"]
    assert set(received) == {
        came_tr.invitation.contact.email,
        came_ar.invitation.contact.email,
    }
    turkish = received[came_tr.invitation.contact.email]
    arabic = received[came_ar.invitation.contact.email]
    assert str(turkish["Subject"]) == "Tutanak: Göç ve Yerel Yönetim Forumu"
    assert str(arabic["Subject"]) == "المحضر: منتدى الهجرة والإدارة المحلية"
    for message, new in ((turkish, came_tr), (arabic, came_ar)):
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert f"http://rsvp.test/rsvp/{new.rsvp_token}#documents" in text
        assert "Sarıçam ile ortak" not in text  # a link, not the minutes
        assert not list(message.iter_attachments())
    assert "اقرأ المحضر في صفحة دعوتك" in arabic.get_body(preferencelist=("plain",)).get_content()
    (mailing,) = db.session.scalars(sa.select(MinutesMailing)).all()
    assert mailing.recipients == 2
    (entry,) = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "document.minutes_sent")
    )
    assert entry.data["recipients"] == 2 and entry.object_id == document.id
    # a new confirmation is a new action: sent again, on purpose
    again = client.get(preview_path).get_data(True)
    assert "sent 1 time before" in again
    client.post(preview_path, data={"csrf_token": token, "nonce": _nonce(again)})
    count = sa.select(sa.func.count()).select_from(OutgoingEmail)
    assert db.session.scalar(count.where(OutgoingEmail.kind == "minutes_notice")) == 4


def test_minutes_for_organisers_only_are_not_sent(client, auth, event, people):
    auth.login("organiser")
    _write(client, event, visibility="organisers")
    document = db.session.scalar(sa.select(EventDocument))
    path = f"/events/{event.id}/documents/{document.id}/send"
    page = client.get(path)
    assert page.status_code == 200 and 'name="nonce"' not in page.get_data(True)
    assert "visible to the organisers only" in page.get_data(True)
    token = csrf_token(client, f"/events/{event.id}/documents")
    resp = client.post(path, data={"csrf_token": token, "nonce": "n" * 24}, follow_redirects=True)
    assert "visible to the organisers only" in resp.get_data(True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingEmail)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MinutesMailing)) == 0


def test_files_are_not_sent(client, auth, api, event):
    from tests.documents.conftest import PDF, upload

    document_id = upload(api("organiser"), event.id, "gündem.pdf", PDF).json["id"]
    auth.login("organiser")
    assert client.get(f"/events/{event.id}/documents/{document_id}/send").status_code == 404
