"""The reminder before the event against the issue, part by part: in the invitee's language
(the event's translated title, the date written their way, in the event's own zone), where with
the address and an OpenStreetMap link in both text and HTML, the agenda, the QR code and the
calendar entry in their language; a meeting online has no map; never to a person erased."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from babel.dates import get_month_names

from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.invitations.reminders import send_scheduled_reminders
from reslog_events.mail.models import OutboxStatus, OutgoingEmail
from reslog_events.programme.models import AgendaSession
from tests.invitations.test_event_reminders import accepted


def _stockholm_event(create_event, **overrides):
    starts = utcnow().replace(microsecond=0, second=0) + timedelta(hours=20)
    values = {
        "title": "Yuvarlak Masa: Kabul ve Uyum",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "timezone": "Europe/Stockholm",
        "venue": "Rinkeby bibliotek",
        "address": "Rinkebytorget 1",
        "city": "Stockholm",
        "country": "SE",
        "translations": {"sv": {"title": "Rundabord: mottagande", "description": ""}},
    }
    values.update(overrides)
    event = create_event(**values)
    db.session.add(
        AgendaSession(
            event_id=event.id,
            title="Öppning och välkomnande",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
    )
    db.session.commit()
    return event


def _parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return text, html, calendar.get_content()


def test_the_invitees_language_and_the_events_zone(
    app, stub_worker, create_event, create_invitation, create_contact
):
    event = _stockholm_event(create_event)
    swede = accepted(
        create_invitation, create_contact, event, full_name="Sara Lindqvist", language="sv"
    )
    turk = accepted(create_invitation, create_contact, event, full_name="Şükrü Çağlar")
    assert send_scheduled_reminders() == 2
    stub_worker.drain()
    messages = {m["To"].addresses[0].addr_spec: m for m in stub_worker.messages()}

    message = messages[swede.invitation.contact.email]
    text, html, calendar = _parts(message)
    # the Swedish title in the subject, the body and the calendar entry
    assert "Rundabord: mottagande" in message["Subject"] and "Rundabord: mottagande" in text
    assert "SUMMARY:Rundabord: mottagande" in calendar
    # when: the wall-clock time in Stockholm, the month in Swedish
    local = event.local_starts_at
    assert local.strftime("%H:%M") in text
    assert get_month_names("abbreviated", locale="sv")[local.month].rstrip(".") in text
    assert "Europe/Stockholm" in text
    # where: the address, and the same OpenStreetMap search in the text and in the HTML
    assert "Rinkebytorget 1" in text
    link = next(word for word in text.split() if word.startswith("https://www.openstreetmap"))
    assert parse_qs(urlsplit(link).query)["query"] == ["Rinkebytorget 1, Stockholm, SE"]
    assert f'href="{link}"' in html
    assert "Öppning och välkomnande" in text and "Öppning och välkomnande" in html

    # no translation in Turkish: the default title, the month in Turkish
    text, _html, calendar = _parts(messages[turk.invitation.contact.email])
    assert "Yuvarlak Masa: Kabul ve Uyum" in text and "Şükrü Çağlar" in text
    assert get_month_names("abbreviated", locale="tr")[local.month] in text
    assert "SUMMARY:Yuvarlak Masa: Kabul ve Uyum" in calendar


def test_online_meetings_have_no_map_and_erased_people_get_nothing(
    app, stub_worker, create_event, create_invitation, create_contact
):
    online = _stockholm_event(
        create_event,
        venue=None,
        address=None,
        city=None,
        online_url="https://meet.example.org/rundabord",
    )
    stays = accepted(create_invitation, create_contact, online, language="sv")
    gone = accepted(create_invitation, create_contact, online, language="ar")
    gone.invitation.contact.email = None  # what an erasure leaves
    gone.invitation.contact.erased_at = utcnow()
    db.session.commit()
    send_scheduled_reminders()
    stub_worker.drain()
    (message,) = stub_worker.messages()
    assert message["To"].addresses[0].addr_spec == stays.invitation.contact.email
    text, html, _calendar = _parts(message)
    assert "openstreetmap" not in text and "openstreetmap" not in html
    assert "https://meet.example.org/rundabord" in text
    statuses = db.session.scalars(
        sa.select(OutgoingEmail.status).where(OutgoingEmail.invitation_id == gone.invitation.id)
    ).all()
    assert statuses in ([], [OutboxStatus.skipped])
