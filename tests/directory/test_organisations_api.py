"""The organisations API: create, list with filters, read, patch; bad input is a 4xx naming the
field, never a 500."""

from __future__ import annotations

import pytest

from reslog_events.audit.models import AuditLog
from reslog_events.directory.models import Organisation
from reslog_events.extensions import db

URL = "/api/v1/organisations"


@pytest.fixture
def unions(create_organisation):
    return {
        code: create_organisation(name=name, code=code, kind="union")
        for code, name in (
            ("TBB", "Türkiye Belediyeler Birliği"),
            ("MBB", "Marmara Belediyeler Birliği"),
            ("CBB", "Çukurova Belediyeler Birliği"),
        )
    }


def test_create_returns_the_contract_shape(api, unions):
    resp = api("organiser").post(
        URL,
        json={
            "name": "Şişli Belediyesi",
            "kind": "municipality",
            "code": "sisli",
            "country": "tr",
            "province": "İstanbul",
            "district": "Şişli",
            "unions": ["MBB", "tbb"],
        },
    )
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body == {
        "id": body["id"],
        "name": "Şişli Belediyesi",
        "kind": "municipality",
        "code": "SISLI",
        "country": "TR",
        "province": "TR-34",
        "province_name": "İstanbul",
        "province_unmatched": None,
        "district": "Şişli",
        "unions": ["MBB", "TBB"],
        "confirmed": True,
    }
    org = db.session.get(Organisation, body["id"])
    assert org.search_key == "sisli belediyesi"
    entry = db.session.query(AuditLog).filter_by(object_type="organisation").one()
    assert entry.action == "organisation.create" and entry.user_id is not None


def test_get_and_patch(api, unions, create_organisation):
    org = create_organisation(name="Sarıçam Belediyesi", province="Adana")
    client = api("admin")
    assert client.get(f"{URL}/{org.id}").json["name"] == "Sarıçam Belediyesi"
    resp = client.patch(f"{URL}/{org.id}", json={"unions": ["CBB"], "district": "Sarıçam"})
    assert resp.status_code == 200, resp.json
    assert resp.json["unions"] == ["CBB"] and resp.json["district"] == "Sarıçam"
    assert resp.json["province"] == "TR-01"  # untouched
    resp = client.patch(f"{URL}/{org.id}", json={"district": None, "unions": []})
    assert resp.json["district"] is None and resp.json["unions"] == []
    entries = db.session.query(AuditLog).filter_by(object_type="organisation", object_id=org.id)
    actions = [a.action for a in entries.order_by(AuditLog.id)]
    assert actions == ["organisation.update", "organisation.update"]


def test_coordinator_reads_but_cannot_write(api, create_organisation):
    org = create_organisation()
    assert api("coordinator").get(f"{URL}/{org.id}").status_code == 200
    assert api("coordinator").get(URL).status_code == 200
    assert api("coordinator").patch(f"{URL}/{org.id}", json={}).status_code == 403
    assert api("staff").get(URL).status_code == 403


BAD_BODIES = [
    ({"kind": "municipality"}, "name"),
    ({"name": "", "kind": "municipality"}, "name"),
    ({"name": "x" * 201, "kind": "municipality"}, "name"),
    ({"name": 12, "kind": "municipality"}, "name"),
    ({"name": "A", "kind": "city"}, "kind"),
    ({"name": "A", "kind": "municipality", "country": "TUR"}, "country"),
    ({"name": "A", "kind": "municipality", "country": "T1"}, "country"),
    ({"name": "A", "kind": "municipality", "country": "XX"}, "country"),
    ({"name": "A", "kind": "municipality", "country": 90}, "country"),
    ({"name": "A", "kind": "municipality", "code": "has space"}, "code"),
    ({"name": "A", "kind": "municipality", "province": "p" * 101}, "province"),
    ({"name": "A", "kind": "municipality", "unions": "MBB"}, "unions"),
    ({"name": "A", "kind": "municipality", "unions": [1]}, "unions.0"),
    ({"name": "A", "kind": "municipality", "colour": "red"}, "colour"),
]


def test_create_rejects_bad_fields(api, subtests):
    client = api("organiser")
    for body, field in BAD_BODIES:
        with subtests.test(field=field, body=body):
            resp = client.post(URL, json=body)
            assert resp.status_code == 422, resp.json
            assert field in resp.json["error"]["fields"], resp.json
    assert db.session.query(Organisation).count() == 0


