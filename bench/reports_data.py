"""The data of bench.reports (and bench.pages): five years of a municipal union's events, made
deterministically from SEED — 1,400 organisations, 70,000 contacts, 2,600 events, 1,000,000
invitations and 600,000 check-ins — as rows per table, loaded into a migrated scratch database
(COPY on PostgreSQL, executemany on SQLite), and the app that reads it.

bench.pages scales it down by setting INVITATIONS and CHECKINS here before building a World.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

ORGANISATIONS = 1_400
CONTACTS_PER_ORG = 50
INVITATIONS = 1_000_000
CHECKINS = 600_000
EVENTS = 2_600
YEARS = 5
SEED = 20240301

STATUSES = (
    ("accepted", 0.55),
    ("declined", 0.15),
    ("tentative", 0.05),
    ("pending", 0.15),
    ("waitlisted", 0.03),
    ("revoked", 0.04),
    ("walk_in", 0.03),
)
ATTEND = {"accepted": 0.9, "tentative": 0.45, "walk_in": 1.0, "pending": 0.06, "declined": 0.02}
KINDS = ("roundtable", "forum", "workshop", "peer_visit", "training", "study_visit", "meeting")
LEVELS = ("local", "regional", "national", "international")
#: ISO 3166-2 codes of the 81 Turkish provinces (the directory stores codes)
PROVINCES = [f"TR-{n:02d}" for n in range(1, 82)]


# -- data ----------------------------------------------------------------------------------


class World:
    """Every row of the scratch database, made deterministically from SEED."""

    def __init__(self, now: datetime) -> None:
        rng = random.Random(SEED)
        self.now = now
        self.organisations: list[tuple] = []
        self.memberships: list[tuple[int, int]] = []
        for code, name in (
            ("TBB", "Türkiye Belediyeler Birliği"),
            ("MBB", "Marmara BB"),
            (
                "CBB",
                "Çukurova BB",
            ),
        ):
            oid = len(self.organisations) + 1
            self.organisations.append((oid, name, "union", code, "TR", "TR-06"))
        for n in range(len(self.organisations) + 1, ORGANISATIONS + 1):
            country = "TR" if n % 20 else rng.choice(("LB", "SE", "JO"))
            kind = "municipality" if n % 10 else "ngo"
            province = rng.choice(PROVINCES)  # drawn for every row: the same world as before
            self.organisations.append(
                (
                    n,
                    f"Belediye {n:04d} Şişli",
                    kind,
                    None,
                    country,
                    province if country == "TR" else None,
                )
            )
            if kind == "municipality" and country == "TR":
                self.memberships.append((n, 1))
                if rng.random() < 0.25:
                    self.memberships.append((n, rng.choice((2, 3))))
        self.contacts = []
        for org in range(1, ORGANISATIONS + 1):
            for _k in range(CONTACTS_PER_ORG):
                cid = len(self.contacts) + 1
                self.contacts.append(
                    (
                        cid,
                        f"Kişi {cid}",
                        org,
                        rng.choice(("female", "male", "female", "male", "undisclosed")),
                        rng.choice(
                            ("elected_official", "municipal_staff", "municipal_staff", "academic")
                        ),
                    )
                )
        start = now - timedelta(days=365 * YEARS)
        span = (now + timedelta(days=60) - start).total_seconds()
        self.events = []
        for eid in range(1, EVENTS + 1):
            begins = start + timedelta(seconds=rng.random() * span)
            begins = begins.replace(minute=0, second=0, microsecond=0)
            days = 2 if rng.random() < 0.2 else 1
            ends = begins + timedelta(days=days - 1, hours=8)
            status = "cancelled" if rng.random() < 0.03 else "published"
            self.events.append(
                (
                    eid,
                    f"Etkinlik {eid}",
                    rng.choice(KINDS),
                    rng.choice(LEVELS),
                    status,
                    begins,
                    ends,
                    days,
                )
            )
        self.rng = rng

    def invitations(self) -> Iterator[tuple]:
        """(id, event_id, contact_id, organisation_id, status, is_walk_in) × 1,000,000."""
        rng = self.rng
        per_event = INVITATIONS // EVENTS
        extra = INVITATIONS - per_event * EVENTS
        names = [s for s, _w in STATUSES]
        weights = [w for _s, w in STATUSES]
        iid = 0
        for index, event in enumerate(self.events):
            count = per_event + (1 if index < extra else 0)
            for contact in rng.sample(range(1, len(self.contacts) + 1), count):
                iid += 1
                status = rng.choices(names, weights)[0]
                walk_in = status == "walk_in"
                org = self.contacts[contact - 1][2]
                if rng.random() < 0.01:  # moved since: counted where they were
                    org = rng.randint(4, ORGANISATIONS)
                yield (iid, event[0], contact, org, "pending" if walk_in else status, walk_in)

    def checkins(self, invitations: list[tuple]) -> list[tuple]:
        """(invitation_id, event_id, day) × exactly CHECKINS, for events that have begun."""
        rng = self.rng
        events = {e[0]: e for e in self.events}
        candidates = []
        for iid, event_id, _contact, _org, status, walk_in in invitations:
            event = events[event_id]
            if event[5] > self.now:
                continue
            kind = "walk_in" if walk_in else status
            if rng.random() >= ATTEND.get(kind, 0):
                continue
            first = event[5].date()
            candidates.append((iid, event_id, first))
            if event[7] == 2 and rng.random() < 0.85:
                candidates.append((iid, event_id, first + timedelta(days=1)))
        rng.shuffle(candidates)
        if len(candidates) < CHECKINS:
            raise SystemExit(f"only {len(candidates)} check-in candidates; raise ATTEND")
        return candidates[:CHECKINS]


# -- loading -------------------------------------------------------------------------------


def _migrate(url: str):
    from flask_migrate import upgrade

    from reslog_events import create_app

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "EMBEDDED_WORKER": False}
    )
    with app.app_context():
        upgrade()
    return app


def _rows(world: World, invitations: list[tuple], checkins: list[tuple]):
    now = world.now
    orgs = [
        (oid, name, name.lower(), f"{oid:06d}", kind, code, country, province, now, now)
        for oid, name, kind, code, country, province in world.organisations
    ]
    contacts = [
        (cid, name, name.lower(), f"{cid:08d}", org, role, gender, "tr", now, now)
        for cid, name, org, gender, role in world.contacts
    ]
    events = [
        (
            eid,
            title,
            kind,
            level,
            status,
            begins,
            ends,
            "Europe/Istanbul",
            "[]",
            "",
            False,
            0,
            now,
            now,
        )
        for eid, title, kind, level, status, begins, ends, _days in world.events
    ]
    invs = [
        (
            iid,
            eid,
            cid,
            org,
            status,
            "sent",
            f"u{iid:031d}",
            f"t{iid:063d}",
            "x",
            f"c{iid:063d}",
            "x",
            walk_in,
            now,
            now,
            "[]",
            "[]",
        )
        for iid, eid, cid, org, status, walk_in in invitations
    ]
    checks = [
        (n, eid, iid, day, datetime(day.year, day.month, day.day, 7, tzinfo=UTC), "", "scan", now)
        for n, (iid, eid, day) in enumerate(checkins, start=1)
    ]
    return {
        "organisations": (
            "id, name, search_key, sort_key, kind, code, country, province, created_at, updated_at",
            orgs,
        ),
        "union_memberships": ("organisation_id, union_id", world.memberships),
        "contacts": (
            "id, full_name, search_key, sort_key, organisation_id, role_category, gender, "
            "language, created_at, updated_at",
            contacts,
        ),
        "events": (
            "id, title, kind, level, status, starts_at, ends_at, timezone, languages, "
            "description, is_public, sequence, created_at, updated_at",
            events,
        ),
        "invitations": (
            "id, event_id, contact_id, organisation_id, status, email_status, uid, token_hash, "
            "token_sealed, checkin_code_hash, checkin_code_sealed, is_walk_in, invited_at, "
            "updated_at, diet_choices, access_choices",
            invs,
        ),
        "checkins": (
            "id, event_id, invitation_id, day, checked_in_at, gate, method, created_at",
            checks,
        ),
    }


def load_postgres(url: str, tables: dict) -> None:
    """COPY every table; the fact triggers are switched off for the load and the facts
    rebuilt in one INSERT … SELECT (as one would for any bulk import)."""
    import psycopg

    conninfo = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(conninfo) as conn:
        conn.execute("ALTER TABLE invitations DISABLE TRIGGER attendance_facts_of_invitation")
        conn.execute("ALTER TABLE checkins DISABLE TRIGGER attendance_facts_of_checkin")
        for table, (columns, rows) in tables.items():
            with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        conn.execute("ALTER TABLE invitations ENABLE TRIGGER attendance_facts_of_invitation")
        conn.execute("ALTER TABLE checkins ENABLE TRIGGER attendance_facts_of_checkin")
        for table in ("organisations", "contacts", "events", "invitations", "checkins"):
            conn.execute(
                f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"  # noqa: S608
            )
        conn.commit()
    _rebuild(url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def load_sqlite(url: str, tables: dict) -> None:
    """executemany in one transaction; the triggers fill the facts as rows arrive."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        for table, (columns, rows) in tables.items():
            marks = ", ".join("?" for _c in columns.split(","))
            prepared = [
                tuple(
                    v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                    if isinstance(v, datetime)
                    else v.isoformat()
                    if isinstance(v, date)
                    else v
                    for v in row
                )
                for row in rows
            ]
            raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def _rebuild(url: str) -> None:
    app = _app_for(url)
    from reslog_events.extensions import db
    from reslog_events.reports.operations import rebuild_attendance_facts

    with app.app_context():
        rebuild_attendance_facts()
        db.session.commit()


_APPS: dict[str, object] = {}


def _app_for(url: str):
    from reslog_events import create_app

    if url not in _APPS:
        _APPS[url] = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "EMBEDDED_WORKER": False}
        )
    return _APPS[url]
