"""Reads on answers: seats, waitlist positions, counts, the needs summary and the organisers'
filtered list."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from email.utils import parseaddr

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import contains_eager, joinedload

from ..core.columns import utcnow
from ..core.tokens import digest
from ..core.turkish import fold
from ..directory.models import Contact
from ..events.models import Event
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from .schemas import AccessNeed, AnswerCounts, AnswersQuery, Diet, NeedsSummary

Accepted = InvitationStatus.accepted
Waitlisted = InvitationStatus.waitlisted


def answers_open(event: Event, now: datetime | None = None) -> bool:
    """Whether the invitee may still answer or change the answer on the RSVP page."""
    now = now or utcnow()
    if event.is_cancelled or event.ends_at <= now:
        return False
    return event.rsvp_deadline is None or now <= event.rsvp_deadline


def invitation_for_page(token: str) -> tuple[Invitation, bool, bool] | None:
    """The invitation of an RSVP link with everything its page shows (contact, organisations,
    event, organiser) in one statement, whether the event has a programme to show and whether
    it shows invitees any minutes or documents.

    A fast path of the RSVP page (bench/pages.py, docs/benchmarks.md "Fast paths"): one lazy
    load per relation and two for an empty programme were six round trips of seven.
    """
    from ..documents.models import EventDocument, Visibility
    from ..programme.models import AgendaSession, ItinerarySite

    has_documents = sa.exists().where(
        EventDocument.event_id == Invitation.event_id,
        EventDocument.visibility != Visibility.organisers,
    )
    has_programme = sa.or_(
        sa.exists().where(AgendaSession.event_id == Invitation.event_id),
        sa.exists().where(ItinerarySite.event_id == Invitation.event_id),
    )
    row = db.session.execute(
        sa.select(Invitation, has_programme, has_documents)
        .where(Invitation.token_hash == digest(token))
        .options(
            joinedload(Invitation.contact).joinedload(Contact.organisation),
            joinedload(Invitation.organisation),
            joinedload(Invitation.event).joinedload(Event.organiser),
        )
    ).first()
    return (row[0], bool(row[1]), bool(row[2])) if row is not None else None


def accepted_count(event_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Invitation)
            .where(Invitation.event_id == event_id, Invitation.status == Accepted)
        )
        or 0
    )


def waitlist_position(invitation: Invitation) -> int | None:
    """1 for the first on the waitlist; None when not on it."""
    if invitation.status != Waitlisted or invitation.waitlisted_at is None:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Invitation)
        .where(
            Invitation.event_id == invitation.event_id,
            Invitation.status == Waitlisted,
            sa.or_(
                Invitation.waitlisted_at < invitation.waitlisted_at,
                sa.and_(
                    Invitation.waitlisted_at == invitation.waitlisted_at,
                    Invitation.id < invitation.id,
                ),
            ),
        )
    )
    return (ahead or 0) + 1


def answer_counts(event: Event) -> AnswerCounts:
    rows = db.session.execute(
        sa.select(Invitation.status, sa.func.count())
        .where(Invitation.event_id == event.id)
        .group_by(Invitation.status)
    )
    counts = {status.value: 0 for status in InvitationStatus}
    counts.update({status.value: n for status, n in rows})
    seats_left = None
    if event.capacity is not None:
        seats_left = max(event.capacity - counts["accepted"], 0)
    return AnswerCounts(**counts, capacity=event.capacity, seats_left=seats_left)


def needs_summary(event: Event) -> NeedsSummary:
    """The needs of those who accepted, counted for the venue (by the database, per
    interpretation language: reading every accepted row's lists into Python was most of the
    answers page's CPU, bench/pages.py)."""
    diet_values = [d.value for d in Diet]
    access_values = [a.value for a in AccessNeed]
    columns = [
        sa.func.count().filter(_json_has(Invitation.diet_choices, value)) for value in diet_values
    ]
    columns += [
        sa.func.count().filter(_json_has(Invitation.access_choices, value))
        for value in access_values
    ]
    columns += [
        sa.func.count().filter(sa.func.coalesce(Invitation.dietary_needs, "") != ""),
        sa.func.count().filter(sa.func.coalesce(Invitation.accessibility_needs, "") != ""),
    ]
    rows = db.session.execute(
        sa.select(Invitation.interpretation_language, sa.func.count(), *columns)
        .where(Invitation.event_id == event.id, Invitation.status == Accepted)
        .group_by(Invitation.interpretation_language)
    ).all()
    interpretation: Counter[str] = Counter()
    sums = [0] * len(columns)
    for language, people, *counts in rows:
        if language:
            interpretation[language] += people
        sums = [a + b for a, b in zip(sums, counts, strict=True)]
    names = diet_values + access_values
    found = {name: n for name, n in zip(names, sums, strict=False) if n}

    def ranked(values: list[str]) -> dict[str, int]:
        return {
            v: found[v] for v in sorted((v for v in values if v in found), key=lambda v: -found[v])
        }

    return NeedsSummary(
        interpretation=dict(interpretation.most_common()),
        diets=ranked(diet_values),
        access=ranked(access_values),
        with_dietary_notes=sums[-2],
        with_accessibility_notes=sums[-1],
    )


def _json_has(column: sa.ColumnElement, value: str) -> sa.ColumnElement[bool]:
    # JSON lists of fixed words: a text match on '"word"' is exact and works on every database.
    return sa.cast(column, sa.Text).like(f'%"{value}"%')


def _json_not_empty(column: sa.ColumnElement) -> sa.ColumnElement[bool]:
    return sa.cast(column, sa.Text).like('%"%')


def _need_clause(need: str) -> sa.ColumnElement[bool]:
    kind, _, value = need.partition(":")
    if kind == "interpretation":
        if value:
            return Invitation.interpretation_language == value
        return Invitation.interpretation_language.is_not(None)
    if kind == "diet":
        return _json_has(Invitation.diet_choices, value)
    if kind == "access":
        return _json_has(Invitation.access_choices, value)
    return sa.or_(
        Invitation.interpretation_language.is_not(None),
        _json_not_empty(Invitation.diet_choices),
        _json_not_empty(Invitation.access_choices),
        sa.func.coalesce(Invitation.dietary_needs, "") != "",
        sa.func.coalesce(Invitation.accessibility_needs, "") != "",
    )


def answers_statement(event: Event, query: AnswersQuery) -> sa.Select:
    """The event's invitations with their contacts, filtered, in Turkish alphabetical order."""
    stmt = (
        sa.select(Invitation)
        .join(Invitation.contact)
        .where(Invitation.event_id == event.id)
        # the page's rows in one statement: a lazy load per organisation shown was a round
        # trip each (bench/pages.py, the answers page)
        .options(
            contains_eager(Invitation.contact).joinedload(Contact.organisation),
            joinedload(Invitation.organisation),
        )
    )
    if query.status is not None:
        stmt = stmt.where(Invitation.status == query.status)
    if query.need:
        stmt = stmt.where(_need_clause(query.need))
    if query.q:
        for word in fold(query.q).split():
            stmt = stmt.where(Contact.search_key.contains(word, autoescape=True))
    return stmt.order_by(Contact.sort_key, Invitation.id)


def organiser_contact(event: Event) -> tuple[str, str]:
    """Whom an invitee should write to about the event: its organiser, else the sender."""
    if event.organiser is not None and event.organiser.email:
        return event.organiser.name or event.organiser.email, event.organiser.email
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    return name or address, address
