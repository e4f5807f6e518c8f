"""Every page of one event starts its breadcrumb trail the same way: "Events › <the event>".

The walk takes the event's pages from the URL map itself, so a page added later is walked too;
the agenda and itinerary once started with "Calendar" while the rest started with "Events"."""

from __future__ import annotations

import re

import pytest

#: pages of an event that are not pages under the event's own trail (path → why)
NOT_IN_THE_TRAIL = {
    "/events/{id}/checkin": "the door's full-screen scanner, which has no site navigation",
    "/events/{id}/invitations/preview": "the invitation email as the invitee reads it",
}
#: machine files under an event's path: downloads, the service worker, the manifest
FILES = re.compile(r"\.(csv|xlsx|zip|ics|js|webmanifest|pdf)$")
CRUMBS = re.compile(r'<p class="breadcrumb">(.*?)</p>', re.S)
LINK = re.compile(r'<a href="([^"]+)">\s*(?:<bdi>)?([^<]*)')


def _event_pages(app, ids: dict[str, int]) -> list[str]:
    """Every GET page under /events/<event_id>, its ids filled from `ids`."""
    pages = []
    for rule in app.url_map.iter_rules():
        path = rule.rule
        if not path.startswith("/events/<int:event_id>") or "GET" not in rule.methods:
            continue
        if FILES.search(path) or path.startswith("/events/<int:event_id>/api"):
            continue
        names = re.findall(r"<(?:int:)?(\w+)>", path)
        if any(name not in ids for name in names):
            continue
        pages.append(re.sub(r"<(?:int:)?(\w+)>", lambda m: str(ids[m.group(1)]), path))
    return sorted(set(pages))


def _first_crumbs(html: str) -> tuple[tuple[str, str], ...] | None:
    found = CRUMBS.search(html)
    if found is None:
        return None
    return tuple((href, text.strip()) for href, text in LINK.findall(found.group(1))[:2])


@pytest.fixture
def event_world(create_event, create_invitation):
    event = create_event(title="Şişli ve Sarıçam forumu")
    invitation = create_invitation(event=event, status="accepted").invitation
    return event, {"event_id": event.id, "invitation_id": invitation.id}


def test_every_page_of_an_event_starts_with_events_then_the_event(app, client, auth, event_world):
    event, ids = event_world
    auth.login("admin")
    pages = _event_pages(app, ids)
    # the hub's sub-pages, from every feature: the walk must find them, or it walks nothing
    for must in ("agenda", "itinerary", "answers", "invitations", "documents", "checkin/log"):
        assert f"/events/{event.id}/{must}" in pages, must
    expected = (("/events", "Events"), (f"/events/{event.id}", event.title))
    wrong, walked = {}, []
    for page in pages:
        if page.replace(str(event.id), "{id}", 1) in NOT_IN_THE_TRAIL:
            continue
        response = client.get(page + "?lang=en")
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        walked.append(page)
        crumbs = _first_crumbs(response.get_data(as_text=True))
        if page == f"/events/{event.id}":
            if crumbs is None or crumbs[:1] != expected[:1]:
                wrong[page] = crumbs
        elif crumbs != expected:
            wrong[page] = crumbs
    assert len(walked) >= 20, walked
    assert not wrong, "\n".join(f"{page}: {crumbs}" for page, crumbs in wrong.items())


def test_the_walk_reads_a_calendar_trail_as_wrong():
    html = (
        '<p class="breadcrumb">\n  <a href="/calendar">Calendar</a> ›\n'
        '  <a href="/events/3">Forum</a>\n</p>'
    )
    assert _first_crumbs(html) == (("/calendar", "Calendar"), ("/events/3", "Forum"))
