"""The organisers' side: counts, needs summary, filters, exports, an answer on someone's behalf,
revoking, a new check-in code, and the answers API."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from reslog_events.core.columns import utcnow
from tests.support.forms import csrf_token, post_form


@pytest.fixture
def answered(create_event, create_invitation, create_contact, create_organisation, answer):
    """An event with 3 seats and invitees in every state, some with needs."""
    event = create_event(capacity=3, languages=["tr", "ar"])
    org = create_organisation(name="Hatay Büyükşehir Belediyesi")

    def invite(name, **kw):
        return create_invitation(
            event=event, contact=create_contact(full_name=name, organisation=org, **kw)
        )

    people = {
        "amal": invite("Amal Haddad", language="ar"),
        "burak": invite("Burak Şahin"),
        "cem": invite('=HYPERLINK("http://evil")'),
        "deniz": invite("Deniz Yıldız"),
        "elif": invite("Elif Çelik"),
        "fatma": invite("Fatma Aydın"),
        "gul": invite("Gül Demir"),
    }
    answer(
        people["amal"].rsvp_token,
        "accept",
        interpretation_language="ar",
        diet_choices=["halal"],
        access_choices=["wheelchair"],
    )
    answer(
        people["burak"].rsvp_token,
        "accept",
        diet_choices=["vegetarian"],
        dietary_needs="+90 no nuts",
    )
    answer(people["cem"].rsvp_token, "accept", interpretation_language="ar")
    answer(people["deniz"].rsvp_token, "accept")  # full: waitlisted
    answer(people["elif"].rsvp_token, "decline", consent=False)
    answer(people["fatma"].rsvp_token, "tentative")
    return event, people


def test_answers_page_counts_and_needs(client, auth, answered, forget_locale):
    event, _people = answered
    auth.login("organiser")
    forget_locale()
    resp = client.get(f"/events/{event.id}/answers")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    for key, value in {
        "accepted": 3,
        "seats_left": 0,
        "waitlisted": 1,
        "tentative": 1,
        "declined": 1,
        "pending": 1,
    }.items():
        assert f'data-count="{key}">{value}<' in html, key
    # Needs of those who accepted: 2 need Arabic interpretation, 1 wheelchair, 1 vegetarian.
    assert "Arabic: 2" in html
    assert "Wheelchair access: 1" in html and "Vegetarian: 1" in html and "Halal: 1" in html
    assert "Other notes: 1" in html
    assert "Amal Haddad" in html and "Gül Demir" in html
    assert "#1" in html  # Deniz's place on the waitlist
    assert 'badge-tentative">Tentative<' in html


def test_only_editors_see_answers(client, auth, answered, create_user):
    event, _people = answered
    assert client.get(f"/events/{event.id}/answers").status_code == 302  # to the login
    for role in ("staff", "coordinator"):
        auth.login(role)
        assert client.get(f"/events/{event.id}/answers").status_code == 403
        assert client.get(f"/events/{event.id}/answers.csv").status_code == 403
        auth.logout()
    auth.login("admin")
    assert client.get(f"/events/{event.id}/answers").status_code == 200


FILTERS = [
    ({"status": "accepted"}, {"Amal Haddad", "Burak Şahin", '=HYPERLINK("http://evil")'}),
    ({"status": "waitlisted"}, {"Deniz Yıldız"}),
    ({"status": "pending"}, {"Gül Demir"}),
    ({"need": "interpretation:ar"}, {"Amal Haddad", '=HYPERLINK("http://evil")'}),
    ({"need": "access:wheelchair"}, {"Amal Haddad"}),
    ({"need": "diet:vegetarian"}, {"Burak Şahin"}),
    ({"need": "any"}, {"Amal Haddad", "Burak Şahin", '=HYPERLINK("http://evil")'}),
    ({"status": "accepted", "need": "diet:halal"}, {"Amal Haddad"}),
    ({"q": "sahin"}, {"Burak Şahin"}),
]


def test_filters(client, auth, answered):
    event, _people = answered
    auth.login("organiser")
    for args, names in FILTERS:
        resp = client.get(f"/events/{event.id}/answers.csv", query_string=args)
        rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))[1:]
        assert {row[0].removeprefix("'") for row in rows} == names, args
        html = client.get(f"/events/{event.id}/answers", query_string=args).get_data(as_text=True)
        assert "Elif Çelik" not in html, args


def test_an_unknown_filter_is_ignored(client, auth, answered):
    event, _people = answered
    auth.login("organiser")
    resp = client.get(f"/events/{event.id}/answers?status=maybe&need=diet:pizza&page=x")
    assert resp.status_code == 200 and "Gül Demir" in resp.get_data(as_text=True)


def test_csv_export_for_the_venue(client, auth, answered, audit):
    event, _people = answered
    auth.login("organiser")
    resp = client.get(f"/events/{event.id}/answers.csv")
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert resp.data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Name" and len(rows) == 8
    by_name = {row[0]: row for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in by_name  # neutralised formula
    burak = by_name["Burak Şahin"]
    assert "Vegetarian" in burak and "'+90 no nuts" in burak
    assert "Hatay Büyükşehir Belediyesi" in burak
    (entry,) = audit("event.export_answers")
    assert entry.data["format"] == "csv" and entry.data["rows"] == 7


def test_xlsx_export_keeps_text_as_text(client, auth, answered):
    event, _people = answered
    auth.login("organiser")
    resp = client.get(f"/events/{event.id}/answers.xlsx?status=accepted")
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    values = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    evil = values['=HYPERLINK("http://evil")'][0]
    assert evil.data_type == "s" and evil.quotePrefix  # text, never a formula
    assert sheet.max_row == 4


def test_manual_answer_is_audited_and_allowed_after_the_deadline(
    app, client, auth, answered, audit, outbox, fresh
):
    from reslog_events.extensions import db

    event, people = answered
    event.rsvp_deadline = utcnow() - timedelta(days=1)
    db.session.commit()
    auth.login("organiser")
    gul = people["gul"].invitation
    path = f"/events/{event.id}/answers/{gul.id}"
    resp = post_form(
        client,
        path,
        {"response": "tentative", "diet_choices": ["vegan"], "note": "by phone"},
    )
    assert resp.status_code == 302
    inv = fresh(gul)
    assert inv.status.value == "tentative" and inv.diet_choices == ["vegan"]
    entry = audit("invitation.answer")[-1]
    assert entry.object_id == gul.id and entry.actor == "user" and entry.user_id == auth.user.id
    assert entry.data["note"] == "by phone" and entry.data["to"] == "tentative"
    # Full: an accept on their behalf goes to the waitlist, after Deniz.
    post_form(client, path, {"response": "accept"})
    assert fresh(gul).status.value == "waitlisted"
    html = client.get(path).get_data(as_text=True)
    assert "Place on the waiting list: 2" in html
    assert outbox()[-1].kind == "waitlisted"


def test_manual_answer_form_errors(client, auth, answered):
    event, people = answered
    auth.login("organiser")
    path = f"/events/{event.id}/answers/{people['gul'].invitation.id}"
    resp = post_form(client, path, {"response": "perhaps", "interpretation_language": "xyz"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="e-response" role="alert"' in html
    assert 'id="e-interpretation_language" role="alert"' in html
    other_event_path = f"/events/{event.id + 1}/answers/{people['gul'].invitation.id}"
    assert client.get(other_event_path).status_code == 404


def test_rotating_the_code_retires_the_old_one(app, client, auth, answered, audit, outbox, fresh):
    import hashlib

    import sqlalchemy as sa

    from reslog_events.extensions import db
    from reslog_events.invitations.models import RetiredCheckinCode

    event, people = answered
    amal = people["amal"]
    old_hash = hashlib.sha256(amal.checkin_code.encode()).hexdigest()
    auth.login("organiser")
    path = f"/events/{event.id}/answers/{amal.invitation.id}"
    before = client.get(f"/rsvp/{amal.rsvp_token}/qr.png").data
    resp = client.post(path + "/rotate-code", data={"csrf_token": csrf_token(client, path)})
    assert resp.status_code == 302
    inv = fresh(amal.invitation)
    assert inv.checkin_code_hash != old_hash
    retired = db.session.scalars(sa.select(RetiredCheckinCode.code_hash)).all()
    assert retired == [old_hash]
    assert audit("invitation.rotate_code")[0].user_id == auth.user.id
    row = outbox()[-1]
    assert (row.kind, row.invitation_id, row.payload) == (
        "confirmation",
        inv.id,
        {"reason": "new_code"},
    )
    assert client.get(f"/rsvp/{amal.rsvp_token}/qr.png").data != before


def test_the_old_code_answers_revoked_at_the_door(client, auth, api, answered, monkeypatch):
    from datetime import timedelta

    from reslog_events.checkin import admission
    from reslog_events.invitations.operations import checkin_code_of

    event, people = answered
    monkeypatch.setattr(admission, "clock", lambda: event.starts_at + timedelta(hours=1))
    amal = people["amal"]
    auth.login("organiser")
    path = f"/events/{event.id}/answers/{amal.invitation.id}"
    client.post(path + "/rotate-code", data={"csrf_token": csrf_token(client, path)})
    door = api("staff")
    scans = f"/api/v1/events/{event.id}/checkins"
    old = door.post(scans, json={"code": amal.checkin_code, "gate": "A", "nonce": "scan-0001"})
    assert (old.status_code, old.json["result"]) == (409, "revoked")
    new_code = checkin_code_of(amal.invitation)
    new = door.post(scans, json={"code": new_code, "gate": "A", "nonce": "scan-0002"})
    assert (new.status_code, new.json["result"]) == (201, "ok")


def test_answers_api(api, answered, audit):
    event, people = answered
    resp = api("organiser").get(f"/api/v1/events/{event.id}/answers")
    assert resp.status_code == 200
    body = resp.json
    assert body["counts"] == {
        "accepted": 3,
        "waitlisted": 1,
        "declined": 1,
        "tentative": 1,
        "pending": 1,
        "revoked": 0,
        "substituted": 0,
        "capacity": 3,
        "seats_left": 0,
    }
    assert body["needs"]["interpretation"] == {"ar": 2}
    assert body["needs"]["access"] == {"wheelchair": 1}
    assert api("organiser").get("/api/v1/events/999/answers").status_code == 404

    burak = people["burak"].invitation
    resp = api("organiser").post(
        f"/api/v1/invitations/{burak.id}/answer", json={"response": "decline"}
    )
    assert resp.status_code == 200, resp.json
    assert resp.json["status"] == "declined"
    assert resp.json["promoted_ids"] == [people["deniz"].invitation.id]
    resp = api("organiser").post(
        f"/api/v1/invitations/{burak.id}/answer", json={"response": "maybe"}
    )
    assert resp.status_code == 422 and "response" in resp.json["error"]["fields"]
    assert (
        api("staff")
        .post(f"/api/v1/invitations/{burak.id}/answer", json={"response": "accept"})
        .status_code
        == 403
    )


def test_answering_a_revoked_invitation_by_api_is_a_conflict(api, create_invitation):
    new = create_invitation(status="revoked")
    resp = api("organiser").post(
        f"/api/v1/invitations/{new.invitation.id}/answer", json={"response": "accept"}
    )
    assert resp.status_code == 409 and resp.json["error"]["code"] == "revoked"
