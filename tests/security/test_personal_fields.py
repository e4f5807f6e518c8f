"""Which personal fields each role receives: every API endpoint (the role matrix's REGISTRY) and
every GET page (the page matrix), called as each role and without logging in, over a world whose
personal values are recognisable; what comes back is compared with the reviewed allow-list
below. A new endpoint, page or template that shows a role more than its job needs fails here.

Organisers and admins keep the directory and see everything (they edit it); the list is about the
others: door staff, coordinators and anyone without an account (the public programme, feeds, and
an invitee's own RSVP pages through the secret link).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest

from reslog_events.core.api import REGISTRY
from tests.security.test_page_matrix import PAGES
from tests.support.programme import add_programme

#: one recognisable value per personal field (ASCII: JSON escapes other letters)
MARKERS = {
    "full_name": "Zeynep Markeroglu",
    "email": "zeynep.markeroglu@example.org",
    "phone": "+90 532 555 0199",
    "position": "Markerposition Deputy",
    "dietary_needs": "Markerdiet gluten",
    "accessibility_needs": "Markeraccess ramp",
    "site_contact_name": "Sitecontact Markerhost",
    "site_contact_phone": "+90 212 555 0177",
    "site_contact_email": "site.markerhost@example.org",
    "travel_details": "Markertravel TK1234",
    "visa_notes": "Markervisa consulate",
    "accommodation_notes": "Markerhotel Cukurova",
    "organiser_email": "ayse.markerorganiser@example.org",
}
#: the contact's gender, found by its JSON key (the word itself is on every report page)
GENDER = "female"

STAFF, COORDINATOR, ANONYMOUS = "staff", "coordinator", "anonymous"
ROLES = ("admin", "organiser", STAFF, COORDINATOR, ANONYMOUS)
#: admins and organisers edit the directory and the visits: they may receive every field
EDITORS = {"admin", "organiser"}
DOOR_PERSON = {"full_name"}
#: an invitee's own pages, opened with the secret link from their email (by whoever holds it,
#: logged in or not): their name, address and needs, and the organiser to contact
RSVP_LINK = {
    "/rsvp/<token>": {"full_name", "dietary_needs", "accessibility_needs", "organiser_email"},
    "/rsvp/<token>/calendar.ics": {"full_name", "email"},  # the calendar entry's attendee
}
#: what the others receive, surface by surface (an API endpoint "GET /rule" or a page rule);
#: a surface not listed gives that role no personal field
ALLOWED: dict[str, dict[str, set[str]]] = {
    STAFF: {
        # the door: who is invited (names and organisations; the email only as a hint)
        "GET /events/<int:event_id>/checkins": DOOR_PERSON,
        "GET /events/<int:event_id>/checkins/search": DOOR_PERSON,
        "GET /events/<int:event_id>/checkins/expected": DOOR_PERSON,
        "GET /events/<int:event_id>/scans": DOOR_PERSON,
        "POST /events/<int:event_id>/checkins": DOOR_PERSON,
        "POST /events/<int:event_id>/checkins/manual": DOOR_PERSON,
        "DELETE /events/<int:event_id>/checkins/<int:checkin_id>": DOOR_PERSON,
        "/events/<int:event_id>/checkin/log": DOOR_PERSON,
        "/events/<int:event_id>/checkin/log.csv": DOOR_PERSON,
        **RSVP_LINK,
    },
    COORDINATOR: RSVP_LINK,
    ANONYMOUS: RSVP_LINK,
}

#: the answer to a call can depend on its query: search for the seeded person
QUERIES = {
    ("GET", "/events/<int:event_id>/checkins/search"): {"q": "Zeynep"},
    ("GET", "/reports/attendance"): {"group_by": "gender"},
}
#: path parameters → the world's ids
PATH_IDS = {
    "organisation_id": "org",
    "contact_id": "contact",
    "event_id": "event",
    "invitation_id": "invitation",
    "checkin_id": "checkin",
    "session_id": "session",
    "site_id": "site",
    "member_id": "member",
    "run_id": "run",
    "document_id": "document",
}


def _bodies(ids: dict) -> dict[tuple[str, str], dict]:
    """Bodies for the writes that staff or coordinators may call (run in this order, so that
    the scan, the manual check-in and the undo each find what they need)."""
    return {
        ("POST", "/events/<int:event_id>/checkins"): {
            "code": ids["code"],
            "gate": "A",
            "nonce": "fields-scan-1",
        },
        ("POST", "/events/<int:event_id>/checkins/manual"): {
            "invitation_id": ids["invitation"],
            "gate": "A",
            "nonce": "fields-manual-1",
        },
        ("POST", "/events/<int:event_id>/walk-ins"): {
            "full_name": "Yeni Gelen",
            "gate": "A",
            "nonce": "fields-walkin-1",
        },
        ("DELETE", "/events/<int:event_id>/checkins/<int:checkin_id>"): {},
        ("POST", "/reports/runs"): {"group_by": "gender"},
    }


def _text(resp) -> str:
    data = resp.get_data()
    if data[:2] == b"PK":  # XLSX: the strings are in the zip's XML parts
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return data.decode("utf-8", "replace")


def _has_gender(value) -> bool:
    if isinstance(value, dict):
        return value.get("gender") == GENDER or any(_has_gender(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_gender(v) for v in value)
    return False


def _fields(resp) -> set[str]:
    text = _text(resp)
    found = {field for field, marker in MARKERS.items() if marker in text}
    if resp.mimetype == "application/json" and _has_gender(json.loads(text or "null")):
        found.add("gender")
    return found


@pytest.fixture(scope="module")
def world(_app):
    from reslog_events.core.columns import utcnow
    from reslog_events.documents.models import Visibility
    from reslog_events.documents.operations import write_minutes
    from reslog_events.extensions import db, limiter
    from reslog_events.programme.feeds import issue_feed_secret
    from tests.conftest import _empty_tables
    from tests.support import factories

    with _app.app_context():
        anonymous = _app.test_client()
        create_user, create_organisation, create_event, create_contact, create_invitation = (
            factories.makers(_app)
        )
        owner = create_user("organiser", email=MARKERS["organiser_email"], name="Ayse Owner")
        union = create_organisation(name="Birlik", kind="union", code="MBB")
        org = create_organisation(name="Sisli Belediyesi", unions=[union])
        contact = create_contact(
            organisation=org,
            full_name=MARKERS["full_name"],
            email=MARKERS["email"],
            phone=MARKERS["phone"],
            position=MARKERS["position"],
            gender=GENDER,
        )
        starts = utcnow().replace(microsecond=0) - timedelta(hours=1)
        event = create_event(
            starts_at=starts, is_public=True, published_at=utcnow(), organiser_id=owner.id
        )
        draft = create_event(status="draft")
        new = create_invitation(
            event=event,
            contact=contact,
            status="accepted",
            dietary_needs=MARKERS["dietary_needs"],
            accessibility_needs=MARKERS["accessibility_needs"],
        )
        organiser = factories.api(_app, anonymous, create_user)("organiser")
        programme = add_programme(
            organiser,
            event,
            new.invitation.id,
            site={
                "contact_name": MARKERS["site_contact_name"],
                "contact_phone": MARKERS["site_contact_phone"],
                "contact_email": MARKERS["site_contact_email"],
            },
            member={
                "travel_details": MARKERS["travel_details"],
                "visa_notes": MARKERS["visa_notes"],
                "accommodation_notes": MARKERS["accommodation_notes"],
            },
        )
        run = organiser.post("/api/v1/reports/runs", json={"group_by": "organisation"}).json
        feed_secret = issue_feed_secret(create_user("staff"))
        document = organiser.post(
            f"/api/v1/events/{event.id}/documents",
            data={"file": (io.BytesIO(b"%PDF-1.4 agenda"), "gundem.pdf"), "visibility": "invitees"},
            content_type="multipart/form-data",
        ).json
        minutes = write_minutes(event, "Tutanak", "Kararlar", Visibility.invitees, by=owner)
        db.session.commit()
        pages = {ANONYMOUS: anonymous}
        apis = {}
        for role in ROLES[:-1]:
            pages[role] = _app.test_client()
            assert factories.AuthActions(pages[role], create_user).login(role).status_code == 302
            apis[role] = factories.api(_app, _app.test_client(), create_user)(role)
        ids = {
            "org": org.id,
            "contact": contact.id,
            "event": event.id,
            "draft": draft.id,
            "invitation": new.invitation.id,
            "token": new.rsvp_token,
            "code": new.checkin_code,
            **programme,
            "run": run["id"],
            "feed_secret": feed_secret,
            "document": document["id"],
            "minutes": minutes.id,
        }
        yield ids, pages, apis
    _empty_tables(_app)
    limiter.reset()


class _Ids(dict):
    """The world's ids for a page's path; a name this world has no row for gives a path that
    finds nothing (add the row here when such a page shows people)."""

    def __missing__(self, key: str) -> str:
        return "0"


def _api_path(rule: str, ids: dict) -> str:
    def value(match: re.Match) -> str:
        return str(_Ids(ids)[PATH_IDS.get(match.group(1), "")])

    return "/api/v1" + re.sub(r"<(?:\w+:)?(\w+)>", value, rule)


def _checkin_id(ids: dict) -> int:
    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db

    found = db.session.query(CheckIn.id).filter_by(invitation_id=ids["invitation"]).scalar()
    return found or ids["invitation"]


def _declared() -> dict[tuple[str, str], set[str]]:
    """Every @endpoint → the roles it admits (none for the webhooks)."""
    return {(ep.method, ep.rule): {r.value for r in ep.roles or ()} for ep in REGISTRY}


def _walk_api(ids: dict, apis: dict, received: dict) -> None:
    bodies, declared = _bodies(ids), _declared()
    reads = sorted(key for key in declared if key[0] == "GET")
    for role, api in apis.items():
        for method, rule in reads:
            resp = api.get(_api_path(rule, ids), query_string=QUERIES.get((method, rule), {}))
            assert resp.status_code < 500, (method, rule, role)
            if resp.status_code < 400:
                received[role][f"{method} {rule}"] = _fields(resp)
        if role in EDITORS:
            continue  # their writes are checked by their own tests; they see everything
        for (method, rule), body in bodies.items():
            if role not in declared[(method, rule)]:
                continue
            ids["checkin"] = _checkin_id(ids)
            resp = api.open(method, _api_path(rule, ids), json=body)
            assert resp.status_code < 500, (method, rule, role)
            received[role][f"{method} {rule}"] = _fields(resp) if resp.get_data() else set()


def test_every_write_staff_and_coordinators_may_call_has_a_body(app):  # app: every endpoint
    writes = {
        key
        for key, roles in _declared().items()
        if key[0] != "GET" and roles & {STAFF, COORDINATOR}
    }
    assert ("POST", "/events/<int:event_id>/checkins") in writes
    assert writes - set(_bodies(dict.fromkeys(("code", "invitation"), 0))) == set()


def test_each_role_receives_only_its_allowed_personal_fields(world):
    ids, pages, apis = world
    received: dict[str, dict[str, set[str]]] = {role: {} for role in ROLES}
    for rule, (_allowed, path, _status) in sorted(PAGES.items()):
        for role, client in pages.items():
            resp = client.get(path.format_map(_Ids(ids)))
            assert resp.status_code < 500, (rule, role)
            if resp.status_code < 300:
                received[role][rule] = _fields(resp)
    _walk_api(ids, apis, received)
    # the editors do receive the fields, or the markers would not be found anywhere
    seen = set().union(*received["organiser"].values())
    assert seen >= set(MARKERS) | {"gender"}, set(MARKERS) - seen
    leaks = {
        role: {
            surface: sorted(fields - ALLOWED[role].get(surface, set()))
            for surface, fields in by_surface.items()
            if fields - ALLOWED[role].get(surface, set())
        }
        for role, by_surface in received.items()
        if role not in EDITORS
    }
    assert leaks == {STAFF: {}, COORDINATOR: {}, ANONYMOUS: {}}


def test_site_contacts_reach_only_the_editors(api, create_event):
    event = create_event()
    created = api("organiser").post(
        f"/api/v1/events/{event.id}/sites",
        json={
            "day": event.local_starts_at.date().isoformat(),
            "host_name": "Sarıçam Belediyesi",
            "contact_name": "Elif Çukurova",
            "contact_phone": "+90 322 555 0100",
            "contact_email": "elif@saricam.example.org",
        },
    )
    assert created.status_code == 201
    for role in ("admin", "organiser", "staff", "coordinator"):
        (site,) = api(role).get(f"/api/v1/events/{event.id}/sites").json["items"]
        assert site["host_name"] == "Sarıçam Belediyesi", role
        contact = [site["contact_name"], site["contact_phone"], site["contact_email"]]
        if role in EDITORS:
            assert contact == ["Elif Çukurova", "+90 322 555 0100", "elif@saricam.example.org"]
        else:
            assert contact == [None, None, None], role
