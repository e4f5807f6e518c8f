"""Countries by name in the page's language in every filter and list that shows one: the
directory's filter and table, an organisation's page, the reports' filter and their
organisation page, the event pages — never the ISO code."""

from __future__ import annotations

import re

import pytest

from reslog_events.core.countries import country_choices, country_name

NAMES = {
    "tr": {"TR": "Türkiye", "SE": "İsveç", "LB": "Lübnan"},
    "en": {"TR": "Türkiye", "SE": "Sweden", "LB": "Lebanon"},
    "ar": {"TR": "تركيا", "SE": "السويد", "LB": "لبنان"},
    "sv": {"TR": "Turkiet", "SE": "Sverige", "LB": "Libanon"},
}


@pytest.fixture
def directory(create_organisation):
    return {
        code: create_organisation(name=name, country=code)
        for code, name in (
            ("TR", "Şişli Belediyesi"),
            ("SE", "Botkyrka kommun"),
            ("LB", "Tyre Municipality"),
        )
    }


def _option(html: str, code: str) -> str | None:
    match = re.search(rf'<option value="{code}"[^>]*>([^<]*)</option>', html)
    return match.group(1).strip() if match else None


def test_names_and_their_order_per_language(app):
    with app.test_request_context():
        assert country_name("se", "tr") == "İsveç" and country_name(None, "en") == "Unknown"
        # Turkish alphabetical order: İsveç before Lübnan before Türkiye
        assert [c for c, _n in country_choices(["TR", "LB", "SE", None, "SE"], "tr")] == [
            "SE",
            "LB",
            "TR",
        ]


@pytest.mark.parametrize("language", tuple(NAMES))
def test_directory_filter_table_and_organisation_page(client, auth, directory, language):
    auth.login("organiser")
    html = client.get(f"/organisations?lang={language}").get_data(as_text=True)
    for code, name in NAMES[language].items():
        assert _option(html, code) == name, code
        assert f">{name}</td>" in html
        assert f">{code}</td>" not in html
    page = client.get(f"/organisations/{directory['SE'].id}?lang={language}")
    assert f"<dd>{NAMES[language]['SE']}</dd>" in page.get_data(as_text=True)


@pytest.mark.parametrize("language", tuple(NAMES))
def test_reports_filter_and_organisation_page(client, auth, directory, language):
    auth.login("coordinator")
    html = client.get(f"/reports?lang={language}").get_data(as_text=True)
    for code, name in NAMES[language].items():
        assert _option(html, code) == name
    page = client.get(f"/reports/organisations/{directory['LB'].id}?lang={language}")
    assert NAMES[language]["LB"] in page.get_data(as_text=True)


@pytest.mark.parametrize("language", tuple(NAMES))
def test_event_pages_name_the_country(client, auth, create_event, language):
    event = create_event(venue="Kommunhuset", city="Tumba", country="SE")
    auth.login("organiser")
    name = NAMES[language]["SE"]
    for path in ("/events", f"/events/{event.id}"):
        html = client.get(f"{path}?lang={language}").get_data(as_text=True)
        assert f"Tumba{'، ' if language == 'ar' else ', '}{name}" in html, path
