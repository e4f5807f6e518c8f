"""Email addresses typed on a Turkish keyboard with caps lock on: "İ" is an i.

`"İ".lower()` is i + U+0307 (a combining dot), so "AYSE.CELİK@SİSLİ.EXAMPLE" became an address
nobody has, a second contact beside the real one, and a login that never matched.
"""

from __future__ import annotations

import io

import sqlalchemy as sa

from reslog_events.directory.models import Contact
from reslog_events.extensions import db
from tests.directory.conftest import csv_bytes
from tests.support.factories import PASSWORD
from tests.support.forms import post_form


def test_email_lower_reads_dotted_capital_i_as_i():
    from reslog_events.core.turkish import email_lower

    assert email_lower(" AYSE.CELİK@SİSLİ.EXAMPLE ") == "ayse.celik@sisli.example"
    # decomposed (I + combining dot above), as some keyboards and pastes give it
    assert email_lower("I\u0307PEK@SISLI.EXAMPLE") == "ipek@sisli.example"
    assert email_lower("IPEK@SISLI.EXAMPLE") == "ipek@sisli.example"


def test_api_finds_the_existing_contact_behind_a_dotted_capital_i(api, create_contact):
    create_contact(email="ayse.celik@sisli.example")
    client = api("organiser")
    resp = client.post(
        "/api/v1/contacts", json={"full_name": "Ayşe Çelik", "email": "AYSE.CELİK@SİSLİ.EXAMPLE"}
    )
    assert resp.status_code == 409 and "email" in resp.json["error"]["fields"]
    resp = client.post(
        "/api/v1/contacts", json={"full_name": "İpek Işık", "email": "İPEK.ISIK@SİSLİ.EXAMPLE"}
    )
    assert resp.status_code == 201
    assert resp.json["email"] == "ipek.isik@sisli.example"


def test_import_updates_the_contact_instead_of_adding_a_twin(api, create_contact):
    create_contact(full_name="İpek Işık", email="ipek.isik@sisli.example")
    data = csv_bytes(
        [["Ad Soyad", "E-posta", "Görev"], ["İpek Işık", "İPEK.ISIK@SİSLİ.EXAMPLE", "Müdür"]]
    )
    resp = api("organiser").post(
        "/api/v1/contacts/import",
        data={"file": (io.BytesIO(data), "kisiler.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200, resp.json
    assert (resp.json["created"], resp.json["updated"]) == (0, 1)
    emails = db.session.scalars(sa.select(Contact.email)).all()
    assert emails == ["ipek.isik@sisli.example"]


def test_login_with_caps_lock_on_a_turkish_keyboard(client, create_user):
    create_user("organiser", email="emine@sisli.example")
    resp = post_form(client, "/login", {"email": "EMİNE@SİSLİ.EXAMPLE", "password": PASSWORD})
    assert resp.status_code == 302 and "/login" not in resp.headers["Location"]


def test_a_walk_in_at_the_door_finds_the_existing_contact(
    api, create_event, create_contact, create_user
):
    from datetime import timedelta

    from reslog_events.core.columns import utcnow

    known = create_contact(full_name="Ayşe Çelik", email="ayse.celik@sisli.example")
    event = create_event(starts_at=utcnow().replace(microsecond=0) - timedelta(hours=1))
    resp = api("staff").post(
        f"/api/v1/events/{event.id}/walk-ins",
        json={
            "full_name": "Ayşe Çelik",
            "email": "AYSE.CELİK@SİSLİ.EXAMPLE",
            "gate": "A",
            "nonce": "walkin-caps-lock-1",
        },
    )
    assert resp.status_code == 201, resp.json
    assert not resp.json.get("contact_created")
    assert db.session.scalars(sa.select(Contact.id)).all() == [known.id]
