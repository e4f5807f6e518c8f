"""Erasure: the person is gone from every table, the counts stay, nothing brings them back."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from tests.privacy.conftest import EMAIL, NAME, PHONE
from tests.support.forms import post_form

#: what identifies or describes the person, as the fixture wrote it
TRACES = (
    NAME,
    EMAIL,
    PHONE,
    "Göç Masası Uzmanı",
    "No nuts",
    "Wheelchair access",
    "Passport of",
    "TK 2410",
    "Single room",
    "halal",
)

GROUPINGS = ("organisation", "gender", "role_category", "event", "union", "month")


def _reports(api) -> dict[str, dict]:
    out = {}
    for group_by in GROUPINGS:
        # an organiser: exact counts (a coordinator's small cells would hide this one person)
        resp = api("organiser").get(
            "/api/v1/reports/attendance", query_string={"group_by": group_by}
        )
        assert resp.status_code == 200, resp.json
        out[group_by] = resp.json
    return out


def _erase(api, person, **body):
    return api("organiser").post(
        f"/api/v1/contacts/{person.contact.id}/erase", json={"confirm": True, **body}
    )


def _text(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date | datetime | bytes | bool | int | float):
        return ""
    return str(value)


def _database_mentions(needle: str) -> list[str]:
    """Every table.column whose text (JSON decoded) contains `needle`, case-insensitively."""
    from reslog_events.extensions import db

    found = []
    folded = needle.casefold()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)).mappings():
                for column, value in row.items():
                    if value is not None and folded in _text(value).casefold():
                        found.append(f"{table.name}.{column}")
    return found


def test_reports_are_equal_before_and_after(api, person):
    before = _reports(api)
    female = next(r for r in before["gender"]["rows"] if r["key"] == "female")
    assert (female["attended"], female["attendance_days"]) == (2, 2)  # the person counts
    assert _erase(api, person).status_code == 200
    assert _reports(api) == before


def test_the_person_is_gone_from_every_table(api, person):
    for trace in TRACES:
        assert _database_mentions(trace), f"fixture should have put {trace!r} somewhere"
    resp = _erase(api, person, reference="KVKK-2025-014")
    assert resp.status_code == 200, resp.json
    for trace in TRACES:
        assert _database_mentions(trace) == [], trace
    # the others are untouched
    assert _database_mentions("Deniz Kaya") and _database_mentions("vegan")


def test_what_stays_and_what_is_cleared(api, person):
    from reslog_events.checkin.models import CheckIn, ScanLog
    from reslog_events.directory.models import Contact
    from reslog_events.extensions import db
    from reslog_events.invitations.models import Invitation
    from reslog_events.programme.models import DelegationMember, SessionChoice

    resp = _erase(api, person)
    assert resp.status_code == 200
    assert resp.json["invitations"] == 3
    assert resp.json["emails_cancelled"] == 2  # the confirmation and the future invitation
    assert resp.json["emails_scrubbed"] == 1
    db.session.expire_all()
    contact = db.session.get(Contact, person.contact.id)
    assert contact.full_name == f"Erased contact #{contact.id}"
    assert (contact.email, contact.phone, contact.position) == (None, None, None)
    assert contact.erased_at is not None
    assert contact.gender.value == "female"
    assert contact.role_category.value == "refugee_community"
    assert contact.organisation.name == "Şişli Belediyesi"

    statuses = {
        key: db.session.get(Invitation, inv.id).status.value
        for key, inv in person.invitations.items()
    }
    assert statuses == {"past": "accepted", "current": "accepted", "future": "pending"}
    for inv in person.invitations.values():
        inv = db.session.get(Invitation, inv.id)
        assert inv.dietary_needs is None and inv.accessibility_needs is None
        assert inv.diet_choices == [] and inv.access_choices == []
        assert inv.interpretation_language is None
        assert inv.consent_data_at is None and inv.consent_photos is None
        assert inv.token_sealed == "" and inv.checkin_code_sealed == ""
    ids = [inv.id for inv in person.invitations.values()]
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(CheckIn).where(CheckIn.invitation_id.in_(ids))
        )
        == 2
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SessionChoice)) == 1
    member = db.session.scalars(sa.select(DelegationMember)).one()
    assert (member.visa_notes, member.travel_details, member.accommodation_notes) == (
        None,
        None,
        None,
    )
    log = db.session.scalars(sa.select(ScanLog)).one()
    assert log.scanned == "" and log.result == "ok" and log.gate == "A"
    assert log.response["full_name"] == f"Erased contact #{contact.id}"


def test_erasure_is_audited_without_the_person(api, person):
    from reslog_events.audit.models import AuditLog
    from reslog_events.extensions import db

    _erase(api, person, reference="KVKK-2025-014")
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "contact.erase")).one()
    assert entry.object_id == person.contact.id and entry.user_id is not None
    assert entry.data["reference"] == "KVKK-2025-014"
    assert entry.data["invitations"] == 3
    answer = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "invitation.answer")
    ).one()
    assert answer.data["note"] == "[erased]"
    assert answer.data["to"] == "accepted"  # what happened stays


def test_a_reference_naming_the_person_is_not_kept(api, person):
    from reslog_events.audit.models import AuditLog
    from reslog_events.extensions import db

    _erase(api, person, reference=f"request of {NAME}")
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "contact.erase")).one()
    assert entry.data["reference"] == "[erased]"


def test_pending_emails_are_cancelled_not_sent(stub_worker, api, person):
    from reslog_events.extensions import db
    from reslog_events.mail.models import OutboxStatus, OutgoingEmail

    _erase(api, person)
    stub_worker.drain()
    assert stub_worker.outbox_files() == []
    db.session.expire_all()
    rows = db.session.scalars(sa.select(OutgoingEmail).order_by(OutgoingEmail.id)).all()
    assert [(r.kind, r.status) for r in rows] == [
        ("invitation", OutboxStatus.sent),
        ("invitation", OutboxStatus.skipped),
        ("confirmation", OutboxStatus.skipped),
    ]
    assert all(r.to_address == "" and r.subject is None for r in rows)
    assert rows[0].sent_at is not None  # when it went stays
    assert rows[1].last_error == "Not sent: the contact was erased."


def test_old_links_and_codes_stop_working(client, api, person):
    _erase(api, person)
    assert client.get(f"/rsvp/{person.tokens['future']}").status_code == 404
    scan = api("staff").post(
        f"/api/v1/events/{person.events['current'].id}/checkins",
        json={"code": person.codes["current"], "gate": "A", "nonce": "scan-after-erasure"},
    )
    assert scan.status_code == 404 and scan.json["result"] == "invalid"


def test_an_erased_contact_cannot_come_back(api, person):
    contact_id = person.contact.id
    assert _erase(api, person).status_code == 200
    again = _erase(api, person)
    assert again.status_code == 409 and again.json["error"]["code"] == "contact_erased"
    edit = api("organiser").patch(f"/api/v1/contacts/{contact_id}", json={"full_name": NAME})
    assert edit.status_code == 409 and edit.json["error"]["code"] == "contact_erased"
    new_event = person.events["future"]
    invite = api("organiser").post(
        f"/api/v1/events/{new_event.id}/invitations", json={"contact_ids": [contact_id]}
    )
    assert invite.status_code == 409 and invite.json["error"]["code"] == "contact_erased"
    answer = api("organiser").post(
        f"/api/v1/invitations/{person.invitations['future'].id}/answer",
        json={"response": "accept", "dietary_needs": "Vegan"},
    )
    assert answer.status_code == 409 and answer.json["error"]["code"] == "erased"
    listed = api("organiser").get("/api/v1/contacts", query_string={"per_page": 500}).json
    assert contact_id not in [c["id"] for c in listed["items"]]


def test_unknown_ids_still_answer_422(api, person):
    resp = api("organiser").post(
        f"/api/v1/events/{person.events['future'].id}/invitations",
        json={"contact_ids": [987654]},
    )
    assert resp.status_code == 422 and resp.json["error"]["code"] == "unknown_contacts"


@pytest.mark.parametrize(
    "body",
    [{}, {"confirm": False}, {"confirm": "no"}, {"confirm": None}, {"confirm": True, "x": 1}],
)
def test_erasure_needs_an_explicit_confirmation(api, person, body):
    from reslog_events.directory.models import Contact
    from reslog_events.extensions import db

    resp = api("organiser").post(f"/api/v1/contacts/{person.contact.id}/erase", json=body)
    assert resp.status_code == 422, resp.json
    db.session.expire_all()
    assert db.session.get(Contact, person.contact.id).erased_at is None


def test_erasure_of_unknown_contact_is_404(api):
    resp = api("organiser").post("/api/v1/contacts/999999/erase", json={"confirm": True})
    assert resp.status_code == 404


def test_erasure_page_asks_for_confirmation(client, auth, person):
    from reslog_events.directory.models import Contact
    from reslog_events.extensions import db

    auth.login("organiser")
    path = f"/contacts/{person.contact.id}/privacy/erase"
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Erase for good" in html
    assert 'for="f-confirm"' in html

    refused = post_form(client, path, {"reference": "T-1"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'role="alert"' in html and "Tick the box" in html
    assert 'value="T-1"' in html  # what was typed is kept
    db.session.expire_all()
    assert db.session.get(Contact, person.contact.id).erased_at is None

    done = post_form(client, path, {"reference": "T-1", "confirm": "on"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/contacts")
    db.session.expire_all()
    assert db.session.get(Contact, person.contact.id).erased_at is not None
    # afterwards: the privacy page says so, the edit form is gone, erasing again redirects
    privacy = client.get(f"/contacts/{person.contact.id}/privacy").get_data(as_text=True)
    assert "was erased on" in privacy and "Erase…" not in privacy
    assert client.get(f"/contacts/{person.contact.id}").status_code == 410
    assert client.get(path).status_code == 302


def test_redaction_matches_whole_words_ignoring_case():
    from reslog_events.privacy.redaction import redact

    needles = ["ali can", "ali@example.org"]
    data = {
        "note": "Called ALI  CAN by phone",
        "other": "Kemali Canan",
        "to": ["<Ali@Example.org>"],
        "n": 3,
    }
    out, changed = redact(data, needles)
    assert changed
    assert out == {"note": "[erased]", "other": "Kemali Canan", "to": ["[erased]"], "n": 3}
    assert redact({"note": "fine"}, needles) == ({"note": "fine"}, False)
    kept, _ = redact({"full_name": "Someone", "from": "pending"}, [], drop_personal_keys=True)
    assert kept == {"full_name": "[erased]", "from": "pending"}
