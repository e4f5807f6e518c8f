"""Check-in fixtures: an event with invitees, and a way to post scans."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest

from reslog_events.core.columns import utcnow


@dataclass
class Door:
    """Posts door actions for one event with a role's token."""

    client: object
    event_id: int

    def scan(self, code: str, gate: str = "A", nonce: str | None = None, **extra):
        body = {"code": code, "gate": gate, "nonce": nonce or uuid.uuid4().hex, **extra}
        return self.client.post(f"/api/v1/events/{self.event_id}/checkins", json=body)

    def manual(self, invitation_id: int, gate: str = "A", nonce: str | None = None, **extra):
        body = {"invitation_id": invitation_id, "gate": gate, "nonce": nonce or uuid.uuid4().hex}
        return self.client.post(
            f"/api/v1/events/{self.event_id}/checkins/manual", json={**body, **extra}
        )

    def walk_in(self, gate: str = "A", nonce: str | None = None, **fields):
        body = {"gate": gate, "nonce": nonce or uuid.uuid4().hex, **fields}
        return self.client.post(f"/api/v1/events/{self.event_id}/walk-ins", json=body)

    def undo(self, checkin_id: int):
        return self.client.delete(f"/api/v1/events/{self.event_id}/checkins/{checkin_id}")

    def get(self, path: str, **kw):
        return self.client.get(f"/api/v1/events/{self.event_id}{path}", **kw)


@pytest.fixture
def create_event(create_event):
    """Events at the door are under way now by default (a scan on another day is wrong_day)."""

    def make(**kw):
        if "starts_at" not in kw:
            kw["starts_at"] = utcnow().replace(microsecond=0) - timedelta(hours=1)
        return create_event(**kw)

    return make


@pytest.fixture
def event(create_event):
    """An event under way (the modules that need another kind define their own)."""
    return create_event(title="Göç ve Kent Forumu")


@pytest.fixture
def door(api):
    """door(event, role="staff") → a Door."""

    def make(event, role: str = "staff") -> Door:
        return Door(api(role), event.id)

    return make


@pytest.fixture
def invitee(create_invitation, create_contact, create_organisation):
    """invitee(event, name=…, organisation=…, status=…) → NewInvitation with .checkin_code."""

    def make(event, name: str | None = None, organisation: str | None = None, **kw):
        contact_kw = {}
        if name:
            contact_kw["full_name"] = name
        if organisation:
            contact_kw["organisation"] = create_organisation(name=organisation)
        if "email" in kw:
            contact_kw["email"] = kw.pop("email")
        contact = create_contact(**contact_kw)
        return create_invitation(
            event=event, contact=contact, status=kw.pop("status", "accepted"), **kw
        )

    return make
