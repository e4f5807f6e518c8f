"""Fixtures of the programme tests: events at fixed dates (holidays and DST are date-bound)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

IST = ZoneInfo("Europe/Istanbul")
STO = ZoneInfo("Europe/Stockholm")


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


@pytest.fixture
def workshop(create_event):
    """A two-day workshop in Ankara, 2027-11-10 09:00 – 2027-11-11 17:00 (Istanbul time)."""
    return create_event(
        title="We Evaluate Our Resilience",
        kind="workshop",
        starts_at=at(IST, 2027, 11, 10, 9),
        ends_at=at(IST, 2027, 11, 11, 17),
    )


@pytest.fixture
def visit(create_event):
    """A three-day peer visit in Sweden across the end of summer time (31 October 2027)."""
    return create_event(
        title="Peer visit to Botkyrka",
        kind="peer_visit",
        level="international",
        timezone="Europe/Stockholm",
        city="Botkyrka",
        country="SE",
        starts_at=at(STO, 2027, 10, 30, 8),
        ends_at=at(STO, 2027, 11, 1, 18),
    )


def session_body(**overrides):
    body = {
        "title": "Opening",
        "starts_at": "2027-11-10T09:30",
        "ends_at": "2027-11-10T10:30",
        "room_or_site": "Salon A",
    }
    body.update(overrides)
    return body
