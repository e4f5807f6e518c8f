"""Who may open which page: every GET page route × (anonymous, admin, organiser, staff,
coordinator) → 200, a redirect to the login page, or 403.

Every GET rule the app registers outside /api/ and /static/ must be listed in PAGES (the first
test fails otherwise), so a new page cannot ship without a decision about who sees it.
The users here are programme-wide: union-scoped users and teams are walked through every event
page by tests/teams/test_pages.py (docs/security.md, "Who sees which events").
"""

from __future__ import annotations

import pytest

from tests.support.page_world import page_world

ADMIN, ORGANISER, STAFF, COORDINATOR = "admin", "organiser", "staff", "coordinator"
ROLES = (ADMIN, ORGANISER, STAFF, COORDINATOR)
EDITORS = {ADMIN, ORGANISER}
DOOR = {ADMIN, ORGANISER, STAFF}
READERS = set(ROLES)
REPORTERS = {ADMIN, ORGANISER, COORDINATOR}
DIRECTORY = {ADMIN, ORGANISER, COORDINATOR}
LOGGED_IN = set(ROLES)
#: anyone, without logging in
PUBLIC = None

#: rule → (who may open it, path with the world's ids, status for those allowed)
PAGES: dict[str, tuple[set[str] | None, str, int]] = {
    "/": (LOGGED_IN, "/", 302),  # to the events list or, for coordinators, the dashboard
    "/login": (PUBLIC, "/login", 200),
    "/favicon.ico": (PUBLIC, "/favicon.ico", 200),
    "/calendar": (READERS, "/calendar", 200),
    "/calendar/feed": (LOGGED_IN, "/calendar/feed", 200),
    "/feeds/public.ics": (PUBLIC, "/feeds/public.ics", 200),
    "/feeds/u/<secret>.ics": (PUBLIC, "/feeds/u/{feed_secret}.ics", 200),
    "/programme": (PUBLIC, "/programme", 200),
    "/programme/<int:event_id>": (PUBLIC, "/programme/{event}", 200),
    "/rsvp/<token>": (PUBLIC, "/rsvp/{token}", 200),
    "/rsvp/<token>/qr.png": (PUBLIC, "/rsvp/{token}/qr.png", 200),
    "/rsvp/<token>/calendar.ics": (PUBLIC, "/rsvp/{token}/calendar.ics", 200),
    # certificates of attendance (of an event that has ended, attended)
    "/rsvp/<token>/certificate.pdf": (PUBLIC, "/rsvp/{past_token}/certificate.pdf", 200),
    "/verify/<code>": (PUBLIC, "/verify/{certificate_code}", 200),
    "/events/<int:event_id>/certificates.zip": (
        EDITORS,
        "/events/{past_event}/certificates.zip",
        200,
    ),
    "/events/<int:event_id>/notified": (EDITORS, "/events/{event}/notified", 200),
    # directory
    "/organisations": (DIRECTORY, "/organisations", 200),
    "/organisations/new": (EDITORS, "/organisations/new", 200),
    "/organisations/<int:organisation_id>": (DIRECTORY, "/organisations/{org}", 200),
    "/organisations/<int:organisation_id>/edit": (EDITORS, "/organisations/{org}/edit", 200),
    "/contacts": (EDITORS, "/contacts", 200),
    "/contacts/new": (EDITORS, "/contacts/new", 200),
    "/contacts/<int:contact_id>": (EDITORS, "/contacts/{contact}", 200),
    "/contacts/import": (EDITORS, "/contacts/import", 200),
    "/contacts/import/template.csv": (EDITORS, "/contacts/import/template.csv", 200),
    # privacy
    "/contacts/<int:contact_id>/privacy": (EDITORS, "/contacts/{contact}/privacy", 200),
    "/contacts/<int:contact_id>/privacy/erase": (
        EDITORS,
        "/contacts/{contact}/privacy/erase",
        200,
    ),
    "/contacts/<int:contact_id>/privacy/export.json": (
        EDITORS,
        "/contacts/{contact}/privacy/export.json",
        200,
    ),
    # events
    "/events": (READERS, "/events", 200),
    "/events/new": (EDITORS, "/events/new", 200),
    "/events/<int:event_id>": (READERS, "/events/{event}", 200),
    "/events/<int:event_id>/edit": (EDITORS, "/events/{event}/edit", 200),
    "/events/<int:event_id>/publish": (EDITORS, "/events/{draft}/publish", 200),
    "/events/<int:event_id>/cancel": (EDITORS, "/events/{event}/cancel", 200),
    # copies and series (an event in no series: its change and cancel pages send back)
    "/events/<int:event_id>/copy": (EDITORS, "/events/{event}/copy", 200),
    "/events/<int:event_id>/series": (EDITORS, "/events/{event}/series", 200),
    "/events/<int:event_id>/series/change": (EDITORS, "/events/{event}/series/change", 303),
    "/events/<int:event_id>/series/cancel": (EDITORS, "/events/{event}/series/cancel", 303),
    # invitations
    "/events/<int:event_id>/invitations": (EDITORS, "/events/{event}/invitations", 200),
    "/events/<int:event_id>/invitations/new": (EDITORS, "/events/{event}/invitations/new", 200),
    "/events/<int:event_id>/invitations/preview": (
        EDITORS,
        "/events/{event}/invitations/preview",
        200,
    ),
    "/events/<int:event_id>/invitations/progress": (
        EDITORS,
        "/events/{event}/invitations/progress",
        200,
    ),
    "/events/<int:event_id>/invitations/<int:invitation_id>": (
        EDITORS,
        "/events/{event}/invitations/{invitation}",
        200,
    ),
    # answers
    "/events/<int:event_id>/answers": (EDITORS, "/events/{event}/answers", 200),
    "/events/<int:event_id>/answers.csv": (EDITORS, "/events/{event}/answers.csv", 200),
    "/events/<int:event_id>/answers.xlsx": (EDITORS, "/events/{event}/answers.xlsx", 200),
    "/events/<int:event_id>/answers/<int:invitation_id>": (
        EDITORS,
        "/events/{event}/answers/{invitation}",
        200,
    ),
    # messages to a group
    "/events/<int:event_id>/messages": (EDITORS, "/events/{event}/messages", 200),
    # minutes and documents; an invitee's is on the past event, whose documents no form here
    # changes (the form fuzzing of tests/properties changes the others' visibility)
    "/events/<int:event_id>/documents": (EDITORS, "/events/{event}/documents", 200),
    "/events/<int:event_id>/documents/minutes/new": (
        EDITORS,
        "/events/{event}/documents/minutes/new",
        200,
    ),
    "/events/<int:event_id>/documents/<int:document_id>": (
        EDITORS,
        "/events/{event}/documents/{document}",
        200,
    ),
    "/events/<int:event_id>/documents/<int:document_id>/delete": (
        EDITORS,
        "/events/{event}/documents/{document}/delete",
        200,
    ),
    "/events/<int:event_id>/documents/<int:document_id>/edit": (
        EDITORS,
        "/events/{event}/documents/{minutes}/edit",
        200,
    ),
    "/events/<int:event_id>/documents/<int:document_id>/send": (
        EDITORS,
        "/events/{event}/documents/{minutes}/send",
        200,
    ),
    "/rsvp/<token>/documents/<int:document_id>": (
        PUBLIC,
        "/rsvp/{past_token}/documents/{past_document}",
        200,
    ),
    # feedback (the survey's personal link: an unknown one is a 404 page for anyone)
    "/feedback/<token>": (PUBLIC, "/feedback/no-such-link", 404),
    "/events/<int:event_id>/feedback": (REPORTERS, "/events/{event}/feedback", 200),
    "/events/<int:event_id>/feedback/edit": (EDITORS, "/events/{event}/feedback/edit", 200),
    "/events/<int:event_id>/feedback/send": (EDITORS, "/events/{event}/feedback/send", 200),
    "/events/<int:event_id>/feedback.csv": (REPORTERS, "/events/{event}/feedback.csv", 200),
    "/events/<int:event_id>/feedback.xlsx": (REPORTERS, "/events/{event}/feedback.xlsx", 200),
    # check-in
    "/events/<int:event_id>/checkin": (DOOR, "/events/{event}/checkin", 200),
    "/events/<int:event_id>/checkin/log": (DOOR, "/events/{event}/checkin/log", 200),
    "/events/<int:event_id>/checkin/log.csv": (DOOR, "/events/{event}/checkin/log.csv", 200),
    # the scanner offline: its service worker and its web app manifest
    "/events/<int:event_id>/checkin-sw.js": (DOOR, "/events/{event}/checkin-sw.js", 200),
    "/events/<int:event_id>/checkin/manifest.webmanifest": (
        DOOR,
        "/events/{event}/checkin/manifest.webmanifest",
        200,
    ),
    # programme
    "/events/<int:event_id>/agenda": (READERS, "/events/{event}/agenda", 200),
    "/events/<int:event_id>/agenda/<int:session_id>/edit": (
        EDITORS,
        "/events/{event}/agenda/{session}/edit",
        200,
    ),
    "/events/<int:event_id>/itinerary": (EDITORS, "/events/{event}/itinerary", 200),
    "/events/<int:event_id>/itinerary/sites/<int:site_id>/edit": (
        EDITORS,
        "/events/{event}/itinerary/sites/{site}/edit",
        200,
    ),
    "/events/<int:event_id>/delegation/<int:member_id>/edit": (
        EDITORS,
        "/events/{event}/delegation/{member}/edit",
        200,
    ),
    # reports
    "/reports": (REPORTERS, "/reports", 200),
    "/reports/organisations/<int:organisation_id>": (
        REPORTERS,
        "/reports/organisations/{org}",
        200,
    ),
    # a run is its requester's (administrators see every run): the others get a 404
    "/reports/runs/<int:run_id>": ({ADMIN}, "/reports/runs/{run}", 200),
    # results against targets (coordinators and administrators); targets and the pilot list
    "/results": ({ADMIN, COORDINATOR}, "/results", 200),
    "/admin/results": ({ADMIN}, "/admin/results", 200),
    # administration
    "/admin/users": ({ADMIN}, "/admin/users", 200),
    "/admin/users/invite": ({ADMIN}, "/admin/users/invite", 200),
    "/admin/users/<int:user_id>": ({ADMIN}, "/admin/users/{user}", 200),
    "/admin/audit": ({ADMIN}, "/admin/audit", 200),
    "/admin/audit.csv": ({ADMIN}, "/admin/audit.csv", 200),
    "/account": (LOGGED_IN, "/account", 200),
    # a one-time link: a token that is no (longer a) link is a 404 page for anyone
    "/account/password/<token>": (PUBLIC, "/account/password/no-such-link", 404),
    # the development outbox (MAIL_BACKEND=file only)
    "/dev/outbox": (EDITORS, "/dev/outbox", 200),
    "/dev/outbox/<name>": (EDITORS, "/dev/outbox/00000001.eml", 200),
    "/dev/outbox/<name>/html": (EDITORS, "/dev/outbox/00000001.eml/html", 200),
    "/dev/outbox/<name>/part/<int:index>": (EDITORS, "/dev/outbox/00000001.eml/part/0", 200),
    "/dev/outbox/<name>/raw": (EDITORS, "/dev/outbox/00000001.eml/raw", 200),
}
#: answers that differ from the rule above, by page and role
EXCEPTIONS: dict[str, dict[str, int]] = {
    # the login page sends a logged-in user on to the app
    "/login": dict.fromkeys(ROLES, 302),
    # a reporter's run is theirs: someone else's does not exist for them
    "/reports/runs/<int:run_id>": {ORGANISER: 404, COORDINATOR: 404},
}


def test_every_page_rule_is_in_the_matrix(app):
    rules = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static" and not rule.rule.startswith("/api/")
    }
    assert rules - set(PAGES) == set(), "pages missing from tests/security/test_page_matrix.py"
    assert set(PAGES) - rules == set(), "matrix rows for pages that do not exist"


@pytest.fixture(scope="module")
def world(_app):
    """One set of rows and a logged-in client per role for the whole matrix."""
    yield from page_world(_app)


@pytest.mark.parametrize("role", [None, *ROLES], ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("rule", sorted(PAGES))
def test_page_matrix(world, rule, role):
    ids, clients = world
    allowed, path, status = PAGES[rule]
    resp = clients[role].get(path.format(**ids))
    if role in EXCEPTIONS.get(rule, {}):
        assert resp.status_code == EXCEPTIONS[rule][role], (rule, role, resp.status_code)
    elif allowed is PUBLIC or (role is not None and role in allowed):
        assert resp.status_code == status, (rule, role, resp.status_code)
    elif role is None:
        assert resp.status_code == 302, (rule, resp.status_code)
        assert resp.headers["Location"].startswith("/login")
    else:
        assert resp.status_code == 403, (rule, role, resp.status_code)
