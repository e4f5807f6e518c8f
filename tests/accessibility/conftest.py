"""The accessibility checks' browser: one Chromium for the package, with a fake camera so that
the scanner's camera prompt never blocks, and a fresh context per page and language; and the data
the pages show (an RSVP, the door, the dashboard)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.support.accessibility import IST, PHONE
from tests.support.browser import launch_chromium


@pytest.fixture(scope="package")
def browser(_playwright):
    browser = launch_chromium(
        _playwright,
        # a fixed interface language, so that date fields take day and month in a known order
        ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--lang=en-US"],
    )
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser):
    """new_page(viewport=PHONE, storage_state=None) → a page in a fresh context."""
    contexts = []

    def make(viewport=PHONE, storage_state=None, base_url=None):
        context = browser.new_context(
            viewport=viewport,
            has_touch=viewport["width"] < 800,
            storage_state=storage_state,
            locale="en-US",
        )
        if base_url:
            context.grant_permissions(["camera"], origin=base_url)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def rsvp_event(create_event):
    return create_event(
        title="Forum on Resilient Cities · Dirençli Kentler",
        capacity=40,
        languages=["tr", "en", "ar"],
        description="Two panels and a workshop.\nInterpretation is provided.",
        rsvp_deadline=datetime.now(IST).replace(microsecond=0) + timedelta(days=7),
        online_url="https://meet.example.org/forum",
    )


@pytest.fixture
def reports_data(create_organisation, create_contact, create_event, create_invitation):
    """Two past events with answers and check-ins, so the dashboard has a table and charts."""
    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db

    orgs = [
        create_organisation(name="Şişli Belediyesi", province="İstanbul"),
        create_organisation(name="Gaziantep Büyükşehir Belediyesi", province="Gaziantep"),
        create_organisation(name="Malmö stad", country="SE", kind="international"),
    ]
    people = [
        create_contact(full_name=name, organisation=org, gender=gender, role_category=role)
        for name, org, gender, role in [
            ("Ayşe Yılmaz", orgs[0], "female", "elected_official"),
            ("Mehmet Demir", orgs[1], "male", "municipal_staff"),
            ("Erik Lindqvist", orgs[2], "male", "international_partner"),
            ("ليلى حسن", orgs[1], "female", "refugee_community"),
        ]
    ]
    for month, kind in ((3, "forum"), (5, "workshop")):
        starts = datetime(2024, month, 5, 9, tzinfo=IST)
        event = create_event(
            title=f"Forum 2024-{month:02d}", kind=kind, starts_at=starts,
            ends_at=starts + timedelta(hours=8),
        )  # fmt: skip
        for i, person in enumerate(people):
            inv = create_invitation(
                event=event, contact=person, status="accepted" if i < 3 else "pending"
            ).invitation
            if i != 1:
                db.session.add(
                    CheckIn(
                        event_id=event.id,
                        invitation_id=inv.id,
                        day=date(2024, month, 5),
                        checked_in_at=starts + timedelta(minutes=20),
                    )
                )
    db.session.commit()


@pytest.fixture
def door_event(create_event, create_contact, create_organisation, create_invitation):
    event = create_event(
        title="Göç ve Kent Forumu", starts_at=datetime.now(IST) - timedelta(hours=1)
    )
    org = create_organisation(name="Mersin Büyükşehir Belediyesi")
    people = {}
    for name in ("Ayşe Kaya", "Erik Lindqvist", "أحمد الخطيب"):
        contact = create_contact(full_name=name, organisation=org)
        people[name] = create_invitation(event=event, contact=contact, status="accepted")
    return event, people
