"""The export: everything held about the person, no secret, audited."""

from __future__ import annotations

import json

from tests.privacy.conftest import EMAIL, NAME, PHONE
from tests.support.forms import csrf_token


def _secrets(person) -> list[str]:
    from reslog_events.extensions import db

    values = list(person.codes.values()) + list(person.tokens.values())
    for invitation in person.invitations.values():
        db.session.refresh(invitation)
        values += [
            invitation.token_hash,
            invitation.token_sealed,
            invitation.checkin_code_hash,
            invitation.checkin_code_sealed,
        ]
    return values


def test_export_holds_everything_about_the_person(api, person):
    resp = api("organiser").get(f"/api/v1/contacts/{person.contact.id}/export")
    assert resp.status_code == 200, resp.json
    doc = resp.json
    assert doc["format"] == "reslog-events/personal-data-export/1"
    contact = doc["contact"]
    assert (contact["full_name"], contact["email"], contact["phone"]) == (NAME, EMAIL, PHONE)
    assert contact["position"] == "Göç Masası Uzmanı"
    assert contact["gender"] == "female" and contact["role_category"] == "refugee_community"
    assert contact["organisation"]["name"] == "Şişli Belediyesi"

    by_event = {inv["event"]["title"]: inv for inv in doc["invitations"]}
    assert set(by_event) == {"Yerel Yönetimler Forumu", "Göç Çalıştayı", "Gelecek Eğitim"}
    past = by_event["Yerel Yönetimler Forumu"]
    assert past["status"] == "accepted"
    assert past["answers"] == {
        "dietary_needs": f"No nuts — {NAME}",
        "accessibility_needs": "Wheelchair access",
        "diet_choices": ["halal"],
        "access_choices": ["wheelchair"],
        "interpretation_language": "ar",
    }
    assert past["consents"] == {"data_processing_at": "2024-02-01T00:00:00Z", "photos": False}
    assert [c["gate"] for c in past["checkins"]] == ["B"]
    [email] = past["emails"]
    assert email["to_address"] == EMAIL and email["status"] == "sent"
    assert email["subject"].startswith("Davet:")
    assert email["delivery_events"][0]["reason"] == f"451 mailbox of {EMAIL} is full"

    current = by_event["Göç Çalıştayı"]
    assert current["status"] == "accepted"
    assert current["answers"]["dietary_needs"] == "Vegetarian"
    assert current["consents"]["data_processing_at"] is not None
    assert [(c["gate"], c["method"]) for c in current["checkins"]] == [("A", "scan")]
    assert [(s["gate"], s["result"]) for s in current["scans"]] == [("A", "ok")]
    assert [e["kind"] for e in current["emails"]] == ["confirmation"]
    assert [s["title"] for s in current["session_choices"]] == ["Açılış"]
    assert current["delegation"]["visa_notes"] == f"Passport of {NAME} expires soon"
    assert current["delegation"]["travel_details"] == "TK 2410"

    future = by_event["Gelecek Eğitim"]
    assert future["status"] == "pending" and future["checkins"] == []
    assert [e["status"] for e in future["emails"]] == ["queued"]

    actions = [(a["action"], a["object_type"]) for a in doc["audit"]]
    assert ("contact.create", "contact") in actions
    assert ("invitation.answer", "invitation") in actions
    note = next(a for a in doc["audit"] if a["action"] == "invitation.answer")["data"]["note"]
    assert note == f"By phone with {NAME}"


def test_export_leaves_out_every_secret_and_the_other_people(api, person):
    body = (
        api("organiser").get(f"/api/v1/contacts/{person.contact.id}/export").get_data(as_text=True)
    )
    for secret in _secrets(person):
        assert secret not in body
    # what the door scanner read begins with the code: not exported either
    for code in person.codes.values():
        assert code[:8] not in body
    for key in ("token", "sealed", "code_hash", "nonce", 'scanned"', "uid"):
        assert key not in body
    for other in ("Deniz Kaya", "Erik Lindqvist", person.others["deniz"].email):
        assert other not in body


def test_export_is_audited(api, person):
    from reslog_events.audit.models import AuditLog
    from reslog_events.extensions import db

    api("admin").get(f"/api/v1/contacts/{person.contact.id}/export")
    entry = db.session.query(AuditLog).filter_by(action="contact.export").one()
    assert (entry.object_type, entry.object_id) == ("contact", person.contact.id)
    assert entry.data == {"invitations": 3, "via": "api"}
    assert entry.user_id is not None
    assert NAME not in json.dumps(entry.data, ensure_ascii=False)


def test_export_of_unknown_contact_is_404(api):
    resp = api("organiser").get("/api/v1/contacts/424242/export")
    assert resp.status_code == 404 and resp.json["error"]["code"] == "not_found"


def test_export_is_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    assert "get" in doc["paths"]["/api/v1/contacts/{contact_id}/export"]
    assert "post" in doc["paths"]["/api/v1/contacts/{contact_id}/erase"]


def test_privacy_page_links_the_download(client, auth, person):
    auth.login("organiser")
    form = client.get(f"/contacts/{person.contact.id}")
    assert f"/contacts/{person.contact.id}/privacy" in form.get_data(as_text=True)
    page = client.get(f"/contacts/{person.contact.id}/privacy")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Export personal data (JSON)" in html
    assert f"/contacts/{person.contact.id}/privacy/export.json" in html

    download = client.get(f"/contacts/{person.contact.id}/privacy/export.json")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Cache-Control"] == "no-store"
    doc = json.loads(download.get_data(as_text=True))
    assert doc["contact"]["full_name"] == NAME
    assert NAME in download.get_data(as_text=True)  # UTF-8, not \\u escapes


def test_privacy_pages_are_for_editors_only(client, auth, person):
    auth.login("coordinator")
    assert client.get(f"/contacts/{person.contact.id}/privacy").status_code == 403
    assert client.get(f"/contacts/{person.contact.id}/privacy/export.json").status_code == 403
    token = csrf_token(client, "/")
    resp = client.post(
        f"/contacts/{person.contact.id}/privacy/erase",
        data={"csrf_token": token, "confirm": "on"},
    )
    assert resp.status_code == 403
