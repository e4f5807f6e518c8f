"""The results as CSV and XLSX: counts in a long table, Turkish and Arabic text intact, every
text cell safe to open in a spreadsheet (no formula), hidden cells empty for coordinators, the
free comments only for organisers and only as a list."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from reslog_events.feedback.operations import send_due_surveys, submit_answers
from reslog_events.feedback.queries import survey_of
from tests.feedback.test_results import ANSWERS, answer_all

FORMULA = '=HYPERLINK("http://evil.example","Şişli")'


def _rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def _with_formulas(api, ended, participant):
    questions = [
        {
            "kind": "scale",
            "key": "usefulness",
            "texts": {"tr": "+Ne kadar yararlı?", "ar": "مفيد؟"},
        },
        {
            "kind": "choice",
            "texts": {"tr": "Hangisi?"},
            "options": [{"texts": {"tr": "-Sarıçam"}}, {"texts": {"tr": "@Reyhanlı"}}],
        },
        {"kind": "text", "key": "comment", "texts": {"tr": "Yorum"}},
    ]
    resp = api("organiser").open(
        "PUT", f"/api/v1/events/{ended.id}/feedback", json={"questions": questions}
    )
    assert resp.status_code == 200, resp.json
    person = participant(gender="female")
    send_due_surveys()
    q = survey_of(ended.id).questions
    from reslog_events.extensions import db
    from reslog_events.feedback.models import FeedbackRequest

    row = db.session.query(FeedbackRequest).filter_by(invitation_id=person.invitation.id).one()
    submit_answers(
        row, {q[0].id: {"scale": 4}, q[1].id: {"choice": "o1"}, q[2].id: {"text": FORMULA}}
    )
    db.session.commit()


def test_csv_is_neutralised_and_keeps_turkish(api, ended, participant):
    _with_formulas(api, ended, participant)
    resp = api("organiser").get(f"/api/v1/events/{ended.id}/feedback/results?format=csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    rows = _rows(resp.data)
    assert rows[0] == ["Question", "Breakdown", "Group", "Answer", "Count"]
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), cells
    assert ["'+Ne kadar yararlı?", "All", "Everyone", "4", "1"] in rows
    assert ["Hangisi?", "All", "Everyone", "'-Sarıçam", "1"] in rows
    assert ["Hangisi?", "Gender", "Female", "'@Reyhanlı", "0"] in rows
    assert ["Yorum", "Comment", "", "'" + FORMULA, ""] in rows
    semicolons = api("organiser").get(
        f"/api/v1/events/{ended.id}/feedback/results?format=csv&sep=;"
    )
    assert _rows(semicolons.data, ";")[0][0] == "Question"


def test_xlsx_has_text_cells_and_the_comments_apart(api, ended, participant):
    _with_formulas(api, ended, participant)
    resp = api("organiser").get(f"/api/v1/events/{ended.id}/feedback/results?format=xlsx")
    book = load_workbook(io.BytesIO(resp.data))
    assert book.sheetnames == ["Results", "Comments", "About"]
    results = book["Results"]
    first = [c.value for c in results[2]]
    assert first == ["+Ne kadar yararlı?", "All", "Everyone", "1", 0]
    assert results["A2"].data_type == "s"  # text, never a formula
    comments = [[c.value for c in row] for row in book["Comments"].iter_rows(min_row=2)]
    assert comments == [["Yorum", FORMULA]]
    assert book["Comments"]["B2"].data_type == "s"


def test_coordinators_export_hidden_cells_empty_and_no_comments(
    app, api, ended, survey, participant
):
    app.config["REPORT_MIN_CELL"] = 3
    answer_all(ended, participant, ANSWERS)
    rows = _rows(
        api("coordinator").get(f"/api/v1/events/{ended.id}/feedback/results?format=csv").data
    )
    usefulness = rows[1][0]
    assert [usefulness, "All", "Everyone", "2", ""] in rows  # hidden: empty
    assert [usefulness, "All", "Everyone", "5", "6"] in rows
    assert not any(row[1] == "Comment" for row in rows)
    book = load_workbook(
        io.BytesIO(
            api("coordinator").get(f"/api/v1/events/{ended.id}/feedback/results?format=xlsx").data
        )
    )
    assert book.sheetnames == ["Results", "About"]
    about = " ".join(str(c.value) for row in book["About"].iter_rows() for c in row)
    assert "Empty cells are hidden to protect people" in about
    report = load_workbook(
        io.BytesIO(api("coordinator").get("/api/v1/reports/feedback?format=xlsx").data)
    )
    assert report.sheetnames == ["Events", "Results", "About"]
    events = [[c.value for c in row] for row in report["Events"].iter_rows(min_row=2)]
    assert events == [["Sarıçam Dayanıklılık Çalıştayı", None, None]]


def test_the_pages_exports_in_turkish(client, auth, ended, survey, participant):
    answer_all(ended, participant, ANSWERS[:2])
    auth.login("organiser")
    resp = client.get(f"/events/{ended.id}/feedback.csv?lang=tr")
    rows = _rows(resp.data)
    assert rows[0][:3] == ["Soru", "Döküm", "Grup"]
    resp = client.get(f"/events/{ended.id}/feedback.xlsx")
    assert resp.status_code == 200 and resp.data[:2] == b"PK"
