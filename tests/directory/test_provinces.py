"""Provinces are ISO 3166-2 codes: given by code or by name in any spelling, stored as the code,
shown by name in the page's language; an unknown one is a 422 naming the field."""

from __future__ import annotations

import re

import pytest

from reslog_events.directory.models import Organisation
from reslog_events.directory.provinces import province_choices, province_name, resolve
from reslog_events.extensions import db
from tests.support.forms import post_form

URL = "/api/v1/organisations"

SPELLINGS = [
    ("TR", "adana", "TR-01"),
    ("TR", "ADANA", "TR-01"),
    ("TR", "tr-01", "TR-01"),
    ("TR", "İSTANBUL", "TR-34"),
    ("TR", "Istanbul", "TR-34"),
    ("TR", "istanbul", "TR-34"),
    ("TR", "ıstanbul", "TR-34"),
    ("TR", "Şanlıurfa", "TR-63"),
    ("TR", "sanliurfa", "TR-63"),
    ("TR", "SANLIURFA", "TR-63"),
    ("TR", "Iğdır", "TR-76"),
    ("TR", "igdir", "TR-76"),
    ("TR", "Hakkari", "TR-30"),
    ("TR", "düzce", "TR-81"),
    ("TR", "Izmir ili", "TR-35"),
    ("SE", "Skåne län", "SE-M"),
    ("SE", "skane", "SE-M"),
    ("SE", "Stockholm", "SE-AB"),
    ("SE", "se-ab", "SE-AB"),
    ("LB", "Bayrūt", "LB-BA"),
    ("LB", "bayrut", "LB-BA"),
]


@pytest.mark.parametrize(("country", "typed", "code"), SPELLINGS)
def test_every_spelling_is_stored_as_the_code(api, country, typed, code):
    client = api("organiser")
    resp = client.post(
        URL,
        json={"name": f"Belediye {typed}", "kind": "ngo", "country": country, "province": typed},
    )
    assert resp.status_code == 201, resp.json
    assert resp.json["province"] == code
    assert db.session.get(Organisation, resp.json["id"]).province == code


def test_package_has_every_province():
    assert len([c for c, _n in province_choices("TR", "tr")]) == 81
    assert {"SE-AB", "SE-M", "SE-O"} <= {c for c, _n in province_choices("SE", "sv")}
    assert {"LB-BA", "LB-JA", "LB-AK"} <= {c for c, _n in province_choices("LB", "en")}
    assert resolve("Adana", "SE") is None and resolve("", "TR") is None


def test_names_in_the_page_language():
    assert province_name("TR-34", "tr") == "İstanbul"
    assert province_name("TR-34", "sv") == "Istanbul"
    assert province_name("SE-AB", "tr") == "Stockholms län"  # without pycountry's "[SE-01]"
    # no Arabic catalogue: the package's own name
    assert province_name("LB-BA", "ar") == "Bayrūt"
    # Turkish alphabetical order in the picker: Çanakkale after Bursa, İzmir after Iğdır
    names = [n for _c, n in province_choices("TR", "tr")]
    assert names.index("Çanakkale") == names.index("Bursa") + 1
    assert names.index("Iğdır") < names.index("İstanbul") < names.index("İzmir")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"country": "TR", "province": "Atlantis"}, "Unknown province “Atlantis” in TR"),
        ({"country": "SE", "province": "Adana"}, "Unknown province “Adana” in SE"),
        ({"country": "TR", "province": "SE-AB"}, "Unknown province “SE-AB” in TR"),
        ({"country": "TR", "province": "TR-99"}, "Unknown province"),
        ({"country": "AQ", "province": "Ross"}, "has no provinces"),
    ],
)
def test_unknown_or_foreign_province_is_422(api, body, fragment):
    resp = api("organiser").post(URL, json={"name": "Kurum", "kind": "ngo", **body})
    assert resp.status_code == 422, resp.json
    assert fragment in resp.json["error"]["fields"]["province"]
    assert resp.json["error"]["code"] == "validation_error"
    assert db.session.query(Organisation).count() == 0


def test_patch_takes_names_and_checks_the_country(api, create_organisation):
    org = create_organisation(name="Seyhan Belediyesi", province="Adana")
    client = api("organiser")
    resp = client.patch(f"{URL}/{org.id}", json={"province": "MERSİN"})
    assert resp.status_code == 200 and resp.json["province"] == "TR-33"
    assert resp.json["province_name"] == "Mersin"
    # a new country without a new province: the old one is not of that country
    resp = client.patch(f"{URL}/{org.id}", json={"country": "SE"})
    assert resp.status_code == 422 and "province" in resp.json["error"]["fields"]
    resp = client.patch(f"{URL}/{org.id}", json={"country": "SE", "province": "Skåne"})
    assert resp.status_code == 200 and resp.json["province"] == "SE-M"
    resp = client.patch(f"{URL}/{org.id}", json={"province": "Gaziantep"})
    assert resp.status_code == 422
    resp = client.patch(f"{URL}/{org.id}", json={"province": None})
    assert resp.status_code == 200 and resp.json["province"] is None


