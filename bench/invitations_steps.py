"""The per-step measure of bench.invitations: the CPU time per message of each step of the send
worker (render, calendar, compose, send, a whole batch), in one thread, on rows of the run.
"""

from __future__ import annotations

import os
import time

#: what a worker works out once per batch (per app context): cleared between measured batches
#: (the shared renders are kept per app, across batches, as in the worker)
BATCH_CACHES = ("_invitation_email_parts", "_invitation_email_agendas")


def _steps(app, event_id: int, samples: int, smtp_port: int) -> dict[str, list[float]]:
    """CPU time per message of each step, one thread, on rows of the measured run."""
    import sqlalchemy as sa
    from flask_babel import force_locale

    from reslog_events.extensions import db
    from reslog_events.invitations.calendar import invitation_calendar
    from reslog_events.invitations.notifications import context
    from reslog_events.invitations.shared_render import shared_render
    from reslog_events.mail.backends.smtp import SmtpBackend
    from reslog_events.mail.delivery import _load, compose
    from reslog_events.mail.models import OutboxStatus, OutgoingEmail
    from reslog_events.mail.outbox import queue_email

    ids = list(
        db.session.scalars(sa.select(OutgoingEmail.id).order_by(OutgoingEmail.id).limit(samples))
    )
    rows = _load(ids)
    backend = SmtpBackend({**app.config, "SMTP_PORT": smtp_port})
    steps: dict[str, list[float]] = {
        "render (text + HTML, shared across batches)": [],
        "calendar": [],
        "compose MIME": [],
        "send (SMTP, reused connection)": [],
        "deliver a batch (claim, render, send, mark)": [],
    }
    from flask import g

    for index, row in enumerate(rows):
        if index % 25 == 0:  # a new batch: what the worker works out once per batch, again
            for cache in BATCH_CACHES:
                g.pop(cache, None)
        with force_locale(row.language):
            t = time.process_time()
            ctx = context(row.invitation, row.kind, row.payload or {}, row.language)
            shared_render("emails/invitation.txt", ctx)
            shared_render("emails/invitation.html", ctx)
            steps["render (text + HTML, shared across batches)"].append(time.process_time() - t)
            t = time.process_time()
            invitation_calendar(row.invitation, rsvp_url=ctx["rsvp_url"])
            steps["calendar"].append(time.process_time() - t)
        composed = compose(row)
        t = time.process_time()
        composed.as_bytes()
        steps["compose MIME"].append(time.process_time() - t)
        composed._bytes = None
        t = time.process_time()
        backend.send(composed)
        steps["send (SMTP, reused connection)"].append(time.process_time() - t)
    backend.close()
    # the whole worker step, on fresh rows (the queue's messages are not consumed here)
    from reslog_events.jobs import make_broker

    app.extensions["dramatiq"] = make_broker(None)  # into memory: nobody else picks these up
    fresh = []
    for row in rows:
        fresh.append(queue_email("invitation", invitation=row.invitation))
    db.session.commit()
    app.config.update(SMTP_PORT=smtp_port)
    from reslog_events.mail.delivery import deliver

    profile = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profile = cProfile.Profile(time.process_time)  # CPU time, not wall
    batch = 25  # as the fan-out's send_emails messages
    for start in range(0, len(fresh), batch):
        chunk = [row.id for row in fresh[start : start + batch]]
        for cache in BATCH_CACHES:  # a worker handles each batch in a fresh app context
            g.pop(cache, None)
        t = time.process_time()
        if profile is not None:
            profile.runcall(deliver, chunk)
        else:
            deliver(chunk)
        per_message = (time.process_time() - t) / len(chunk)
        steps["deliver a batch (claim, render, send, mark)"].extend([per_message] * len(chunk))
    if profile is not None:
        import pstats

        pstats.Stats(profile).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(45)
    db.session.expire_all()
    statuses = db.session.scalars(
        sa.select(OutgoingEmail.status).where(OutgoingEmail.id.in_([f.id for f in fresh]))
    ).all()
    assert set(statuses) == {OutboxStatus.sent}, statuses
    return steps
