"""The door's statements, built once on the tables (plain Core: no ORM unit of work on the
hot path) and compiled once per dialect by SQLAlchemy's statement cache."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..audit.models import AuditLog
from ..core.columns import UTCDateTime
from ..directory.models import Contact, Organisation
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation
from .models import CheckIn, ScanLog

_events = Event.__table__
_invitations = Invitation.__table__
_contacts = Contact.__table__
_organisations = Organisation.__table__
_checkins = CheckIn.__table__
_scan_log = ScanLog.__table__

EVENT = sa.select(
    _events.c.id,
    _events.c.title,
    _events.c.status,
    _events.c.timezone,
    _events.c.starts_at,
    _events.c.ends_at,
    _events.c.capacity,
).where(_events.c.id == sa.bindparam("event_id"))
_ATTENDEE_COLUMNS = (
    _invitations.c.id,
    _invitations.c.event_id,
    _invitations.c.status,
    _invitations.c.is_walk_in,
    _contacts.c.full_name,
    _organisations.c.name,
)
_PEOPLE = _invitations.join(_contacts, _invitations.c.contact_id == _contacts.c.id).outerjoin(
    _organisations, _invitations.c.organisation_id == _organisations.c.id
)
ATTENDEE_BY_ID = (
    sa.select(*_ATTENDEE_COLUMNS)
    .select_from(_PEOPLE)
    .where(_invitations.c.id == sa.bindparam("invitation_id"))
)
# A scan's one read: the event, and whoever the code belongs to (any event), in one round trip.
EVENT_AND_CODE = (
    sa.select(*EVENT.selected_columns, *_ATTENDEE_COLUMNS)
    .select_from(
        _events.outerjoin(_PEOPLE, _invitations.c.checkin_code_hash == sa.bindparam("code_hash"))
    )
    .where(_events.c.id == sa.bindparam("event_id"))
)
FIRST_CHECKIN = sa.select(_checkins.c.id, _checkins.c.checked_in_at, _checkins.c.gate).where(
    _checkins.c.invitation_id == sa.bindparam("invitation_id"),
    _checkins.c.day == sa.bindparam("day"),
)
EARLIER = (
    sa.update(_checkins)
    .where(
        _checkins.c.id == sa.bindparam("first_id"), _checkins.c.checked_in_at > sa.bindparam("when")
    )
    .values(
        checked_in_at=sa.bindparam("when"),
        gate=sa.bindparam("gate"),
        user_id=sa.bindparam("user_id"),
        method=sa.bindparam("method"),
    )
)
# A refusal's (not_attending) facts for the scanner: when they declined, their waitlist place.
_ahead = _invitations.alias("ahead")
_me = _invitations.alias("me")
NOT_ATTENDING_FACTS = sa.select(
    _me.c.responded_at,
    sa.case(
        (
            _me.c.status == "waitlisted",
            sa.select(sa.func.count() + 1)
            .where(
                _ahead.c.event_id == _me.c.event_id,
                _ahead.c.status == "waitlisted",
                sa.or_(
                    _ahead.c.waitlisted_at < _me.c.waitlisted_at,
                    sa.and_(_ahead.c.waitlisted_at == _me.c.waitlisted_at, _ahead.c.id < _me.c.id),
                ),
            )
            .scalar_subquery(),
        )
    ),
).where(_me.c.id == sa.bindparam("invitation_id"))
# Today's check-ins at an event with a capacity (the counter, and the warning on each `ok`).
CHECKED_IN_TODAY = (
    sa.select(sa.func.count())
    .select_from(_checkins)
    .where(_checkins.c.event_id == sa.bindparam("event_id"), _checkins.c.day == sa.bindparam("day"))
)
AUDIT = AuditLog.__table__.insert()
STORED = sa.select(_scan_log.c.scanned, _scan_log.c.status_code, _scan_log.c.response).where(
    _scan_log.c.event_id == sa.bindparam("event_id"), _scan_log.c.nonce == sa.bindparam("nonce")
)
LOG = _scan_log.insert()


#: a scan's own connection (see `own_connection`), or None: the ORM session's
_own: ContextVar[sa.Connection | None] = ContextVar("door_connection", default=None)
#: PostgreSQL: the own connection's psycopg connection while it is in autocommit (see `begin`)
_driver: ContextVar[Any | None] = ContextVar("door_driver", default=None)


@contextmanager
def own_connection() -> Iterator[sa.Connection]:
    """Run a scan on a connection of its own, outside the ORM session: a scan writes no ORM
    objects, and the session's unit of work, expiry and bookkeeping cost more than the scan's
    statements. Manual check-ins and walk-ins write ORM objects and stay in the session.

    On PostgreSQL the scan starts in autocommit: its read and a fresh admission (check-in and
    log row in one statement) are each a transaction of their own, which is what they were
    inside BEGIN … COMMIT at READ COMMITTED (each statement its own snapshot, the read takes no
    lock), without the BEGIN and COMMIT round trips. Anything that writes more than one
    statement calls `begin` first."""
    with db.engine.connect() as conn:
        driver = None
        if conn.dialect.name == "postgresql":
            driver = conn.connection.driver_connection
            driver.autocommit = True
        token, driver_token = _own.set(conn), _driver.set(driver)
        try:
            yield conn
        finally:
            _own.reset(token)
            _driver.reset(driver_token)
            if driver is not None and not conn.invalidated and driver.autocommit:
                try:
                    driver.autocommit = False  # as the pool hands connections out
                except Exception:  # noqa: BLE001 - a broken connection: not reused
                    conn.invalidate()


def connection() -> sa.Connection:
    own = _own.get()
    return own if own is not None else db.session.connection()


def begin() -> None:
    """From here on, the scan's statements share one transaction (ended by `commit` or
    `rollback`). Nothing to do outside the PostgreSQL autocommit start."""
    driver = _driver.get()
    if driver is not None:
        driver.autocommit = False  # idle between statements in autocommit: allowed
        _driver.set(None)


def commit() -> None:
    own = _own.get()
    if own is not None:
        own.commit()
    else:
        db.session.commit()


def rollback() -> None:
    own = _own.get()
    if own is not None:
        own.rollback()
    else:
        db.session.rollback()


_RAW_SQL: dict[Any, str] = {}


def _raw_one(stmt: Any, params: dict[str, Any]) -> tuple | None:
    """One row of a statement run on the psycopg connection itself (prepared; no SQLAlchemy
    execution context, result or type processing: the callers convert what they read). Errors
    go through SQLAlchemy's handling, so they are the usual `sqlalchemy.exc` ones and a lost
    connection invalidates the pool as for any other statement. A fast path of the door
    (bench/checkin.py); `_handle_dbapi_exception` is SQLAlchemy's private wrapper, held in place
    by tests/test_private_apis.py."""
    conn, driver = _own.get(), _driver.get()
    text = _RAW_SQL.get(stmt)
    if text is None:
        text = _RAW_SQL[stmt] = str(stmt.compile(dialect=conn.dialect))
    cursor = driver.cursor()
    try:
        cursor.execute(text, params, prepare=True)
        return cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - wrapped and re-raised by SQLAlchemy
        conn._handle_dbapi_exception(error, text, params, cursor, None)
    finally:
        cursor.close()


def event_and_code(params: dict[str, Any]) -> Any:
    """The row of EVENT_AND_CODE (the statuses as stored strings on the raw path)."""
    if _driver.get() is not None:
        return _raw_one(EVENT_AND_CODE, params)
    return connection().execute(EVENT_AND_CODE, params).first()


def admit_and_log(params: dict[str, Any]) -> tuple[int, int | None] | None:
    """ADMIT_AND_LOG (PostgreSQL): the new check-in's id and, at an event with a capacity,
    that day's check-ins with it; or None when not admitted."""
    if _driver.get() is not None:
        row = _raw_one(ADMIT_AND_LOG, params)
    else:
        row = connection().execute(ADMIT_AND_LOG, params).first()
    return (row[0], row[1]) if row is not None else None