def test_filters_take_code_or_any_spelling(api, create_organisation):
    create_organisation(name="Şişli Belediyesi", province="İstanbul")
    create_organisation(name="Seyhan Belediyesi", province="Adana")
    create_organisation(name="Malmö stad", province="Skåne", country="SE")
    client = api("organiser")
    for value in ("TR-34", "istanbul", "İSTANBUL", "Istanbul"):
        items = client.get(URL, query_string={"province": value}).json["items"]
        assert [o["name"] for o in items] == ["Şişli Belediyesi"], value
    items = client.get(URL, query_string={"province": "skane"}).json["items"]
    assert [o["name"] for o in items] == ["Malmö stad"]
    assert client.get(URL, query_string={"province": "Atlantis"}).json["items"] == []


def test_fixing_an_unmatched_province(api, client, auth, create_organisation):
    org = create_organisation(name="Sandıklı Belediyesi", province="Afyon")
    other = create_organisation(name="Seyhan Belediyesi", province="Adana")
    assert org.province is None and org.province_unmatched == "Afyon"
    listed = api("organiser").get(URL, query_string={"province_to_fix": "1"}).json["items"]
    assert [o["id"] for o in listed] == [org.id]
    assert listed[0]["province_unmatched"] == "Afyon"

    auth.login("organiser")
    page = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    assert "“Afyon” is not a known province." in page
    overview = client.get("/organisations").get_data(as_text=True)
    assert "1 organisation has a province to fix" in overview
    listing = client.get("/organisations?province_to_fix=1").get_data(as_text=True)
    assert "Sandıklı Belediyesi" in listing and other.name not in listing
    form = client.get(f"/organisations/{org.id}/edit").get_data(as_text=True)
    assert "Recorded before as “Afyon”" in form
    # saved without a province: still to fix
    resp = post_form(
        client,
        f"/organisations/{org.id}/edit",
        {"name": org.name, "kind": "municipality", "country": "TR", "district": "Sandıklı"},
    )
    assert resp.status_code == 302
    db.session.refresh(org)
    assert org.province_unmatched == "Afyon" and org.district == "Sandıklı"
    resp = post_form(
        client,
        f"/organisations/{org.id}/edit",
        {"name": org.name, "kind": "municipality", "country": "TR", "province": "TR-03"},
    )
    assert resp.status_code == 302
    db.session.refresh(org)
    assert org.province == "TR-03" and org.province_unmatched is None


def test_pages_show_names_in_the_page_language(client, auth, create_organisation):
    org = create_organisation(name="Şişli Belediyesi", province="İstanbul")
    create_organisation(name="Botkyrka kommun", province="Stockholms län", country="SE")
    auth.login("organiser")
    for lang, name in (("tr", "İstanbul"), ("sv", "Istanbul")):
        page = client.get(f"/organisations/{org.id}?lang={lang}").get_data(as_text=True)
        assert f"<dd>{name}</dd>" in page
        listing = client.get(f"/organisations?lang={lang}").get_data(as_text=True)
        assert re.search(rf'<option value="TR-34">{name}</option>', listing)
        assert "TR-34</td>" not in listing
    form = client.get(f"/organisations/{org.id}/edit?lang=tr").get_data(as_text=True)
    assert '<option value="TR-34" selected>İstanbul</option>' in form
    assert '<optgroup label="İsveç">' in form and '<option value="SE-AB">' in form
    contacts = client.get("/contacts?lang=tr").get_data(as_text=True)
    assert '<option value="TR-34">İstanbul</option>' in contacts


def test_form_refuses_a_province_of_another_country(client, auth):
    auth.login("organiser")
    resp = post_form(
        client,
        "/organisations/new",
        {"name": "Malmö stad", "kind": "municipality", "country": "SE", "province": "TR-01"},
    )
    assert resp.status_code == 422
    assert 'id="e-province" role="alert"' in resp.get_data(as_text=True)
    assert db.session.query(Organisation).count() == 0


def test_report_groups_by_province_name(
    api, create_organisation, create_contact, create_invitation
):
    org = create_organisation(name="Şişli Belediyesi", province="istanbul")
    create_invitation(contact=create_contact(organisation=org))
    client = api("organiser")
    rows = client.get(
        "/api/v1/reports/attendance", query_string={"group_by": "province", "lang": "sv"}
    ).json["rows"]
    assert [(r["key"], r["label"]) for r in rows] == [("TR-34", "Istanbul")]
    csv = client.get(
        "/api/v1/reports/attendance",
        query_string={"group_by": "province", "format": "csv", "lang": "tr"},
    ).get_data(as_text=True)
    assert "İstanbul" in csv and "TR-34" not in csv.split("\n", 1)[1].split(",", 1)[1]
