"""Targets and the pilot list: create, change, delete (API and page), each audited; bad input
is a 4xx naming the field, in the reader's language; nothing is half-saved."""

from __future__ import annotations

import pytest

from tests.results.conftest import reader
from tests.support.forms import csrf_token

MARCH = {"period_start": "2025-03-01", "period_end": "2025-03-31"}


def audit_rows(action: str) -> list:
    import sqlalchemy as sa

    from reslog_events.audit.models import AuditLog
    from reslog_events.extensions import db

    return list(db.session.scalars(sa.select(AuditLog).where(AuditLog.action == action)))


def targets() -> list:
    import sqlalchemy as sa

    from reslog_events.extensions import db
    from reslog_events.results.models import ResultTarget

    db.session.expire_all()
    return list(db.session.scalars(sa.select(ResultTarget).order_by(ResultTarget.id)))


def test_targets_crud_is_audited(client, create_user, app):
    admin = reader(client, create_user, "admin")
    made = admin.post(
        "/api/v1/results/targets", json={"indicator": "share_women", "target": 45.5, **MARCH}
    )
    assert made.status_code == 201, made.json
    ident = made.json["id"]
    assert made.json | {"updated_at": None} == {
        "id": ident,
        "indicator": "share_women",
        "period_start": "2025-03-01",
        "period_end": "2025-03-31",
        "target": 45.5,
        "set_by_id": made.json["set_by_id"],
        "updated_at": None,
    }
    (created,) = audit_rows("result_target.create")
    assert created.object_id == ident and created.data["target"] == 45.5
    assert created.user_id == made.json["set_by_id"]

    listed = admin.get("/api/v1/results/targets").json
    assert listed["total"] == 1 and listed["items"][0]["id"] == ident

    changed = admin.patch(f"/api/v1/results/targets/{ident}", json={"target": 50})
    assert changed.status_code == 200 and changed.json["target"] == 50
    (updated,) = audit_rows("result_target.update")
    assert updated.data["before"]["target"] == 45.5 and updated.data["after"]["target"] == 50

    assert admin.delete(f"/api/v1/results/targets/{ident}").status_code == 204
    assert targets() == []
    (deleted,) = audit_rows("result_target.delete")
    assert deleted.data["indicator"] == "share_women"
    assert admin.delete(f"/api/v1/results/targets/{ident}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "turkish"),
    [
        ({"indicator": "happiness", "target": 3, **MARCH}, "indicator", "Göstergelerden birini"),
        ({"indicator": "share_women", "target": 140, **MARCH}, "target", "0 ile 100"),
        ({"indicator": "unions_reached", "target": 2.5, **MARCH}, "target", "tam sayı"),
        (
            {"indicator": "unions_reached", "target": 2, **MARCH, "period_end": "2025-02-01"},
            "period_end",
            "Bitiş",
        ),
        ({"indicator": "unions_reached", "target": -1, **MARCH}, "target", "En az 0"),
        ({"indicator": "unions_reached", "target": "üç", **MARCH}, "target", None),
        ({"indicator": "unions_reached", **MARCH}, "target", "zorunlu"),
    ],
)
def test_bad_targets_are_refused_in_the_reader_s_language(
    client, create_user, app, body, field, turkish
):
    admin = reader(client, create_user, "admin")
    resp = admin.post("/api/v1/results/targets?lang=tr", json=body)
    assert resp.status_code == 422, resp.json
    assert field in resp.json["error"]["fields"]
    if turkish:
        assert turkish in resp.json["error"]["fields"][field], resp.json
    assert targets() == []


def test_one_target_per_indicator_and_period(client, create_user, app):
    admin = reader(client, create_user, "admin")
    body = {"indicator": "unions_reached", "target": 3, **MARCH}
    assert admin.post("/api/v1/results/targets", json=body).status_code == 201
    again = admin.post("/api/v1/results/targets", json=body | {"target": 4})
    assert again.status_code == 409 and "indicator" in again.json["error"]["fields"]
    other = admin.post("/api/v1/results/targets", json=body | {"indicator": "share_women"}).json
    # moving another target onto the same indicator and period is refused too
    moved = admin.patch(
        f"/api/v1/results/targets/{other['id']}", json={"indicator": "unions_reached"}
    )
    assert moved.status_code == 409
    assert [t.target for t in targets()] == [3, 3]


