"""POST /api/v1/contacts/import: CSV as Turkish offices produce it (Windows-1254, `;`, Turkish
headers), UTF-8 with BOM, XLSX; all or nothing unless ?partial=1; existing contacts updated;
every bad file a 4xx, never a 500."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.directory.imports import MAX_ROWS
from reslog_events.directory.models import Contact, Gender, Language, RoleCategory
from reslog_events.extensions import db
from tests.directory.conftest import csv_bytes, xlsx_bytes

URL = "/api/v1/contacts/import"

TURKISH_HEADER = ["Adı Soyadı", "E-posta", "Kurum", "Görev", "Rol", "Cinsiyet", "Dil", "Telefon"]


def upload(client, data: bytes, filename: str = "kisiler.csv", **params):
    return client.post(
        URL,
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
        query_string=params,
    )


def contacts() -> dict[str, Contact]:
    return {c.email: c for c in db.session.scalars(sa.select(Contact))}


def test_windows_1254_semicolon_csv_with_turkish_headers(api, municipalities):
    data = csv_bytes(
        [
            TURKISH_HEADER,
            [
                "Şükrü Çağlar",
                "SUKRU@sisli.bel.tr",
                "Şişli Belediyesi",
                "Başkan Yardımcısı",
                "Seçilmiş",
                "Erkek",
                "Türkçe",
                "0212 373 50 00",
            ],
            [
                "İpek Işıl Güneş",
                "ipek@saricam.bel.tr",
                "saricam",
                "Göç Uzmanı",
                "belediye personeli",
                "Kadın",
                "Arapça",
                "",
            ],
            ["Ömer Öztürk", "omer@reyhanli.bel.tr", "REYHANLI BELEDİYESİ", "", "", "", "", ""],
        ]
    )
    assert data.decode("cp1254")  # really Windows-1254 bytes
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    resp = upload(api("organiser"), data)
    assert resp.status_code == 200, resp.json
    assert resp.json == {"created": 3, "updated": 0, "unchanged": 0, "errors": []}
    found = contacts()
    sukru = found["sukru@sisli.bel.tr"]
    assert sukru.full_name == "Şükrü Çağlar"
    assert sukru.organisation.name == "Şişli Belediyesi"
    assert sukru.position == "Başkan Yardımcısı"
    assert sukru.role_category == RoleCategory.elected_official
    assert (sukru.gender, sukru.language) == (Gender.male, Language.tr)
    ipek = found["ipek@saricam.bel.tr"]
    assert ipek.full_name == "İpek Işıl Güneş"
    assert ipek.organisation.name == "Sarıçam Belediyesi"  # by code, any case
    assert (ipek.gender, ipek.language) == (Gender.female, Language.ar)
    assert ipek.role_category == RoleCategory.municipal_staff
    omer = found["omer@reyhanli.bel.tr"]
    assert omer.organisation.name == "Reyhanlı Belediyesi"  # by name, Turkish upper case
    assert (omer.gender, omer.language) == (Gender.undisclosed, Language.tr)
    audit = db.session.scalars(sa.select(AuditLog).where(AuditLog.object_type == "contact"))
    assert sorted(a.action for a in audit) == ["contact.create"] * 3


def test_utf8_bom_comma_csv_with_contract_headers(api, municipalities):
    header = [
        "full_name",
        "email",
        "organisation",
        "position",
        "role_category",
        "gender",
        "language",
        "phone",
    ]
    data = b"\xef\xbb\xbf" + csv_bytes(
        [
            header,
            [
                "Zeynep Şahin",
                "zeynep@example.org",
                "MBB",
                "Koordinatör",
                "municipal_staff",
                "female",
                "en",
                "+90 212 000 00 00",
            ],
        ],
        delimiter=",",
        encoding="utf-8",
    )
    resp = upload(api("organiser"), data, "contacts.csv")
    assert resp.status_code == 200, resp.json
    assert resp.json["created"] == 1
    zeynep = contacts()["zeynep@example.org"]
    assert zeynep.full_name == "Zeynep Şahin"  # the BOM is not part of the first header
    assert zeynep.organisation.code == "MBB" and zeynep.language == Language.en


def test_tab_delimited_utf16_from_excel_unicode_text(api, municipalities):
    data = csv_bytes(
        [["Ad Soyad", "E-posta", "Kurum"], ["Çiğdem Ilgaz", "cigdem@example.org", "CBB"]],
        delimiter="\t",
        encoding="utf-16",
    )
    resp = upload(api("organiser"), data, "kisiler.txt")
    assert resp.status_code == 200, resp.json
    assert contacts()["cigdem@example.org"].full_name == "Çiğdem Ilgaz"


def test_xlsx_with_title_row_and_numbers(api, municipalities):
    data = xlsx_bytes(
        [
            ["Sıra", "Adı", "Soyadı", "E-Posta Adresi", "Kurumu", "Cinsiyeti", "Telefon"],
            [1, "Hatice", "Doğan", "hatice@example.org", "Şişli", "K", 5321234567],
            [2, "Ali", "Işık", "ali@example.org", "sisli belediyesi", "E", None],
        ],
        title_rows=1,
    )
    resp = upload(api("organiser"), data, "katilimcilar.xlsx")
    assert resp.status_code == 200, resp.json
    assert resp.json["created"] == 2
    hatice = contacts()["hatice@example.org"]
    assert hatice.full_name == "Hatice Doğan"
    assert hatice.phone == "5321234567"
    assert hatice.gender == Gender.female
    assert hatice.organisation.name == "Şişli Belediyesi"


def test_all_or_nothing_reports_rows_as_the_user_sees_them(api, municipalities):
    data = csv_bytes(
        [
            TURKISH_HEADER,
            ["Doğru Kişi", "dogru@example.org", "MBB", "", "", "", "", ""],
            ["", "isimsiz@example.org", "MBB", "", "", "", "", ""],
            ["Yanlış Posta", "yanlis-posta", "MBB", "", "", "", "", ""],
            ["Bilinmeyen Kurum", "kurum@example.org", "Ankara Valiliği", "", "", "", "", ""],
            ["Garip Değer", "garip@example.org", "", "", "astronot", "robot", "Almanca", ""],
            ["Tekrar", "DOGRU@example.org", "", "", "", "", "", ""],
        ]
    )
    resp = upload(api("organiser"), data)
    assert resp.status_code == 422
    body = resp.json
    assert body["created"] == 0 and body["updated"] == 0
    got = {(e["row"], e["field"]) for e in body["errors"]}
    assert got == {
        (3, "full_name"),
        (4, "email"),
        (5, "organisation"),
        (6, "role_category"),
        (6, "gender"),
        (6, "language"),
        (7, "email"),
    }
    assert "2" in next(e["message"] for e in body["errors"] if e["row"] == 7)
    assert body["error"]["code"] == "import_invalid"
    assert db.session.query(Contact).count() == 0


def test_partial_imports_the_valid_rows(api, municipalities):
    data = csv_bytes(
        [
            TURKISH_HEADER,
            ["Doğru Kişi", "dogru@example.org", "MBB", "", "", "", "", ""],
            ["Yanlış Posta", "yanlis-posta", "MBB", "", "", "", "", ""],
        ]
    )
    resp = upload(api("organiser"), data, partial="1")
    assert resp.status_code == 200
    assert resp.json["created"] == 1
    assert resp.json["errors"] == [
        {"row": 3, "field": "email", "message": resp.json["errors"][0]["message"]}
    ]
    assert list(contacts()) == ["dogru@example.org"]


def test_existing_contacts_are_updated_by_email(api, municipalities, create_contact):
    old = create_contact(
        full_name="Mehmet Eski",
        email="mehmet@sisli.bel.tr",
        position="Uzman",
        phone="0212 111 11 11",
        organisation=municipalities["sisli"],
    )
    same = create_contact(full_name="Aynı Kalan", email="ayni@example.org", language="en")
    data = csv_bytes(
        [
            ["ad soyad", "EPOSTA", "görev", "dil", "telefon"],
            ["Mehmet Yeni", "Mehmet@Sisli.bel.tr", "Müdür", "İngilizce", ""],
            ["Aynı Kalan", "ayni@example.org", "", "english", ""],
            ["Yeni Biri", "yeni@example.org", "", "", ""],
        ]
    )
    resp = upload(api("organiser"), data)
    assert resp.status_code == 200, resp.json
    assert resp.json == {"created": 1, "updated": 1, "unchanged": 1, "errors": []}
    db.session.expire_all()
    assert old.full_name == "Mehmet Yeni" and old.position == "Müdür"
    assert old.language == Language.en
    assert old.phone == "0212 111 11 11"  # an empty cell keeps the value
    assert old.organisation_id == municipalities["sisli"].id  # no column: untouched
    assert same.full_name == "Aynı Kalan"
    update = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "contact.update")
    ).one()
    assert update.object_id == old.id and update.data["source"] == "import"
    # a second run changes nothing
    again = upload(api("organiser"), data)
    assert again.json == {"created": 0, "updated": 0, "unchanged": 3, "errors": []}


BAD_FILES = [
    (b"", "empty.csv", "file", "empty"),
    (b"\xef\xbb\xbf\r\n\r\n", "bom.csv", "file", "empty"),
    (b"\x00\x01\x02\x03garbage\x00\xff" * 50, "x.csv", "file", "not a readable"),
    (bytes(range(256)) * 20, "random.bin", "file", "not a readable"),
    (b"PK\x03\x04not really a zip", "book.xlsx", "file", "XLSX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "file", ".xls"),
    ("Ad Soyad;Kurum\r\nAli;MBB\r\n".encode("cp1254"), "x.csv", "email", "missing"),
    ("İsim;E-posta\r\n".encode("cp1254"), "x.csv", "file", "no contacts"),
    (b"\x81\x8d\x8e\x8f\x90\x9d\x9e" * 10, "x.csv", "file", "characters"),
]


def test_bad_files_are_clear_errors(api, subtests):
    client = api("organiser")
    for data, filename, field, words in BAD_FILES:
        with subtests.test(filename=filename, words=words):
            resp = upload(client, data, filename)
            assert resp.status_code == 422, resp.get_data(as_text=True)
            errors = resp.json["errors"]
            assert errors and errors[0]["field"] == field, errors
            assert words.lower() in errors[0]["message"].lower(), errors
            assert resp.json["error"]["fields"]
            # partial does not rescue an unreadable file
            assert upload(client, data, filename, partial="1").status_code == 422
    assert db.session.query(Contact).count() == 0


def test_missing_columns_name_each_and_the_header_row(api):
    resp = upload(api("organiser"), csv_bytes([["Kurum", "Görev"], ["MBB", "Uzman"]]))
    assert resp.status_code == 422
    assert {(e["row"], e["field"]) for e in resp.json["errors"]} == {
        (1, "full_name"),
        (1, "email"),
    }


def test_too_many_rows(api):
    rows = [["full_name", "email"]] + [[f"K{n}", f"k{n}@example.org"] for n in range(MAX_ROWS + 1)]
    resp = upload(api("organiser"), csv_bytes(rows, delimiter=","))
    assert resp.status_code == 422
    assert str(MAX_ROWS) in resp.json["errors"][0]["message"].replace(",", "")
    assert db.session.query(Contact).count() == 0


def test_too_large_file(api, monkeypatch):
    from reslog_events.directory import api as directory_api

    monkeypatch.setattr(directory_api, "MAX_BYTES", 1000)
    resp = upload(api("organiser"), b"full_name,email\n" + b"a,b@example.org\n" * 100)
    assert resp.status_code == 413 and "file" in resp.json["error"]["fields"]


def test_request_shape_errors(api):
    client = api("organiser")
    resp = client.post(URL, json={"file": "x"})
    assert resp.status_code == 415
    resp = client.post(URL, data={"other": "x"}, content_type="multipart/form-data")
    assert resp.status_code == 422 and "file" in resp.json["error"]["fields"]
    resp = upload(client, b"full_name,email\n", partial="maybe")
    assert resp.status_code == 422 and "partial" in resp.json["error"]["fields"]
    assert api("coordinator").post(URL, json={}).status_code == 403


def test_quoted_cells_and_excel_sep_line(api, municipalities):
    data = (
        'sep=;\r\n"Ad Soyad";"E-posta";"Görev"\r\n'
        '"Kaya; Ahmet";"ahmet@example.org";"Uzman ""kıdemli"""\r\n'
    ).encode("cp1254")
    resp = upload(api("organiser"), data)
    assert resp.status_code == 200, resp.json
    ahmet = contacts()["ahmet@example.org"]
    assert ahmet.full_name == "Kaya; Ahmet" and ahmet.position == 'Uzman "kıdemli"'
