"""The contacts API: create, list with filters, read, patch; bad input and duplicate emails are
4xx JSON naming the field, never a 500."""

from __future__ import annotations

import pytest

from reslog_events.audit.models import AuditLog
from reslog_events.core.columns import utcnow
from reslog_events.directory.models import Contact
from reslog_events.extensions import db

URL = "/api/v1/contacts"


def test_create_returns_the_contract_shape(api, create_organisation):
    org = create_organisation(name="Reyhanlı Belediyesi")
    resp = api("organiser").post(
        URL,
        json={
            "full_name": "Ayşe Yılmaz",
            "email": " Ayse.Yilmaz@Reyhanli.BEL.tr ",
            "organisation_id": org.id,
            "position": "Göç Masası Uzmanı",
            "role_category": "municipal_staff",
            "gender": "female",
            "language": "ar",
            "phone": "+90 326 413 00 00",
        },
    )
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["email"] == "ayse.yilmaz@reyhanli.bel.tr"
    assert {k: body[k] for k in ("full_name", "organisation_id", "organisation_name")} == {
        "full_name": "Ayşe Yılmaz",
        "organisation_id": org.id,
        "organisation_name": "Reyhanlı Belediyesi",
    }
    assert (body["role_category"], body["gender"], body["language"]) == (
        "municipal_staff",
        "female",
        "ar",
    )
    assert body["email_bounced"] is False
    entry = db.session.query(AuditLog).filter_by(object_type="contact").one()
    assert (entry.action, entry.object_id) == ("contact.create", body["id"])


def test_defaults(api):
    resp = api("organiser").post(URL, json={"full_name": "Kim", "email": "kim@example.org"})
    assert resp.status_code == 201
    assert resp.json["role_category"] == "other"
    assert resp.json["gender"] == "undisclosed"
    assert resp.json["language"] == "tr"
    assert resp.json["organisation_id"] is None


BAD_BODIES = [
    ({"email": "a@example.org"}, "full_name"),
    ({"full_name": "A"}, "email"),
    ({"full_name": "A", "email": "not-an-email"}, "email"),
    ({"full_name": "A", "email": "a@" + "x" * 260 + ".org"}, "email"),
    ({"full_name": "   ", "email": "a@example.org"}, "full_name"),
    ({"full_name": "x" * 201, "email": "a@example.org"}, "full_name"),
    ({"full_name": ["A"], "email": "a@example.org"}, "full_name"),
    ({"full_name": "A", "email": "a@example.org", "organisation_id": "one"}, "organisation_id"),
    ({"full_name": "A", "email": "a@example.org", "organisation_id": True}, "organisation_id"),
    ({"full_name": "A", "email": "a@example.org", "organisation_id": 1.5}, "organisation_id"),
    ({"full_name": "A", "email": "a@example.org", "organisation_id": 0}, "organisation_id"),
    ({"full_name": "A", "email": "a@example.org", "organisation_id": 2**40}, "organisation_id"),
    ({"full_name": "A", "email": "a@example.org", "role_category": "mayor"}, "role_category"),
    ({"full_name": "A", "email": "a@example.org", "gender": "f"}, "gender"),
    ({"full_name": "A", "email": "a@example.org", "language": "de"}, "language"),
    ({"full_name": "A", "email": "a@example.org", "phone": "call me"}, "phone"),
    ({"full_name": "A", "email": "a@example.org", "phone": "1" * 41}, "phone"),
    ({"full_name": "A", "email": "a@example.org", "position": "p" * 201}, "position"),
    ({"full_name": "A", "email": "a@example.org", "nickname": "x"}, "nickname"),
]


def test_create_rejects_bad_fields(api, subtests):
    client = api("organiser")
    for body, field in BAD_BODIES:
        with subtests.test(field=field, body=body):
            resp = client.post(URL, json=body)
            assert resp.status_code == 422, resp.json
            assert field in resp.json["error"]["fields"], resp.json
    assert db.session.query(Contact).count() == 0


def test_unknown_organisation_is_422(api):
    body = {"full_name": "A", "email": "a@example.org", "organisation_id": 999999}
    resp = api("organiser").post(URL, json=body)
    assert resp.status_code == 422 and "organisation_id" in resp.json["error"]["fields"]


