"""The organisers' pages: copy with its form, make a series, see it on every event of it,
change its rule and cancel the rest after a confirmation that lists the events."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from reslog_events.events.models import Event, EventStatus
from reslog_events.extensions import db
from reslog_events.series.models import EventSeries
from tests.support.forms import post_form


def html(resp) -> str:
    return resp.get_data(as_text=True)


def _roundtable(create_event) -> Event:
    """Tuesday 12 January 2027, 14:00 in Istanbul (11:00 UTC)."""
    from datetime import UTC, datetime

    start = datetime(2027, 1, 12, 11, 0, tzinfo=UTC)
    return create_event(
        title="Aylık Yuvarlak Masa",
        kind="roundtable",
        status="draft",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )


def test_copy_form_refuses_an_empty_day_then_makes_the_draft(client, auth, create_event):
    event = _roundtable(create_event)
    auth.login()
    page = client.get(f"/events/{event.id}")
    assert f'href="/events/{event.id}/copy"' in html(page)
    path = f"/events/{event.id}/copy"
    empty = post_form(client, path, {"starts_on": ""})
    assert empty.status_code == 422
    assert 'id="e-starts_on"' in html(empty) and "This field is required." in html(empty)
    made = post_form(client, path, {"starts_on": "2027-02-16", "with_invitations": "1"})
    assert made.status_code == 302
    copy = db.session.scalar(sa.select(Event).where(Event.id != event.id))
    assert made.headers["Location"].endswith(f"/events/{copy.id}")
    assert copy.status == EventStatus.draft
    assert copy.local_starts_at.isoformat() == "2027-02-16T14:00:00+03:00"
    shown = html(client.get(made.headers["Location"]))
    assert "The copy was made as a draft." in shown


def test_make_a_series_see_it_on_each_event_change_it_and_cancel_it(client, auth, create_event):
    event = _roundtable(create_event)
    auth.login()
    path = f"/events/{event.id}/series"
    bad = post_form(client, path, {"frequency": "monthly", "occurrences": "99"})
    assert bad.status_code == 422 and "Must be at most 52." in html(bad)
    made = post_form(client, path, {"frequency": "monthly", "occurrences": "3"})
    assert made.status_code == 303
    series = db.session.scalar(sa.select(EventSeries))
    ids = db.session.scalars(
        sa.select(Event.id).where(Event.series_id == series.id).order_by(Event.starts_at)
    ).all()
    assert len(ids) == 3
    page = html(client.get(path))
    assert "Every month on the second Tuesday, 3 events" in page
    # every event of the series shows the others
    sibling = html(client.get(f"/events/{ids[1]}"))
    assert 'id="series-heading"' in sibling
    assert f'href="/events/{ids[0]}"' in sibling and f'href="/events/{ids[2]}"' in sibling
    turkish = html(client.get(f"/events/{ids[1]}?lang=tr"))
    assert "Her ayın ikinci Salı günü, 3 etkinlik" in turkish
    client.get("/events?lang=en")

    change = f"/events/{event.id}/series/change"
    rule = "frequency=weekly&interval=2&occurrences=3"
    preview = client.get(f"{change}?{rule}")
    assert preview.status_code == 200
    assert html(preview).count("Moved:") == 2 and "Jan 26, 2027" in html(preview)
    assert db.session.get(Event, ids[2]).local_starts_at.date().isoformat() == "2027-03-09"
    done = post_form(
        client,
        f"{change}?{rule}",
        {"frequency": "weekly", "interval": "2", "occurrences": "3"},
    )
    assert done.status_code == 303
    db.session.expire_all()
    days = [db.session.get(Event, i).local_starts_at.date().isoformat() for i in ids]
    assert days == ["2027-01-12", "2027-01-26", "2027-02-09"]

    cancel = f"/events/{event.id}/series/cancel"
    listing = html(client.get(cancel))
    assert listing.count("Cancelled:") == 3 and "0 invitees will be notified" in listing
    assert post_form(client, cancel, {}).status_code == 303
    db.session.expire_all()
    assert {db.session.get(Event, i).status for i in ids} == {EventStatus.cancelled}
    assert "The remaining events of this series were cancelled." in html(client.get(path))


def test_other_unions_series_pages_are_not_found(client, auth, world):
    cbb = world.events["ÇBB"]
    auth.login(user=world.user("MBB", "organiser"))
    for path in ("copy", "series", "series/change?frequency=weekly", "series/cancel"):
        assert client.get(f"/events/{cbb.id}/{path}").status_code == 404, path
