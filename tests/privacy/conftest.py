"""A person with data everywhere the system keeps some, and a few others around them.

Rüya (refugee community, female, Şişli) was invited to three events:
  past    (2024, ended): accepted, answers with needs and consents, checked in (written
          directly), a sent invitation email with a bounce-like delivery event naming her
  current (today):     accepted by an organiser on her behalf (a note naming her), checked in at
          gate A through the door API (scan log), in the delegation with visa notes, a session
          chosen; a confirmation email still queued
  future  (next year): pending, an invitation email still queued
Others: Deniz (male, staff, Şişli) accepted and attended the past event; Erik (Malmö) declined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

NAME = "Rüya Nurhan Al-Khatib"
EMAIL = "ruya.alkhatib@example.org"
PHONE = "+90 532 111 22 33"


@dataclass
class Person:
    contact: object
    events: dict[str, object]
    invitations: dict[str, object]
    codes: dict[str, str]
    tokens: dict[str, str]
    others: dict[str, object] = field(default_factory=dict)


@pytest.fixture
def person(app, api, create_organisation, create_contact, create_event, create_invitation):
    from reslog_events.audit.operations import record
    from reslog_events.checkin.models import CheckIn
    from reslog_events.core.columns import utcnow
    from reslog_events.extensions import db
    from reslog_events.mail.models import DeliveryEvent, OutboxStatus
    from reslog_events.mail.outbox import queue_email
    from reslog_events.programme.models import AgendaSession, DelegationMember, SessionChoice

    sisli = create_organisation(name="Şişli Belediyesi", province="İstanbul")
    malmo = create_organisation(name="Malmö stad", country="SE")
    contact = create_contact(
        full_name=NAME,
        email=EMAIL,
        phone=PHONE,
        position="Göç Masası Uzmanı",
        gender="female",
        role_category="refugee_community",
        language="ar",
        organisation=sisli,
    )
    record("contact.create", contact, {"full_name": NAME, "walk_in": False})
    deniz = create_contact(
        full_name="Deniz Kaya", gender="male", role_category="municipal_staff", organisation=sisli
    )
    erik = create_contact(
        full_name="Erik Lindqvist",
        gender="male",
        role_category="international_partner",
        organisation=malmo,
    )
    now = utcnow().replace(microsecond=0)
    events = {
        "past": create_event(
            title="Yerel Yönetimler Forumu",
            starts_at=datetime(2024, 3, 5, 6, 0, tzinfo=UTC),
            ends_at=datetime(2024, 3, 5, 14, 0, tzinfo=UTC),
        ),
        "current": create_event(
            title="Göç Çalıştayı",
            kind="peer_visit",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=5),
        ),
        "future": create_event(
            title="Gelecek Eğitim",
            starts_at=now + timedelta(days=300),
            ends_at=now + timedelta(days=300, hours=6),
        ),
    }
    new = {
        "past": create_invitation(
            event=events["past"],
            contact=contact,
            status="accepted",
            dietary_needs="No nuts — Rüya Nurhan Al-Khatib",
            accessibility_needs="Wheelchair access",
            diet_choices=["halal"],
            access_choices=["wheelchair"],
            interpretation_language="ar",
            consent_data_at=datetime(2024, 2, 1, tzinfo=UTC),
            consent_photos=False,
            responded_at=datetime(2024, 2, 1, tzinfo=UTC),
        ),
        "current": create_invitation(event=events["current"], contact=contact),
        "future": create_invitation(event=events["future"], contact=contact),
    }
    inv = {key: n.invitation for key, n in new.items()}
    others = {
        "deniz": create_invitation(
            event=events["past"], contact=deniz, status="accepted", diet_choices=["vegan"]
        ).invitation,
        "erik": create_invitation(event=events["past"], contact=erik, status="declined").invitation,
    }
    db.session.add_all(
        [
            CheckIn(
                event_id=events["past"].id,
                invitation_id=inv["past"].id,
                day=datetime(2024, 3, 5).date(),
                checked_in_at=datetime(2024, 3, 5, 6, 30, tzinfo=UTC),
                gate="B",
                method="scan",
            ),
            CheckIn(
                event_id=events["past"].id,
                invitation_id=others["deniz"].id,
                day=datetime(2024, 3, 5).date(),
                checked_in_at=datetime(2024, 3, 5, 6, 40, tzinfo=UTC),
                gate="B",
                method="scan",
            ),
        ]
    )
    sent = queue_email("invitation", invitation=inv["past"])
    sent.status = OutboxStatus.sent
    sent.subject = "Davet: Yerel Yönetimler Forumu — Rüya Nurhan Al-Khatib"
    sent.sent_at = datetime(2024, 2, 1, tzinfo=UTC)
    sent.provider_message_id = "msg-1"
    db.session.add(
        DeliveryEvent(
            provider_event_id="sg-1",
            outgoing_email_id=sent.id,
            event="deferred",
            reason=f"451 mailbox of {EMAIL} is full",
            occurred_at=datetime(2024, 2, 1, 0, 5, tzinfo=UTC),
        )
    )
    queue_email("invitation", invitation=inv["future"])
    session = AgendaSession(
        event=events["current"],
        title="Açılış",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
    )
    db.session.add(session)
    db.session.flush()
    db.session.add(SessionChoice(invitation_id=inv["current"].id, session_id=session.id))
    db.session.add(
        DelegationMember(
            invitation_id=inv["current"].id,
            arrives_at=now - timedelta(days=1),
            departs_at=now + timedelta(days=2),
            travel_details="TK 2410",
            visa_notes="Passport of Rüya Nurhan Al-Khatib expires soon",
            accommodation_notes="Single room",
        )
    )
    db.session.commit()

    answered = api("organiser").post(
        f"/api/v1/invitations/{inv['current'].id}/answer",
        json={
            "response": "accept",
            "consent_data": True,
            "dietary_needs": "Vegetarian",
            "interpretation_language": "ar",
            "note": f"By phone with {NAME}",
        },
    )
    assert answered.status_code == 200, answered.json
    scanned = api("staff").post(
        f"/api/v1/events/{events['current'].id}/checkins",
        json={"code": new["current"].checkin_code, "gate": "A", "nonce": "scan-0001"},
    )
    assert scanned.status_code == 201, scanned.json
    db.session.expire_all()
    return Person(
        contact=contact,
        events=events,
        invitations=inv,
        codes={k: n.checkin_code for k, n in new.items()},
        tokens={k: n.rsvp_token for k, n in new.items()},
        others={"deniz": deniz, "erik": erik, **{f"inv_{k}": v for k, v in others.items()}},
    )
