"""Stored text is escaped in every email kind registered in `mail.messages.RENDERERS` (HTML part),
kept as typed in the plain-text part, and cannot add properties to a calendar entry."""

from __future__ import annotations

from datetime import timedelta

from tests.security.escaping.hostile import IMG, SCRIPT, assert_escaped, hostile


def _outgoing(world):
    """One outbox row of every email kind, about the hostile world."""
    from reslog_events.extensions import db
    from reslog_events.mail.models import OutboxStatus, OutgoingEmail
    from reslog_events.mail.outbox import queue_email

    accepted = world["accepted"].invitation
    pending = world["pending"].invitation
    waiting = world["waiting"].invitation
    earlier = queue_email("invitation", invitation=pending)
    earlier.status = OutboxStatus.sent  # the cancellation goes to those who heard of the event
    rows = {
        "invitation": queue_email("invitation", invitation=pending),
        "update": queue_email(
            "update",
            invitation=pending,
            payload={"changes": {"starts_at": [None, None], "venue": ["a", "b"]}},
        ),
        "reminder": queue_email("reminder", invitation=pending),
        "confirmation": queue_email("confirmation", invitation=accepted),
        "promotion": queue_email("promotion", invitation=accepted),
        "waitlisted": queue_email("waitlisted", invitation=waiting),
        "report_ready": queue_email(
            "report_ready", user=world["coordinator"], payload={"run_id": world["run"].id}
        ),
        "monthly_summary": queue_email(
            "monthly_summary",
            user=world["coordinator"],
            payload={"run_id": world["run"].id, "period": "2026-01", "totals": {}},
        ),
    }
    db.session.flush()
    rows["cancellation"] = queue_email("cancellation", invitation=pending)
    rows.update(_account_links())
    db.session.commit()
    return rows, OutgoingEmail


def _account_links():
    """The invitation and reset emails, to users with hostile names."""
    from reslog_events.admin import operations
    from reslog_events.auth.models import Role
    from reslog_events.mail.models import OutgoingEmail

    invited, _token = operations.invite_user(
        "invited@example.org", Role.staff, name=hostile("Davetli"), by=None
    )
    reset = operations.invite_user("reset@example.org", Role.staff, name=hostile("Reset"), by=None)
    reset[0].password_hash = "x"
    operations.send_password_reset(reset[0], by=None)
    rows = {}
    for kind in ("account_invite", "password_reset"):
        rows[kind] = OutgoingEmail.query.filter_by(kind=kind).order_by(OutgoingEmail.id).first()
    return rows


def _after_event_rows(world, create_event, create_invitation) -> dict:
    """The reminder before the start (an event still ahead), the certificate (an event that
    has ended, attended), a message to a group and the minutes' notice (the world's event), about
    hostile text."""
    from datetime import date

    from reslog_events.certificates.operations import issue_certificate
    from reslog_events.checkin.models import CheckIn
    from reslog_events.core.columns import utcnow
    from reslog_events.documents.models import DocumentKind, EventDocument, Visibility
    from reslog_events.extensions import db
    from reslog_events.mail.outbox import queue_email
    from reslog_events.messages.models import Audience, EventMessage

    contact = world["accepted"].invitation.contact
    ahead = create_event(
        title=hostile("Ahead"),
        venue=hostile("Salon"),
        address=hostile("Cadde"),
        starts_at=utcnow().replace(microsecond=0) + timedelta(hours=5),
    )
    coming = create_invitation(event=ahead, contact=contact, status="accepted").invitation
    past = create_event(
        title=hostile("Past"), starts_at=utcnow().replace(microsecond=0) - timedelta(days=3)
    )
    came = create_invitation(event=past, contact=contact, status="accepted").invitation
    db.session.add(CheckIn(event_id=past.id, invitation_id=came.id, day=date.today()))
    issue_certificate(came)
    from reslog_events.core.tokens import digest, seal
    from reslog_events.feedback.models import FeedbackRequest, FeedbackSurvey

    db.session.add(FeedbackSurvey(event_id=past.id, default_language="tr"))
    db.session.add(
        FeedbackRequest(
            invitation_id=came.id, token_hash=digest("t" * 27), token_sealed=seal("t" * 27)
        )
    )
    message = EventMessage(
        event_id=world["event"].id,
        audience=Audience.accepted,
        subject={"tr": hostile("Konu")},
        body={"tr": hostile("Mesaj")},
        default_language="tr",
    )
    minutes = EventDocument(
        event_id=world["event"].id,
        kind=DocumentKind.minutes,
        visibility=Visibility.attendees,
        title=hostile("Tutanak"),
        body=hostile("Kararlar"),
    )
    db.session.add_all([message, minutes])
    db.session.flush()
    rows = {
        "event_reminder": queue_email(
            "event_reminder", invitation=coming, payload={"starts_at": ahead.starts_at.isoformat()}
        ),
        "certificate": queue_email("certificate", invitation=came),
        "feedback_survey": queue_email("feedback_survey", invitation=came),
        "event_message": queue_email(
            "event_message",
            invitation=world["accepted"].invitation,
            payload={"message_id": message.id},
        ),
        "minutes_notice": queue_email(
            "minutes_notice",
            invitation=world["accepted"].invitation,
            payload={"document_id": minutes.id},
        ),
    }
    db.session.commit()
    return rows


def test_every_email_kind_shows_stored_text_as_text(world, api, create_event, create_invitation):
    from reslog_events.extensions import db
    from reslog_events.mail.messages import RENDERERS
    from reslog_events.mail.models import OutgoingEmail

    event = world["event"]
    sent = api("organiser").post(f"/api/v1/events/{event.id}/itinerary/send", json={})
    assert sent.status_code in (200, 202), sent.json
    rows, _model = _outgoing(world)
    rows.update(_after_event_rows(world, create_event, create_invitation))
    for row in db.session.query(OutgoingEmail).filter_by(kind="itinerary"):
        rows["itinerary"] = row
    # the app's kinds (other tests register kinds of their own)
    kinds = {k for k, fn in RENDERERS.items() if fn.__module__.startswith("reslog_events.")}
    assert set(rows) == kinds, "a new email kind: add a row for it here"
    for kind, row in sorted(rows.items()):
        for language in ("en", "ar"):
            row.language = language
            rendered = RENDERERS[kind](row)
            assert_escaped(
                rendered.html, f"{kind} email ({language})", must_show=kind != "report_ready"
            )
            # the plain-text part is text: the name as typed, no entities
            if kind != "report_ready":
                assert SCRIPT in rendered.text or IMG in rendered.text, kind
            assert "\n" not in rendered.subject and "\r" not in rendered.subject


def test_line_breaks_in_stored_text_cannot_add_calendar_properties(
    client, create_event, create_invitation
):
    injected = "ATTENDEE;ROLE=CHAIR:mailto:evil@example.org"
    event = create_event(title=f"Forum\r\n{injected}", venue=f"Salon\n{injected}")
    new = create_invitation(event=event, status="accepted")
    resp = client.get(f"/rsvp/{new.rsvp_token}/calendar.ics")
    assert resp.status_code == 200
    lines = resp.get_data(as_text=True).replace("\r\n ", "").split("\r\n")
    assert not [line for line in lines if line.startswith("ATTENDEE;ROLE=CHAIR")]
    assert any(line.startswith("SUMMARY:Forum\\n") for line in lines)
