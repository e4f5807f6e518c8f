"""A walk-in from an organisation not in the directory ("Kozan Belediyesi"): recorded with its name,
kind and province as an unconfirmed organisation; counted in the per-organisation report from the
start (marked unconfirmed); confirmed or merged by an organiser (API and pages), audited."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from reslog_events.audit.models import AuditLog
from reslog_events.core.columns import utcnow
from reslog_events.directory.models import Contact, Organisation
from reslog_events.extensions import db
from reslog_events.invitations.models import Invitation
from tests.support.forms import post_form

ORGS = "/api/v1/organisations"


@pytest.fixture
def event_today(create_event):
    now = utcnow().replace(microsecond=0)
    return create_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3))


def walk_in(api, event, role="staff", **fields):
    body = {"gate": "A", "nonce": uuid.uuid4().hex, **fields}
    return api(role).post(f"/api/v1/events/{event.id}/walk-ins", json=body)


def kozan(api, event, **extra):
    fields = {
        "full_name": "Hasan Yıldırım",
        "organisation": "Kozan Belediyesi",
        "organisation_kind": "municipality",
        "organisation_province": "adana",
        **extra,
    }
    resp = walk_in(api, event, **fields)
    assert resp.status_code == 201, resp.json
    return resp.json


def report(api, role="organiser", **params):
    resp = api(role).get(
        "/api/v1/reports/attendance", query_string={"group_by": "organisation", **params}
    )
    assert resp.status_code == 200, resp.json
    return {row["key"]: row for row in resp.json["rows"]}


def test_walk_in_records_an_unconfirmed_organisation(api, event_today):
    body = kozan(api, event_today)
    assert body["result"] == "ok" and body["organisation"] == "Kozan Belediyesi"
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Kozan Belediyesi"))
    assert org.confirmed is False and org.province == "TR-01" and org.kind.value == "municipality"
    contact = db.session.get(Contact, body["contact_id"])
    assert contact.organisation_id == org.id
    assert db.session.get(Invitation, body["invitation_id"]).organisation_id == org.id
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "organisation.create"))
    assert entry.data["unconfirmed"] is True and entry.user_id is not None
    # the next walk-in from Kozan, typed differently, joins the same organisation
    again = walk_in(api, event_today, full_name="Elif Kaya", organisation="KOZAN belediyesi")
    assert again.status_code == 201, again.json
    assert db.session.query(Organisation).count() == 1
    # counted from the start, marked until confirmed
    rows = report(api)
    assert rows[org.id]["label"] == "Kozan Belediyesi (unconfirmed)"
    assert rows[org.id]["attended"] == 2 and rows[org.id]["walk_ins"] == 2
    listed = api("organiser").get(ORGS, query_string={"unconfirmed": "1"}).json
    assert [o["name"] for o in listed["items"]] == ["Kozan Belediyesi"]
    assert listed["items"][0]["confirmed"] is False

    resp = api("organiser").post(f"{ORGS}/{org.id}/confirm")
    assert resp.status_code == 200 and resp.json["confirmed"] is True
    assert report(api)[org.id]["label"] == "Kozan Belediyesi"
    assert api("organiser").post(f"{ORGS}/{org.id}/confirm").status_code == 409
    assert api("organiser").get(ORGS, query_string={"unconfirmed": "1"}).json["total"] == 0
    assert "organisation.confirm" in db.session.scalars(sa.select(AuditLog.action)).all()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"organisation": "Nowhere Belediyesi"}, "organisation"),
        ({"organisation": "Yeni Birlik", "organisation_kind": "union"}, "organisation_kind"),
        ({"organisation": "Kozan Belediyesi", "organisation_kind": "town"}, "organisation_kind"),
        (
            {
                "organisation": "Kozan Belediyesi",
                "organisation_kind": "municipality",
                "organisation_province": "Atlantis",
            },
            "organisation_province",
        ),
    ],
)
def test_walk_in_organisation_errors(api, event_today, fields, field):
    resp = walk_in(api, event_today, full_name="Deniz Ak", **fields)
    assert resp.status_code == 422, resp.json
    assert field in resp.json["error"]["fields"]
    assert db.session.query(Organisation).count() == 0
    assert db.session.query(Contact).count() == 0


def test_merge_moves_contacts_and_invitations(api, event_today, create_organisation):
    target = create_organisation(name="Kozan Belediyesi", province="Adana")
    resp = walk_in(
        api,
        event_today,
        full_name="Hasan Yıldırım",
        organisation="Kozan Bld.",
        organisation_kind="municipality",
    )
    assert resp.status_code == 201, resp.json
    walk = resp.json
    stray = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Kozan Bld."))
    assert stray.confirmed is False
    assert report(api)[stray.id]["label"] == "Kozan Bld. (unconfirmed)"

    client = api("organiser")
    assert client.post(f"{ORGS}/{stray.id}/merge", json={"into": stray.id}).status_code == 422
    assert client.post(f"{ORGS}/{stray.id}/merge", json={"into": 999999}).status_code == 422
    assert client.post(f"{ORGS}/{target.id}/merge", json={"into": stray.id}).status_code == 409
    assert (
        api("coordinator").post(f"{ORGS}/{stray.id}/merge", json={"into": target.id}).status_code
        == 403
    )

    resp = client.post(f"{ORGS}/{stray.id}/merge", json={"into": target.id})
    assert resp.status_code == 200, resp.json
    assert resp.json["id"] == target.id
    db.session.expire_all()
    assert db.session.get(Organisation, stray.id) is None
    assert db.session.get(Contact, walk["contact_id"]).organisation_id == target.id
    assert db.session.get(Invitation, walk["invitation_id"]).organisation_id == target.id
    rows = report(api)
    assert stray.id not in rows and rows[target.id]["attended"] == 1
    assert rows[target.id]["label"] == "Kozan Belediyesi"
    merged = db.session.scalar(
        sa.select(AuditLog).where(AuditLog.action == "organisation.merged_into")
    )
    assert merged.object_id == target.id and merged.data["merged_name"] == "Kozan Bld."
    assert merged.data["moved"] == {"contacts": 1, "invitations": 1}


def test_pages_list_confirm_and_merge(client, auth, api, event_today, create_organisation):
    target = create_organisation(name="Kozan Belediyesi")
    kozan(api, event_today, organisation="Kozan Bld")
    kozan(api, event_today, organisation="Feke Belediyesi", email="f@feke.example")
    stray, feke = (
        db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
        for name in ("Kozan Bld", "Feke Belediyesi")
    )
    auth.login("organiser")
    overview = client.get("/organisations").get_data(as_text=True)
    assert "2 organisations recorded at the door wait for confirmation" in overview
    listing = client.get("/organisations?unconfirmed=1").get_data(as_text=True)
    assert "Kozan Bld" in listing and "Feke Belediyesi" in listing
    assert f">{target.name}</a>" not in listing
    # unconfirmed ones are no choice in the contact form
    form = client.get("/contacts/new").get_data(as_text=True)
    assert f'value="{target.id}"' in form and f'value="{stray.id}"' not in form

    page = client.get(f"/organisations/{feke.id}").get_data(as_text=True)
    assert "Recorded at the door, not yet confirmed" in page
    resp = post_form(client, f"/organisations/{feke.id}/confirm", {})
    assert resp.status_code == 302
    db.session.refresh(feke)
    assert feke.confirmed is True

    resp = post_form(client, f"/organisations/{stray.id}/merge", {"into": str(target.id)})
    assert resp.status_code == 302 and resp.location.endswith(f"/organisations/{target.id}")
    db.session.expire_all()
    assert db.session.get(Organisation, stray.id) is None
    assert db.session.query(Contact).filter_by(organisation_id=target.id).count() == 1
