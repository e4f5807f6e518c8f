"""The data of bench.pages: the reports benchmark's five years of invitations (scaled) and a
published forum of pending invitations whose RSVP tokens the benchmark uses."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bench import reports_data as world_data
from bench.eventday import published_forum

PASSWORD = "bench-password-123"


@dataclass
class Data:
    url: str
    event_id: int
    tokens: list[str] = field(default_factory=list)
    organiser: str = "organiser@bench.test"

    def __post_init__(self) -> None:
        #: invitees who have not answered yet, shared by every checkout measured
        self.answerers = iter(self.tokens[len(self.tokens) // 5 :])


def load_world(url: str, invitations: int) -> None:
    """The reports benchmark's five years (scaled to `invitations`), by COPY."""
    world_data.INVITATIONS = invitations
    world_data.CHECKINS = invitations * 3 // 5
    now = datetime.now(UTC).replace(microsecond=0)
    world = world_data.World(now)
    rows = list(world.invitations())
    tables = world_data._rows(world, rows, world.checkins(rows))
    del rows
    world_data.load_postgres(url, tables)


def seed_forum(url: str, size: int) -> Data:
    """A published forum under way tomorrow with `size` pending invitations (Turkish names,
    the four languages), an organiser with a password."""
    from reslog_events.auth.models import Role, User
    from reslog_events.auth.operations import create_user
    from reslog_events.core.columns import utcnow
    from reslog_events.directory.models import Contact, Organisation, OrganisationKind
    from reslog_events.extensions import db
    from reslog_events.invitations.operations import build_invitation

    app = world_data._app_for(url)
    rng = random.Random(17)
    run = random.randrange(16**4)  # a forum per run on a reused database: names stay unique
    with app.app_context():
        organiser = db.session.scalar(sa.select(User).filter_by(email="organiser@bench.test"))
        organiser = organiser or create_user(
            "organiser@bench.test", Role.organiser, name="Bench Organiser", password=PASSWORD
        )
        orgs = [
            Organisation(
                name=f"Şişli Belediyesi {run}-{n:02d}",
                kind=OrganisationKind.municipality,
                country="TR",
            )
            for n in range(1, 25)
        ]
        db.session.add_all(orgs)
        now = utcnow().replace(microsecond=0)
        event = published_forum(
            "Göç ve Yerel Yönetim Forumu, Şişli", now + timedelta(days=1), organiser
        )
        db.session.add(event)
        db.session.flush()
        tokens = []
        for n in range(size):
            person = Contact(
                full_name=f"Ayşe Sarıçam {n}",
                email=f"guest{n}-{run}@pages.bench.test",
                organisation=rng.choice(orgs),
                language=rng.choice(("tr", "tr", "en", "ar", "sv")),
            )
            db.session.add(person)
            tokens.append(build_invitation(event, person, invited_by=organiser).rsvp_token)
            if n % 500 == 0:
                db.session.flush()
        db.session.commit()
        rng.shuffle(tokens)
        return Data(url=url, event_id=event.id, tokens=tokens)
