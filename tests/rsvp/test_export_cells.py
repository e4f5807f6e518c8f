"""The answers export as an organiser meets it in Excel: the time of each answer is a date cell
(sortable, filterable) in the event's time zone, the CSV keeps it as text, and the file is
named after the event (its title with Turkish letters, its date), not its id."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from urllib.parse import unquote

from openpyxl import load_workbook


def _answered_at(create_event, create_contact, create_invitation):
    from reslog_events.extensions import db

    event = create_event(
        title="Hatay Çalıştayı: İklim/Göç",
        starts_at=datetime(2031, 3, 4, 7, 0, tzinfo=UTC),
        timezone="Europe/Istanbul",
    )
    new = create_invitation(event=event, contact=create_contact(full_name="Ayşe Çelik"))
    new.invitation.responded_at = datetime(2031, 2, 1, 21, 30, tzinfo=UTC)  # 00:30 in Istanbul
    db.session.commit()
    return event


def test_xlsx_answered_at_is_a_date_cell_in_the_events_zone(
    client, auth, create_event, create_contact, create_invitation
):
    event = _answered_at(create_event, create_contact, create_invitation)
    auth.login("organiser")
    resp = client.get(f"/events/{event.id}/answers.xlsx?lang=tr")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    column = [cell.value for cell in sheet[1]].index("Yanıt zamanı")
    cell = sheet.cell(row=2, column=column + 1)
    assert cell.is_date and cell.value == datetime(2031, 2, 2, 0, 30)
    assert "yy" in cell.number_format and "mm" in cell.number_format


def test_csv_answered_at_stays_text(client, auth, create_event, create_contact, create_invitation):
    event = _answered_at(create_event, create_contact, create_invitation)
    auth.login("organiser")
    resp = client.get(f"/events/{event.id}/answers.csv?lang=tr")
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    column = rows[0].index("Yanıt zamanı")
    assert rows[1][column] == "2 Şub 2031 00:30"


def test_download_is_named_after_the_event(
    client, auth, create_event, create_contact, create_invitation
):
    event = _answered_at(create_event, create_contact, create_invitation)
    auth.login("organiser")
    for kind in ("csv", "xlsx"):
        header = client.get(f"/events/{event.id}/answers.{kind}?lang=tr").headers[
            "Content-Disposition"
        ]
        fallback = header.split('filename="')[1].split('"')[0]
        assert fallback == f"Hatay Calistayi - Iklim - Goc 2031-03-04 Yanitlar.{kind}"
        real = unquote(header.split("filename*=UTF-8''")[1])
        assert real == f"Hatay Çalıştayı - İklim - Göç 2031-03-04 Yanıtlar.{kind}"
        assert header.startswith("attachment; ")


def test_file_name_drops_what_file_systems_refuse():
    from reslog_events.core.downloads import file_name

    assert file_name('a\\b:c*?"<>|d\x01', "x", ext="csv") == "a - b - c - d x.csv"
    assert file_name("", ext="csv") == "download.csv"
    assert len(file_name("ş" * 500, ext="xlsx")) == 120 + len(".xlsx")
