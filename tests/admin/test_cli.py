"""`flask users deactivate|reactivate|set-role|list` and `flask tokens list|revoke`."""

from __future__ import annotations

import sqlalchemy as sa


def _audit(action: str):
    from reslog_events.audit.models import AuditLog
    from reslog_events.extensions import db

    return db.session.scalars(sa.select(AuditLog).where(AuditLog.action == action)).all()


def test_deactivate_refuses_the_users_tokens_within_ten_seconds(
    app, runner, create_user, monkeypatch
):
    """Another process (here: plain SQL, which no process sees) deactivates the user: a
    process that trusted the token refuses it once TOKEN_TRUST_SECONDS (≤ 10) have passed."""
    from reslog_events.auth import operations
    from reslog_events.auth.models import User
    from reslog_events.auth.operations import create_token
    from reslog_events.extensions import db

    assert operations.TOKEN_TRUST_SECONDS <= 10
    user = create_user("staff")
    token = create_token(user)
    db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/events", headers=headers).status_code == 200
    with db.engine.begin() as conn:
        conn.execute(
            sa.update(User.__table__).where(User.__table__.c.id == user.id).values(active=False)
        )
    clock = operations.time.monotonic()
    monkeypatch.setattr(
        operations.time, "monotonic", lambda: clock + operations.TOKEN_TRUST_SECONDS + 0.1
    )
    db.session.expire_all()
    assert client.get("/api/v1/events", headers=headers).status_code == 401


def test_deactivate_and_reactivate_by_command(app, runner, create_user, api):
    from reslog_events.extensions import db

    staff = api("staff")
    assert staff.get("/api/v1/events").status_code == 200
    from reslog_events.auth.models import ApiToken, User

    user = db.session.scalar(sa.select(User).join(ApiToken))
    result = runner.invoke(args=["users", "deactivate", user.email.upper()])
    assert result.exit_code == 0 and "Deactivated" in result.output
    assert staff.get("/api/v1/events").status_code == 401  # this process: at once
    again = runner.invoke(args=["users", "deactivate", user.email])
    assert again.exit_code == 0 and "inactive already" in again.output
    assert runner.invoke(args=["users", "reactivate", user.email]).exit_code == 0
    assert staff.get("/api/v1/events").status_code == 200
    assert [e.actor for e in _audit("user.deactivate")] == ["cli"]
    assert len(_audit("user.reactivate")) == 1
    missing = runner.invoke(args=["users", "deactivate", "nobody@example.org"])
    assert missing.exit_code != 0 and "No user" in missing.output


def test_set_role_with_and_without_a_union(app, runner, create_user, create_organisation):
    from reslog_events.extensions import db

    cbb = create_organisation(kind="union", code="CBB", name="Çukurova Belediyeler Birliği")
    user = create_user("staff")
    result = runner.invoke(
        args=["users", "set-role", user.email, "--role", "organiser", "--union", "cbb"]
    )
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.role.value == "organiser" and user.union_id == cbb.id
    result = runner.invoke(args=["users", "set-role", user.email, "--role", "organiser"])
    assert result.exit_code == 0 and "already" in result.output
    db.session.refresh(user)
    assert user.union_id == cbb.id  # kept without --union
    result = runner.invoke(
        args=["users", "set-role", user.email, "--role", "coordinator", "--programme-wide"]
    )
    assert result.exit_code == 0
    db.session.refresh(user)
    assert user.role.value == "coordinator" and user.union_id is None
    bad = runner.invoke(args=["users", "set-role", user.email, "--role", "staff", "--union", "XYZ"])
    assert bad.exit_code != 0 and "No union" in bad.output
    bad = runner.invoke(args=["users", "set-role", user.email, "--role", "boss"])
    assert bad.exit_code != 0
    entries = _audit("user.set_role")
    assert len(entries) == 2 and entries[0].data["role"] == ["staff", "organiser"]


def test_list_users(app, runner, create_user, create_organisation):
    mbb = create_organisation(kind="union", code="MBB")
    create_user("organiser", email="şişli@example.org", union_id=mbb.id)
    gone = create_user("staff", email="gone@example.org")
    runner.invoke(args=["users", "deactivate", gone.email])
    output = runner.invoke(args=["users", "list"]).output
    lines = {line.split()[1]: line.split() for line in output.splitlines()[1:]}
    assert lines["şişli@example.org"][2:] == ["organiser", "MBB", "yes"]
    assert lines["gone@example.org"][2:] == ["staff", "-", "no"]


def test_revoke_a_token_by_prefix_or_id(app, runner, create_user):
    from reslog_events.auth.models import ApiToken
    from reslog_events.auth.operations import create_token
    from reslog_events.extensions import db

    user = create_user("organiser")
    first, second = create_token(user, "laptop"), create_token(user, "scanner")
    db.session.commit()
    client = app.test_client()
    listing = runner.invoke(args=["tokens", "list", user.email]).output
    assert first[:10] in listing and "laptop" in listing and first not in listing
    short = runner.invoke(args=["tokens", "revoke", "rsl"])
    assert short.exit_code != 0
    result = runner.invoke(args=["tokens", "revoke", first[:10]])
    assert result.exit_code == 0, result.output
    assert (
        client.get("/api/v1/events", headers={"Authorization": f"Bearer {first}"}).status_code
        == 401
    )
    assert (
        client.get("/api/v1/events", headers={"Authorization": f"Bearer {second}"}).status_code
        == 200
    )
    token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.name == "scanner"))
    assert runner.invoke(args=["tokens", "revoke", str(token_id)]).exit_code == 0
    assert (
        client.get("/api/v1/events", headers={"Authorization": f"Bearer {second}"}).status_code
        == 401
    )
    assert runner.invoke(args=["tokens", "revoke", "999999"]).exit_code != 0
    assert [e.data["prefix"] for e in _audit("token.revoke")] == [first[:10], second[:10]]