def test_only_administrators_set_targets(client, create_user, app):
    body = {"indicator": "unions_reached", "target": 3, **MARCH}
    for role in ("organiser", "coordinator", "staff"):
        resp = reader(client, create_user, role).post("/api/v1/results/targets", json=body)
        assert resp.status_code == 403, role
    assert targets() == []


def test_pilot_list_api(client, create_user, create_organisation, app):
    admin = reader(client, create_user, "admin")
    sisli = create_organisation(name="Şişli Belediyesi", province="İstanbul")
    added = admin.post("/api/v1/results/pilot-organisations", json={"organisation_id": sisli.id})
    assert added.status_code == 201 and added.json["name"] == "Şişli Belediyesi"
    again = admin.post("/api/v1/results/pilot-organisations", json={"organisation_id": sisli.id})
    assert again.status_code == 200
    unknown = admin.post("/api/v1/results/pilot-organisations", json={"organisation_id": 999999})
    assert unknown.status_code == 422 and "organisation_id" in unknown.json["error"]["fields"]
    listed = reader(client, create_user).get("/api/v1/results/pilot-organisations").json
    assert [item["name"] for item in listed["items"]] == ["Şişli Belediyesi"]
    assert len(audit_rows("pilot_list.add")) == 1
    path = f"/api/v1/results/pilot-organisations/{sisli.id}"
    assert admin.delete(path).status_code == 204
    assert admin.delete(path).status_code == 404
    assert len(audit_rows("pilot_list.remove")) == 1


def test_admin_page_sets_changes_and_deletes_targets(client, auth, app):
    from reslog_events.results.models import ResultTarget

    auth.login("admin")
    token = {"csrf_token": csrf_token(client, "/admin/results")}
    page = client.get("/admin/results?lang=tr")
    assert page.status_code == 200 and "Hedefler ve pilot listesi" in page.get_data(as_text=True)
    form = {"indicator": "share_women", "period_start": "2025-03-01", "period_end": "2025-03-31"}
    form |= token
    bad = client.post("/admin/results/targets?lang=tr", data=form | {"target": "140"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "0 ile 100" in html and 'value="2025-03-31"' in html  # kept what was typed
    assert targets() == []
    good = client.post("/admin/results/targets", data=form | {"target": "45"})
    assert good.status_code == 302
    (row,) = targets()
    edit = client.get(f"/admin/results?edit={row.id}").get_data(as_text=True)
    assert 'value="45"' in edit
    changed = client.post(f"/admin/results/targets/{row.id}", data=form | {"target": "50"})
    assert changed.status_code == 302
    assert targets()[0].target == 50
    assert client.post(f"/admin/results/targets/{row.id}/delete", data=token).status_code == 302
    assert targets() == []
    assert ResultTarget.query.count() == 0
    assert [len(audit_rows(f"result_target.{a}")) for a in ("create", "update", "delete")] == [
        1,
        1,
        1,
    ]


def test_admin_page_keeps_the_pilot_list(client, auth, create_organisation, app):
    reyhanli = create_organisation(name="Reyhanlı Belediyesi", province="Hatay")
    auth.login("admin")
    assert "Reyhanlı Belediyesi" in client.get("/admin/results").get_data(as_text=True)
    token = {"csrf_token": csrf_token(client, "/admin/results")}
    resp = client.post("/admin/results/pilot", data=token | {"organisation_id": str(reyhanli.id)})
    assert resp.status_code == 302
    assert len(audit_rows("pilot_list.add")) == 1
    bad = client.post("/admin/results/pilot", data=token | {"organisation_id": "x"})
    assert bad.status_code == 422
    resp = client.post(f"/admin/results/pilot/{reyhanli.id}/remove", data=token)
    assert resp.status_code == 302
    again = client.post(f"/admin/results/pilot/{reyhanli.id}/remove", data=token)
    assert again.status_code == 404
