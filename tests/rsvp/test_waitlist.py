"""Seats, the waitlist and promotions: in order, emailed, audited, and safe when 50 people accept
at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from tests.support.forms import csrf_token


@pytest.fixture
def full_event(create_event, create_invitation, create_contact):
    """An event with 2 seats and 5 invitees (not yet answered)."""
    event = create_event(capacity=2)
    invitees = [
        create_invitation(event=event, contact=create_contact(full_name=f"Kişi {n}"))
        for n in range(5)
    ]
    return event, invitees


def _statuses(app, invitees):
    from reslog_events.extensions import db
    from reslog_events.rsvp.queries import waitlist_position

    db.session.expire_all()
    result = []
    for new in invitees:
        inv = db.session.get(type(new.invitation), new.invitation.id)
        result.append((inv.status.value, waitlist_position(inv)))
    return result


def test_a_full_event_puts_accepts_on_the_waitlist_in_order(
    app, client, full_event, answer, outbox
):
    _event, people = full_event
    for new in people[:4]:
        assert answer(new.rsvp_token, "accept").status_code == 303
    assert _statuses(app, people) == [
        ("accepted", None),
        ("accepted", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("pending", None),
    ]
    assert [(row.kind, row.invitation_id) for row in outbox()] == [
        ("confirmation", people[0].invitation.id),
        ("confirmation", people[1].invitation.id),
        ("waitlisted", people[2].invitation.id),
        ("waitlisted", people[3].invitation.id),
    ]
    html = client.get(f"/rsvp/{people[3].rsvp_token}").get_data(as_text=True)
    # In the invitee's language (the factories' contacts speak Turkish).
    assert "bekleme listesindesiniz" in html and "Bekleme listesindeki sıranız: 2" in html
    assert "/qr.png" not in html  # no check-in code without a seat
    # Accepting again keeps one's place; a waitlisted invitee who declines leaves the list.
    answer(people[3].rsvp_token, "accept")
    answer(people[2].rsvp_token, "decline", consent=False)
    assert _statuses(app, people)[2:4] == [("declined", None), ("waitlisted", 1)]


def test_a_decline_promotes_the_first_on_the_waitlist(
    app, full_event, answer, outbox, audit, received
):
    from reslog_events.core.signals import invitation_answered

    _event, people = full_event
    for new in people[:4]:
        answer(new.rsvp_token, "accept")
    calls = received(invitation_answered)
    answer(people[0].rsvp_token, "decline", consent=False)
    assert _statuses(app, people)[:4] == [
        ("declined", None),
        ("accepted", None),
        ("accepted", None),
        ("waitlisted", 1),
    ]
    assert (outbox()[-1].kind, outbox()[-1].invitation_id) == (
        "promotion",
        people[2].invitation.id,
    )
    (promoted,) = audit("invitation.promote")
    assert promoted.object_id == people[2].invitation.id and promoted.actor == "system"
    assert sorted((s.id, kw["old_status"].value) for s, kw in calls) == sorted(
        [(people[0].invitation.id, "accepted"), (people[2].invitation.id, "waitlisted")]
    )


def test_a_tentative_answer_also_frees_the_seat(app, full_event, answer, outbox):
    _event, people = full_event
    for new in people[:3]:
        answer(new.rsvp_token, "accept")
    answer(people[1].rsvp_token, "tentative")
    assert [s for s, _ in _statuses(app, people)[:3]] == ["accepted", "tentative", "accepted"]
    assert outbox("promotion")[0].invitation_id == people[2].invitation.id


def test_revoking_frees_the_seat_and_promotes(
    app, client, auth, full_event, answer, outbox, audit, received
):
    from reslog_events.core.signals import invitation_revoked

    event, people = full_event
    for new in people[:3]:
        answer(new.rsvp_token, "accept")
    revoked = received(invitation_revoked)
    auth.login("organiser")
    path = f"/events/{event.id}/answers/{people[0].invitation.id}"
    token = csrf_token(client, path)
    resp = client.post(path + "/revoke", data={"csrf_token": token})
    assert resp.status_code == 302
    assert [s for s, _ in _statuses(app, people)[:3]] == ["revoked", "accepted", "accepted"]
    assert [sender.id for sender, _ in revoked] == [people[0].invitation.id]
    assert outbox("promotion")[0].invitation_id == people[2].invitation.id
    (entry,) = audit("invitation.revoke")
    assert entry.actor == "user" and entry.user_id == auth.user.id
    assert entry.data == {"from": "accepted"}
    page = client.get(f"/rsvp/{people[0].rsvp_token}")
    assert page.status_code == 410


def test_an_event_without_a_limit_has_no_waitlist(app, create_event, create_invitation, answer):
    event = create_event(capacity=None)
    people = [create_invitation(event=event) for _ in range(3)]
    for new in people:
        answer(new.rsvp_token, "accept")
    assert [s for s, _ in _statuses(app, people)] == ["accepted"] * 3


def test_a_larger_capacity_fills_from_the_waitlist(app, full_event, answer, outbox):
    from reslog_events.extensions import db
    from reslog_events.rsvp.operations import fill_free_seats, lock_event

    event, people = full_event
    for new in people[:4]:
        answer(new.rsvp_token, "accept")
    event = lock_event(event.id)
    event.capacity = 3
    promoted = fill_free_seats(event)
    db.session.commit()
    assert [inv.id for inv in promoted] == [people[2].invitation.id]
    assert [s for s, _ in _statuses(app, people)[:4]] == ["accepted"] * 3 + ["waitlisted"]


@pytest.mark.postgres_only
def test_fifty_simultaneous_accepts_for_ten_seats(
    app, create_event, create_contact, create_invitation
):
    """Each request runs in its own thread, app context and database connection; the event's
    row lock makes them decide one after another."""
    from reslog_events.extensions import db
    from reslog_events.invitations.models import Invitation

    event = create_event(capacity=10)
    people = [create_invitation(event=event, contact=create_contact()) for _ in range(50)]
    clients = [(app.test_client(), new.invitation.id, new.rsvp_token) for new in people]
    event_id = event.id
    db.session.remove()

    barrier = threading.Barrier(len(clients))
    statuses: dict[int, int] = {}
    errors: list[BaseException] = []

    def accept(http, invitation_id, rsvp_token):
        # No app context in this thread: each request pushes its own (as in production).
        try:
            token = csrf_token(http, f"/rsvp/{rsvp_token}")
            barrier.wait(timeout=30)
            resp = http.post(
                f"/rsvp/{rsvp_token}",
                data={"csrf_token": token, "response": "accept", "consent_data": "1"},
            )
            statuses[invitation_id] = resp.status_code
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=accept, args=args) for args in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert set(statuses.values()) == {303}, statuses

    db.session.expire_all()
    rows = db.session.execute(
        sa.select(
            Invitation.id, Invitation.status, Invitation.responded_at, Invitation.waitlisted_at
        ).where(Invitation.event_id == event_id)
    ).all()
    accepted = [r for r in rows if r.status.value == "accepted"]
    waitlisted = sorted(
        (r for r in rows if r.status.value == "waitlisted"), key=lambda r: (r.waitlisted_at, r.id)
    )
    assert len(accepted) == 10 and len(waitlisted) == 40
    # In the order the answers were decided: every seat went before anyone was waitlisted,
    # and the waitlist has 40 distinct, strictly increasing places.
    assert max(r.responded_at for r in accepted) < min(r.waitlisted_at for r in waitlisted)
    times = [r.waitlisted_at for r in waitlisted]
    assert times == sorted(times) and len(set(times)) == 40


def test_raising_capacity_through_the_api_promotes_the_waitlist(app, full_event, answer, api):
    event, people = full_event
    for new in people[:4]:
        answer(new.rsvp_token, "accept")
    assert [s for s, _ in _statuses(app, people)[:4]] == ["accepted"] * 2 + ["waitlisted"] * 2
    resp = api("organiser").patch(f"/api/v1/events/{event.id}", json={"capacity": 3})
    assert resp.status_code == 200, resp.json
    assert [s for s, _ in _statuses(app, people)[:4]] == ["accepted"] * 3 + ["waitlisted"]
    resp = api("organiser").patch(f"/api/v1/events/{event.id}", json={"capacity": None})
    assert resp.status_code == 200, resp.json
    assert [s for s, _ in _statuses(app, people)[:4]] == ["accepted"] * 4