def test_malformed_json_and_wrong_media_type(api):
    client = api("organiser")
    resp = client.post(URL, data="{not json", content_type="application/json")
    assert resp.status_code == 400 and resp.json["error"]["code"] == "malformed_json"
    resp = client.post(URL, data="name=x", content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 415
    resp = client.post(URL, json=["a list"])
    assert resp.status_code == 422


def test_unknown_union_and_non_union_member(api, unions, create_organisation):
    town = create_organisation(name="Orhangazi Belediyesi", code="ORH")
    client = api("organiser")
    resp = client.post(URL, json={"name": "A", "kind": "municipality", "unions": ["XYZ"]})
    assert resp.status_code == 422 and "XYZ" in resp.json["error"]["fields"]["unions"]
    resp = client.post(URL, json={"name": "A", "kind": "municipality", "unions": ["ORH"]})
    assert resp.status_code == 422 and "unions" in resp.json["error"]["fields"]
    resp = client.patch(f"{URL}/{unions['MBB'].id}", json={"unions": ["MBB"]})
    assert resp.status_code == 422 and "unions" in resp.json["error"]["fields"]
    assert town.unions == []


def test_duplicates_are_409_naming_the_field(api, create_organisation):
    create_organisation(name="Şişli Belediyesi", code="SISLI")
    client = api("organiser")
    resp = client.post(URL, json={"name": "ŞİŞLİ  belediyesi", "kind": "municipality"})
    assert resp.status_code == 409 and "name" in resp.json["error"]["fields"]
    resp = client.post(URL, json={"name": "Other", "kind": "municipality", "code": "sisli"})
    assert resp.status_code == 409 and "code" in resp.json["error"]["fields"]
    other = create_organisation(name="Seyhan Belediyesi")
    resp = client.patch(f"{URL}/{other.id}", json={"code": "SISLI"})
    assert resp.status_code == 409 and "code" in resp.json["error"]["fields"]
    # renaming to its own name (other case) is no clash
    assert client.patch(f"{URL}/{other.id}", json={"name": "SEYHAN Belediyesi"}).status_code == 200


def test_patch_rejects_null_for_required_fields_and_unknown_ids(api, create_organisation):
    org = create_organisation()
    client = api("organiser")
    for field in ("name", "kind", "country", "unions"):
        resp = client.patch(f"{URL}/{org.id}", json={field: None})
        assert resp.status_code == 422 and field in resp.json["error"]["fields"], field
    assert client.patch(f"{URL}/999999", json={"name": "X"}).status_code == 404
    assert client.get(f"{URL}/999999").status_code == 404
    assert client.get(f"{URL}/abc").status_code == 404


def test_union_with_members_keeps_its_kind(api, unions, create_organisation):
    create_organisation(name="Zeytinburnu Belediyesi", unions=[unions["MBB"]])
    resp = api("organiser").patch(f"{URL}/{unions['MBB'].id}", json={"kind": "ngo"})
    assert resp.status_code == 422 and "kind" in resp.json["error"]["fields"]


def test_list_filters(api, unions, create_organisation):
    create_organisation(
        name="Şişli Belediyesi", province="İstanbul", unions=[unions["MBB"], unions["TBB"]]
    )
    create_organisation(name="Sarıçam Belediyesi", province="Adana", unions=[unions["CBB"]])
    create_organisation(name="SALAR", kind="international", country="SE", code="SALAR")
    client = api("coordinator")

    def names(**params):
        resp = client.get(URL, query_string=params)
        assert resp.status_code == 200, resp.json
        return [o["name"] for o in resp.json["items"]]

    assert names(union="MBB") == ["Şişli Belediyesi"]
    assert names(union="cbb") == ["Sarıçam Belediyesi"]
    assert names(union="NOPE") == []
    assert names(kind="international") == ["SALAR"]
    assert names(country="se") == ["SALAR"]
    assert names(kind="municipality", country="TR") == ["Sarıçam Belediyesi", "Şişli Belediyesi"]
    assert names(province="istanbul") == ["Şişli Belediyesi"]
    assert names(q="salar") == ["SALAR"]
    assert names(q="mbb") == ["Marmara Belediyeler Birliği"]
    assert names(q="%") == []


def test_list_rejects_bad_query(api, subtests):
    client = api("organiser")
    for params in (
        {"kind": "city"},
        {"page": "0"},
        {"per_page": "501"},
        {"page": "x"},
        {"sort": "x"},
    ):
        with subtests.test(params=params):
            resp = client.get(URL, query_string=params)
            assert resp.status_code == 422
            assert set(params) & set(resp.json["error"]["fields"])


def test_pagination(api, create_organisation):
    for n in range(7):
        create_organisation(name=f"Belediye {n}")
    client = api("organiser")
    first = client.get(URL, query_string={"per_page": 3}).json
    third = client.get(URL, query_string={"per_page": 3, "page": 3}).json
    assert first["total"] == third["total"] == 7
    assert [o["name"] for o in first["items"]] == ["Belediye 0", "Belediye 1", "Belediye 2"]
    assert [o["name"] for o in third["items"]] == ["Belediye 6"]
    assert client.get(URL, query_string={"page": 9}).json == {"items": [], "total": 7}
