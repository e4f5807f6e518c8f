"""Organisation codes with Turkish letters (ÇBB, ÇBB-2, İBB) work everywhere: created, used as a
union, filtered on, and found by the import by code or name in any case, with or without accents."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from reslog_events.directory.models import Contact, Organisation
from reslog_events.extensions import db
from tests.directory.conftest import csv_bytes, xlsx_bytes
from tests.directory.test_import_api import upload

URL = "/api/v1/organisations"


@pytest.fixture
def cbb(api):
    resp = api("organiser").post(
        URL, json={"name": "Çukurova Belediyeler Birliği", "kind": "union", "code": "ÇBB"}
    )
    assert resp.status_code == 201, resp.json
    return db.session.get(Organisation, resp.json["id"])


def test_codes_with_turkish_letters_are_valid(api, cbb):
    client = api("organiser")
    assert cbb.code == "ÇBB"
    resp = client.post(
        URL,
        json={
            "name": "Kozan Belediyesi",
            "kind": "municipality",
            "code": "çbb-2",
            "unions": ["çbb"],
        },
    )
    assert resp.status_code == 201, resp.json
    assert resp.json["code"] == "ÇBB-2" and resp.json["unions"] == ["ÇBB"]
    resp = client.post(URL, json={"name": "İstanbul BB", "kind": "municipality", "code": "İBB"})
    assert resp.status_code == 201 and resp.json["code"] == "İBB"
    # the union filter and the search take the code as people type it
    for union in ("ÇBB", "çbb", "cbb", "CBB"):
        items = client.get(URL, query_string={"union": union}).json["items"]
        assert [o["code"] for o in items] == ["ÇBB-2"], union
    for q in ("ÇBB", "cbb", "ibb"):
        assert client.get(URL, query_string={"q": q}).json["total"] >= 1, q


def test_a_code_that_folds_like_another_is_a_duplicate(api, cbb):
    resp = api("organiser").post(URL, json={"name": "Başka Birlik", "kind": "union", "code": "CBB"})
    assert resp.status_code == 409
    assert "code" in resp.json["error"]["fields"]
    # its own code, re-sent, is not a clash
    resp = api("organiser").patch(f"{URL}/{cbb.id}", json={"code": "ÇBB"})
    assert resp.status_code == 200


def test_codes_still_refuse_spaces_and_symbols(api):
    for code in ("ÇB B", "ÇBB!", "-ÇBB", "Ç" * 21):
        resp = api("organiser").post(URL, json={"name": "X", "kind": "ngo", "code": code})
        assert resp.status_code == 422 and "code" in resp.json["error"]["fields"], code


@pytest.mark.parametrize(
    "reference",
    ["ÇBB", "çbb", "cbb", "CBB", "Çukurova Belediyeler Birliği", "CUKUROVA BELEDIYELER BIRLIGI"],
)
def test_import_finds_the_organisation_by_code_or_name(api, cbb, reference):
    data = csv_bytes(
        [["Ad Soyad", "E-posta", "Kurum"], ["Tolga Şimşek", "tolga@cbb.org.tr", reference]],
        encoding="utf-8",
    )
    resp = upload(api("organiser"), data)
    assert resp.status_code == 200, resp.json
    assert resp.json["created"] == 1
    contact = db.session.scalar(sa.select(Contact).where(Contact.email == "tolga@cbb.org.tr"))
    assert contact.organisation_id == cbb.id


def test_import_xlsx_with_turkish_code(api, cbb):
    data = xlsx_bytes([["Adı Soyadı", "E-posta", "Kurum kodu"], ["Derya Güneş", "d@x.org", "çbb"]])
    resp = upload(api("organiser"), data, filename="liste.xlsx")
    assert resp.status_code == 200, resp.json
    assert db.session.scalar(sa.select(Contact.organisation_id)) == cbb.id


def test_report_union_filter_with_turkish_code(api, cbb):
    client = api("coordinator")
    for union in ("ÇBB", "cbb"):
        resp = client.get("/api/v1/reports/attendance", query_string={"union": union})
        assert resp.status_code == 200, resp.json
    resp = client.get("/api/v1/reports/attendance", query_string={"union": "XBB"})
    assert resp.status_code == 422
