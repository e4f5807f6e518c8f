"""The directory's pages: lists with filters, pagination and empty states; forms that show errors
next to the fields and keep what was typed; the import's upload → preview → confirm."""

from __future__ import annotations

import io
import re
from html import unescape

import sqlalchemy as sa

from reslog_events.directory.models import Contact, Organisation
from reslog_events.extensions import db
from tests.directory.conftest import csv_bytes
from tests.support.forms import csrf_token, post_form


def text(resp) -> str:
    return resp.get_data(as_text=True)


def test_who_sees_which_page(client, auth, create_organisation):
    org = create_organisation(name="Seyhan Belediyesi")
    auth.login("coordinator")
    assert client.get("/organisations").status_code == 200
    detail = client.get(f"/organisations/{org.id}")
    assert detail.status_code == 200 and "Seyhan Belediyesi" in text(detail)
    assert "Contacts" not in text(detail).split("</header>")[1]
    assert client.get("/contacts").status_code == 403
    assert client.get("/organisations/new").status_code == 403
    assert client.get("/contacts/import").status_code == 403
    auth.logout()
    auth.login("staff")
    assert client.get("/organisations").status_code == 403
    auth.logout()
    assert client.get("/contacts").status_code == 302  # to the login page


def test_empty_states(client, auth):
    auth.login("organiser")
    assert "The directory has no organisations yet." in text(client.get("/organisations"))
    assert "The directory has no contacts yet." in text(client.get("/contacts"))
    assert "No contacts match these filters." in text(client.get("/contacts?q=nobody"))
    assert "No organisations match these filters." in text(client.get("/organisations?kind=ngo"))


def test_organisation_list_filters_and_pagination(
    client, auth, municipalities, create_organisation
):
    create_organisation(name="SALAR", kind="international", country="SE")
    auth.login("organiser")
    html = text(client.get("/organisations?union=CBB"))
    assert "Sarıçam Belediyesi" in html and "Reyhanlı Belediyesi" in html
    assert "Şişli Belediyesi" not in html
    html = text(client.get("/organisations?province=İstanbul"))
    assert "Şişli Belediyesi" in html and "Sarıçam" not in html
    html = text(client.get("/organisations?country=SE"))
    assert "SALAR" in html and "Şişli" not in html
    html = text(client.get("/organisations?kind=union"))
    assert "Marmara Belediyeler Birliği" in html and "Şişli Belediyesi" not in html
    # a bad filter value is ignored, not a crash
    assert client.get("/organisations?kind=spaceship&page=x").status_code == 200
    html = text(client.get("/organisations?per_page=2"))
    assert "Page 1 of 3" in html and 'rel="next"' in html
    html = text(client.get("/organisations?per_page=2&page=3"))
    assert "Page 3 of 3" in html and 'rel="prev"' in html


def test_organisation_detail_shows_members_and_contacts(
    client, auth, municipalities, create_contact
):
    create_contact(full_name="Ayşe Çukurova", organisation=municipalities["saricam"])
    auth.login("organiser")
    html = text(client.get(f"/organisations/{municipalities['CBB'].id}"))
    assert "Sarıçam Belediyesi" in html and "Reyhanlı Belediyesi" in html
    html = text(client.get(f"/organisations/{municipalities['saricam'].id}"))
    assert "Ayşe Çukurova" in html and "Çukurova Belediyeler Birliği" in html
    assert client.get("/organisations/999999").status_code == 404


def test_create_organisation_errors_next_to_fields(client, auth, municipalities):
    auth.login("organiser")
    resp = post_form(
        client,
        "/organisations/new",
        {"name": "", "kind": "municipality", "country": "Narnia", "province": "Iğdır"},
    )
    assert resp.status_code == 422
    html = text(resp)
    assert re.search(r'id="e-name" role="alert"', html)
    assert re.search(r'id="e-country" role="alert"', html)
    # the province chosen in the picker
    assert 'value="TR-76" selected' in html
    resp = post_form(
        client, "/organisations/new", {"name": "ŞİŞLİ BELEDİYESİ", "kind": "municipality"}
    )
    assert resp.status_code == 422 and 'id="e-name"' in text(resp)
    assert db.session.query(Organisation).count() == 5