_INSERT_CHECKIN: dict[str, Any] = {}


def insert_checkin(values: dict[str, Any]) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING: the new row's id, or None when that person already has
    a check-in that day. On PostgreSQL a concurrent uncommitted insert of the same key makes
    this wait for it; the loser then sees the winner's committed row. (One statement instead of
    SAVEPOINT + INSERT + catching the IntegrityError + ROLLBACK TO SAVEPOINT.)"""
    conn = connection()
    dialect = conn.dialect.name
    if dialect not in _INSERT_CHECKIN:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            insert = None
        _INSERT_CHECKIN[dialect] = (
            insert(_checkins)
            .on_conflict_do_nothing(index_elements=["invitation_id", "day"])
            .returning(_checkins.c.id)
            if insert is not None
            else None
        )
    stmt = _INSERT_CHECKIN[dialect]
    if stmt is not None:
        return conn.execute(stmt, values).scalar()
    try:  # other databases: a savepoint around a plain insert
        with db.session.begin_nested():
            return conn.execute(_checkins.insert().returning(_checkins.c.id), values).scalar()
    except IntegrityError:
        return None


# PostgreSQL: the check-in and its log row in one statement (one round trip instead of two).
# The log row is written only when the check-in was; it carries the answer with the new row's id.
# `logged` runs whether or not it is referenced (a data-modifying WITH always runs once).
# `counted`: at an event with a capacity, that day's check-ins with this one (the statement's
# snapshot does not see its own insert: + 1); without a capacity nothing is counted.
ADMIT_AND_LOG = sa.text(
    """
    WITH admitted AS (
        INSERT INTO checkins
            (event_id, invitation_id, day, checked_in_at, gate, method, user_id, created_at)
        VALUES (:event_id, :invitation_id, :day, :checked_in_at, :gate, :method, :user_id,
                :created_at)
        ON CONFLICT (invitation_id, day) DO NOTHING
        RETURNING id
    ), counted AS (
        SELECT CASE WHEN CAST(:capacity AS INTEGER) IS NULL THEN NULL ELSE COUNT(*) + 1 END AS n
        FROM checkins
        WHERE CAST(:capacity AS INTEGER) IS NOT NULL AND event_id = CAST(:event_id AS INTEGER)
              AND day = CAST(:day AS DATE)
    ), logged AS (
        INSERT INTO scan_log (event_id, nonce, scanned, gate, user_id, invitation_id,
                              scanned_at, received_at, result, status_code, response)
        SELECT CAST(:event_id AS INTEGER), :nonce, :scanned, CAST(:gate AS VARCHAR),
               CAST(:user_id AS INTEGER), CAST(:invitation_id AS INTEGER),
               CAST(:checked_in_at AS TIMESTAMPTZ), CAST(:received_at AS TIMESTAMPTZ),
               :result, :status_code,
               CAST(CAST(:response AS JSONB) || jsonb_build_object(
                   'checkin_id', admitted.id, 'checked_in_today', counted.n,
                   'over_capacity', COALESCE(counted.n > CAST(:capacity AS INTEGER), FALSE))
                    AS JSON)
        FROM admitted CROSS JOIN counted
    )
    SELECT admitted.id, counted.n FROM admitted CROSS JOIN counted
    """
).bindparams(
    sa.bindparam("checked_in_at", type_=UTCDateTime()),
    sa.bindparam("created_at", type_=UTCDateTime()),
    sa.bindparam("received_at", type_=UTCDateTime()),
)
