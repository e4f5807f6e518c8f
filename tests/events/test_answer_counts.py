"""The event page's counts of answers: exact to organisers, small counts hidden from
coordinators as on the dashboard (docs/reports.md, "Small cells"), or the page would tell a
coordinator "Declined 1" about an event whose report hides it."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def small_event(create_event, create_invitation):
    event = create_event(title="Reyhanlı Yuvarlak Masası")
    for status in ["accepted"] * 6 + ["declined"] + ["pending"] * 2:
        create_invitation(event=event, status=status)
    return event


def facts(client, event) -> dict[str, str]:
    page = client.get(f"/events/{event.id}?lang=en").get_data(as_text=True)
    aside = page[page.index('id="answers-heading"') :]
    pairs = re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", aside)
    return {label: re.sub(r"<[^>]+>", "", value).strip() for label, value in pairs}


def test_organisers_see_exact_counts(client, auth, small_event):
    auth.login("organiser")
    shown = facts(client, small_event)
    assert shown["Invited"] == "9" and shown["Accepted"] == "6"
    assert shown["Declined"] == "1" and shown["No answer yet"] == "2"


def test_coordinators_do_not_see_small_counts(client, auth, small_event):
    auth.login("coordinator")
    shown = facts(client, small_event)
    assert shown["Declined"].startswith("–") and shown["No answer yet"].startswith("–")
    assert "1" not in shown["Declined"] and "2" not in shown["No answer yet"]
    # hidden in pairs at least, so that invited − accepted does not give one of them away
    hidden = [label for label, value in shown.items() if value.startswith("–")]
    assert len(hidden) >= 2, shown
