"""An erased contact is refused, by id, wherever it could come back: invitations (API and page),
the delegation of a visit (API and page). The race with a concurrent erasure is in
test_erase_race.py (PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.forms import csrf_token


def _erase(api, contact) -> None:
    resp = api("organiser").post(f"/api/v1/contacts/{contact.id}/erase", json={"confirm": True})
    assert resp.status_code == 200, resp.json


def _count(model, *where) -> int:
    from reslog_events.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_inviting_an_erased_contact_names_it_and_invites_nobody(api, create_contact, create_event):
    from reslog_events.invitations.models import Invitation
    from reslog_events.mail.models import OutgoingEmail

    event = create_event()
    erased = create_contact(full_name="Rüya Nurhan Al-Khatib")
    other = create_contact(full_name="Şükrü Sarıçam")
    _erase(api, erased)
    resp = api("organiser").post(
        f"/api/v1/events/{event.id}/invitations", json={"contact_ids": [other.id, erased.id]}
    )
    assert resp.status_code == 409
    error = resp.json["error"]
    assert error["code"] == "contact_erased"
    assert error["message"] == f"These contacts were erased and cannot be invited: {erased.id}."
    assert _count(Invitation, Invitation.event_id == event.id) == 0
    assert _count(OutgoingEmail) == 0
    turkish = api("organiser").post(
        f"/api/v1/events/{event.id}/invitations?lang=tr", json={"contact_ids": [erased.id]}
    )
    assert turkish.status_code == 409
    assert turkish.json["error"]["message"] == (
        f"Bu kişilerin verileri silindi, davet edilemezler: {erased.id}."
    )


def test_the_invitation_page_refuses_an_erased_contact(
    client, auth, api, create_contact, create_event
):
    from reslog_events.invitations.models import Invitation

    event = create_event()
    erased = create_contact()
    _erase(api, erased)
    auth.login("organiser")
    sent = client.post(
        f"/events/{event.id}/invitations/send",
        data={
            "csrf_token": csrf_token(client, f"/events/{event.id}/invitations/new"),
            "ids": str(erased.id),
        },
        follow_redirects=True,
    )
    assert sent.status_code == 200
    message = f"These contacts were erased and cannot be invited: {erased.id}."
    assert message in sent.get_data(as_text=True)
    assert _count(Invitation, Invitation.event_id == event.id) == 0


@pytest.fixture
def visit_with_erased(api, create_event, create_contact, create_invitation):
    """A visit; `member` was in the delegation before being erased, `invitee` was invited and
    then erased, `kept` is neither."""
    visit = create_event(kind="peer_visit")
    people = {key: create_contact() for key in ("member", "invitee", "kept")}
    invitations = {
        key: create_invitation(event=visit, contact=contact, status="accepted").invitation
        for key, contact in people.items()
    }
    added = api("organiser").post(
        f"/api/v1/events/{visit.id}/delegation",
        json={"invitation_id": invitations["member"].id, "visa_notes": "Schengen visa issued"},
    )
    assert added.status_code == 201, added.json
    _erase(api, people["member"])
    _erase(api, people["invitee"])
    return visit, people, invitations, added.json["id"]


def test_an_erased_contact_cannot_join_the_delegation(api, visit_with_erased):
    from reslog_events.programme.models import DelegationMember

    visit, people, invitations, member_id = visit_with_erased
    org = api("organiser")
    resp = org.post(
        f"/api/v1/events/{visit.id}/delegation",
        json={"invitation_id": invitations["invitee"].id, "visa_notes": "Passport renewed"},
    )
    assert resp.status_code == 409
    assert resp.json["error"]["code"] == "contact_erased"
    assert resp.json["error"]["message"] == (
        f"Contact {people['invitee'].id} was erased: it cannot join the delegation."
    )
    edit = org.patch(f"/api/v1/delegation/{member_id}", json={"visa_notes": "Passport renewed"})
    assert edit.status_code == 409 and edit.json["error"]["code"] == "contact_erased"
    assert str(people["member"].id) in edit.json["error"]["message"]
    assert _count(DelegationMember, DelegationMember.visa_notes.is_not(None)) == 0
    kept = org.post(
        f"/api/v1/events/{visit.id}/delegation", json={"invitation_id": invitations["kept"].id}
    )
    assert kept.status_code == 201, kept.json


def test_the_delegation_page_neither_offers_nor_takes_an_erased_contact(
    client, auth, visit_with_erased
):
    from reslog_events.programme.models import DelegationMember

    visit, people, invitations, member_id = visit_with_erased
    auth.login("organiser")
    page = client.get(f"/events/{visit.id}/itinerary").get_data(as_text=True)
    assert f'<option value="{invitations["kept"].id}"' in page
    assert f'<option value="{invitations["invitee"].id}"' not in page
    resp = client.post(
        f"/events/{visit.id}/delegation",
        data={
            "csrf_token": csrf_token(client, f"/events/{visit.id}/itinerary"),
            "invitation_id": str(invitations["invitee"].id),
            "visa_notes": "Passport renewed",
        },
    )
    assert resp.status_code == 422
    message = f"Contact {people['invitee'].id} was erased: it cannot join the delegation."
    assert message in resp.get_data(as_text=True)
    assert _count(DelegationMember) == 1
    edit = f"/events/{visit.id}/delegation/{member_id}/edit"
    edited = client.post(
        edit,
        data={"csrf_token": csrf_token(client, edit), "visa_notes": "Passport renewed"},
        follow_redirects=True,
    )
    assert edited.status_code == 200
    message = f"Contact {people['member'].id} was erased: it cannot join the delegation."
    assert message in edited.get_data(as_text=True)
    assert _count(DelegationMember, DelegationMember.visa_notes.is_not(None)) == 0
