"""The event and organisation forms offer every country by name in the page's language (Türkiye
and the partners' countries first, the rest in the language's alphabetical order) and send the
ISO code; a name in any of the app's languages is taken from a form post too. The API keeps
taking and returning ISO codes only."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from reslog_events.core.countries import country_code, country_options
from reslog_events.directory.models import Organisation
from reslog_events.events.models import Event
from reslog_events.extensions import db
from tests.checkin.test_browser import log_in
from tests.events.test_pages import form, html
from tests.support.browser import page_problems
from tests.support.forms import post_form


def _names(locale: str) -> list[str]:
    return [name for _code, name in country_options(locale)[1]]


def test_names_in_each_language_programme_countries_first(app):
    with app.test_request_context():
        first, others = country_options("tr")
        assert first == (("TR", "Türkiye"), ("SE", "İsveç"), ("LB", "Lübnan"))
        assert {code for code, _name in others}.isdisjoint({"TR", "SE", "LB"})
        assert len(others) > 240 and "EU" not in dict(others) and "ZZ" not in dict(others)
        names = _names("tr")  # the Turkish alphabet: C < Ç < D, I < İ
        assert names.index("Cezayir") < names.index("Çin") < names.index("Danimarka")
        assert names.index("Irak") < names.index("İran") < names.index("İsviçre")
        swedish = _names("sv")  # å, ä, ö after z
        assert swedish.index("Zimbabwe") < swedish.index("Åland") < swedish.index("Österrike")
        english = _names("en")  # accents ignored
        assert english.index("Afghanistan") < english.index("Åland Islands")
        assert english.index("Åland Islands") < english.index("Albania")
        assert country_options("ar")[0][1] == ("SE", "السويد")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("TR", "TR"),
        ("se", "SE"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("TÜRKİYE", "TR"),
        ("İsveç", "SE"),
        ("isvec", "SE"),
        ("Sverige", "SE"),
        ("Lübnan", "LB"),
        ("لبنان", "LB"),
        ("Turkiet", "TR"),
        ("Almanya", "DE"),
        ("Narnia", None),
        ("EU", None),
        ("", None),
    ],
)
def test_a_code_or_a_name_in_any_language(app, text, code):
    assert country_code(text) == code


def _select(page: str, name: str = "country") -> str:
    match = re.search(rf'<select id="f-{name}" name="{name}".*?</select>', page, re.S)
    assert match, name
    return match.group(0)


def test_the_event_form_offers_names_and_saves_the_code(client, auth):
    auth.login("organiser")
    page = html(client.get("/events/new?lang=tr"))
    picker = _select(page)
    assert 'maxlength="2"' not in picker and "TR, SE, LB" not in page
    first = r'<optgroup label="Program ülkeleri">\s*<option value="TR"[^>]*>Türkiye'
    assert re.search(first, picker)
    assert picker.index(">İsveç<") < picker.index(">Lübnan<") < picker.index(">Almanya<")
    assert '<option value="">Verilmedi</option>' in picker  # a country is optional
    assert post_form(client, "/events/new", form(country="LB")).status_code == 302
    event = db.session.scalar(sa.select(Event))
    assert event.country == "LB"
    edit = _select(html(client.get(f"/events/{event.id}/edit?lang=ar")))
    assert '<option value="LB" selected translate="no">لبنان</option>' in edit
    # a name from an old form or a script is taken in any language
    assert post_form(client, f"/events/{event.id}/edit", form(country="İsveç")).status_code == 302
    db.session.expire_all()
    assert event.country == "SE"


def test_the_organisation_form_offers_names_and_saves_the_code(client, auth):
    auth.login("organiser")
    picker = _select(html(client.get("/organisations/new?lang=sv")))
    # Türkiye by default
    assert '<option value="TR" selected translate="no">Turkiet</option>' in picker
    assert "Programländer" in picker and 'value=""' not in picker  # required
    data = {"name": "Botkyrka kommun", "kind": "municipality", "country": "SE"}
    assert post_form(client, "/organisations/new", data).status_code == 302
    data = {"name": "Sur Belediyesi", "kind": "municipality", "country": "Lübnan"}
    assert post_form(client, "/organisations/new", data).status_code == 302
    countries = dict(db.session.execute(sa.select(Organisation.name, Organisation.country)).all())
    assert countries == {"Botkyrka kommun": "SE", "Sur Belediyesi": "LB"}
    wrong = post_form(client, "/organisations/new?lang=tr", {**data, "country": "Narnia"})
    assert wrong.status_code == 422 and 'id="e-country" role="alert"' in html(wrong)


def test_the_api_keeps_iso_codes(api):
    body = {"name": "Tyre Municipality", "kind": "municipality", "country": "Lübnan"}
    assert api("organiser").post("/api/v1/organisations", json=body).status_code == 422
    created = api("organiser").post("/api/v1/organisations", json={**body, "country": "lb"})
    assert created.status_code == 201 and created.json["country"] == "LB"


@pytest.mark.browser
def test_choosing_a_country_by_its_name(live_server, page, create_user):
    problems = page_problems(page)
    log_in(page, live_server.url, create_user("organiser"))
    page.goto(f"{live_server.url}/organisations/new?lang=tr")
    picker = page.locator("#f-country")
    expect(picker).to_have_value("TR")
    expect(page.get_by_label("Ülke")).to_be_visible()
    page.fill("#f-name", "Botkyrka kommun")
    page.select_option("#f-kind", "municipality")
    page.select_option("#f-country", label="İsveç")
    page.click(".dir-form form button[type=submit]")
    page.wait_for_url(lambda url: "/organisations/new" not in url)
    expect(page.locator("main")).to_contain_text("İsveç")
    db.session.expire_all()
    assert db.session.scalar(sa.select(Organisation.country)) == "SE"
    assert problems == []
