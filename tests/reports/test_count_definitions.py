"""The attendance counts are defined once (`reports/rollup.py`: FACT_COUNTS, the report zone's
month). The triggers of the frozen migrations 0005 and 0007 keep `attendance_rollup` and
`attendance_presence` row by row; here random facts go through them (inserts, updates of every
counted column, deletes, event starts on both sides of a month's edge in the report zone), and
what they keep must equal a rebuild from the one definition. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

STATUSES = ("pending", "accepted", "declined", "tentative", "waitlisted", "revoked")
EVENT_STATUSES = ("draft", "published", "cancelled")


def _snapshot(db) -> tuple[list, list]:
    rollup = db.session.execute(sa.text("SELECT * FROM attendance_rollup")).all()
    presence = db.session.execute(
        sa.text("SELECT month, contact_id, organisation_key, attended FROM attendance_presence")
    ).all()
    # the triggers may leave rows of zeros behind (a month emptied); the rebuild does not
    return (
        sorted(tuple(r) for r in rollup if any(r[2:])),
        sorted(tuple(r) for r in presence if r[3]),
    )


def _edge_of_a_month(rng: random.Random) -> datetime:
    """An instant within six hours of a month's start in the report zone (UTC+03:00)."""
    first = datetime(2024, rng.randint(1, 12), 1, tzinfo=UTC) - timedelta(hours=3)
    return first + timedelta(minutes=rng.randint(-6 * 60, 6 * 60))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_triggers_keep_what_the_one_definition_rebuilds(
    app, create_organisation, create_contact, create_event, create_invitation, seed
):
    from reslog_events.extensions import db
    from reslog_events.reports import rollup
    from reslog_events.reports.groupings import facts

    rng = random.Random(seed)
    organisations = [create_organisation().id for _ in range(3)]
    contacts = [create_contact() for _ in range(6)]
    events = [create_event() for _ in range(4)]
    ids = [
        create_invitation(event=event, contact=contact).invitation.id
        for event in events
        for contact in rng.sample(contacts, 4)
    ]
    contact_ids = [c.id for c in contacts]
    for _step in range(300):
        invitation_id = rng.choice(ids)
        where = facts.c.invitation_id == invitation_id
        if rng.random() < 0.04 and len(ids) > 4:
            db.session.execute(sa.delete(facts).where(where))
            ids.remove(invitation_id)
            continue
        changes = {
            "status": rng.choice(STATUSES),
            "days": rng.choice((0, 0, 1, 2, 3)),
            "is_walk_in": rng.random() < 0.2,
            "organisation_id": rng.choice([None, *organisations]),
            "contact_id": rng.choice(contact_ids),
            "starts_at": _edge_of_a_month(rng),
            "event_status": rng.choice(EVENT_STATUSES),
        }
        chosen = rng.sample(sorted(changes), rng.randint(1, 3))
        db.session.execute(sa.update(facts).where(where).values({k: changes[k] for k in chosen}))
    db.session.flush()
    kept = _snapshot(db)
    assert kept[0], "the random facts left nothing counted: a weak test"

    db.session.execute(sa.text("DELETE FROM attendance_rollup"))
    db.session.execute(sa.text("DELETE FROM attendance_presence"))
    db.session.execute(rollup.backfill())
    db.session.execute(rollup.presence_backfill())
    assert _snapshot(db) == kept
    db.session.rollback()


def test_the_report_zone_month_is_the_triggers_month(app, create_invitation, create_event):
    """`month_of` (the report's month) and the triggers' month agree on a month's edges."""
    from reslog_events.extensions import db
    from reslog_events.reports.groupings import facts, month_of

    edge = datetime(2024, 2, 29, 21, 0, tzinfo=UTC)  # 1 March 00:00 in Istanbul
    for starts in (edge - timedelta(seconds=1), edge):
        event = create_event(starts_at=starts, ends_at=starts + timedelta(hours=2))
        new = create_invitation(event=event)
        month = db.session.scalar(
            sa.select(month_of(facts.c.starts_at)).where(facts.c.invitation_id == new.invitation.id)
        )
        kept = db.session.scalar(
            sa.text("SELECT month FROM attendance_rollup WHERE invited > 0 AND month = :m"),
            {"m": month},
        )
        assert kept == month == ("2024-02" if starts < edge else "2024-03")
