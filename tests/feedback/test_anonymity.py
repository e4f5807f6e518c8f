"""Anonymity by construction: nothing joins an answer to a person, whatever is queried.

- the answers' tables have no column or foreign key leading to an invitation, a contact, a
  user or a request, no time finer than the day, and random (UUID) keys; on SQLite they have no
  rowid counting the answers in their order;
- no API endpoint and no export gives an answer's key, a name, an address or an invitation
  next to what was answered (every feedback endpoint and export is walked);
- erasing a person leaves the answers as they were and ends their link."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest
import sqlalchemy as sa

from reslog_events.core.api import REGISTRY
from reslog_events.extensions import db
from reslog_events.feedback.models import FeedbackAnswer, FeedbackResponse
from tests.feedback.test_results import ANSWERS, answer_all

ANSWER_TABLES = ("feedback_responses", "feedback_answers")
#: where a person is: no answer table may lead to these
PERSON_TABLES = {"invitations", "contacts", "users", "organisations", "feedback_requests"}
PERSONAL_WORDS = ("invitation", "contact", "user", "person", "email", "name", "token", "request")


def test_the_answer_tables_lead_to_no_person(app):
    tables = db.metadata.tables
    reached: set[str] = set()
    todo = list(ANSWER_TABLES)
    while todo:  # every table reachable from the answers by foreign keys, up to the event
        name = todo.pop()
        if name == "events":
            continue  # an event's own links (its organiser, its host) name no participant
        table = tables[name]
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target not in reached:
                reached.add(target)
                todo.append(target)
    assert reached == {"events", "feedback_responses", "feedback_questions", "feedback_surveys"}
    assert not reached & PERSON_TABLES
    for name in ANSWER_TABLES:
        for column in tables[name].columns:
            assert not any(word in column.name for word in PERSONAL_WORDS), column
            assert not isinstance(column.type, sa.DateTime), column  # a day at most
    assert isinstance(tables["feedback_responses"].c.id.type, sa.Uuid)
    # nor does the invitations' side name an answer
    requests = tables["feedback_requests"]
    assert {fk.column.table.name for fk in requests.foreign_keys} == {"invitations"}
    names = {c.name for c in requests.columns}
    assert names == {"id", "invitation_id", "token_hash", "token_sealed", "sent_at", "answered"}
    assert isinstance(requests.c.answered.type, sa.Boolean)  # when: not kept


def test_no_rowid_orders_the_answers_on_sqlite(app, is_postgres, ended, survey, participant):
    answer_all(ended, participant, ANSWERS[:3])
    ids = db.session.scalars(sa.select(FeedbackResponse.id)).all()
    assert len(ids) == 3 and all(uuid.UUID(str(i)).version == 4 for i in ids)
    if is_postgres:
        return
    for table in ANSWER_TABLES:
        with pytest.raises(sa.exc.OperationalError), db.engine.connect() as conn:
            conn.exec_driver_sql(f"SELECT rowid FROM {table}")


def _text(resp) -> str:
    data = resp.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return data.decode("utf-8", "replace")


def _feedback_surfaces(event_id: int) -> list[str]:
    """Every feedback API endpoint that reads (with each format) and every results page."""
    paths = []
    for ep in REGISTRY:
        if ep.tag != "feedback_api" or ep.method != "GET":
            continue
        path = "/api/v1" + ep.rule.replace("<int:event_id>", str(event_id))
        paths += [path, f"{path}?format=csv", f"{path}?format=xlsx"]
    return paths + [
        f"/events/{event_id}/feedback",
        f"/events/{event_id}/feedback.csv",
        f"/events/{event_id}/feedback.xlsx",
        "/reports",
    ]


def test_no_endpoint_or_export_joins_an_answer_to_a_person(
    app, api, client, auth, ended, survey, participant
):
    answer_all(ended, participant, ANSWERS)
    secrets = set()
    for contact_id, email, name in db.session.execute(
        sa.text("SELECT id, email, full_name FROM contacts")
    ):
        secrets |= {email, name}
    secrets |= {str(i) for i in db.session.scalars(sa.select(FeedbackResponse.id))}
    secrets |= {str(i).replace("-", "") for i in db.session.scalars(sa.select(FeedbackResponse.id))}
    auth.login("organiser")
    surfaces = _feedback_surfaces(ended.id)
    assert len(surfaces) >= 10
    for path in surfaces:
        for caller in ("organiser", "page"):
            resp = client.get(path) if caller == "page" else api("organiser").get(path)
            if resp.status_code in (401, 403) or (caller == "page" and path.startswith("/api")):
                continue
            assert resp.status_code == 200, (path, resp.status_code)
            text = _text(resp)
            leaked = [s for s in secrets if s and s in text]
            assert leaked == [], (path, leaked)
            if resp.mimetype == "application/json":
                _no_person_keys(json.loads(text), path)


def _no_person_keys(value, path):
    if isinstance(value, dict):
        for key, item in value.items():
            assert key not in {
                "invitation_id",
                "contact_id",
                "response_id",
                "user_id",
                "answered_on",
            }, (path, key)
            _no_person_keys(item, path)
    elif isinstance(value, list):
        for item in value:
            _no_person_keys(item, path)


def test_the_openapi_document_has_no_person_in_feedback(client, app):
    spec = client.get("/api/v1/openapi.json").json
    feedback = {k: v for k, v in spec["paths"].items() if "feedback" in k}
    assert len(feedback) == 4
    text = json.dumps(feedback) + json.dumps(
        {k: v for k, v in spec["components"]["schemas"].items() if k in _referenced(feedback, spec)}
    )
    for word in ("invitation_id", "contact_id", "response_id", "full_name", "email", "answered_on"):
        assert word not in text, word


def _referenced(value, spec, seen=None) -> set[str]:
    seen = set() if seen is None else seen
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                _referenced(spec["components"]["schemas"][name], spec, seen)
        for item in value.values():
            _referenced(item, spec, seen)
    elif isinstance(value, list):
        for item in value:
            _referenced(item, spec, seen)
    return seen


def test_erasure_leaves_the_answers_and_the_person_s_export_has_none(
    app, api, ended, survey, participant
):
    answer_all(ended, participant, ANSWERS[:2])
    before = sorted(
        repr((a.scale, a.choice, a.text)) for a in db.session.scalars(sa.select(FeedbackAnswer))
    )
    contact_id = db.session.scalar(sa.text("SELECT MIN(id) FROM contacts"))
    export = api("organiser").get(f"/api/v1/contacts/{contact_id}/export")
    assert export.status_code == 200
    assert "Şişli'de yine yapılsın" not in export.get_data(as_text=True)
    resp = api("organiser").post(f"/api/v1/contacts/{contact_id}/erase", json={"confirm": True})
    assert resp.status_code == 200
    db.session.expire_all()
    after = sorted(
        repr((a.scale, a.choice, a.text)) for a in db.session.scalars(sa.select(FeedbackAnswer))
    )
    assert after == before
    assert db.session.scalar(sa.select(sa.func.count(FeedbackResponse.id))) == 2
