"""The programme calendar (month, week, list; filters by union, level, kind, province; "my
events"), the public programme page, and a real-browser run of the calendar in Chromium."""

from __future__ import annotations

import re

import pytest

from tests.programme.conftest import IST, STO, at


@pytest.fixture
def programme(create_event, create_organisation, create_contact, create_invitation, create_user):
    mbb = create_organisation(name="Marmara Belediyeler Birliği", code="MBB", kind="union")
    cbb = create_organisation(name="Çukurova Belediyeler Birliği", code="CBB", kind="union")
    sisli = create_organisation(name="Şişli Belediyesi", unions=[mbb], province="İstanbul")
    seyhan = create_organisation(name="Seyhan Belediyesi", unions=[cbb], province="Adana")
    organiser = create_user("organiser", name="Ayşe")
    forum = create_event(
        title="Yerel Yönetim ve Göç Forumu",
        kind="forum",
        level="national",
        host_organisation_id=mbb.id,
        organiser_id=organiser.id,
        starts_at=at(IST, 2027, 5, 12, 10),
        ends_at=at(IST, 2027, 5, 12, 17),
    )
    workshop = create_event(
        title="Dayanıklılığımızı Değerlendiriyoruz",
        kind="workshop",
        level="regional",
        city="Ankara",
        starts_at=at(IST, 2027, 5, 18, 9),
        ends_at=at(IST, 2027, 5, 19, 17),
    )
    create_invitation(event=workshop, contact=create_contact(organisation=seyhan))
    visit = create_event(
        title="Botkyrka peer visit",
        kind="peer_visit",
        level="international",
        city="Botkyrka",
        timezone="Europe/Stockholm",
        starts_at=at(STO, 2027, 5, 31, 22),
        ends_at=at(STO, 2027, 6, 2, 16),
    )
    draft = create_event(
        title="Taslak toplantı",
        kind="meeting",
        status="draft",
        starts_at=at(IST, 2027, 5, 20, 10),
        ends_at=at(IST, 2027, 5, 20, 12),
    )
    create_invitation(event=forum, contact=create_contact(organisation=sisli))
    return {
        "forum": forum,
        "workshop": workshop,
        "visit": visit,
        "draft": draft,
        "MBB": mbb,
        "CBB": cbb,
        "organiser": organiser,
    }


def _titles(html: str) -> set[str]:
    return set(re.findall(r'class="cal-event-title">([^<]+)<', html)) | set(
        re.findall(r"<strong>([^<]+)</strong>", html)
    )


def test_month_view_places_events_on_their_local_days(client, auth, programme):
    auth.login("organiser")
    html = client.get("/calendar?date=2027-05-01&lang=en").get_data(as_text=True)
    assert "May 2027" in html
    # The two-day workshop sits on both days; the visit on 31 May (its own zone) too.
    cells = re.findall(r'<td class="cal-day[^"]*">(.*?)</td>', html, re.S)
    with_workshop = [c for c in cells if "Dayanıklılığımızı" in c]
    assert len(with_workshop) == 2
    visit_cells = [c for c in cells if "Botkyrka" in c]
    assert 'datetime="2027-05-31"' in visit_cells[0]
    assert "Taslak toplantı" in html  # organisers see drafts


def test_coordinators_do_not_see_drafts(client, auth, programme):
    auth.login("coordinator")
    html = client.get("/calendar?date=2027-05-01").get_data(as_text=True)
    assert "Taslak toplantı" not in html and "Yerel Yönetim" in html


