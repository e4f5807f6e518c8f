"""Privacy actors: the retention purge and the staged imports' deletion.

purge_expired_answers.send()    # by the clock, once a day
delete_stale_imports.send()     # by the clock, hourly
"""

from __future__ import annotations

import logging

import dramatiq

from reslog_events.jobs import MAINTENANCE_QUEUE

from .broker import broker  # noqa: F401 - the broker is set before any actor is declared

logger = logging.getLogger(__name__)


@dramatiq.actor(queue_name=MAINTENANCE_QUEUE, max_retries=3, time_limit=30 * 60 * 1000)
def purge_expired_answers() -> None:
    """Clear the personal answers of invitations to events that ended more than
    RETENTION_MONTHS months ago (idempotent: a second run clears nothing)."""
    from reslog_events.extensions import db
    from reslog_events.privacy.retention import purge_expired_answers as purge

    result = purge()
    db.session.commit()
    if result.events:
        logger.info(
            "retention: cleared %d invitations and %d delegation members in %d events",
            result.invitations,
            result.delegation_members,
            result.events,
        )


@dramatiq.actor(queue_name=MAINTENANCE_QUEUE, max_retries=3, time_limit=5 * 60 * 1000)
def delete_stale_imports() -> None:
    """Delete contact lists uploaded for import more than a day ago and never confirmed
    (idempotent; takes nothing, so no personal data travels through the queue)."""
    from reslog_events.directory.imports.staging import sweep_expired

    deleted = sweep_expired()
    if deleted:
        logger.info("staged imports: deleted %d files older than a day", deleted)
