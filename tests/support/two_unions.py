"""A two-union world: MBB and ÇBB with a member municipality each; an organiser, a door staff
member and a coordinator in each union, programme-wide ones, an administrator; and one event per
union with a row of every kind that belongs to an event (invitation, check-in, agenda session,
itinerary site, delegation member, minutes), so that every route naming an event can be called
for real.

    def test_x(world):
        world.api("MBB", "organiser").get(f"/api/v1/events/{world.events['ÇBB'].id}")  # 404
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tests.support.factories import ApiClient

UNIONS = ("MBB", "ÇBB")
ROLES = ("organiser", "staff", "coordinator")


@dataclass
class World:
    client: Any
    unions: dict[str, Any]
    #: a member municipality of each union: Şişli (MBB), Sarıçam (ÇBB)
    members: dict[str, Any]
    #: (union code or None for programme-wide, role) -> user; (None, "admin") the administrator
    users: dict[tuple[str | None, str], Any]
    tokens: dict[tuple[str | None, str], str]
    #: union code -> its event (MBB's hosted by a member, ÇBB's by the union itself)
    events: dict[str, Any]
    #: union code -> {view argument name: id of a row of that union's event}
    rows: dict[str, dict[str, int]] = field(default_factory=dict)

    def api(self, union: str | None, role: str) -> ApiClient:
        return ApiClient(self.client, self.tokens[(union, role)])

    def user(self, union: str | None, role: str) -> Any:
        return self.users[(union, role)]

    def put_on_team(self, union: str, user: Any) -> None:
        from reslog_events.extensions import db
        from reslog_events.teams.models import TeamMember

        db.session.add(TeamMember(event_id=self.events[union].id, user_id=user.id))
        db.session.commit()


def world(
    app, client, create_user, create_organisation, create_event, create_contact, create_invitation
):
    from reslog_events.auth.operations import create_token
    from reslog_events.checkin.models import CheckIn
    from reslog_events.core.columns import utcnow
    from reslog_events.documents.models import DocumentKind, EventDocument, Visibility
    from reslog_events.extensions import db
    from reslog_events.programme.models import AgendaSession, DelegationMember, ItinerarySite

    unions = {
        "MBB": create_organisation(name="Marmara Belediyeler Birliği", kind="union", code="MBB"),
        "ÇBB": create_organisation(name="Çukurova Belediyeler Birliği", kind="union", code="ÇBB"),
    }
    members = {
        "MBB": create_organisation(name="Şişli Belediyesi", unions=[unions["MBB"]]),
        "ÇBB": create_organisation(name="Sarıçam Belediyesi", unions=[unions["ÇBB"]]),
    }
    users: dict[tuple[str | None, str], Any] = {}
    slug = {"MBB": "mbb", "ÇBB": "cbb", None: "all"}
    for union in (*UNIONS, None):
        for role in ROLES:
            users[(union, role)] = create_user(
                role,
                email=f"{role}.{slug[union]}@example.org",
                name=f"{role.title()} {union or 'Programme'}",
                union_id=unions[union].id if union else None,
            )
    users[(None, "admin")] = create_user("admin", email="admin@example.org", name="Admin")
    tokens = {key: create_token(user) for key, user in users.items()}
    db.session.commit()

    now = utcnow().replace(microsecond=0)
    events = {
        "MBB": create_event(
            title="Şişli Göç Forumu",
            host_organisation_id=members["MBB"].id,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=5),
        ),
        "ÇBB": create_event(
            title="Sarıçam Çalıştayı",
            host_organisation_id=unions["ÇBB"].id,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=5),
        ),
    }
    rows: dict[str, dict[str, int]] = {}
    for union, event in events.items():
        contact = create_contact(organisation=members[union])
        invitation = create_invitation(event=event, contact=contact, status="accepted").invitation
        checkin = CheckIn(
            event_id=event.id,
            invitation_id=invitation.id,
            day=now.astimezone(event.zone).date(),
            method="manual",
        )
        session = AgendaSession(
            event=event, title="Açılış", starts_at=event.starts_at, ends_at=event.ends_at
        )
        site = ItinerarySite(event=event, day=event.local_starts_at.date(), host_name="Belediye")
        member = DelegationMember(invitation_id=invitation.id)
        minutes = EventDocument(
            event_id=event.id,
            kind=DocumentKind.minutes,
            visibility=Visibility.attendees,
            title="Tutanak",
            body="Kararlar",
        )
        db.session.add_all([checkin, session, site, member, minutes])
        db.session.commit()
        rows[union] = {
            "event_id": event.id,
            "invitation_id": invitation.id,
            "checkin_id": checkin.id,
            "session_id": session.id,
            "site_id": site.id,
            "member_id": member.id,
            "document_id": minutes.id,
        }
    return World(client, unions, members, users, tokens, events, rows)
