"""Uploading files: the type judged by the content, the size limit (the API's 413 JSON, the
page's translated 413), Turkish names kept for display and download, random storage keys, the
download's headers, and the stored bytes following their rows (deletion, rollback, the event's
deletion) on both backends."""

from __future__ import annotations

import io
from html import unescape
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.documents.models import EventDocument
from reslog_events.extensions import db
from tests.documents.conftest import JPEG, PDF, PNG, WEBP, office, upload
from tests.support.forms import csrf_token


@pytest.fixture
def event(create_event):
    return create_event(title="Şişli Göç Forumu")


def test_turkish_name_round_trip_and_random_key(api, event, storage):
    client = api("organiser")
    answer = upload(client, event.id, "Şişli_tutanak.pdf", PDF)
    assert answer.status_code == 201, answer.json
    assert answer.json["title"] == "Şişli_tutanak.pdf"
    assert answer.json["content_type"] == "application/pdf"
    assert answer.json["size_bytes"] == len(PDF)
    document = db.session.get(EventDocument, answer.json["id"])
    assert "tutanak" not in document.storage_key and "Şişli" not in document.storage_key
    assert storage.exists(document.storage_key)
    # the organisers' download: the name back, as RFC 5987 says, and the same bytes
    auth_client = client.client
    download = auth_client.get(
        f"/events/{event.id}/documents/{document.id}", headers=client.headers
    )
    assert download.status_code == 302  # the page wants a logged-in session, not a token
    (entry,) = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "document.upload"))
    assert entry.object_id == document.id and "Şişli" not in str(entry.data)


