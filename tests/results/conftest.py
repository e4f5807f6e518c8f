"""The world whose indicators are computed by hand in test_indicators.py.

The period is March 2025 (2025-03-01 to 2025-03-31, 31 days); the previous period of equal
length is 2025-01-29 to 2025-02-28. Dates are those of the event's start in Türkiye time.

Organisations: the unions TBB (Ankara), MBB (İstanbul), ÇBB (Adana); Şişli (İstanbul; TBB and
MBB), Sarıçam (Adana; ÇBB), Reyhanlı (Hatay; ÇBB), Mezitli (Mersin; ÇBB); the NGO Suriyeli
Topluluk Dayanışma Derneği (İstanbul, no union); Malmö stad (SE, Skåne, no union).
Pilot list: Şişli, Sarıçam, Reyhanlı, Mezitli (4).

People: A Ayşe (F, elected, Şişli), B Mehmet (M, staff, Şişli), C Fatma (F, staff, Sarıçam),
D Leyla (F, refugee community, the NGO), E Ahmad (M, refugee community, Reyhanlı), F Erik (M,
international, Malmö), G Deniz (undisclosed, staff, Reyhanlı), H Ömer (M, staff, MBB),
I Elif (F, staff, Mezitli).

This period:
  M1 2025-03-05, hosted by MBB: A accepted+came, B accepted (no-show), D accepted+came,
     F tentative+came, H accepted+came
  M2 2025-03-20, hosted by ÇBB: A accepted+came, C accepted+came, E accepted+came, G declined,
     D accepted+came
  M3 2025-03-25, hosted by ÇBB, CANCELLED: B and I came (count nowhere)
  M4 2025-03-31 23:30 Istanbul (20:30 UTC), hosted by Reyhanlı: G accepted+came
  M5 2025-04-01 00:30 Istanbul (2025-03-31 21:30 UTC): I came — April, outside the period
Previous period:
  P1 2025-02-10, hosted by MBB: A accepted+came, B accepted+came, F declined
  P2 2025-01-29 00:30 Istanbul (2025-01-28 21:30 UTC), hosted by Sarıçam: C accepted+came
  P0 2025-01-28 10:00, hosted by MBB: H came — before the previous period

By hand, this period (programme-wide): participants A C D E F G H = 7; women A C D = 3
(42.857 %); refugee community D E = 2 (28.571 %); repeat A D = 2 (each at M1 and M2); pilot
reached Şişli, Sarıçam, Reyhanlı = 3 of 4; unions TBB, MBB, ÇBB = 3; provinces İstanbul,
Adana, Hatay, Skåne = 4.
Previous period: participants A B C = 3; women 2 (66.667 %); refugee 0 (0 %); repeat 0; pilot
Şişli, Sarıçam = 2; unions TBB, MBB, ÇBB = 3; provinces İstanbul, Adana = 2.

A ÇBB coordinator (events hosted by ÇBB or its members: M2, M4; P2): this period A C D E G = 5;
women 3 (60 %); refugee 2 (40 %); repeat 0; pilot 3; unions 3; provinces İstanbul, Adana,
Hatay = 3. Previous: C = 1; women 100 %; refugee 0 %; repeat 0; pilot 1; unions ÇBB = 1;
provinces Adana = 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.reports.test_union_reach import reader  # noqa: F401 - the results tests' API client

IST = ZoneInfo("Europe/Istanbul")
PERIOD = {"start": "2025-03-01", "end": "2025-03-31"}


@dataclass
class World:
    orgs: dict
    contacts: dict
    events: dict


@pytest.fixture
def exact(app, monkeypatch):
    """Nothing hidden: the hand-computed values are small by design."""
    monkeypatch.setitem(app.config, "REPORT_MIN_CELL", 1)


@pytest.fixture
def world(app, create_organisation, create_contact, create_event, create_invitation) -> World:
    from reslog_events.checkin.models import CheckIn
    from reslog_events.events.models import EventStatus
    from reslog_events.extensions import db
    from reslog_events.results.operations import add_to_pilot_list

    tbb = create_organisation(
        name="Türkiye Belediyeler Birliği", kind="union", code="TBB", province="Ankara"
    )
    mbb = create_organisation(
        name="Marmara Belediyeler Birliği", kind="union", code="MBB", province="İstanbul"
    )
    cbb = create_organisation(
        name="Çukurova Belediyeler Birliği", kind="union", code="ÇBB", province="Adana"
    )
    orgs = {
        "TBB": tbb,
        "MBB": mbb,
        "ÇBB": cbb,
        "Şişli": create_organisation(
            name="Şişli Belediyesi", province="İstanbul", unions=[tbb, mbb]
        ),
        "Sarıçam": create_organisation(name="Sarıçam Belediyesi", province="Adana", unions=[cbb]),
        "Reyhanlı": create_organisation(name="Reyhanlı Belediyesi", province="Hatay", unions=[cbb]),
        "Mezitli": create_organisation(name="Mezitli Belediyesi", province="Mersin", unions=[cbb]),
        "STDD": create_organisation(
            name="Suriyeli Topluluk Dayanışma Derneği", kind="ngo", province="İstanbul"
        ),
        "Malmö": create_organisation(name="Malmö stad", country="SE", province="Skåne"),
    }
    for name in ("Şişli", "Sarıçam", "Reyhanlı", "Mezitli"):
        add_to_pilot_list(orgs[name], by=None)
    people = {
        "A": ("Ayşe Yılmaz", "female", "elected_official", "Şişli"),
        "B": ("Mehmet Öztürk", "male", "municipal_staff", "Şişli"),
        "C": ("Fatma Çelik", "female", "municipal_staff", "Sarıçam"),
        "D": ("Leyla Haddad", "female", "refugee_community", "STDD"),
        "E": ("Ahmad Khalil", "male", "refugee_community", "Reyhanlı"),
        "F": ("Erik Lindqvist", "male", "international_partner", "Malmö"),
        "G": ("Deniz Kaya", "undisclosed", "municipal_staff", "Reyhanlı"),
        "H": ("Ömer Doğan", "male", "municipal_staff", "MBB"),
        "I": ("Elif Şahin", "female", "municipal_staff", "Mezitli"),
    }
    contacts = {
        key: create_contact(
            full_name=name, gender=gender, role_category=role, organisation=orgs[org]
        )
        for key, (name, gender, role, org) in people.items()
    }

    def at(*args):
        return datetime(*args, tzinfo=IST)

    specs = {
        "M1": ("Göç ve Yerel Yönetim Çalıştayı", at(2025, 3, 5, 9), "MBB"),
        "M2": ("Çukurova Yuvarlak Masası", at(2025, 3, 20, 9), "ÇBB"),
        "M3": ("İptal Edilen Toplantı", at(2025, 3, 25, 9), "ÇBB"),
        "M4": ("Gece Oturumu", at(2025, 3, 31, 23, 30), "Reyhanlı"),
        "M5": ("Nisan Eğitimi", at(2025, 4, 1, 0, 30), "Mezitli"),
        "P1": ("Şubat Forumu", at(2025, 2, 10, 9), "MBB"),
        "P2": ("Sarıçam Ziyareti", at(2025, 1, 29, 0, 30), "Sarıçam"),
        "P0": ("Ocak Toplantısı", at(2025, 1, 28, 10), "MBB"),
    }
    events = {
        key: create_event(
            title=title,
            starts_at=when,
            ends_at=when.replace(hour=23, minute=50),
            host_organisation_id=orgs[host].id,
        )
        for key, (title, when, host) in specs.items()
    }
    plan = {
        "M1": [("A", "accepted", 1), ("B", "accepted", 0), ("D", "accepted", 1)]
        + [("F", "tentative", 1), ("H", "accepted", 1)],
        "M2": [("A", "accepted", 1), ("C", "accepted", 1), ("E", "accepted", 1)]
        + [("G", "declined", 0), ("D", "accepted", 1)],
        "M3": [("B", "accepted", 1), ("I", "accepted", 1)],
        "M4": [("G", "accepted", 1)],
        "M5": [("I", "accepted", 1)],
        "P1": [("A", "accepted", 1), ("B", "accepted", 1), ("F", "declined", 0)],
        "P2": [("C", "accepted", 1)],
        "P0": [("H", "accepted", 1)],
    }
    for key, rows in plan.items():
        ev = events[key]
        for person, status, came in rows:
            invitation = create_invitation(event=ev, contact=contacts[person], status=status)
            if came:
                db.session.add(
                    CheckIn(
                        event_id=ev.id,
                        invitation_id=invitation.invitation.id,
                        day=ev.starts_at.astimezone(IST).date(),
                    )
                )
    db.session.commit()
    events["M3"].status = EventStatus.cancelled
    db.session.commit()
    return World(orgs, contacts, events)