def test_malformed_json(api):
    resp = api("organiser").post(URL, data=b"\xff\xfe{", content_type="application/json")
    assert resp.status_code == 400
    resp = api("organiser").post(URL, data="[1,", content_type="application/json")
    assert resp.status_code == 400 and resp.json["error"]["code"] == "malformed_json"


def test_duplicate_email_is_409_case_insensitively(api, create_contact):
    existing = create_contact(email="mehmet@sisli.bel.tr")
    client = api("organiser")
    resp = client.post(URL, json={"full_name": "Mehmet", "email": "MEHMET@Sisli.bel.tr"})
    assert resp.status_code == 409
    assert "email" in resp.json["error"]["fields"]
    other = create_contact(email="other@example.org")
    resp = client.patch(f"{URL}/{other.id}", json={"email": "Mehmet@sisli.bel.tr"})
    assert resp.status_code == 409 and "email" in resp.json["error"]["fields"]
    # the same address on the same contact is no clash
    resp = client.patch(f"{URL}/{existing.id}", json={"email": "MEHMET@sisli.bel.tr"})
    assert resp.status_code == 200


def test_patch_changes_only_given_fields(api, create_contact, create_organisation):
    contact = create_contact(full_name="Ali Veli", position="Uzman", phone="0212 000 00 00")
    new_org = create_organisation(name="Mezitli Belediyesi")
    client = api("admin")
    resp = client.patch(
        f"{URL}/{contact.id}", json={"organisation_id": new_org.id, "language": "en"}
    )
    assert resp.status_code == 200, resp.json
    assert resp.json["organisation_name"] == "Mezitli Belediyesi"
    assert resp.json["language"] == "en"
    assert resp.json["position"] == "Uzman" and resp.json["phone"] == "0212 000 00 00"
    resp = client.patch(f"{URL}/{contact.id}", json={"position": None})
    assert resp.json["position"] is None
    entries = db.session.query(AuditLog).filter_by(object_type="contact", object_id=contact.id)
    assert [e.data["fields"] for e in entries.order_by(AuditLog.id)] == [
        ["language", "organisation_id"],
        ["position"],
    ]


def test_changing_the_email_clears_a_bounce(api, create_contact):
    contact = create_contact(email="old@example.org")
    contact.email_bounced_at = utcnow()
    contact.email_bounce_reason = "550 no such user"
    db.session.commit()
    client = api("organiser")
    assert client.get(f"{URL}/{contact.id}").json["email_bounced"] is True
    resp = client.patch(f"{URL}/{contact.id}", json={"email": "new@example.org"})
    assert resp.json["email_bounced"] is False and resp.json["email_bounce_reason"] is None


def test_patch_bad_input_and_unknown_ids(api, create_contact):
    contact = create_contact()
    client = api("organiser")
    for field in ("full_name", "email", "role_category", "gender", "language"):
        resp = client.patch(f"{URL}/{contact.id}", json={field: None})
        assert resp.status_code == 422 and field in resp.json["error"]["fields"], field
    resp = client.patch(f"{URL}/{contact.id}", json={"organisation_id": 424242})
    assert resp.status_code == 422 and "organisation_id" in resp.json["error"]["fields"]
    resp = client.patch(f"{URL}/{contact.id}", json={"gender": "robot"})
    assert resp.status_code == 422 and "gender" in resp.json["error"]["fields"]
    assert client.patch(f"{URL}/999999", json={"full_name": "X"}).status_code == 404
    assert client.get(f"{URL}/999999").status_code == 404


def test_coordinators_and_staff_cannot_see_contacts(api, create_contact):
    contact = create_contact()
    for role in ("coordinator", "staff"):
        assert api(role).get(URL).status_code == 403
        assert api(role).get(f"{URL}/{contact.id}").status_code == 403