def test_download_headers(app, client, auth, event, storage, api):
    doc_id = upload(api("organiser"), event.id, "Sarıçam Çalıştayı — sunum.pdf", PDF).json["id"]
    photo_id = upload(api("organiser"), event.id, "Reyhanlı.jpg", JPEG).json["id"]
    auth.login("organiser")
    pdf = client.get(f"/events/{event.id}/documents/{doc_id}")
    assert pdf.status_code == 200 and pdf.data == PDF
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    disposition = pdf.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Saricam Calistayi')
    assert f"filename*=UTF-8''{quote('Sarıçam Çalıştayı — sunum.pdf', safe='')}" in disposition
    assert "sandbox" in pdf.headers["Content-Security-Policy"]
    photo = client.get(f"/events/{event.id}/documents/{photo_id}")
    assert photo.headers["Content-Type"] == "image/jpeg"
    assert photo.headers["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("gündem.pdf", PDF, "application/pdf"),
        ("foto.PNG", PNG, "image/png"),
        ("foto.jpeg", JPEG, "image/jpeg"),
        ("foto.webp", WEBP, "image/webp"),
        ("rapor.docx", office("docx"), "wordprocessingml.document"),
        ("bütçe.xlsx", office("xlsx"), "spreadsheetml.sheet"),
        ("sunum.pptx", office("pptx"), "presentationml.presentation"),
        ("tutanak.odt", office("odt"), "opendocument.text"),
    ],
)
def test_allowed_types(api, event, name, data, content_type):
    answer = upload(api("organiser"), event.id, name, data)
    assert answer.status_code == 201, answer.json
    assert answer.json["content_type"].endswith(content_type)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 40),
        ("tutanak.pdf", b"<html><script>alert(1)</script></html>"),  # not what its name says
        ("foto.png", JPEG),
        ("rapor.docx", office("xlsx")),
        ("rapor.docx", office("docx", macros=True)),
        ("rapor.docx", b"PK\x03\x04 not really a zip"),
        ("notlar.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
        ("adsız", PDF),
    ],
)
def test_wrong_types_are_422_and_store_nothing(api, event, storage, name, data):
    answer = upload(api("organiser"), event.id, name, data)
    assert answer.status_code == 422, answer.json
    assert answer.json["error"]["code"] == "unsupported_type"
    assert "file" in answer.json["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventDocument)) == 0


def test_empty_file_and_missing_file(api, event):
    assert upload(api("organiser"), event.id, "boş.pdf", b"").status_code == 422
    answer = api("organiser").post(
        f"/api/v1/events/{event.id}/documents",
        data={"visibility": "invitees"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422 and "file" in answer.json["error"]["fields"]
    answer = upload(api("organiser"), event.id, "a.pdf", PDF, visibility="everyone")
    assert answer.status_code == 422 and "visibility" in answer.json["error"]["fields"]


def test_too_large_in_the_api(app, api, event, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENTS_MAX_MB", 1)
    big = PDF + b"0" * (1024 * 1024)
    answer = upload(api("organiser"), event.id, "büyük.pdf", big)
    assert answer.status_code == 413
    assert answer.json["error"]["code"] == "too_large" and "file" in answer.json["error"]["fields"]
    # past the request limit itself: refused while the body is read, still JSON
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 512 * 1024)
    answer = upload(api("organiser"), event.id, "büyük.pdf", big)
    assert answer.status_code == 413
    assert answer.json["error"]["code"] == "request_entity_too_large"


def _page_upload(client, event, name, data, lang="tr"):
    token = csrf_token(client, f"/events/{event.id}/documents?lang={lang}")
    return client.post(
        f"/events/{event.id}/documents?lang={lang}",
        data={"csrf_token": token, "visibility": "invitees", "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_page_upload_and_its_refusals_in_turkish(app, client, auth, event, monkeypatch):
    auth.login("organiser")
    ok = _page_upload(client, event, "Şişli_tutanak.pdf", PDF)
    assert ok.status_code == 303
    listing = unescape(client.get(ok.headers["Location"] + "?lang=tr").get_data(as_text=True))
    assert "Şişli_tutanak.pdf" in listing
    wrong = _page_upload(client, event, "tutanak.pdf", b"<html></html>")
    assert wrong.status_code == 422
    assert "Bu tür bir dosya eklenemez" in unescape(wrong.get_data(as_text=True))
    monkeypatch.setitem(app.config, "DOCUMENTS_MAX_MB", 1)
    big = PDF + b"0" * (1024 * 1024)
    refused = _page_upload(client, event, "büyük.pdf", big)
    assert refused.status_code == 413
    assert "Dosya çok büyük (en fazla 1 MB)." in unescape(refused.get_data(as_text=True))
    # past MAX_CONTENT_LENGTH: the app's own 413 page, in the page's language
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 512 * 1024)
    refused = _page_upload(client, event, "büyük.pdf", big)
    page = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 413 and "Çok büyük" in page and '<html lang="tr"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventDocument)) == 1


def test_list_and_delete_through_the_api(api, event, storage):
    client = api("organiser")
    first = upload(client, event.id, "gündem.pdf", PDF).json
    upload(client, event.id, "foto.png", PNG, visibility="attendees")
    listed = client.get(f"/api/v1/events/{event.id}/documents").json
    assert listed["total"] == 2
    assert {d["title"]: d["visibility"] for d in listed["items"]} == {
        "gündem.pdf": "invitees",
        "foto.png": "attendees",
    }
    key = db.session.get(EventDocument, first["id"]).storage_key
    assert client.delete(f"/api/v1/events/{event.id}/documents/{first['id']}").status_code == 204
    assert not storage.exists(key)
    assert client.delete(f"/api/v1/events/{event.id}/documents/{first['id']}").status_code == 404
    other = client.get(f"/api/v1/events/{event.id}/documents").json
    assert [d["title"] for d in other["items"]] == ["foto.png"]


def test_a_document_of_another_event_is_not_found_through_this_one(api, event, create_event):
    other = create_event()
    doc = upload(api("organiser"), other.id, "a.pdf", PDF).json
    answer = api("organiser").delete(f"/api/v1/events/{event.id}/documents/{doc['id']}")
    assert answer.status_code == 404
    assert db.session.get(EventDocument, doc["id"]) is not None


def test_a_rolled_back_upload_leaves_no_file(app, event, storage, create_user):
    from reslog_events.documents import operations
    from reslog_events.documents.models import Visibility

    document = operations.add_file(
        event, io.BytesIO(PDF), "geri.pdf", Visibility.invitees, by=create_user("organiser")
    )
    key = document.storage_key
    assert storage.exists(key)
    db.session.rollback()
    assert not storage.exists(key)


def test_deleting_the_event_deletes_its_stored_files(api, event, storage, create_event):
    client = api("organiser")
    keys = [
        db.session.get(EventDocument, upload(client, event.id, n, PDF).json["id"]).storage_key
        for n in ("bir.pdf", "iki.pdf")
    ]
    kept = create_event()
    kept_key = db.session.get(
        EventDocument, upload(client, kept.id, "üç.pdf", PDF).json["id"]
    ).storage_key
    db.session.delete(db.session.get(type(event), event.id))
    db.session.flush()
    assert all(storage.exists(k) for k in keys)  # not before the commit: it could roll back
    db.session.commit()
    assert not any(storage.exists(k) for k in keys)
    assert storage.exists(kept_key)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventDocument)) == 1
