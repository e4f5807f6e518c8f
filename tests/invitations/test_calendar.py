"""Every calendar entry parsed back with an independent reader (tests/invitations/ics.py) and its
instants resolved through its own VTIMEZONE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reslog_events.extensions import db
from reslog_events.invitations.calendar import calendar_uid, invitation_calendar
from tests.invitations import ics

CASES = [
    # zone, start (UTC), duration: winter and summer time, a DST change inside the event
    ("Europe/Istanbul", datetime(2027, 1, 14, 7, 0, tzinfo=UTC), timedelta(hours=7)),
    ("Europe/Stockholm", datetime(2027, 1, 20, 8, 0, tzinfo=UTC), timedelta(hours=3)),
    ("Europe/Stockholm", datetime(2027, 6, 10, 7, 30, tzinfo=UTC), timedelta(hours=8)),
    ("Europe/Stockholm", datetime(2027, 10, 29, 8, 0, tzinfo=UTC), timedelta(days=2, hours=1)),
    ("Asia/Beirut", datetime(2027, 3, 27, 20, 0, tzinfo=UTC), timedelta(days=1)),
    ("America/New_York", datetime(2027, 12, 31, 20, 0, tzinfo=UTC), timedelta(hours=6)),
    ("UTC", datetime(2027, 5, 1, 9, 0, tzinfo=UTC), timedelta(hours=2)),
]


@pytest.mark.parametrize(("zone", "starts", "duration"), CASES, ids=lambda v: str(v))
def test_entry_parses_back_to_the_same_instants(
    app, create_event, create_contact, create_invitation, zone, starts, duration
):
    event = create_event(
        timezone=zone,
        starts_at=starts,
        ends_at=starts + duration,
        title="Göç, Kent ve Yerel Yönetim; Şişli Forumu",
        description="Gündem: açılış\nOturumlar",
        address="Halaskargazi Cd. 1",
    )
    contact = create_contact(full_name="Ayşe Sarıçam", email="ayse@example.org")
    new = create_invitation(event=event, contact=contact)

    cal = ics.parse(invitation_calendar(new.invitation, rsvp_url="http://rsvp.test/rsvp/x"))
    assert cal.name == "VCALENDAR"
    assert cal.value("VERSION") == "2.0" and cal.value("METHOD") == "REQUEST"
    (vevent,) = cal.sub("VEVENT")
    assert vevent.value("UID") == calendar_uid(new.invitation)
    assert vevent.value("SEQUENCE") == str(event.sequence)
    dtstart, dtend = vevent.get("DTSTART"), vevent.get("DTEND")
    tzid = "Etc/UTC" if zone == "UTC" else zone
    assert dtstart.params["TZID"] == tzid and dtend.params["TZID"] == tzid
    assert ics.instant(dtstart, cal) == starts
    assert ics.instant(dtend, cal) == starts + duration
    assert ics.unescape(vevent.value("SUMMARY")) == event.title
    assert "Halaskargazi Cd. 1" in ics.unescape(vevent.value("LOCATION"))
    assert vevent.value("STATUS") == "CONFIRMED"
    assert vevent.value("ORGANIZER").lower().startswith("mailto:")
    attendee = vevent.get("ATTENDEE")
    assert attendee.value == "mailto:ayse@example.org"
    assert attendee.params["CN"] == "Ayşe Sarıçam"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION" and attendee.params["RSVP"] == "TRUE"
    assert vevent.get("DTSTAMP").value.endswith("Z")


def test_uid_is_stable_and_sequence_follows_the_event(app, create_invitation):
    new = create_invitation()
    first = ics.parse(invitation_calendar(new.invitation)).sub("VEVENT")[0]
    new.invitation.event.sequence = 3
    new.invitation.event.starts_at += timedelta(days=1)
    new.invitation.event.ends_at += timedelta(days=1)
    db.session.commit()
    later = ics.parse(invitation_calendar(new.invitation))
    vevent = later.sub("VEVENT")[0]
    assert vevent.value("UID") == first.value("UID")
    assert vevent.value("SEQUENCE") == "3"
    assert ics.instant(vevent.get("DTSTART"), later) == new.invitation.event.starts_at


def test_partstat_and_cancellation(app, create_invitation, create_contact):
    other = create_invitation()
    accepted = ics.parse(invitation_calendar(other.invitation, partstat="ACCEPTED"))
    attendee = accepted.sub("VEVENT")[0].get("ATTENDEE")
    assert attendee.params["PARTSTAT"] == "ACCEPTED" and attendee.params["RSVP"] == "FALSE"

    cancelled = ics.parse(invitation_calendar(other.invitation, method="CANCEL", sequence=7))
    vevent = cancelled.sub("VEVENT")[0]
    assert cancelled.value("METHOD") == "CANCEL"
    assert vevent.value("STATUS") == "CANCELLED" and vevent.value("SEQUENCE") == "7"
    assert vevent.value("UID") == calendar_uid(other.invitation)
    with pytest.raises(ValueError):
        invitation_calendar(other.invitation, method="REFRESH")
    with pytest.raises(ValueError):
        invitation_calendar(other.invitation, partstat="MAYBE")
    # two invitations never share a UID
    assert calendar_uid(create_invitation().invitation) != calendar_uid(other.invitation)


def test_vtimezone_is_narrow(app, create_event, create_invitation):
    event = create_event(
        timezone="Europe/Stockholm",
        starts_at=datetime(2027, 6, 10, 7, 0, tzinfo=UTC),
        ends_at=datetime(2027, 6, 10, 15, 0, tzinfo=UTC),
    )
    cal = ics.parse(invitation_calendar(create_invitation(event=event).invitation))
    (vtz,) = cal.sub("VTIMEZONE")
    onsets = [c.value("DTSTART") for c in vtz.children]
    for c in vtz.children:
        onsets += [v for p in c.all("RDATE") for v in p.value.split(",")]
    years = {int(value[:4]) for value in onsets}
    assert years <= {2027, 2028}, years
    assert {c.name for c in vtz.children} == {"STANDARD", "DAYLIGHT"}
