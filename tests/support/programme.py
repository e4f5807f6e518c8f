"""A programme for a test world: an agenda session, an itinerary site and a delegation member of
one event, made through the API as an organiser would."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def add_programme(organiser, event, invitation_id: int, **extra: dict[str, Any]) -> dict:
    """{"session", "site", "member"} → their ids; `site={…}` and `member={…}` add fields."""
    starts = event.starts_at
    session = organiser.post(
        f"/api/v1/events/{event.id}/sessions",
        json={
            "title": "Opening",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
        },
    )
    site = organiser.post(
        f"/api/v1/events/{event.id}/sites",
        json={
            "day": event.local_starts_at.date().isoformat(),
            "host_name": "Host",
            **extra.get("site", {}),
        },
    )
    member = organiser.post(
        f"/api/v1/events/{event.id}/delegation",
        json={"invitation_id": invitation_id, **extra.get("member", {})},
    )
    for resp in (session, site, member):
        assert resp.status_code == 201, resp.json
    return {"session": session.json["id"], "site": site.json["id"], "member": member.json["id"]}
