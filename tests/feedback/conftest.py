"""Feedback fixtures: an event that ended an hour ago (Turkish and Arabic), and participants
checked in at it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reslog_events.checkin.models import CheckIn
from reslog_events.core.columns import utcnow
from reslog_events.extensions import db


@pytest.fixture
def ended(create_event):
    ends = utcnow().replace(microsecond=0) - timedelta(hours=1)
    return create_event(
        title="Sarıçam Dayanıklılık Çalıştayı",
        starts_at=ends - timedelta(hours=7),
        ends_at=ends,
        languages=["tr", "ar"],
        translations={"ar": {"title": "ورشة الصمود في ساريتشام", "description": ""}},
    )


@pytest.fixture
def participant(create_invitation, create_contact, create_organisation, ended):
    """An invitee of `event` (default `ended`) checked in on its first day (`came=False`: not)."""

    def make(event=None, *, came=True, status="accepted", kind="municipality", **contact):
        event = event or ended
        organisation = create_organisation(kind=kind)
        new = create_invitation(
            event=event,
            contact=create_contact(organisation=organisation, **contact),
            status=status,
        )
        if came:
            db.session.add(
                CheckIn(
                    event_id=event.id,
                    invitation_id=new.invitation.id,
                    day=event.local_starts_at.date(),
                )
            )
            db.session.commit()
        return new

    return make


@pytest.fixture
def survey(api, ended):
    """The standard survey of `ended`, set up through the API."""
    resp = api("organiser").open("PUT", f"/api/v1/events/{ended.id}/feedback", json={})
    assert resp.status_code == 200, resp.json
    return resp.json


def link_of(request_row) -> str:
    from reslog_events.core.tokens import unseal

    return f"/feedback/{unseal(request_row.token_sealed)}"


def links(event_id: int) -> dict[str, str]:
    """{contact email: the survey path} of the event's requests."""
    import sqlalchemy as sa

    from reslog_events.feedback.models import FeedbackRequest
    from reslog_events.invitations.models import Invitation

    rows = db.session.scalars(
        sa.select(FeedbackRequest)
        .join(Invitation, Invitation.id == FeedbackRequest.invitation_id)
        .where(Invitation.event_id == event_id)
    )
    return {row.invitation.contact.email: link_of(row) for row in rows}
