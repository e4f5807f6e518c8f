"""CSV and XLSX downloads: Turkish letters intact, numbers as numbers, no formula injection."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook


def test_csv_is_utf8_with_bom_and_neutralises_formulas(api, world):
    resp = api("coordinator").get(
        "/api/v1/reports/attendance", query_string={"group_by": "organisation", "format": "csv"}
    )
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert "attendance-organisation.csv" in resp.headers["Content-Disposition"]
    raw = resp.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Organisation", "Invited", "Accepted"]
    assert len(rows[0]) == 12  # the label and the contract's eleven counts
    labels = [row[0] for row in rows[1:]]
    assert labels == [
        "Gaziantep Büyükşehir Belediyesi",
        "'=Göç Derneği",
        "Malmö stad",
        "Şişli Belediyesi",
        "Türkiye Belediyeler Birliği",
        "Total (distinct invitations)",
    ]
    assert rows[4][1:] == ["3", "3", "0", "0", "0", "2", "0", "1", "1", "1", "3"]
    assert rows[-1][1] == "13"


def test_xlsx_has_types_widths_header_and_frozen_panes(api, world):
    resp = api("organiser").get(
        "/api/v1/reports/attendance",
        query_string={"group_by": "organisation", "format": "xlsx", "from": "2024-01-01"},
    )
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attendance-organisation-2024-01-01.xlsx" in resp.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(resp.data))
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "B2"
    assert [c.value for c in sheet[1]][:3] == ["Organisation", "Invited", "Accepted"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet["A2"].value == "Gaziantep Büyükşehir Belediyesi"
    # a name starting with "=" is text, never a formula
    assert sheet["A3"].value == "=Göç Derneği"
    assert sheet["A3"].data_type == "s"
    assert sheet["A3"].quotePrefix
    assert sheet["B2"].value == 5 and isinstance(sheet["B2"].value, int)
    assert sheet["B2"].data_type == "n"
    assert sheet["A7"].value == "Total (distinct invitations)" and sheet["B7"].value == 13
    assert sheet.column_dimensions["A"].width >= len("Gaziantep Büyükşehir Belediyesi")
    assert sheet.column_dimensions["B"].width >= 10
    about = book.worksheets[1]
    notes = " ".join(str(c.value) for c in about["B"])
    assert "two unions" in notes and "from" in " ".join(str(c.value) for c in about["A"])


def test_exports_in_turkish(api, world, app):
    from reslog_events.extensions import db

    # ?lang= picks the language of headings and labels, as on every page; the names stay
    # exactly as typed
    resp = api("coordinator").get(
        "/api/v1/reports/attendance",
        query_string={"group_by": "province", "format": "csv", "lang": "tr"},
    )
    assert resp.status_code == 200
    text = resp.data.decode("utf-8-sig")
    for name in ("İstanbul", "Gaziantep", "Skåne", "İzmir"):
        assert name in text
    bad = api("coordinator").get("/api/v1/reports/attendance", query_string={"lang": "xx"})
    assert bad.status_code == 422 and "lang" in bad.json["error"]["fields"]
    db.session.rollback()


def test_neutralise():
    from reslog_events.core.spreadsheets import neutralise

    assert neutralise("=1+2") == "'=1+2"
    assert neutralise("+90 212") == "'+90 212"
    assert neutralise("-x") == "'-x"
    assert neutralise("@SUM") == "'@SUM"
    assert neutralise("Şişli") == "Şişli"


def test_pages_offer_the_semicolon_csv_the_api_stays_comma(api, world, client, auth):
    organiser = api("organiser")
    plain = organiser.get("/api/v1/reports/attendance", query_string={"format": "csv"}).data
    assert plain.decode("utf-8-sig").startswith('"Organisation","Invited"')
    excel = organiser.get(
        "/api/v1/reports/attendance", query_string={"format": "csv", "sep": ";"}
    ).data
    assert excel.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(excel.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Organisation", "Invited"] and "'=Göç Derneği" in [r[0] for r in rows]
    bad = organiser.get("/api/v1/reports/attendance", query_string={"format": "csv", "sep": "|"})
    assert bad.status_code == 422
    auth.login("coordinator")
    html = client.get("/reports?lang=tr").get_data(as_text=True)
    assert "sep=%3B" in html or "sep=;" in html
