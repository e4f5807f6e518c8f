"""Invitation and password-reset links: sent through the outbox in the user's language, one
use, an expiry, only the newest works, stored as hashes; the reset ends old sessions."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.support.factories import PASSWORD
from tests.support.forms import csrf_token, post_form

NEW_PASSWORD = "Sarıçam'da sabah çayı"


def _link_from(message) -> str:
    text = message.get_body(("plain",)).get_content()
    match = re.search(r"http://rsvp\.test(/account/password/[A-Za-z0-9_-]+)", text)
    assert match, text
    return match.group(1)


def _set_password(client, path: str, password: str = NEW_PASSWORD):
    return post_form(client, path, {"new_password": password, "repeat_password": password})


def test_an_invitation_reaches_the_invitee_in_their_language(
    app, client, auth, create_organisation, stub_worker
):
    from reslog_events.admin.models import AccountLink
    from reslog_events.auth.models import Role, User
    from reslog_events.extensions import db

    mbb = create_organisation(kind="union", code="MBB", name="Marmara Belediyeler Birliği")
    auth.login("admin")
    resp = post_form(
        client,
        "/admin/users/invite",
        {
            "email": "Leyla.Haddad@Example.org",
            "name": "Leyla Haddad",
            "role": "staff",
            "union_id": str(mbb.id),
            "language": "ar",
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    user = db.session.scalar(sa.select(User).where(User.email == "leyla.haddad@example.org"))
    assert user.role == Role.staff and user.union_id == mbb.id and user.password_hash == ""
    stub_worker.drain()
    [message] = stub_worker.messages()
    assert message["To"].addresses[0].addr_spec == "leyla.haddad@example.org"
    assert any("\u0600" <= ch <= "\u06ff" for ch in str(message["Subject"])), message["Subject"]
    path = _link_from(message)
    token = path.rsplit("/", 1)[1]
    # only the hash is stored, the outbox row holds a sealed copy
    link = db.session.scalar(sa.select(AccountLink))
    assert link.token_hash != token and token not in repr(link.__dict__)

    visitor = app.test_client()
    assert visitor.get(path).status_code == 200
    short = post_form(visitor, path, {"new_password": "kısa", "repeat_password": "kısa"})
    assert short.status_code == 422 and 'id="e-new_password"' in short.get_data(as_text=True)
    differ = post_form(
        visitor, path, {"new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD + "!"}
    )
    assert differ.status_code == 422 and 'id="e-repeat_password"' in differ.get_data(as_text=True)
    assert _set_password(visitor, path).status_code == 302
    login = post_form(visitor, "/login", {"email": user.email, "password": NEW_PASSWORD})
    assert login.status_code == 302
    # used once: the link is gone, for a stranger too
    assert app.test_client().get(path).status_code == 404
    assert _set_password(app.test_client(), path, "another long password").status_code == 404


def test_an_expired_link_does_not_work(app, client, create_user):
    from reslog_events.admin import operations
    from reslog_events.admin.models import AccountLink
    from reslog_events.extensions import db

    admin = create_user("admin")
    user = create_user("organiser")
    token = operations.send_password_reset(user, by=admin)
    db.session.commit()
    path = f"/account/password/{token}"
    assert client.get(path).status_code == 200
    link = db.session.scalar(sa.select(AccountLink))
    link.created_at -= timedelta(days=2)
    link.expires_at = link.created_at + timedelta(hours=24)
    db.session.commit()
    resp = client.get(path)
    assert resp.status_code == 404
    assert "no longer works" in resp.get_data(as_text=True)


def test_only_the_newest_link_works(app, client, create_user):
    from reslog_events.admin import operations
    from reslog_events.extensions import db

    admin = create_user("admin")
    user = create_user("organiser")
    first = operations.send_password_reset(user, by=admin)
    second = operations.send_password_reset(user, by=admin)
    db.session.commit()
    assert client.get(f"/account/password/{first}").status_code == 404
    assert client.get(f"/account/password/{second}").status_code == 200


def test_a_reset_link_sets_the_password_and_ends_old_sessions(
    app, client, auth, create_user, stub_worker
):
    user = create_user("coordinator", language="sv")
    victim_browser = app.test_client()
    data = {"email": user.email, "password": PASSWORD, "remember": "1"}
    assert post_form(victim_browser, "/login", data).status_code == 302
    cookies = {n: victim_browser.get_cookie(n).value for n in ("session", "remember_token")}

    auth.login("admin")
    token = csrf_token(client, f"/admin/users/{user.id}")
    resp = client.post(f"/admin/users/{user.id}/password-reset", data={"csrf_token": token})
    assert resp.status_code == 302
    stub_worker.drain()
    [message] = stub_worker.messages()
    assert "lösenord" in str(message["Subject"]).lower(), message["Subject"]
    path = _link_from(message)
    assert _set_password(app.test_client(), path).status_code == 302

    for names in (("session", "remember_token"), ("remember_token",), ("session",)):
        replay = app.test_client()
        for name in names:
            replay.set_cookie(name, cookies[name])
        assert replay.get("/events").status_code == 302, names
    fresh = app.test_client()
    assert (
        post_form(fresh, "/login", {"email": user.email, "password": PASSWORD}).status_code == 401
    )
    login = post_form(fresh, "/login", {"email": user.email, "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_a_deactivated_user_cannot_use_a_link(app, client, create_user):
    from reslog_events.admin import operations
    from reslog_events.extensions import db

    admin = create_user("admin")
    user = create_user("organiser")
    token = operations.send_password_reset(user, by=admin)
    operations.deactivate_user(user, by=admin)
    db.session.commit()
    assert client.get(f"/account/password/{token}").status_code == 404


def test_no_link_token_in_clear_in_the_database(app, create_user):
    from reslog_events.admin import operations
    from reslog_events.auth.models import Role
    from reslog_events.extensions import db

    admin = create_user("admin")
    _user, invite = operations.invite_user("yeni@example.org", Role.staff, by=admin)
    reset = operations.send_password_reset(create_user("staff"), by=admin)
    db.session.commit()
    dump = "\n".join(
        repr(tuple(row))
        for table in db.metadata.sorted_tables
        for row in db.session.execute(sa.select(table))
    )
    assert invite not in dump and reset not in dump


def test_someone_who_never_set_a_password_gets_the_invitation_again(app, create_user):
    from reslog_events.admin import operations
    from reslog_events.admin.models import AccountLink, LinkPurpose
    from reslog_events.auth.models import Role
    from reslog_events.extensions import db
    from reslog_events.mail.models import OutgoingEmail

    admin = create_user("admin")
    user, first = operations.invite_user("gec@example.org", Role.staff, by=admin)
    again = operations.send_password_reset(user, by=admin)
    db.session.commit()
    links = db.session.scalars(sa.select(AccountLink).order_by(AccountLink.id)).all()
    assert [link.purpose for link in links] == [LinkPurpose.invite, LinkPurpose.invite]
    assert not links[0].usable() and links[1].usable() and first != again
    kinds = db.session.scalars(sa.select(OutgoingEmail.kind).order_by(OutgoingEmail.id)).all()
    assert kinds == ["account_invite", "account_invite"]
