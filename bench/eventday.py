"""The data of an event day, loaded into a scratch database, and the plan the load generator
works from (who answers what, the secrets it needs, who logs in where).

- A published forum that started an hour ago, Europe/Istanbul, no capacity limit, answers open;
  `invitees` invitations, all still pending: the load answers them (70 % accept, 15 %
  tentative, 15 % decline, fixed by a seeded random generator) and checks in those who accepted.
- Some history for the dashboards: `past_events` ended events with 100 invitations each,
  three quarters of them accepted and most of those checked in.
- An organiser (password, for pages; API token, for inviting), a coordinator (API token) and
  four door-staff phones (API tokens, gates A–D).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from datetime import timedelta

PASSWORD = "bench-password-123"
GATES = ("A", "B", "C", "D")
FIRST = ["Ayşe", "Şükrü", "Gülşen", "İbrahim", "Çağla", "Öykü", "Jane", "Lina", "Rami", "Sara"]
LAST = ["Sarıçam", "Reyhanlı", "Öztürk", "Çağlar", "Doe", "Haddad", "Lindqvist", "Yılmaz"]
LANGUAGES = ("tr", "tr", "tr", "en", "ar", "sv")


@dataclass
class Invitee:
    invitation_id: int
    token: str
    code: str
    email: str
    #: what this invitee answers: accept, tentative or decline
    answer: str


@dataclass
class Plan:
    base_url: str
    event_id: int
    other_event_id: int
    organiser_email: str
    organiser_token: str
    coordinator_token: str
    staff_tokens: dict[str, str]
    invitees: list[Invitee] = field(default_factory=list)
    #: contacts not yet invited (for the drills' fan-outs)
    spare_contact_ids: list[int] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Plan:
        data = dict(data)
        data["invitees"] = [Invitee(**i) for i in data["invitees"]]
        return cls(**data)


def published_forum(title: str, starts_at, organiser):
    """A published nine-hour forum in Istanbul (not added to the session)."""
    from reslog_events.events.models import Event, EventKind, EventLevel, EventStatus

    return Event(
        title=title,
        kind=EventKind.forum,
        level=EventLevel.national,
        status=EventStatus.published,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=9),
        timezone="Europe/Istanbul",
        venue="Kültür Merkezi",
        address="Halaskargazi Cd. 1",
        city="İstanbul",
        country="TR",
        languages=["tr", "en", "ar"],
        description="Göç ve yerel yönetim: açılış, oturumlar, kapanış.",
        organiser=organiser,
    )


def seed_event_day(
    stack, invitees: int = 400, past_events: int = 12, spare_contacts: int = 0, seed: int = 8
) -> Plan:
    """Migrate the scratch database and load the event day; returns the plan."""
    from flask_migrate import upgrade

    from reslog_events.auth.models import Role
    from reslog_events.auth.operations import create_token, create_user
    from reslog_events.checkin.models import CheckIn
    from reslog_events.core.columns import utcnow
    from reslog_events.directory.models import Contact, Organisation, OrganisationKind
    from reslog_events.events.models import Event
    from reslog_events.extensions import db
    from reslog_events.invitations.models import InvitationStatus
    from reslog_events.invitations.operations import build_invitation

    rng = random.Random(seed)
    app = stack.app()
    with app.app_context():
        upgrade()
        organiser = create_user(
            "organiser@bench.test", Role.organiser, name="Bench Organiser", password=PASSWORD
        )
        organiser_token = create_token(organiser)
        coordinator_token = create_token(create_user("coordinator@bench.test", Role.coordinator))
        staff_tokens = {
            gate: create_token(create_user(f"gate-{gate.lower()}@bench.test", Role.staff))
            for gate in GATES
        }
        provinces = [
            ("İstanbul", "TR-34"),
            ("Gaziantep", "TR-27"),
            ("Adana", "TR-01"),
            ("Mersin", "TR-33"),
            ("Hatay", "TR-31"),
            ("Kocaeli", "TR-41"),
        ]
        orgs = [
            Organisation(
                name=f"{provinces[n % len(provinces)][0]} Belediyesi {n:02d}",
                kind=OrganisationKind.municipality,
                country="TR",
                province=provinces[n % len(provinces)][1],
            )
            for n in range(1, 25)
        ]
        db.session.add_all(orgs)
        counter = iter(range(1, 10**7))

        def contact() -> Contact:
            n = next(counter)
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}"
            person = Contact(
                full_name=name,
                email=f"guest{n}@bench.test",
                organisation=rng.choice(orgs),
                language=rng.choice(LANGUAGES),
            )
            db.session.add(person)
            return person

        now = utcnow().replace(microsecond=0)

        def forum(title: str, starts_at) -> Event:
            event = published_forum(title, starts_at, organiser)
            db.session.add(event)
            return event

        for number in range(past_events):
            past = forum(f"Geçmiş forum {number + 1}", now - timedelta(days=14 * (number + 1)))
            db.session.flush()
            for _ in range(100):
                new = build_invitation(past, contact(), invited_by=organiser)
                if rng.random() < 0.75:
                    new.invitation.status = InvitationStatus.accepted
                    if rng.random() < 0.85:
                        db.session.add(
                            CheckIn(
                                event_id=past.id,
                                invitation=new.invitation,
                                day=(past.starts_at + timedelta(hours=3)).date(),
                                checked_in_at=past.starts_at,
                                gate="A",
                            )
                        )
            db.session.flush()

        event = forum("Göç ve Yerel Yönetim Forumu, Şişli", now - timedelta(hours=1))
        other = forum("Başka bir gün", now + timedelta(days=30))
        answers = ["accept"] * 70 + ["tentative"] * 15 + ["decline"] * 15
        planned = []
        for _ in range(invitees):
            new = build_invitation(event, contact(), invited_by=organiser)
            planned.append((new, rng.choice(answers)))
        spare = [contact() for _ in range(spare_contacts)]
        db.session.commit()
        return Plan(
            base_url=stack.base_url,
            event_id=event.id,
            other_event_id=other.id,
            organiser_email=organiser.email,
            organiser_token=organiser_token,
            coordinator_token=coordinator_token,
            staff_tokens=staff_tokens,
            invitees=[
                Invitee(
                    invitation_id=new.invitation.id,
                    token=new.rsvp_token,
                    code=new.checkin_code,
                    email=new.invitation.contact.email,
                    answer=answer,
                )
                for new, answer in planned
            ],
            spare_contact_ids=[c.id for c in spare],
        )
