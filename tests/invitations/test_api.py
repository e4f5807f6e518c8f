"""The invitations API: inviting in bulk, the list and its filters, reminders, resend."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import event as sa_event

from reslog_events.audit.models import AuditLog
from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.invitations.models import Invitation
from reslog_events.mail.models import OutgoingEmail


def _invite(api, event_id, ids, role="organiser", **extra):
    return api(role).post(
        f"/api/v1/events/{event_id}/invitations", json={"contact_ids": ids, **extra}
    )


def _outbox(kind=None):
    stmt = sa.select(OutgoingEmail).order_by(OutgoingEmail.id)
    if kind:
        stmt = stmt.where(OutgoingEmail.kind == kind)
    return list(db.session.scalars(stmt))


def test_invite_counts_new_and_already_invited(app, api, create_event, create_contact):
    event = create_event()
    a, b, c = (create_contact() for _ in range(3))
    resp = _invite(api, event.id, [a.id, b.id, a.id], note="Sizi bekliyoruz")
    assert resp.status_code == 202, resp.json
    assert resp.json["created"] == 2 and resp.json["already_invited"] == 0
    assert resp.json["emails_queued"] == 2
    again = _invite(api, event.id, [a.id, b.id, c.id])
    assert again.json["created"] == 1 and again.json["already_invited"] == 2
    rows = _outbox("invitation")
    assert [r.to_address for r in rows] == [a.email, b.email, c.email]
    assert rows[0].payload["note"] == "Sizi bekliyoruz"
    invitations = db.session.scalars(sa.select(Invitation)).all()
    assert {i.organisation_id for i in invitations} == {
        a.organisation_id,
        b.organisation_id,
        c.organisation_id,
    }
    audit = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "invitations.invite").order_by(AuditLog.id)
    ).all()
    assert [e.data["created"] for e in audit] == [2, 1]
    assert all(e.user_id is not None for e in audit)


def test_unknown_contacts_are_named_and_nothing_is_created(app, api, create_event, create_contact):
    event = create_event()
    known = create_contact()
    resp = _invite(api, event.id, [known.id, 999_001, 999_002])
    assert resp.status_code == 422
    assert "999001" in resp.json["error"]["fields"]["contact_ids"]
    assert "999002" in resp.json["error"]["fields"]["contact_ids"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_bad_bodies_are_4xx(app, api, create_event):
    event = create_event()
    client = api("organiser")
    url = f"/api/v1/events/{event.id}/invitations"
    assert client.post(url, json={"contact_ids": []}).status_code == 422
    assert client.post(url, json={"contact_ids": ["x"]}).status_code == 422
    assert client.post(url, json={"contact_ids": [True]}).status_code == 422
    assert client.post(url, json={"contact_ids": [1], "extra": 1}).status_code == 422
    assert client.post(url, data="{", content_type="application/json").status_code == 400
    assert client.post(url, data="x", content_type="text/plain").status_code == 415
    assert (
        client.post("/api/v1/events/999999/invitations", json={"contact_ids": [1]}).status_code
        == 404
    )


def test_cancelled_event_refuses_and_draft_waits_for_publication(
    app, api, create_event, create_contact
):
    contact = create_contact()
    cancelled = create_event(status="cancelled")
    resp = _invite(api, cancelled.id, [contact.id])
    assert resp.status_code == 409 and resp.json["error"]["code"] == "event_cancelled"

    draft = create_event(status="draft")
    resp = _invite(api, draft.id, [contact.id])
    assert resp.status_code == 202
    assert resp.json["created"] == 1 and resp.json["emails_queued"] == 0
    assert _outbox() == []
    published = api("organiser").patch(f"/api/v1/events/{draft.id}", json={"status": "published"})
    assert published.status_code == 200, published.json
    (row,) = _outbox("invitation")
    assert row.to_address == contact.email
    # publishing does not queue a second invitation for someone already sent one
    assert len(_outbox("invitation")) == 1


def test_list_filters_and_pagination(app, api, create_event, create_contact, create_invitation):
    event = create_event()
    ayse = create_contact(full_name="Ayşe Şişli")
    ali = create_contact(full_name="Ali Veli")
    create_invitation(event=event, contact=ayse, status="accepted")
    create_invitation(event=event, contact=ali)
    create_invitation()  # another event's
    client = api("organiser")
    url = f"/api/v1/events/{event.id}/invitations"
    body = client.get(url).json
    assert body["total"] == 2
    assert set(body["items"][0]) >= {"id", "contact_id", "status", "email_status", "checked_in_at"}
    assert [i["full_name"] for i in body["items"]] == ["Ali Veli", "Ayşe Şişli"]
    assert client.get(url + "?status=accepted").json["total"] == 1
    assert client.get(url + "?q=sisli").json["items"][0]["contact_id"] == ayse.id
    assert client.get(url + "?email_status=queued").json["total"] == 2
    page = client.get(url + "?per_page=1&page=2").json
    assert page["total"] == 2 and len(page["items"]) == 1
    assert client.get(url + "?status=maybe").status_code == 422
    assert client.get(url + "?per_page=501").status_code == 422


def test_checked_in_at_is_listed(app, api, create_event, create_invitation):
    from reslog_events.checkin.models import CheckIn

    event = create_event()
    came = create_invitation(event=event, status="accepted").invitation
    create_invitation(event=event, status="accepted")
    when = utcnow().replace(microsecond=0)
    db.session.add(
        CheckIn(event_id=event.id, invitation_id=came.id, day=when.date(), checked_in_at=when)
    )
    db.session.commit()
    items = api("organiser").get(f"/api/v1/events/{event.id}/invitations?checked_in=true").json
    assert items["total"] == 1 and items["items"][0]["id"] == came.id
    assert items["items"][0]["checked_in_at"].startswith(when.isoformat()[:19])


def test_bulk_invite_is_set_based(app, api, create_event, create_organisation):
    from reslog_events.directory.models import Contact

    event = create_event()
    org = create_organisation()
    db.session.add_all(
        Contact(full_name=f"Kişi {n}", email=f"bulk{n}@example.org", organisation_id=org.id)
        for n in range(1500)
    )
    db.session.commit()
    ids = list(db.session.scalars(sa.select(Contact.id)))
    client = api("organiser")
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        resp = _invite(api, event.id, ids)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert resp.status_code == 202 and resp.json["created"] == 1500
    # a handful of statements per 2,000 contacts (chunks), not one per contact
    from collections import Counter

    assert len(statements) < 40, Counter(s[:80] for s in statements).most_common(5)
    assert len(_outbox("invitation")) == 1500
    assert (
        client.post(f"/api/v1/events/{event.id}/invitations", json={"contact_ids": ids}).json[
            "already_invited"
        ]
        == 1500
    )


def test_reminders_go_to_pending_invitees_once(app, api, create_event, create_invitation):
    event = create_event(rsvp_deadline=utcnow() + timedelta(days=5))
    pending = create_invitation(event=event).invitation
    create_invitation(event=event, status="accepted")
    create_invitation(event=event, status="declined")
    url = f"/api/v1/events/{event.id}/reminders"
    first = api("organiser").post(url)
    assert first.status_code == 202 and first.json == {"reminded": 1, "skipped": 0}
    (row,) = _outbox("reminder")
    assert row.invitation_id == pending.id
    second = api("organiser").post(url, json={"note": "Son gün yaklaşıyor"})
    assert second.json == {"reminded": 0, "skipped": 1}
    assert len(_outbox("reminder")) == 1
    # a new round once the interval has passed
    pending.reminded_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    third = api("organiser").post(url, json={"note": "Son gün yaklaşıyor"})
    assert third.json["reminded"] == 1
    assert _outbox("reminder")[-1].payload["note"] == "Son gün yaklaşıyor"


def test_reminders_refused_for_drafts_and_cancelled(app, api, create_event):
    draft = create_event(status="draft")
    assert api("organiser").post(f"/api/v1/events/{draft.id}/reminders").status_code == 409
    cancelled = create_event(status="cancelled")
    resp = api("admin").post(f"/api/v1/events/{cancelled.id}/reminders")
    assert resp.status_code == 409 and resp.json["error"]["code"] == "event_cancelled"
    resp = api("admin").post(
        f"/api/v1/events/{draft.id}/reminders", data="x", content_type="text/plain"
    )
    assert resp.status_code == 415


def test_resend_queues_one_more_email_and_audits(app, api, create_event, create_invitation):
    event = create_event()
    inv = create_invitation(event=event).invitation
    resp = api("organiser").post(f"/api/v1/events/{event.id}/invitations/{inv.id}/resend")
    assert resp.status_code == 202
    (row,) = _outbox("invitation")
    assert row.id == resp.json["outgoing_id"]
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "invitation.resend"))
    assert entry.object_id == inv.id and entry.data["outgoing_id"] == row.id
    other = create_event()
    wrong = api("organiser").post(f"/api/v1/events/{other.id}/invitations/{inv.id}/resend")
    assert wrong.status_code == 404
