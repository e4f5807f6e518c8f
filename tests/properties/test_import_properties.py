"""Properties of the contact import: any bytes give a plan or a clear error (never an
exception), any well-formed table in any supported encoding and delimiter reads back exactly,
and the limits hold for huge files."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reslog_events.directory.imports import MAX_BYTES, MAX_ROWS, plan_import, read_table
from reslog_events.directory.imports.reader import MAX_XLSX_INFLATED, ImportFileError

SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: text people type into a contact list: Turkish, Arabic and Swedish letters, punctuation that
#: means something to CSV, and the characters that start a spreadsheet formula
CELL_TEXT = (
    st.text(
        alphabet=st.sampled_from(
            list("abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZåäöÅÄÖ")
            + list("محمدعلي")
            + list(" ,;\t\"'=+-@()./")
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


@pytest.fixture
def request_ctx(app):
    """Messages are translated: plan_import runs inside a request, as in the views."""
    with app.test_request_context("/"):
        yield


NOT_IN_CP1254 = str.maketrans("محمدعلي", "mhmdAly")


def _csv(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_any_bytes_give_a_plan_never_an_exception(request_ctx, data):
    plan = plan_import(data, "upload.csv")
    assert plan.errors or plan.rows
    for error in plan.errors:
        assert isinstance(error.row, int) and error.field and error.message


@SETTINGS
@given(
    prefix=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xff\xfe"]),
    data=st.binary(max_size=2000),
)
def test_any_bytes_behind_a_signature_give_an_error_not_an_exception(request_ctx, prefix, data):
    try:
        read_table(prefix + data)
    except ImportFileError as exc:
        assert exc.message
    plan = plan_import(prefix + data)
    assert plan.errors or plan.rows


@SETTINGS
@given(
    people=st.lists(st.tuples(CELL_TEXT, st.integers(0, 10**6)), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1254"]),
    sep_line=st.booleans(),
)
def test_a_table_reads_back_exactly_in_any_encoding_and_delimiter(
    request_ctx, people, delimiter, encoding, sep_line
):
    if encoding == "cp1254":  # Windows-1254 has no Arabic
        people = [(name.translate(NOT_IN_CP1254), n) for name, n in people]
    rows = [["full_name", "email", "position"]]
    rows += [[name, f"p{n}-{i}@example.org", name] for i, (name, n) in enumerate(people)]
    text = _csv(rows, delimiter)
    if sep_line:
        text = f"sep={delimiter}\r\n" + text
    data = text.encode(encoding)
    plan = plan_import(data, "contacts.csv")
    assert plan.errors == []
    assert [r.action for r in plan.rows] == ["create"] * len(people)
    for row, (name, _n) in zip(plan.rows, people, strict=True):
        assert row.values["full_name"] == name
        assert row.values["position"] == name  # formula-looking text is kept as typed


@SETTINGS
@given(people=st.lists(CELL_TEXT, min_size=1, max_size=5))
def test_an_xlsx_reads_back_exactly(request_ctx, people):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Full name", "E-mail"])
    for i, name in enumerate(people):
        sheet.append([None, f"x{i}@example.org"])
        sheet.cell(row=sheet.max_row, column=1).value = name
        sheet.cell(row=sheet.max_row, column=1).data_type = "s"  # "=…" typed as text
    buffer = io.BytesIO()
    book.save(buffer)
    plan = plan_import(buffer.getvalue(), "contacts.xlsx")
    assert plan.errors == []
    assert [r.values["full_name"] for r in plan.rows] == people


def test_a_nul_past_the_first_kilobytes_is_refused_not_stored(request_ctx):
    text = "full_name,email\r\n" + "".join(f"A{i},a{i}@example.org\r\n" for i in range(600))
    plan = plan_import((text + "Bad\x00Name,bad@example.org\r\n").encode())
    assert plan.errors and plan.errors[0].field == "file" and plan.errors[0].row == 602
    assert plan.rows == []


def test_too_many_bytes(app, api):
    data = b"full_name,email\r\n" + b"x" * MAX_BYTES
    resp = api("organiser").post(
        "/api/v1/contacts/import", data={"file": (io.BytesIO(data), "big.csv")}
    )
    assert resp.status_code == 413 and resp.json["error"]["code"] == "too_large"


def test_too_many_rows(request_ctx):
    text = "full_name,email\n" + "".join(f"N{i},n{i}@example.org\n" for i in range(MAX_ROWS + 1))
    plan = plan_import(text.encode())
    assert plan.file_error
    assert str(MAX_ROWS) in plan.errors[0].message


def test_one_huge_cell(request_ctx):
    # csv's field limit is 128 KiB: a larger cell is an error of the file, not a crash
    plan = plan_import(b'full_name,email\n"' + b"a" * 200_000 + b'",a@example.org\n')
    assert plan.file_error


def test_a_zip_bomb_is_refused_before_inflating(request_ctx):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_XLSX_INFLATED + 1))
    assert len(buffer.getvalue()) < MAX_BYTES
    plan = plan_import(buffer.getvalue(), "bomb.xlsx")
    assert plan.file_error and "too large" in plan.errors[0].message


@pytest.mark.slow
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.binary(max_size=1500), partial=st.booleans())
def test_the_import_api_answers_any_upload_with_a_4xx_or_a_result(app, api, data, partial):
    from reslog_events.extensions import db

    resp = api("organiser").post(
        "/api/v1/contacts/import" + ("?partial=1" if partial else ""),
        data={"file": (io.BytesIO(data), "upload.csv")},
    )
    assert resp.status_code in (200, 422), resp.get_data(as_text=True)
    assert {"created", "updated", "errors"} <= set(resp.json)
    if resp.status_code == 422:
        assert resp.json["error"]["code"] == "import_invalid"
    db.session.rollback()
