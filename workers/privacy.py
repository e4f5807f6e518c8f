"""Privacy actors: the retention purge.

purge_expired_answers.send()    # by the clock, once a day
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