@pytest.fixture
def directory(create_organisation, create_contact):
    """Two unions, their members, and contacts of every kind."""
    mbb = create_organisation(name="Marmara Belediyeler Birliği", code="MBB", kind="union")
    cbb = create_organisation(name="Çukurova Belediyeler Birliği", code="CBB", kind="union")
    sisli = create_organisation(name="Şişli Belediyesi", province="İstanbul", unions=[mbb])
    saricam = create_organisation(name="Sarıçam Belediyesi", province="Adana", unions=[cbb])
    ngo = create_organisation(name="Mülteci Derneği", kind="ngo", province="Adana")
    salar = create_organisation(name="SALAR", kind="international", country="SE")
    people = {
        "mbb_staff": create_contact(full_name="Deniz Marmara", organisation=mbb),
        "sisli_mayor": create_contact(
            full_name="Şükrü Şişli",
            organisation=sisli,
            role_category="elected_official",
            gender="male",
        ),
        "saricam_staff": create_contact(
            full_name="İpek Işık",
            organisation=saricam,
            language="ar",
            gender="female",
        ),
        "ngo": create_contact(
            full_name="Omar Halabi",
            organisation=ngo,
            role_category="refugee_community",
            language="ar",
            email="omar@multeci.org",
        ),
        "salar": create_contact(
            full_name="Anna Lind",
            organisation=salar,
            role_category="international_partner",
            language="sv",
        ),
    }
    return people


def test_list_filters(api, directory):
    client = api("organiser")

    def names(**params):
        resp = client.get(URL, query_string=params)
        assert resp.status_code == 200, resp.json
        return sorted(c["full_name"] for c in resp.json["items"])

    assert names(union="MBB") == ["Deniz Marmara", "Şükrü Şişli"]
    assert names(union="cbb") == ["İpek Işık"]
    assert names(province="ADANA") == ["Omar Halabi", "İpek Işık"]
    assert names(province="istanbul") == ["Şükrü Şişli"]
    assert names(kind="ngo") == ["Omar Halabi"]
    assert names(kind="international") == ["Anna Lind"]
    assert names(role_category="elected_official") == ["Şükrü Şişli"]
    assert names(language="ar") == ["Omar Halabi", "İpek Işık"]
    assert names(language="ar", province="Adana", kind="municipality") == ["İpek Işık"]
    assert names(gender="female") == ["İpek Işık"]
    assert names(organisation_id=directory["salar"].organisation_id) == ["Anna Lind"]
    assert names(q="OMAR@multeci") == ["Omar Halabi"]
    assert names(q="sukru") == ["Şükrü Şişli"]
    assert names(q="ipek isik") == ["İpek Işık"]
    assert names(q="IŞIK") == ["İpek Işık"]
    assert names(union="MBB", q="deniz") == ["Deniz Marmara"]
    assert names(q="_") == []


def test_erased_contacts_are_not_listed(api, directory):
    directory["ngo"].erased_at = utcnow()
    db.session.commit()
    items = api("organiser").get(URL, query_string={"language": "ar"}).json["items"]
    assert [c["full_name"] for c in items] == ["İpek Işık"]


BAD_QUERIES = [
    {"language": "de"},
    {"kind": "town"},
    {"role_category": "x"},
    {"gender": "x"},
    {"organisation_id": "abc"},
    {"per_page": "1000"},
    {"q": "x" * 101},
    {"colour": "red"},
]


def test_list_rejects_bad_query(api, subtests):
    client = api("organiser")
    for params in BAD_QUERIES:
        with subtests.test(params=params):
            resp = client.get(URL, query_string=params)
            assert resp.status_code == 422
            assert set(params) & set(resp.json["error"]["fields"]), resp.json


def test_empty_filter_values_are_ignored(api, directory):
    resp = api("organiser").get(URL, query_string={"language": "", "union": "", "q": " "})
    assert resp.status_code == 200 and resp.json["total"] == 5


def test_pagination(api, create_contact, create_organisation):
    org = create_organisation()
    for n in range(5):
        create_contact(full_name=f"Kişi {n}", organisation=org)
    client = api("organiser")
    page = client.get(URL, query_string={"per_page": 2, "page": 2}).json
    assert page["total"] == 5
    assert [c["full_name"] for c in page["items"]] == ["Kişi 2", "Kişi 3"]
