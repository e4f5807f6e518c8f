"""Invitees choose sessions from the RSVP page where the organiser allows it; seats per session
are respected, also under concurrency (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest

from tests.programme.conftest import session_body


@pytest.fixture
def agenda(api, workshop):
    org = api("organiser")
    ids = []
    for title, start, end, room, seats in (
        ("Plenary", "2027-11-10T09:30", "2027-11-10T10:30", "Salon A", None),
        ("Workshop A", "2027-11-10T11:00", "2027-11-10T12:30", "Salon A", 2),
        ("Workshop B", "2027-11-10T11:00", "2027-11-10T12:30", "Salon B", 5),
    ):
        body = session_body(title=title, starts_at=start, ends_at=end, room_or_site=room)
        body["capacity"] = seats
        resp = org.post(f"/api/v1/events/{workshop.id}/sessions", json=body)
        assert resp.status_code == 201, resp.json
        ids.append(resp.json["id"])
    org.patch(f"/api/v1/events/{workshop.id}/programme", json={"allow_session_choice": True})
    return ids


def _choose(client, token, ids):
    from tests.support.forms import csrf_token

    csrf = csrf_token(client, "/login")
    return client.post(
        f"/rsvp/{token}/sessions",
        data={"csrf_token": csrf, "session_ids": [str(i) for i in ids]},
    )


def _chosen(invitation):
    from reslog_events.programme.queries import choices_of

    return choices_of(invitation)


def test_invitee_chooses_sessions(client, agenda, workshop, create_invitation):
    new = create_invitation(event=workshop, status="accepted")
    resp = _choose(client, new.rsvp_token, [agenda[0], agenda[1]])
    assert resp.status_code == 302 and resp.headers["Location"].endswith(
        f"/rsvp/{new.rsvp_token}#agenda"
    )
    assert _chosen(new.invitation) == {agenda[0], agenda[1]}
    # Choosing again replaces the set.
    _choose(client, new.rsvp_token, [agenda[2]])
    assert _chosen(new.invitation) == {agenda[2]}


def test_full_sessions_and_overlaps_are_refused(client, agenda, workshop, create_invitation):
    for _ in range(2):
        first = create_invitation(event=workshop, status="accepted")
        _choose(client, first.rsvp_token, [agenda[1]])
    late = create_invitation(event=workshop, status="tentative")
    _choose(client, late.rsvp_token, [agenda[0], agenda[1]])
    assert _chosen(late.invitation) == set()  # all or nothing
    _choose(client, late.rsvp_token, [agenda[1], agenda[2]])  # same time, two rooms
    assert _chosen(late.invitation) == set()
    _choose(client, late.rsvp_token, [agenda[0], agenda[2]])
    assert _chosen(late.invitation) == {agenda[0], agenda[2]}


def test_declining_frees_the_seats(client, agenda, workshop, create_invitation):
    from reslog_events.core.signals import invitation_answered
    from reslog_events.extensions import db
    from reslog_events.invitations.models import InvitationStatus
    from reslog_events.programme.queries import seats_taken

    holders = [create_invitation(event=workshop, status="accepted") for _ in range(2)]
    for holder in holders:
        _choose(client, holder.rsvp_token, [agenda[1]])
    assert seats_taken([agenda[1]]) == {agenda[1]: 2}
    holders[0].invitation.status = InvitationStatus.declined
    invitation_answered.send(holders[0].invitation, old_status=InvitationStatus.accepted)
    db.session.commit()
    assert _chosen(holders[0].invitation) == set()
    assert seats_taken([agenda[1]]) == {agenda[1]: 1}


def test_choice_needs_the_organiser_and_an_acceptance(
    api, client, agenda, workshop, create_invitation
):
    pending = create_invitation(event=workshop, status="pending")
    _choose(client, pending.rsvp_token, [agenda[0]])
    assert _chosen(pending.invitation) == set()
    api("organiser").patch(
        f"/api/v1/events/{workshop.id}/programme", json={"allow_session_choice": False}
    )
    accepted = create_invitation(event=workshop, status="accepted")
    _choose(client, accepted.rsvp_token, [agenda[0]])
    assert _chosen(accepted.invitation) == set()


def test_unknown_token_is_a_plain_404(client, agenda):
    assert _choose(client, "x" * 27, [agenda[0]]).status_code == 404


def test_agenda_partial_offers_the_choice(app, agenda, workshop, create_invitation):
    from flask import render_template_string

    new = create_invitation(event=workshop, status="accepted")
    with app.test_request_context("/?lang=en"):
        html = render_template_string(
            '{% include "programme/_agenda.html" %}',
            event=workshop,
            invitation=new.invitation,
            token=new.rsvp_token,
        )
        email = render_template_string(
            '{% include "programme/_agenda.html" %}',
            event=workshop,
            invitation=new.invitation,
            for_email=True,
        )
    assert f'action="/rsvp/{new.rsvp_token}/sessions"' in html
    assert 'name="session_ids"' in html and "2 of 2 seats left" in html
    assert "<form" not in email and "Workshop A" in email


@pytest.mark.postgres_only
def test_concurrent_choices_never_overbook(app, agenda, workshop, create_invitation):
    """12 invitees choose the 2-seat workshop at once: exactly 2 get it (12 < the pool's 15
    connections, so that every thread reaches the barrier)."""
    from reslog_events.extensions import db
    from reslog_events.invitations.models import Invitation
    from reslog_events.programme import operations
    from reslog_events.programme.queries import seats_taken

    ids = [create_invitation(event=workshop, status="accepted").invitation.id for _ in range(12)]
    barrier = threading.Barrier(len(ids), timeout=30)
    results: list[str] = []

    def choose(invitation_id: int) -> None:
        from flask_babel import force_locale

        with app.app_context(), force_locale("en"):
            invitation = db.session.get(Invitation, invitation_id)
            barrier.wait()
            try:
                operations.choose_sessions(invitation, [agenda[1]])
                db.session.commit()
                results.append("ok")
            except operations.ProgrammeConflict as exc:
                db.session.rollback()
                results.append(exc.code)

    threads = [threading.Thread(target=choose, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["ok"] * 2 + ["session_full"] * 10
    assert seats_taken([agenda[1]]) == {agenda[1]: 2}
