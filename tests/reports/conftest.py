"""The edge-case world whose attendance tables are computed by hand in test_counts.py.

Organisations: Şişli (İstanbul; member of TBB and MBB), Gaziantep (member of TBB), Malmö (SE, no
union), "=Göç Derneği" (İzmir, NGO, no union; its name starts like a formula), and the unions
TBB (Ankara) and MBB (İstanbul) themselves.

People: C1 Ayşe (F, elected, Şişli), C2 Mehmet (M, staff, Şişli → moved to Gaziantep after E1),
C3 Fatma (F, staff, Gaziantep), C4 Erik (M, international partner, Malmö), C5 Zeynep (F, civil
society, =Göç), C6 Ömer (M, staff, TBB), C7 Leyla (F, refugee community, Gaziantep; a walk-in).

Events (Europe/Istanbul):
  E1 forum, national, 2024-03-05 09:00–17:00, ended
    I1 C1 accepted + checked in        I2 C2 accepted, no-show (invited under Şişli)
    I3 C3 declined                      I4 C4 tentative + checked in (came without accepting)
    I5 C5 pending                       I6 C6 revoked, yet checked in (counts nowhere)
    I7 C7 walk-in (pending) + checked in
  E2 workshop, regional, 2024-04-01 00:30 → 2024-04-02 18:00 (starts 2024-03-31 21:30 UTC)
    I8 C1 accepted, checked in both days    I9 C2 accepted (under Gaziantep), day 2 only
    I10 C6 accepted, day 1                  I11 C3 waitlisted
  E3 meeting, local, 2024-04-10, CANCELLED: I12 C1 accepted + checked in, I13 C4 pending
  E4 training, international, 2099-06-10 (not ended): I14 C5 accepted, I15 C4 declined,
    I16 C3 tentative
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

IST = ZoneInfo("Europe/Istanbul")


@dataclass
class World:
    orgs: dict[str, object]
    contacts: dict[str, object]
    events: dict[str, object]
    invitations: dict[str, object]


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=IST)


@pytest.fixture(autouse=True)
def exact_counts(app, monkeypatch):
    """The world's counts are all small by design: its hand-computed tables are checked with
    nothing hidden. The small-cell tests set REPORT_MIN_CELL themselves."""
    monkeypatch.setitem(app.config, "REPORT_MIN_CELL", 1)


@pytest.fixture
def world(app, create_organisation, create_contact, create_event, create_invitation) -> World:
    from reslog_events.checkin.models import CheckIn
    from reslog_events.events.models import EventStatus
    from reslog_events.extensions import db
    from reslog_events.invitations.models import InvitationStatus

    tbb = create_organisation(
        name="Türkiye Belediyeler Birliği", kind="union", code="TBB", province="Ankara"
    )
    mbb = create_organisation(
        name="Marmara Belediyeler Birliği", kind="union", code="MBB", province="İstanbul"
    )
    orgs = {
        "TBB": tbb,
        "MBB": mbb,
        "O1": create_organisation(name="Şişli Belediyesi", province="İstanbul", unions=[tbb, mbb]),
        "O2": create_organisation(
            name="Gaziantep Büyükşehir Belediyesi", province="Gaziantep", unions=[tbb]
        ),
        "O3": create_organisation(name="Malmö stad", province="Skåne", country="SE"),
        "O4": create_organisation(name="=Göç Derneği", kind="ngo", province="İzmir"),
    }
    people = {
        "C1": ("Ayşe Yılmaz", "female", "elected_official", "O1"),
        "C2": ("Mehmet Öztürk", "male", "municipal_staff", "O1"),
        "C3": ("Fatma Çelik", "female", "municipal_staff", "O2"),
        "C4": ("Erik Lindqvist", "male", "international_partner", "O3"),
        "C5": ("Zeynep Şahin", "female", "civil_society", "O4"),
        "C6": ("Ömer Doğan", "male", "municipal_staff", "TBB"),
        "C7": ("Leyla Haddad", "female", "refugee_community", "O2"),
    }
    contacts = {
        key: create_contact(
            full_name=name, gender=gender, role_category=role, organisation=orgs[org]
        )
        for key, (name, gender, role, org) in people.items()
    }
    events = {
        "E1": create_event(
            title="Yerel Yönetimler Forumu",
            kind="forum",
            level="national",
            starts_at=_at(2024, 3, 5, 9, 0),
            ends_at=_at(2024, 3, 5, 17, 0),
        ),
        "E2": create_event(
            title="Göç Çalıştayı",
            kind="workshop",
            level="regional",
            starts_at=_at(2024, 4, 1, 0, 30),
            ends_at=_at(2024, 4, 2, 18, 0),
        ),
        "E3": create_event(
            title="İptal Edilen Toplantı",
            kind="meeting",
            level="local",
            starts_at=_at(2024, 4, 10, 10, 0),
            ends_at=_at(2024, 4, 10, 12, 0),
        ),
        "E4": create_event(
            title="Gelecek Eğitim",
            kind="training",
            level="international",
            starts_at=_at(2099, 6, 10, 9, 0),
            ends_at=_at(2099, 6, 10, 17, 0),
        ),
    }
    c, e = contacts, events

    def invite(event, contact, status="pending", **kw):
        return create_invitation(event=e[event], contact=c[contact], status=status, **kw).invitation

    inv = {}
    inv["I1"] = invite("E1", "C1", "accepted")
    inv["I2"] = invite("E1", "C2", "accepted")
    inv["I3"] = invite("E1", "C3", "declined")
    inv["I4"] = invite("E1", "C4", "tentative")
    inv["I5"] = invite("E1", "C5")
    inv["I6"] = invite("E1", "C6", "accepted")
    inv["I7"] = invite("E1", "C7", walk_in=True)
    # Mehmet moves to Gaziantep after E1: E1 stays counted under Şişli
    c["C2"].organisation = orgs["O2"]
    db.session.commit()
    inv["I8"] = invite("E2", "C1", "accepted")
    inv["I9"] = invite("E2", "C2", "accepted")
    inv["I10"] = invite("E2", "C6", "accepted")
    inv["I11"] = invite("E2", "C3", "waitlisted")
    inv["I12"] = invite("E3", "C1", "accepted")
    inv["I13"] = invite("E3", "C4")
    inv["I14"] = invite("E4", "C5", "accepted")
    inv["I15"] = invite("E4", "C4", "declined")
    inv["I16"] = invite("E4", "C3", "tentative")

    def check_in(key, day):
        invitation = inv[key]
        db.session.add(
            CheckIn(
                event_id=invitation.event_id,
                invitation_id=invitation.id,
                day=day,
                checked_in_at=datetime(day.year, day.month, day.day, 9, 30, tzinfo=IST),
            )
        )

    check_in("I1", date(2024, 3, 5))
    check_in("I4", date(2024, 3, 5))
    check_in("I6", date(2024, 3, 5))
    check_in("I7", date(2024, 3, 5))
    check_in("I8", date(2024, 4, 1))
    check_in("I8", date(2024, 4, 2))
    check_in("I9", date(2024, 4, 2))
    check_in("I10", date(2024, 4, 1))
    check_in("I12", date(2024, 4, 10))
    db.session.commit()
    # I6 is revoked after checking in; E3 is cancelled after its check-in
    inv["I6"].status = InvitationStatus.revoked
    e["E3"].status = EventStatus.cancelled
    db.session.commit()
    return World(orgs, contacts, events, inv)
