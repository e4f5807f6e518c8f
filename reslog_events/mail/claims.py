"""The statements that move outbox rows along: claim, renew a claim, record an outcome.

    claimed, lease = claim_batch(conn, [12, 13, 14], lease_seconds=120)   # {id: attempts}
    held, lease = renew(conn, [13, 14], lease, lease_seconds=120)
    finish(conn, row_id, invitation_id, status=OutboxStatus.sent, sent_at=…)

A claim is one conditional UPDATE that only one worker can win (`status` queued and due, or
`sending` with an expired lease); `lease_until` is the claim's token: a renewal only applies to
rows whose lease is still the one this worker wrote. An outcome and the
invitation's `email_status` are one statement on PostgreSQL (a data-modifying CTE), two on SQLite.

The statements are built once (Core, bound parameters): building and walking a statement costs
more CPU than PostgreSQL spends running it, and they run for every message.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..core.columns import utcnow
from ..invitations.models import EmailStatus, Invitation
from .models import DeliveryStatus, OutboxStatus, OutgoingEmail

_table = OutgoingEmail.__table__
_invitations = Invitation.__table__


def claimable(now) -> sa.ColumnElement[bool]:
    """Rows a worker may take: queued and due, or `sending` with a lease that has ended."""
    return sa.or_(
        sa.and_(_table.c.status == OutboxStatus.queued, _table.c.next_attempt_at <= now),
        sa.and_(_table.c.status == OutboxStatus.sending, _table.c.lease_until < now),
    )


_CLAIM = (
    sa.update(_table)
    .where(
        _table.c.id.in_(sa.bindparam("row_ids", expanding=True)),
        claimable(sa.bindparam("now", type_=_table.c.lease_until.type)),
    )
    .values(
        status=OutboxStatus.sending,
        lease_until=sa.bindparam("lease", type_=_table.c.lease_until.type),
        attempts=_table.c.attempts + 1,
    )
    .returning(_table.c.id, _table.c.attempts)
)

_RENEW = (
    sa.update(_table)
    .where(
        _table.c.id.in_(sa.bindparam("row_ids", expanding=True)),
        _table.c.status == OutboxStatus.sending,
        _table.c.lease_until == sa.bindparam("old", type_=_table.c.lease_until.type),
    )
    .values(lease_until=sa.bindparam("new", type_=_table.c.lease_until.type))
    .returning(_table.c.id)
)


def claim_batch(
    conn: sa.Connection, ids: list[int], lease_seconds: float
) -> tuple[dict[int, int], datetime]:
    """Claim the claimable rows among `ids` in one statement (not committed).

    Returns {row id: attempts counting this one} for the rows won, and the lease written on
    them. Two workers claiming one row at once: the database serialises the UPDATEs
    (PostgreSQL re-checks the WHERE after the first commits; SQLite locks the file), so exactly
    one of them gets the row back."""
    if not ids:
        return {}, utcnow()
    now = utcnow()
    lease = now + timedelta(seconds=lease_seconds)
    won = conn.execute(_CLAIM, {"row_ids": sorted(set(ids)), "now": now, "lease": lease})
    return {row_id: attempts for row_id, attempts in won}, lease


def renew(
    conn: sa.Connection, ids: list[int], lease: datetime, lease_seconds: float
) -> tuple[set[int], datetime]:
    """Extend this worker's claim on `ids` (rows still `sending` under `lease`); returns the
    rows still held and the new lease (not committed)."""
    new = utcnow() + timedelta(seconds=lease_seconds)
    held = conn.scalars(_RENEW, {"row_ids": sorted(ids), "old": lease, "new": new}).all()
    return set(held), new


# --- the invitation's email_status follows its latest message ----------------------------------


def _email_status_of(status, delivery_status) -> sa.Case:
    return sa.case(
        # (two comparisons, not IN: an IN list is expanded again at every execution)
        (sa.or_(status == OutboxStatus.queued, status == OutboxStatus.sending), EmailStatus.queued),
        (status == OutboxStatus.failed, EmailStatus.failed),
        (delivery_status == DeliveryStatus.delivered, EmailStatus.delivered),
        (delivery_status == DeliveryStatus.bounced, EmailStatus.bounced),
        (delivery_status == DeliveryStatus.dropped, EmailStatus.failed),
        else_=EmailStatus.sent,
    )


def _refresh_statement() -> sa.Update:
    email_status = _email_status_of(_table.c.status, _table.c.delivery_status)
    not_skipped = sa.and_(
        _table.c.invitation_id == _invitations.c.id, _table.c.status != OutboxStatus.skipped
    )
    latest = (
        sa.select(email_status)
        .where(not_skipped)
        .order_by(_table.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        sa.update(_invitations)
        .where(
            _invitations.c.id.in_(sa.bindparam("invitation_ids", expanding=True)),
            sa.select(_table.c.id).where(not_skipped).exists(),
        )
        .values(email_status=latest)
    )


#: set each invitation's `email_status` from its latest message that was not skipped
REFRESH = _refresh_statement()


@lru_cache(maxsize=32)
def _outcome(names: tuple[str, ...]) -> sa.Update:
    """UPDATE of one `sending` row: lease_until cleared, `names` set from bound parameters
    `v_<name>`."""
    return (
        sa.update(_table)
        .where(_table.c.id == sa.bindparam("row_id"), _table.c.status == OutboxStatus.sending)
        .values(
            lease_until=None,
            **{name: sa.bindparam(f"v_{name}", type_=_table.c[name].type) for name in names},
        )
    )


@lru_cache(maxsize=32)
def _outcome_with_status(names: tuple[str, ...]) -> sa.Update:
    """The outcome and the invitation's email_status in one statement (PostgreSQL):

        WITH marked AS (UPDATE outgoing_emails … RETURNING invitation_id, status, …)
        UPDATE invitations SET email_status = <the latest row not skipped> WHERE id IN marked

    All parts of one statement see the same snapshot, so the main UPDATE does not see the row
    the CTE changed: the latest row is taken among the rows after it, then the changed row
    itself (its new values, from RETURNING), then the rows before it."""
    marked = (
        _outcome(names)
        .returning(_table.c.invitation_id, _table.c.status, _table.c.delivery_status)
        .cte("marked")
    )
    email_status = _email_status_of(_table.c.status, _table.c.delivery_status)

    def neighbour(after: bool) -> sa.ScalarSelect:
        row_id = sa.bindparam("row_id")
        return (
            sa.select(email_status)
            .where(
                _table.c.invitation_id == _invitations.c.id,
                _table.c.status != OutboxStatus.skipped,
                _table.c.id > row_id if after else _table.c.id < row_id,
            )
            .order_by(_table.c.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    itself = (
        sa.select(_email_status_of(marked.c.status, marked.c.delivery_status))
        .where(marked.c.status != OutboxStatus.skipped)
        .scalar_subquery()
    )
    return (
        sa.update(_invitations)
        .where(_invitations.c.id.in_(sa.select(marked.c.invitation_id)))
        .values(
            email_status=sa.func.coalesce(
                neighbour(after=True), itself, neighbour(after=False), _invitations.c.email_status
            )
        )
        .add_cte(marked)
    )


def finish(conn: sa.Connection, row_id: int, invitation_id: int | None, **values: Any) -> None:
    """Record the outcome of a claimed row (`values`: status, sent_at, last_error…) and refresh
    its invitation's email_status (not committed). Nothing happens to a row that is no longer
    `sending` (another worker finished it)."""
    names = tuple(sorted(values))
    params = {"row_id": row_id, **{f"v_{name}": value for name, value in values.items()}}
    if invitation_id is None:
        conn.execute(_outcome(names), params)
    elif conn.dialect.name == "postgresql":
        conn.execute(_outcome_with_status(names), params)
    else:
        conn.execute(_outcome(names), params)
        conn.execute(REFRESH, {"invitation_ids": [invitation_id]})
