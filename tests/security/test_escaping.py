"""Stored text from invitees, organisers and imports is escaped in every page and every email:
names like `<script>…` or `"><img onerror…>` appear as text, never as markup.

One world of hostile data (organisation, contact, event, answers, agenda, itinerary, scans,
a walk-in, report results) is rendered through every page that shows it and through every
email kind registered in `mail.messages.RENDERERS`."""

from __future__ import annotations

from datetime import timedelta

import pytest

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = f"{SCRIPT}{IMG}"
#: what must never appear in HTML: the markup, live
RAW = ("<script>alert(1)", "<img src=x")
#: how the text shows when it is escaped (Jinja/MarkupSafe)
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")


def hostile(label: str) -> str:
    return f"{label} {HOSTILE}"


def assert_escaped(html: str, where: str, *, must_show: bool = True) -> None:
    for raw in RAW:
        assert raw not in html, f"{where}: unescaped {raw!r}"
    if must_show:
        assert any(text in html for text in ESCAPED), f"{where}: the hostile text is not shown"


@pytest.fixture
def world(
    app, api, create_user, create_organisation, create_contact, create_event, create_invitation
):
    """Hostile text in every field people fill in, reached through the API where it has one."""
    from reslog_events.core.columns import utcnow
    from reslog_events.extensions import db
    from reslog_events.invitations.models import InvitationStatus
    from reslog_events.reports.models import ReportRun
    from reslog_events.reports.queries import CONTRACT_COUNTS

    organiser = api("organiser")
    union = create_organisation(name=hostile("Union"), kind="union", code="TBB")
    org = create_organisation(
        name=hostile("Belediye"), province=hostile("Il"), district=hostile("Ilce"), unions=[union]
    )
    contact = create_contact(
        full_name=hostile("Ayşe"), position=hostile("Müdür"), organisation=org, language="en"
    )
    starts = utcnow().replace(microsecond=0, second=0) - timedelta(hours=1)
    event = create_event(
        title=hostile("Forum"),
        venue=hostile("Salon"),
        address=hostile("Cadde"),
        city=hostile("Şehir"),
        description=hostile("About"),
        starts_at=starts,
        ends_at=starts + timedelta(days=1),
        capacity=1,
        host_organisation_id=org.id,
        is_public=True,
        published_at=starts - timedelta(days=10),
    )
    accepted = create_invitation(event=event, contact=contact, status="accepted")
    inv = accepted.invitation
    inv.dietary_needs = hostile("Diet")
    inv.accessibility_needs = hostile("Access")
    pending = create_invitation(
        event=event, contact=create_contact(full_name=hostile("Pending"), organisation=org)
    )
    waiting = create_invitation(
        event=event,
        contact=create_contact(full_name=hostile("Waiting"), organisation=org),
        status="waitlisted",
    )
    db.session.commit()
    session = organiser.post(
        f"/api/v1/events/{event.id}/sessions",
        json={
            "title": hostile("Session"),
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
            "room_or_site": hostile("Room"),
            "speakers": hostile("Speaker"),
            "description": hostile("Talk"),
        },
    )
    assert session.status_code == 201, session.json
    organiser.patch(
        f"/api/v1/events/{event.id}/programme", json={"delegation_note": hostile("Note")}
    )
    site = organiser.post(
        f"/api/v1/events/{event.id}/sites",
        json={
            "day": event.local_starts_at.date().isoformat(),
            "host_name": hostile("Host"),
            "address": hostile("Sokak"),
            "contact_name": hostile("Contact"),
            "notes": hostile("Notes"),
        },
    )
    assert site.status_code == 201, site.json
    member = organiser.post(
        f"/api/v1/events/{event.id}/delegation",
        json={"invitation_id": inv.id, "travel_details": hostile("Flight")},
    )
    assert member.status_code == 201, member.json
    staff = api("staff")
    scan = staff.post(
        f"/api/v1/events/{event.id}/checkins",
        json={"code": HOSTILE, "nonce": "hostile-scan-1", "gate": hostile("Gate")[:40]},
    )
    assert scan.status_code == 404
    walk_in = staff.post(
        f"/api/v1/events/{event.id}/walk-ins",
        json={"full_name": hostile("Walkin"), "nonce": "hostile-walk-1", "gate": "A"},
    )
    assert walk_in.status_code == 201, walk_in.json
    coordinator = create_user("coordinator", name=hostile("Koordinatör"))
    from reslog_events.audit.operations import record
    from reslog_events.auth.operations import create_token

    create_token(coordinator, name=hostile("Token")[:100])
    record("event.update", event, {"changes": hostile("Change")}, user_id=coordinator.id)
    counts = dict.fromkeys(CONTRACT_COUNTS, 1)
    row = {"key": org.id, "label": hostile("Label"), **counts}
    run = ReportRun(
        requested_by_id=coordinator.id,
        params={"group_by": "organisation"},
        status="done",
        progress=100,
        result={"rows": [row], "totals": counts},
        period="2026-01",
        scheduled=True,
        finished_at=utcnow(),
    )
    db.session.add(run)
    db.session.commit()
    assert waiting.invitation.status == InvitationStatus.waitlisted
    return {
        "event": event,
        "org": org,
        "contact": contact,
        "accepted": accepted,
        "pending": pending,
        "waiting": waiting,
        "session_id": session.json["id"],
        "site_id": site.json["id"],
        "member_id": member.json["id"],
        "run": run,
        "coordinator": coordinator,
    }


