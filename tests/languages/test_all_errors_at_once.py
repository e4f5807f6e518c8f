"""Every field error in one answer: a rule across fields (the end after the start, the answer
deadline by the end, the departure after the arrival) is reported together with the other
fields' errors, not only once those are fixed."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from reslog_events.core.columns import utcnow
from reslog_events.events.models import Event
from reslog_events.extensions import db
from tests.events.test_pages import form
from tests.support.forms import post_form


def _errors(html: str) -> dict[str, str]:
    found = re.findall(r'<p class="error" id="e-([\w-]+)" role="alert">([^<]*)</p>', html)
    return {name: unescape(text) for name, text in found}


def test_event_form_shows_an_empty_title_and_an_end_before_the_start_at_once(client, auth):
    auth.login("organiser")
    client.get("/events/new?lang=tr")
    resp = post_form(
        client,
        "/events/new",
        form(title="", starts_at="2031-05-14T10:00", ends_at="2031-05-14T09:00"),
    )
    assert resp.status_code == 422
    errors = _errors(resp.get_data(as_text=True))
    with force_locale("tr"):
        required, ends = _("This field is required."), _("The end must be after the start.")
        title, ends_label = _("Title"), _("Ends")
    assert required in errors["title"] and errors["title"].startswith(title)
    assert ends in errors["ends_at"] and errors["ends_at"].startswith(ends_label)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_event_api_reports_every_error_at_once(api):
    resp = api("organiser").post(
        "/api/v1/events?lang=ar",
        json={
            "title": "x" * 201,
            "kind": "forum",
            "level": "nowhere",
            "timezone": "Europe/Stockholm",
            "starts_at": "2031-05-14T10:00",
            "ends_at": "2031-05-14T12:00",
            "rsvp_deadline": "2031-05-15T10:00",
        },
    )
    assert resp.status_code == 422
    fields = resp.json["error"]["fields"]
    assert set(fields) == {"title", "level", "rsvp_deadline"}, fields
    with force_locale("ar"):
        assert (
            _("The answer deadline cannot be after the end of the event.")
            in fields["rsvp_deadline"]
        )


def test_a_rule_is_not_guessed_from_a_field_that_failed(api):
    """An end that is not a time at all is reported as such, and nothing more about it."""
    resp = api("organiser").post(
        "/api/v1/events",
        json={"title": "", "kind": "forum", "level": "local", "starts_at": "2031-05-14T10:00"},
    )
    assert set(resp.json["error"]["fields"]) == {"title", "ends_at"}


def test_session_and_delegation_forms_report_all_at_once(api, create_event, create_invitation):
    starts = utcnow().replace(microsecond=0) + timedelta(days=5)
    event = create_event(starts_at=starts)
    organiser = api("organiser")
    session = organiser.post(
        f"/api/v1/events/{event.id}/sessions",
        json={
            "title": "",
            "starts_at": (starts + timedelta(hours=2)).isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(),
        },
    )
    assert set(session.json["error"]["fields"]) == {"title", "ends_at"}, session.json
    invitation = create_invitation(event=event, status="accepted").invitation
    member = organiser.post(
        f"/api/v1/events/{event.id}/delegation",
        json={
            "invitation_id": invitation.id,
            "travel_details": "x" * 501,
            "arrives_at": "2031-05-14T10:00",
            "departs_at": "2031-05-13T10:00",
        },
    )
    assert set(member.json["error"]["fields"]) == {"travel_details", "departs_at"}, member.json
