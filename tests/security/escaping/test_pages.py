"""Stored text from invitees, organisers and imports is escaped in every page that shows it: names
like `<script>…` or `"><img onerror…>` appear as text, never as markup; the scanner's JSON
carries them as data."""

from __future__ import annotations

import pytest

from tests.security.escaping.hostile import assert_escaped

#: (page, role, path made from the world): every page that shows stored text
PAGES = [
    ("organisations", "organiser", lambda w: "/organisations"),
    ("organisations search", "organiser", lambda w: "/organisations?q=Belediye"),
    ("organisation", "organiser", lambda w: f"/organisations/{w['org'].id}"),
    ("organisation form", "organiser", lambda w: f"/organisations/{w['org'].id}/edit"),
    ("contacts", "organiser", lambda w: "/contacts"),
    ("contact form", "organiser", lambda w: f"/contacts/{w['contact'].id}"),
    ("contact privacy", "organiser", lambda w: f"/contacts/{w['contact'].id}/privacy"),
    ("contact erase", "organiser", lambda w: f"/contacts/{w['contact'].id}/privacy/erase"),
    ("events", "organiser", lambda w: "/events"),
    ("event hub", "organiser", lambda w: f"/events/{w['event'].id}"),
    ("event form", "organiser", lambda w: f"/events/{w['event'].id}/edit"),
    ("event cancel", "organiser", lambda w: f"/events/{w['event'].id}/cancel"),
    ("invitations", "organiser", lambda w: f"/events/{w['event'].id}/invitations"),
    ("invite", "organiser", lambda w: f"/events/{w['event'].id}/invitations/new"),
    ("invitation preview", "organiser", lambda w: f"/events/{w['event'].id}/invitations/preview"),
    (
        "invitation history",
        "organiser",
        lambda w: f"/events/{w['event'].id}/invitations/{w['accepted'].invitation.id}",
    ),
    ("answers", "organiser", lambda w: f"/events/{w['event'].id}/answers"),
    (
        "answer form",
        "organiser",
        lambda w: f"/events/{w['event'].id}/answers/{w['accepted'].invitation.id}",
    ),
    ("agenda", "organiser", lambda w: f"/events/{w['event'].id}/agenda"),
    (
        "session form",
        "organiser",
        lambda w: f"/events/{w['event'].id}/agenda/{w['session_id']}/edit",
    ),
    ("itinerary", "organiser", lambda w: f"/events/{w['event'].id}/itinerary"),
    (
        "site form",
        "organiser",
        lambda w: f"/events/{w['event'].id}/itinerary/sites/{w['site_id']}/edit",
    ),
    (
        "member form",
        "organiser",
        lambda w: f"/events/{w['event'].id}/delegation/{w['member_id']}/edit",
    ),
    ("scanner", "staff", lambda w: f"/events/{w['event'].id}/checkin"),
    ("checkin log", "staff", lambda w: f"/events/{w['event'].id}/checkin/log"),
    ("calendar", "organiser", lambda w: f"/calendar?date={w['event'].local_starts_at.date()}"),
    (
        "calendar list",
        "organiser",
        lambda w: f"/calendar?view=list&date={w['event'].local_starts_at.date()}",
    ),
    ("public programme", None, lambda w: "/programme"),
    ("public event", None, lambda w: f"/programme/{w['event'].id}"),
    ("reports dashboard", "coordinator", lambda w: "/reports?group_by=organisation"),
    ("reports by event", "coordinator", lambda w: "/reports?group_by=event"),
    ("reports drill-down", "coordinator", lambda w: f"/reports/organisations/{w['org'].id}"),
    ("report run", "admin", lambda w: f"/reports/runs/{w['run'].id}"),
    ("rsvp page", None, lambda w: f"/rsvp/{w['accepted'].rsvp_token}"),
    ("rsvp page (pending)", None, lambda w: f"/rsvp/{w['pending'].rsvp_token}"),
    ("rsvp page (waitlisted)", None, lambda w: f"/rsvp/{w['waiting'].rsvp_token}"),
    ("users", "admin", lambda w: "/admin/users"),
    ("user", "admin", lambda w: f"/admin/users/{w['coordinator'].id}"),
    ("audit log", "admin", lambda w: "/admin/audit"),
    ("account", "coordinator", lambda w: "/account"),
]


@pytest.mark.parametrize(("name", "role", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_show_stored_text_as_text(world, client, auth, name, role, path):
    if role is not None:
        user = world["coordinator"] if role == "coordinator" else None
        auth.login(role, user=user)
    resp = client.get(path(world))
    assert resp.status_code == 200, (name, resp.status_code)
    assert_escaped(resp.get_data(as_text=True), name)


def test_checkin_search_answers_json_with_the_names_as_data(world, api):
    event = world["event"]
    resp = api("staff").get(f"/api/v1/events/{event.id}/checkins/search?q=Ayşe")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert resp.json["items"][0]["full_name"] == world["contact"].full_name


def test_the_scanner_config_is_json_that_cannot_close_its_script(world, client, auth):
    auth.login("staff")
    html = client.get(f"/events/{world['event'].id}/checkin").get_data(as_text=True)
    config = html.split('id="checkin-config">', 1)[1].split("</script>", 1)[0]
    assert "<" not in config  # tojson writes < as \u003c: the data cannot end the element
