"""The administrators' pages: list, invite, role and union, deactivate, reactivate, tokens;
a union's administrator only for their union's users; everyone's own account page."""

from __future__ import annotations

import sqlalchemy as sa

from tests.support.forms import csrf_token, post_form


def _post(client, path: str, data: dict | None = None, page: str = "/account"):
    return client.post(path, data={"csrf_token": csrf_token(client, page), **(data or {})})


def _audit_actions() -> list[str]:
    from reslog_events.audit.models import AuditLog
    from reslog_events.extensions import db

    return list(db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)))


def test_an_admin_manages_a_user(app, client, auth, create_user, create_organisation):
    from reslog_events.extensions import db

    mbb = create_organisation(kind="union", code="MBB")
    person = create_user("staff", name="Ayşe Yılmaz")
    admin = auth.login("admin") and auth.user
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "Ayşe Yılmaz" in listing and admin.email in listing
    page = client.get(f"/admin/users/{person.id}")
    assert page.status_code == 200
    resp = _post(
        client, f"/admin/users/{person.id}/role", {"role": "organiser", "union_id": str(mbb.id)}
    )
    assert resp.status_code == 302
    db.session.refresh(person)
    assert person.role.value == "organiser" and person.union_id == mbb.id
    bad = _post(client, f"/admin/users/{person.id}/role", {"role": "boss"})
    assert bad.status_code == 422 and 'id="e-role"' in bad.get_data(as_text=True)
    not_a_union = _post(
        client, f"/admin/users/{person.id}/role", {"role": "staff", "union_id": "999999"}
    )
    assert not_a_union.status_code == 422
    assert 'id="e-union_id"' in not_a_union.get_data(as_text=True)
    assert _post(client, f"/admin/users/{person.id}/deactivate").status_code == 302
    db.session.refresh(person)
    assert not person.active
    assert "Deactivated" in client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert _post(client, f"/admin/users/{person.id}/reactivate").status_code == 302
    db.session.refresh(person)
    assert person.active
    assert _audit_actions()[-3:] == ["user.set_role", "user.deactivate", "user.reactivate"]


def test_an_admin_cannot_lock_themselves_out(app, client, auth):
    from reslog_events.extensions import db

    auth.login("admin")
    me = auth.user
    resp = _post(client, f"/admin/users/{me.id}/deactivate")
    assert resp.status_code == 302
    db.session.refresh(me)
    assert me.active
    assert _post(client, f"/admin/users/{me.id}/role", {"role": "staff"}).status_code == 422
    db.session.refresh(me)
    assert me.role.value == "admin"


def test_a_union_admin_manages_only_their_union(
    app, client, auth, create_user, create_organisation
):
    from reslog_events.extensions import db

    mbb = create_organisation(kind="union", code="MBB")
    cbb = create_organisation(kind="union", code="CBB")
    ours = create_user("staff", name="Marmara kapı", union_id=mbb.id)
    theirs = create_user("staff", name="Çukurova kapı", union_id=cbb.id)
    everyone = create_user("organiser", name="Programme-wide")
    auth.login("admin", user=create_user("admin", union_id=mbb.id))
    listing = client.get("/admin/users").get_data(as_text=True)
    assert "Marmara kapı" in listing
    assert "Çukurova kapı" not in listing and "Programme-wide" not in listing
    for other in (theirs, everyone):
        assert client.get(f"/admin/users/{other.id}").status_code == 404
        assert _post(client, f"/admin/users/{other.id}/deactivate").status_code == 404
        assert _post(client, f"/admin/users/{other.id}/password-reset").status_code == 404
        db.session.refresh(other)
        assert other.active
    # their union only: another union or none is refused, the own one is kept
    resp = _post(
        client, f"/admin/users/{ours.id}/role", {"role": "organiser", "union_id": str(cbb.id)}
    )
    assert resp.status_code == 302
    db.session.refresh(ours)
    assert ours.union_id == mbb.id and ours.role.value == "organiser"
    invite = post_form(
        client,
        "/admin/users/invite",
        {"email": "yeni@example.org", "role": "staff", "union_id": "", "language": "tr"},
    )
    assert invite.status_code == 302
    from reslog_events.auth.models import User

    new = db.session.scalar(sa.select(User).where(User.email == "yeni@example.org"))
    assert new.union_id == mbb.id
    # the audit log shows what their union's users did
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "user.invite" in log


def test_invite_refuses_a_known_email_and_bad_input(app, client, auth, create_user):
    existing = create_user("staff")
    auth.login("admin")
    resp = post_form(
        client,
        "/admin/users/invite?lang=tr",
        {"email": existing.email, "role": "staff", "language": "tr"},
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'id="e-email"' in html and "zaten var" in html
    resp = post_form(
        client, "/admin/users/invite", {"email": "not-an-email", "role": "staff", "language": "xx"}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'id="e-email"' in html and 'id="e-language"' in html


def test_tokens_own_and_as_admin(app, client, auth, create_user):
    from reslog_events.auth.models import ApiToken
    from reslog_events.auth.operations import create_token
    from reslog_events.extensions import db

    auth.login("staff")
    me = auth.user
    mine = create_token(me, "telefon")
    other = create_user("organiser")
    theirs = create_token(other, "laptop")
    db.session.commit()
    page = client.get("/account").get_data(as_text=True)
    assert mine[:10] in page and theirs[:10] not in page and mine not in page
    ids = dict(db.session.execute(sa.select(ApiToken.name, ApiToken.id)).all())
    # someone else's token is not there for a non-admin
    assert _post(client, f"/tokens/{ids['laptop']}/revoke").status_code == 404
    assert _post(client, f"/tokens/{ids['telefon']}/revoke").status_code == 302
    headers = {"Authorization": f"Bearer {mine}"}
    assert app.test_client().get("/api/v1/events", headers=headers).status_code == 401
    # an administrator revokes the other's token from the user's page
    admin_browser = app.test_client()
    from tests.support.factories import AuthActions

    AuthActions(admin_browser, create_user).login("admin")
    page = admin_browser.get(f"/admin/users/{other.id}").get_data(as_text=True)
    assert theirs[:10] in page
    resp = _post(admin_browser, f"/tokens/{ids['laptop']}/revoke")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/admin/users/{other.id}")
    headers = {"Authorization": f"Bearer {theirs}"}
    assert app.test_client().get("/api/v1/events", headers=headers).status_code == 401
    assert _audit_actions().count("token.revoke") == 2


def test_a_wrong_current_password_changes_nothing(app, client, auth):
    auth.login("organiser")
    resp = post_form(
        client,
        "/account",
        {
            "current_password": "not it",
            "new_password": "a long new password",
            "repeat_password": "a long new password",
        },
    )
    assert resp.status_code == 422 and 'id="e-current_password"' in resp.get_data(as_text=True)
    assert client.get("/events").status_code == 200