#: (page, role, path made from the world): every page that shows stored text
PAGES = [
    ("organisations", "organiser", lambda w: "/organisations"),
    ("organisations search", "organiser", lambda w: "/organisations?q=Belediye"),
    ("organisation", "organiser", lambda w: f"/organisations/{w['org'].id}"),
    ("organisation form", "organiser", lambda w: f"/organisations/{w['org'].id}/edit"),
    ("contacts", "organiser", lambda w: "/contacts"),
    ("contact form", "organiser", lambda w: f"/contacts/{w['contact'].id}"),
    ("contact privacy", "organiser", lambda w: f"/contacts/{w['contact'].id}/privacy"),
    ("contact erase", "organiser", lambda w: f"/contacts/{w['contact'].id}/privacy/erase"),
    ("events", "organiser", lambda w: "/events"),
    ("event hub", "organiser", lambda w: f"/events/{w['event'].id}"),
    ("event form", "organiser", lambda w: f"/events/{w['event'].id}/edit"),
    ("event cancel", "organiser", lambda w: f"/events/{w['event'].id}/cancel"),
    ("invitations", "organiser", lambda w: f"/events/{w['event'].id}/invitations"),
    ("invite", "organiser", lambda w: f"/events/{w['event'].id}/invitations/new"),
    ("invitation preview", "organiser", lambda w: f"/events/{w['event'].id}/invitations/preview"),
    (
        "invitation history",
        "organiser",
        lambda w: f"/events/{w['event'].id}/invitations/{w['accepted'].invitation.id}",
    ),
    ("answers", "organiser", lambda w: f"/events/{w['event'].id}/answers"),
    (
        "answer form",
        "organiser",
        lambda w: f"/events/{w['event'].id}/answers/{w['accepted'].invitation.id}",
    ),
    ("agenda", "organiser", lambda w: f"/events/{w['event'].id}/agenda"),
    (
        "session form",
        "organiser",
        lambda w: f"/events/{w['event'].id}/agenda/{w['session_id']}/edit",
    ),
    ("itinerary", "organiser", lambda w: f"/events/{w['event'].id}/itinerary"),
    (
        "site form",
        "organiser",
        lambda w: f"/events/{w['event'].id}/itinerary/sites/{w['site_id']}/edit",
    ),
    (
        "member form",
        "organiser",
        lambda w: f"/events/{w['event'].id}/delegation/{w['member_id']}/edit",
    ),
    ("scanner", "staff", lambda w: f"/events/{w['event'].id}/checkin"),
    ("checkin log", "staff", lambda w: f"/events/{w['event'].id}/checkin/log"),
    ("calendar", "organiser", lambda w: f"/calendar?date={w['event'].local_starts_at.date()}"),
    (
        "calendar list",
        "organiser",
        lambda w: f"/calendar?view=list&date={w['event'].local_starts_at.date()}",
    ),
    ("public programme", None, lambda w: "/programme"),
    ("public event", None, lambda w: f"/programme/{w['event'].id}"),
    ("reports dashboard", "coordinator", lambda w: "/reports?group_by=organisation"),
    ("reports by event", "coordinator", lambda w: "/reports?group_by=event"),
    ("reports drill-down", "coordinator", lambda w: f"/reports/organisations/{w['org'].id}"),
    ("report run", "admin", lambda w: f"/reports/runs/{w['run'].id}"),
    ("rsvp page", None, lambda w: f"/rsvp/{w['accepted'].rsvp_token}"),
    ("rsvp page (pending)", None, lambda w: f"/rsvp/{w['pending'].rsvp_token}"),
    ("rsvp page (waitlisted)", None, lambda w: f"/rsvp/{w['waiting'].rsvp_token}"),
    ("users", "admin", lambda w: "/admin/users"),
    ("user", "admin", lambda w: f"/admin/users/{w['coordinator'].id}"),
    ("audit log", "admin", lambda w: "/admin/audit"),
    ("account", "coordinator", lambda w: "/account"),
]


@pytest.mark.parametrize(("name", "role", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_show_stored_text_as_text(world, client, auth, name, role, path):
    if role is not None:
        user = world["coordinator"] if role == "coordinator" else None
        auth.login(role, user=user)
    resp = client.get(path(world))
    assert resp.status_code == 200, (name, resp.status_code)
    assert_escaped(resp.get_data(as_text=True), name)


def test_checkin_search_answers_json_with_the_names_as_data(world, api):
    event = world["event"]
    resp = api("staff").get(f"/api/v1/events/{event.id}/checkins/search?q=Ayşe")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert resp.json["items"][0]["full_name"] == world["contact"].full_name


def test_the_scanner_config_is_json_that_cannot_close_its_script(world, client, auth):
    auth.login("staff")
    html = client.get(f"/events/{world['event'].id}/checkin").get_data(as_text=True)
    config = html.split('id="checkin-config">', 1)[1].split("</script>", 1)[0]
    assert "<" not in config  # tojson writes < as \u003c: the data cannot end the element


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
