"""One world of hostile data (organisation, contact, event, answers, agenda, itinerary, scans,
a walk-in, report results) for the escaping tests of pages and emails."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.security.escaping.hostile import HOSTILE, hostile


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