def test_create_and_edit_organisation(client, auth, municipalities):
    auth.login("organiser")
    resp = post_form(
        client,
        "/organisations/new",
        {
            "name": "Zeytinburnu Belediyesi",
            "kind": "municipality",
            "code": "zeytin",
            "country": "tr",
            "province": "İstanbul",
            "unions": "MBB",
        },
    )
    assert resp.status_code == 302
    org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "ZEYTIN"))
    assert org.union_codes == ["MBB"] and org.country == "TR"
    path = f"/organisations/{org.id}/edit"
    assert 'value="MBB" checked' in text(client.get(path))
    resp = post_form(
        client,
        path,
        {
            "name": "Zeytinburnu Belediyesi",
            "kind": "municipality",
            "country": "TR",
            "district": "Zeytinburnu",
        },
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert org.union_codes == [] and org.district == "Zeytinburnu" and org.province is None


def test_contact_list_filters(client, auth, municipalities, create_contact):
    create_contact(full_name="Ömer Şişli", organisation=municipalities["sisli"], language="en")
    create_contact(
        full_name="Leyla Sarıçam",
        organisation=municipalities["saricam"],
        language="ar",
        role_category="refugee_community",
    )
    auth.login("organiser")
    for query, shown, hidden in [
        ("union=MBB", "Ömer Şişli", "Leyla Sarıçam"),
        ("province=Adana", "Leyla Sarıçam", "Ömer Şişli"),
        ("language=ar", "Leyla Sarıçam", "Ömer Şişli"),
        ("role_category=refugee_community", "Leyla Sarıçam", "Ömer Şişli"),
        ("kind=municipality&q=OMER", "Ömer Şişli", "Leyla Sarıçam"),
    ]:
        html = text(client.get(f"/contacts?{query}"))
        assert shown in html and hidden not in html, query


def test_contact_form_errors_keep_the_input(client, auth, municipalities, create_contact):
    create_contact(email="taken@example.org")
    auth.login("organiser")
    form = {
        "full_name": "Ayşe Yılmaz",
        "email": "not an email",
        "organisation_id": str(municipalities["sisli"].id),
        "role_category": "municipal_staff",
        "gender": "female",
        "language": "tr",
        "phone": "dial me",
    }
    resp = post_form(client, "/contacts/new", form)
    assert resp.status_code == 422
    html = text(resp)
    assert 'id="e-email" role="alert"' in html and 'id="e-phone" role="alert"' in html
    assert 'value="Ayşe Yılmaz"' in html
    assert f'<option value="{municipalities["sisli"].id}" selected>' in html
    resp = post_form(client, "/contacts/new", {**form, "email": "TAKEN@example.org", "phone": ""})
    assert resp.status_code == 422 and 'id="e-email" role="alert"' in text(resp)
    resp = post_form(client, "/contacts/new", {**form, "email": "ayse@example.org", "phone": ""})
    assert resp.status_code == 302
    contact = db.session.scalar(sa.select(Contact).where(Contact.email == "ayse@example.org"))
    assert (
        contact.full_name == "Ayşe Yılmaz" and contact.organisation_id == municipalities["sisli"].id
    )
    resp = post_form(
        client,
        f"/contacts/{contact.id}",
        {**form, "email": "ayse@example.org", "language": "ar", "phone": "+90 555 000 00 00"},
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert contact.language.value == "ar" and contact.phone == "+90 555 000 00 00"


def test_form_without_csrf_is_refused(client, auth):
    auth.login("organiser")
    resp = client.post("/contacts/new", data={"full_name": "X", "email": "x@example.org"})
    assert resp.status_code == 400
    assert db.session.query(Contact).count() == 0


def _upload(client, data: bytes, filename: str = "kisiler.csv"):
    return post_form(
        client,
        "/contacts/import",
        {"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_import_preview_then_confirm(client, auth, municipalities, create_contact, staging):
    create_contact(full_name="Eski Ad", email="mevcut@example.org")
    auth.login("organiser")
    assert client.get("/contacts/import").status_code == 200
    data = csv_bytes(
        [
            ["Adı Soyadı", "E-posta", "Kurum", "Cinsiyet"],
            ["Şükrü Iğdırlı", "sukru@example.org", "Şişli Belediyesi", "Erkek"],
            ["Yeni Ad", "MEVCUT@example.org", "", ""],
        ]
    )
    preview = _upload(client, data)
    assert preview.status_code == 200
    html = text(preview)
    assert "Şükrü Iğdırlı" in html and "Şişli Belediyesi" in html
    assert "windows-1254" in html
    assert db.session.query(Contact).count() == 1  # nothing saved yet
    action = re.search(r'action="(/contacts/import/[^"]+)"', html).group(1)
    done = client.post(action, data={"csrf_token": csrf_token(client, "/contacts")})
    assert done.status_code == 200
    assert "Contacts imported" in text(done)
    emails = set(db.session.scalars(sa.select(Contact.email)))
    assert emails == {"sukru@example.org", "mevcut@example.org"}
    renamed = db.session.scalar(sa.select(Contact).where(Contact.email == "mevcut@example.org"))
    assert renamed.full_name == "Yeni Ad"
    # the staged file is gone: a second confirm imports nothing
    again = client.post(action, data={"csrf_token": csrf_token(client, "/contacts")})
    assert again.status_code == 302
    assert not list(staging.glob("*.upload"))


def test_import_preview_with_errors_offers_no_confirm(client, auth, municipalities, staging):
    auth.login("organiser")
    data = csv_bytes(
        [
            ["Ad Soyad", "E-posta", "Kurum"],
            ["İyi Satır", "iyi@example.org", "MBB"],
            ["Kötü Satır", "kotu@", "Bilinmeyen Kurum"],
        ]
    )
    resp = _upload(client, data)
    assert resp.status_code == 422
    html = text(resp)
    assert "Nothing can be imported yet" in html
    assert "Bilinmeyen Kurum" in html and "kotu@" in html
    assert "/contacts/import/" not in html  # no confirm form
    assert db.session.query(Contact).count() == 0
    assert not list(staging.glob("*.upload")) if staging.exists() else True


def test_import_page_rejects_garbage_and_missing_file(client, auth, staging):
    auth.login("organiser")
    resp = _upload(client, b"\x00\x01garbage" * 100, "x.csv")
    assert resp.status_code == 422 and "not a readable" in text(resp)
    resp = post_form(client, "/contacts/import", {}, content_type="multipart/form-data")
    assert resp.status_code == 422 and 'id="e-file" role="alert"' in text(resp)


def test_another_user_cannot_confirm_an_upload(client, auth, municipalities, staging, create_user):
    auth.login("organiser")
    data = csv_bytes([["full_name", "email"], ["Ali", "ali@example.org"]])
    action = re.search(r'action="(/contacts/import/[^"]+)"', text(_upload(client, data))).group(1)
    auth.logout()
    auth.login("admin")
    resp = client.post(action, data={"csrf_token": csrf_token(client, "/contacts")})
    assert resp.status_code == 302 and db.session.query(Contact).count() == 0
    bad = client.post(
        "/contacts/import/..%2F..%2Fetc", data={"csrf_token": csrf_token(client, "/")}
    )
    assert bad.status_code in (302, 404)


def test_example_file_imports_as_is(client, auth, api, municipalities):
    auth.login("organiser")
    resp = client.get("/contacts/import/template.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.data.startswith(b"\xef\xbb\xbf")
    result = api("organiser").post(
        "/api/v1/contacts/import",
        data={"file": (io.BytesIO(resp.data), "contacts-template.csv")},
        content_type="multipart/form-data",
    )
    assert result.status_code == 200, result.json
    assert result.json["created"] == 1


def test_import_page_says_a_file_is_too_large_once(client, auth, staging):
    """A file over the limit is one plain message on the upload form, in the page's language,
    not a row error with empty row and column cells; nothing is staged or imported."""
    from reslog_events.directory.imports import MAX_BYTES

    auth.login("organiser")
    data = b"full_name,email\n" + b"Ali Veli,ali@example.org\n" * (MAX_BYTES // 24 + 1)
    assert len(data) > MAX_BYTES
    resp = post_form(
        client,
        "/contacts/import?lang=tr",
        {"file": (io.BytesIO(data), "kisiler.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 413
    html = text(resp)
    assert "Dosya 5 MB'tan büyük." in unescape(html)
    assert 'id="e-file" role="alert"' in html  # the upload form, with its message
    assert "<table" not in html  # no row report
    assert db.session.query(Contact).count() == 0
    assert not list(staging.glob("*.upload")) if staging.exists() else True


def test_import_page_names_an_unreadable_file_on_the_form(client, auth, staging):
    auth.login("organiser")
    resp = _upload(client, b"", "bos.csv")
    assert resp.status_code == 422
    html = text(resp)
    assert 'id="e-file" role="alert"' in html and "The file is empty." in html
    assert "<table" not in html