def test_week_and_list_views(client, auth, programme):
    auth.login("staff")
    week = client.get("/calendar?view=week&date=2027-05-19").get_data(as_text=True)
    assert "Dayanıklılığımızı" in week and "Yerel Yönetim" not in week
    # Weeks start on the locale's first day: Monday for English (CLDR's world) → 17–23 May.
    days = re.findall(r'<h3><time datetime="([0-9-]+)"', week)
    assert days[0] == "2027-05-17" and days[-1] == "2027-05-23"
    listed = client.get("/calendar?view=list&date=2027-05-15").get_data(as_text=True)
    assert "Dayanıklılığımızı" in listed and "Botkyrka" in listed and "Yerel Yönetim" not in listed


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("union={MBB}", {"Yerel Yönetim ve Göç Forumu"}),
        ("union={CBB}", {"Dayanıklılığımızı Değerlendiriyoruz"}),
        ("province=Adana", {"Dayanıklılığımızı Değerlendiriyoruz"}),
        ("province=İstanbul", {"Yerel Yönetim ve Göç Forumu"}),
        ("kind=peer_visit", {"Botkyrka peer visit"}),
        ("level=national", {"Yerel Yönetim ve Göç Forumu"}),
    ],
)
def test_filters(client, auth, programme, args, expected):
    auth.login("coordinator")
    query = args.format(MBB=programme["MBB"].id, CBB=programme["CBB"].id)
    html = client.get(f"/calendar?view=list&date=2027-05-01&{query}").get_data(as_text=True)
    found = {
        t
        for t in _titles(html)
        if t
        in {
            "Yerel Yönetim ve Göç Forumu",
            "Dayanıklılığımızı Değerlendiriyoruz",
            "Botkyrka peer visit",
        }
    }
    assert found == expected


def test_my_events(client, auth, programme):
    auth.login("organiser", user=programme["organiser"])
    html = client.get("/calendar?view=list&date=2027-05-01&mine=1").get_data(as_text=True)
    assert "Yerel Yönetim" in html and "Botkyrka" not in html


def test_bad_filters_are_ignored_and_named(client, auth, programme):
    auth.login("coordinator")
    resp = client.get("/calendar?date=2027-13-45&kind=party&view=list")
    assert resp.status_code == 400 and "kind" in resp.get_data(as_text=True)


def test_ignored_filters_are_named_by_their_labels(client, auth, programme):
    """ "…dikkate alınmadı: Ay, Tür", not the raw parameters "month, kind"."""
    auth.login("coordinator")
    resp = client.get("/calendar?month=2027-05&kind=party&utm_x=1&lang=tr")
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    alert = re.search(r'<p class="error" role="alert">([^<]*)</p>', html).group(1)
    named = alert.rsplit(": ", 1)[1]
    assert set(named.split(", ")) == {"Ay", "Tür", "“utm_x”"}, alert


def test_public_programme(client, create_event):
    from reslog_events.core.columns import utcnow
    from reslog_events.extensions import db

    shown = create_event(title="Açık forum", is_public=True)
    hidden = create_event(title="Kapalı toplantı", is_public=False)
    for event in (shown, hidden):
        event.published_at = utcnow()
    db.session.commit()
    html = client.get("/programme").get_data(as_text=True)
    assert "Açık forum" in html and "Kapalı toplantı" not in html
    assert "webcal://rsvp.test/feeds/public.ics" in html
    assert client.get(f"/programme/{shown.id}").status_code == 200
    assert client.get(f"/programme/{hidden.id}").status_code == 404


@pytest.mark.browser
def test_calendar_in_a_real_browser(live_server, page, programme, create_user):
    """Log in, open the calendar, move to May 2027, switch views and filter by kind (the filter
    form submits itself through programme.js), with no CSP violation on the way."""
    from tests.support.factories import PASSWORD

    user = create_user("organiser", email="calendar@example.org")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/login?lang=en")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/calendar?date=2027-05-10")
    assert page.locator("h2.cal-title").inner_text().lower().startswith("may 2027")
    # Phone-sized: the month shows as a list of days with events.
    workshop_days = page.locator("td.cal-day:has-text('Dayanıklılığımızı')")
    assert workshop_days.count() == 2 and workshop_days.first.is_visible()
    page.get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"date=2027-06-01"))
    # 31 May 22:00 – 2 June in Stockholm: on the 1st and 2nd of June (31 May is May's).
    assert page.locator("td.cal-day:visible:has-text('Botkyrka')").count() == 2
    page.get_by_role("link", name="Week").click()
    page.wait_for_url(re.compile(r"view=week"))
    assert page.locator(".cal-week-day").count() == 7
    page.goto(f"{live_server.url}/calendar?view=list&date=2027-05-01")
    page.select_option("#f-kind", "workshop")  # no button press: the script submits the form
    page.wait_for_url(re.compile(r"kind=workshop"))
    items = page.locator(".cal-list li")
    assert items.count() == 1 and "Dayanıklılığımızı" in items.first.inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/calendar?date=2027-05-10")
    assert page.locator("table.cal-month thead th").first.is_visible()
    assert not [p for p in problems if "Content Security Policy" in p], problems
