"""Turkish order and search: İ/i and I/ı, Ç, Ğ, Ö, Ş, Ü, through the API and the pages."""

from __future__ import annotations

import pytest

NAMES = [
    "Zeytinburnu",
    "İzmir",
    "Iğdır",
    "Şişli",
    "Sarıçam",
    "Seyhan",
    "Çankaya",
    "Reyhanlı",
    "Osmangazi",
    "Ödemiş",
    "Ürgüp",
    "Uşak",
    "Cizre",
    "Gaziantep",
    "Ğ Test",
    "Hatay",
]
TURKISH_ORDER = [
    "Cizre",
    "Çankaya",
    "Gaziantep",
    "Ğ Test",
    "Hatay",
    "Iğdır",
    "İzmir",
    "Osmangazi",
    "Ödemiş",
    "Reyhanlı",
    "Sarıçam",
    "Seyhan",
    "Şişli",
    "Uşak",
    "Ürgüp",
    "Zeytinburnu",
]


@pytest.fixture
def places(create_organisation, create_contact):
    for name in NAMES:
        org = create_organisation(name=name, province=name)
        create_contact(full_name=f"{name} Kişisi", organisation=org)


def test_organisations_sort_in_turkish_order(api, places):
    items = api("organiser").get("/api/v1/organisations").json["items"]
    assert [o["name"] for o in items] == TURKISH_ORDER


def test_contacts_sort_in_turkish_order(api, places):
    items = api("organiser").get("/api/v1/contacts").json["items"]
    assert [c["full_name"].removesuffix(" Kişisi") for c in items] == TURKISH_ORDER


SEARCHES = [
    ("sisli", "Şişli"),
    ("ŞİŞLİ", "Şişli"),
    ("şişli", "Şişli"),
    ("SISLI", "Şişli"),
    ("izmir", "İzmir"),
    ("İZMİR", "İzmir"),
    ("igdir", "Iğdır"),
    ("IĞDIR", "Iğdır"),
    ("ığdır", "Iğdır"),
    ("saricam", "Sarıçam"),
    ("SARIÇAM", "Sarıçam"),
    ("reyhanli", "Reyhanlı"),
    ("odemis", "Ödemiş"),
    ("urgup", "Ürgüp"),
]


def test_search_finds_turkish_names(api, places, subtests):
    client = api("organiser")
    for q, found in SEARCHES:
        with subtests.test(q=q):
            orgs = client.get("/api/v1/organisations", query_string={"q": q}).json["items"]
            assert [o["name"] for o in orgs] == [found]
            contacts = client.get("/api/v1/contacts", query_string={"q": q}).json["items"]
            assert [c["full_name"] for c in contacts] == [f"{found} Kişisi"]


def test_province_filter_folds(api, places):
    orgs = api("organiser").get("/api/v1/organisations", query_string={"province": "IGDIR"})
    assert [o["name"] for o in orgs.json["items"]] == ["Iğdır"]


def test_pages_sort_and_search_the_same_way(client, auth, places):
    auth.login("organiser")
    html = client.get("/organisations?per_page=100").get_data(as_text=True)
    positions = [html.index(f">{name}</a>") for name in TURKISH_ORDER]
    assert positions == sorted(positions)
    html = client.get("/contacts?q=ŞİŞLİ").get_data(as_text=True)
    assert "Şişli Kişisi" in html and "Seyhan Kişisi" not in html
    html = client.get("/organisations?q=igdir").get_data(as_text=True)
    assert ">Iğdır</a>" in html and ">İzmir</a>" not in html
