"""Writes of the reports feature: report runs (requested and monthly) and the facts table."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from pydantic import ValidationError

from ..audit.operations import record
from ..auth.models import Role, User
from ..core.columns import utcnow
from ..core.datetimes import month_key
from ..extensions import db
from ..jobs import enqueue
from ..mail.outbox import queue_email
from . import rollup
from .exports import to_xlsx
from .models import ReportRun
from .queries import REPORT_ZONE, attendance
from .schemas import AttendanceFilters, GroupBy
from .scope import reach
from .suppression import for_reader

logger = logging.getLogger(__name__)


def request_run(filters: AttendanceFilters, user: User) -> ReportRun:
    """A queued run for `user`; the caller commits, then calls `enqueue_run`."""
    run = ReportRun(requested_by=user, params=filters.params(), status="queued", progress=0)
    db.session.add(run)
    db.session.flush()
    record("report_run.requested", run, {"params": run.params}, user_id=user.id)
    return run


def enqueue_run(run_id: int) -> None:
    """Hand the committed run to the workers (a broker outage leaves it queued, visibly)."""
    try:
        enqueue("compile_report", run_id)
    except Exception:  # noqa: BLE001 - the run stays `queued`; the clock's sweep resends it
        logger.warning("could not enqueue report run %s", run_id)


def _set_progress(run: ReportRun, progress: int, status: str = "running") -> None:
    run.status = status
    run.progress = progress
    db.session.commit()


def compile_run(run_id: int) -> ReportRun | None:
    """Compile a run: result JSON and XLSX, progress on the way, and an email to the requester
    when it is ready. Idempotent: a run already done is left alone (and emails nobody again)."""
    run = db.session.get(ReportRun, run_id)
    if run is None or run.status == "done":
        return run
    try:
        filters = AttendanceFilters.model_validate(run.params)
    except ValidationError as exc:  # not transient: retrying would not help
        run.status, run.error = "failed", str(exc)[:1000]
        db.session.commit()
        return run
    try:
        _set_progress(run, 10)
        language = (run.requested_by.language if run.requested_by else None) or "en"
        with force_locale(language):
            table = attendance(filters, **reach(run.requested_by))
            for_reader(run.requested_by, table)
            _set_progress(run, 60)
            xlsx = to_xlsx(table, filters.group_by, run.params, generated_at=utcnow())
        _set_progress(run, 90)
        run.result = table
        run.xlsx = xlsx
        run.error = None
        run.status = "done"
        run.progress = 100
        run.finished_at = utcnow()
        if run.requested_by is not None and not run.scheduled:
            queue_email("report_ready", user=run.requested_by, payload={"run_id": run.id})
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        run = db.session.get(ReportRun, run_id)
        if run is not None:
            run.status = "failed"
            run.error = f"{type(exc).__name__}: {exc}"[:1000]
            db.session.commit()
        raise
    return run


def previous_month(today: date) -> tuple[date, date]:
    """The first and last day of the month before `today`'s."""
    first_this = today.replace(day=1)
    last_prev = first_this - timedelta(days=1)
    return last_prev.replace(day=1), last_prev


def send_monthly_summaries(now: datetime | None = None) -> int:
    """Send each active coordinator last month's summary (by organisation), once per month.

    A run per coordinator with `period` set records it; the unique index on (requested_by_id,
    period) makes a second clock tick, or a second clock, a no-op. Returns the emails queued.
    """
    now = now or utcnow()
    first, last = previous_month(now.astimezone(REPORT_ZONE).date())
    period = month_key(first)
    coordinators = db.session.scalars(
        sa.select(User)
        .where(User.role == Role.coordinator, User.active.is_(True))
        .where(~sa.exists().where(ReportRun.requested_by_id == User.id, ReportRun.period == period))
        .order_by(User.id)
    ).all()
    filters = AttendanceFilters.model_validate(
        {"group_by": GroupBy.organisation.value, "from": first, "to": last}
    )
    sent = 0
    # per language and union: a union's coordinators see only its events' counts
    computed: dict[tuple[str, int | None], tuple[dict[str, Any], bytes]] = {}
    for user in coordinators:
        language = user.language or "en"
        seen = (language, user.union_id)
        if seen not in computed:
            with force_locale(language):
                table = attendance(filters, now=now, **reach(user))
                for_reader(user, table)
                computed[seen] = (table, to_xlsx(table, filters.group_by, filters.params()))
        table, xlsx = computed[seen]
        try:
            with db.session.begin_nested():
                run = ReportRun(
                    requested_by=user,
                    params=filters.params(),
                    status="done",
                    progress=100,
                    result=table,
                    xlsx=xlsx,
                    scheduled=True,
                    period=period,
                    finished_at=now,
                )
                db.session.add(run)
                db.session.flush()
        except sa.exc.IntegrityError:
            continue  # another clock got there first
        queue_email(
            "monthly_summary",
            user=user,
            payload={"run_id": run.id, "period": period, "totals": table["totals"]},
        )
        sent += 1
    db.session.commit()
    return sent


def resend_stale_runs(older_than: timedelta = timedelta(minutes=10)) -> int:
    """Runs still `queued` long after they were requested (the broker was down): send again."""
    ids = db.session.scalars(
        sa.select(ReportRun.id).where(
            ReportRun.status == "queued", ReportRun.created_at < utcnow() - older_than
        )
    ).all()
    for run_id in ids:
        enqueue_run(run_id)
    return len(ids)


def rebuild_attendance_facts() -> int:
    """Recompute `attendance_facts` from invitations, check-ins and events, and
    `attendance_rollup` and `attendance_presence` from the facts (after a bulk load that
    bypassed the triggers, or to check them). Returns the number of facts."""
    bind = db.session.get_bind()
    postgres = bind.dialect.name == "postgresql"
    fact_triggers = ("attendance_rollup_of_fact", "attendance_presence_of_fact")
    if postgres:  # the rollups are recomputed below in one statement each, not row by row
        for trigger in fact_triggers:
            db.session.execute(sa.text(f"ALTER TABLE attendance_facts DISABLE TRIGGER {trigger}"))
    db.session.execute(sa.text("DELETE FROM attendance_facts"))
    db.session.execute(
        sa.text(
            """
            INSERT INTO attendance_facts
              (invitation_id, event_id, organisation_id, contact_id, status, is_walk_in, days,
               starts_at, ends_at, event_status, kind, level)
            SELECT i.id, i.event_id, i.organisation_id, i.contact_id, i.status, i.is_walk_in,
                   COALESCE(c.days, 0), e.starts_at, e.ends_at, e.status, e.kind, e.level
            FROM invitations i
            JOIN events e ON e.id = i.event_id
            LEFT JOIN (SELECT invitation_id, COUNT(*) AS days FROM checkins
                       GROUP BY invitation_id) c ON c.invitation_id = i.id
            """
        )
    )
    db.session.execute(sa.text("DELETE FROM attendance_rollup"))
    db.session.execute(rollup.backfill())
    db.session.execute(sa.text("DELETE FROM attendance_presence"))
    db.session.execute(rollup.presence_backfill())
    count = db.session.scalar(sa.text("SELECT COUNT(*) FROM attendance_facts")) or 0
    if postgres:
        for trigger in fact_triggers:
            db.session.execute(sa.text(f"ALTER TABLE attendance_facts ENABLE TRIGGER {trigger}"))
        for table in ("attendance_facts", "attendance_rollup", "attendance_presence"):
            db.session.execute(sa.text(f"ANALYZE {table}"))
    return int(count)
