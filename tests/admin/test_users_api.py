"""`GET /api/v1/users` for administrators."""

from __future__ import annotations


def test_lists_users_with_their_union_code(app, api, create_user, create_organisation):
    mbb = create_organisation(kind="union", code="MBB")
    admin = api("admin")
    create_user("organiser", email="reyhanli@example.org", name="Reyhanlı", union_id=mbb.id)
    gone = create_user("staff", email="gone@example.org", active=False)
    resp = admin.get("/api/v1/users?per_page=500")
    assert resp.status_code == 200
    by_email = {item["email"]: item for item in resp.json["items"]}
    assert resp.json["total"] == len(by_email) == 3
    assert by_email["reyhanli@example.org"] == {
        "id": by_email["reyhanli@example.org"]["id"],
        "email": "reyhanli@example.org",
        "name": "Reyhanlı",
        "role": "organiser",
        "union": "MBB",
        "active": True,
    }
    assert by_email[gone.email]["active"] is False and by_email[gone.email]["union"] is None
    assert set(by_email[gone.email]) == {"id", "email", "name", "role", "union", "active"}


def test_filters_and_pages(app, api, create_user, create_organisation):
    mbb = create_organisation(kind="union", code="MBB")
    admin = api("admin")
    for n in range(4):
        create_user("staff", union_id=mbb.id if n % 2 else None)
    page = admin.get("/api/v1/users?per_page=2&page=2").json
    assert page["total"] == 5 and len(page["items"]) == 2
    assert admin.get("/api/v1/users?union=mbb").json["total"] == 2
    assert admin.get("/api/v1/users?union=none&role=staff").json["total"] == 2
    assert admin.get("/api/v1/users?active=false").json["total"] == 0
    assert admin.get("/api/v1/users?role=boss").status_code == 422
    assert admin.get("/api/v1/users?per_page=501").status_code == 422


def test_a_union_admin_lists_their_unions_users(app, api, client, create_user, create_organisation):
    from reslog_events.auth.operations import create_token
    from reslog_events.extensions import db
    from tests.support.factories import ApiClient

    mbb = create_organisation(kind="union", code="MBB")
    cbb = create_organisation(kind="union", code="CBB")
    union_admin = create_user("admin", union_id=mbb.id)
    token = create_token(union_admin)
    db.session.commit()
    create_user("organiser", union_id=mbb.id)
    create_user("organiser", union_id=cbb.id)
    create_user("organiser")
    items = ApiClient(client, token).get("/api/v1/users").json["items"]
    assert {item["union"] for item in items} == {"MBB"} and len(items) == 2


def test_other_roles_may_not(app, api):
    for role in ("organiser", "staff", "coordinator"):
        assert api(role).get("/api/v1/users").status_code == 403
    assert api(None).get("/api/v1/users").status_code == 401
