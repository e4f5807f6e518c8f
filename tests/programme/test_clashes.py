"""Clash warnings: shared municipalities on the same days, the same union at overlapping times,
Turkish public holidays (2026–2027) from the `holidays` library. Warnings, never blocks."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from reslog_events.programme.clashes import find_clashes
from tests.programme.conftest import IST, at


@pytest.fixture
def unions(create_organisation):
    mbb = create_organisation(name="Marmara Belediyeler Birliği", code="MBB", kind="union")
    cbb = create_organisation(name="Çukurova Belediyeler Birliği", code="CBB", kind="union")
    sisli = create_organisation(name="Şişli Belediyesi", unions=[mbb], province="İstanbul")
    seyhan = create_organisation(name="Seyhan Belediyesi", unions=[cbb], province="Adana")
    return {"MBB": mbb, "CBB": cbb, "sisli": sisli, "seyhan": seyhan}


def _kinds(event, **kw):
    with force_locale("en"):
        return [(c.kind, c.other_event_title) for c in find_clashes(event, **kw)]


def _plain_day(create_event, **kw):
    """An event on Tuesday 9 November 2027 (no holiday)."""
    return create_event(starts_at=at(IST, 2027, 11, 9, 10), ends_at=at(IST, 2027, 11, 9, 16), **kw)


def test_no_clash_on_a_plain_day(create_event):
    assert _kinds(_plain_day(create_event)) == []


def test_same_municipalities_on_the_same_day(
    create_event, create_contact, create_invitation, unions
):
    forum = _plain_day(create_event, title="Forum")
    other = create_event(
        title="Roundtable", starts_at=at(IST, 2027, 11, 9, 18), ends_at=at(IST, 2027, 11, 9, 20)
    )
    for event in (forum, other):
        create_invitation(event=event, contact=create_contact(organisation=unions["sisli"]))
    with force_locale("en"):
        (clash,) = find_clashes(forum)
    assert clash.kind == "shared_municipalities" and clash.other_event.id == other.id
    assert "Şişli Belediyesi" in clash.message and "Roundtable" in clash.message


def test_other_municipalities_or_days_do_not_clash(
    create_event, create_contact, create_invitation, unions
):
    forum = _plain_day(create_event)
    elsewhere = _plain_day(create_event)
    next_day = create_event(starts_at=at(IST, 2027, 11, 10, 10), ends_at=at(IST, 2027, 11, 10, 12))
    create_invitation(event=forum, contact=create_contact(organisation=unions["sisli"]))
    create_invitation(event=elsewhere, contact=create_contact(organisation=unions["seyhan"]))
    create_invitation(event=next_day, contact=create_contact(organisation=unions["sisli"]))
    cancelled = _plain_day(create_event, status="cancelled")
    create_invitation(event=cancelled, contact=create_contact(organisation=unions["sisli"]))
    assert _kinds(forum) == []


def test_same_union_at_overlapping_times(create_event, unions):
    forum = _plain_day(create_event, title="MBB forum", host_organisation_id=unions["MBB"].id)
    # Hosted by a member of MBB: still MBB's event.
    overlapping = create_event(
        title="Şişli meeting",
        host_organisation_id=unions["sisli"].id,
        starts_at=at(IST, 2027, 11, 9, 15),
        ends_at=at(IST, 2027, 11, 9, 17),
    )
    create_event(  # same union, same day, but later: no overlap in time
        host_organisation_id=unions["MBB"].id,
        starts_at=at(IST, 2027, 11, 9, 16),
        ends_at=at(IST, 2027, 11, 9, 18),
    )
    _plain_day(create_event, host_organisation_id=unions["CBB"].id)  # another union
    assert _kinds(forum) == [("same_union", overlapping.title)]


@pytest.mark.parametrize(
    ("day", "name_tr", "name_en"),
    [
        (date(2026, 10, 29), "Cumhuriyet Bayramı", "Republic Day"),
        (date(2026, 4, 23), "Ulusal Egemenlik ve Çocuk Bayramı", "National Sovereignty"),
        (date(2026, 3, 20), "Ramazan Bayramı", "Eid al-Fitr"),
        (date(2026, 3, 21), "Ramazan Bayramı", "Eid al-Fitr"),
        (date(2026, 3, 22), "Ramazan Bayramı", "Eid al-Fitr"),
        (date(2026, 5, 27), "Kurban Bayramı", "Eid al-Adha"),
        (date(2027, 3, 9), "Ramazan Bayramı", "Eid al-Fitr"),
        (date(2027, 5, 16), "Kurban Bayramı", "Eid al-Adha"),
        (date(2027, 7, 15), "Demokrasi ve Millî Birlik Günü", "Democracy"),
        (date(2027, 10, 29), "Cumhuriyet Bayramı", "Republic Day"),
    ],
)
def test_turkish_public_holidays(create_event, day, name_tr, name_en):
    event = create_event(
        starts_at=at(IST, day.year, day.month, day.day, 10),
        ends_at=at(IST, day.year, day.month, day.day, 12),
    )
    with force_locale("tr"):
        (clash,) = find_clashes(event)
    assert clash.kind == "public_holiday" and clash.day == day and name_tr in clash.message
    with force_locale("en"):
        assert name_en in find_clashes(event)[0].message


def test_holiday_eve_half_day_and_multi_day_events(create_event):
    # 28 October afternoon (the eve of Republic Day) is a half-day holiday; a two-day event
    # over 28–29 October 2026 warns for both days.
    event = create_event(starts_at=at(IST, 2026, 10, 28, 9), ends_at=at(IST, 2026, 10, 29, 17))
    with force_locale("tr"):
        clashes = find_clashes(event)
    assert [c.day for c in clashes] == [date(2026, 10, 28), date(2026, 10, 29)]
    assert "13.00" in clashes[0].message


def test_an_event_abroad_uses_its_own_days(create_event):
    from tests.programme.conftest import STO

    # 28 October 2027 23:30 in Stockholm is already the 29th in Istanbul, but the event's day
    # is the 28th there: only the half-day eve applies.
    event = create_event(
        timezone="Europe/Stockholm",
        starts_at=at(STO, 2027, 10, 28, 20),
        ends_at=at(STO, 2027, 10, 28, 23, 30),
    )
    with force_locale("en"):
        assert [c.day for c in find_clashes(event)] == [date(2027, 10, 28)]


def test_clashes_api_and_moving_the_event(api, create_event, unions):
    event = _plain_day(create_event, host_organisation_id=unions["MBB"].id)
    org = api("organiser")
    resp = org.get(f"/api/v1/events/{event.id}/clashes")
    assert resp.status_code == 200 and resp.json == {"items": [], "total": 0}
    moved = org.get(
        f"/api/v1/events/{event.id}/clashes",
        query_string={"starts_at": "2027-10-29T10:00", "ends_at": "2027-10-29T12:00"},
    )
    assert moved.json["total"] == 1
    item = moved.json["items"][0]
    assert item["kind"] == "public_holiday" and item["day"] == "2027-10-29" and item["message"]
    half = org.get(
        f"/api/v1/events/{event.id}/clashes", query_string={"starts_at": "2027-10-29T10:00"}
    )
    assert half.status_code == 422 and "ends_at" in half.json["error"]["fields"]
    bad = org.get(
        f"/api/v1/events/{event.id}/clashes",
        query_string={"starts_at": "2027-10-29T12:00", "ends_at": "2027-10-29T10:00"},
    )
    assert bad.status_code == 422
    assert api("staff").get(f"/api/v1/events/{event.id}/clashes").status_code == 403


def test_clashes_partial(app, create_event):
    from flask import render_template_string

    event = create_event(starts_at=at(IST, 2027, 10, 29, 10), ends_at=at(IST, 2027, 10, 29, 12))
    with app.test_request_context("/?lang=en"):
        html = render_template_string('{% include "programme/_clashes.html" %}', event=event)
    assert "Republic Day" in html and "clash-public_holiday" in html
