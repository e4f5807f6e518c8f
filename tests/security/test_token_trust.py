"""API tokens are trusted by a process for a few seconds after it verified them
(auth.operations.TOKEN_TRUST_SECONDS): a revocation made in the same process through the ORM
counts at once; one made elsewhere (another process, plain SQL) within that bound."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from reslog_events.auth import operations
from reslog_events.auth.models import ApiToken, User
from reslog_events.core.columns import utcnow
from reslog_events.extensions import db


@pytest.fixture
def staff(api, create_event):
    client = api("staff")
    path = f"/api/v1/events/{create_event().id}/checkins/stats"
    assert client.get(path).status_code == 200  # verified: trusted from now on
    return lambda: client.get(path)


def test_a_token_revoked_through_the_orm_is_refused_at_once(staff):
    token = db.session.scalar(sa.select(ApiToken))
    token.revoked_at = utcnow()
    db.session.commit()
    assert staff().status_code == 401


def test_a_user_deactivated_through_the_orm_is_refused_at_once(staff):
    user = db.session.scalar(sa.select(User).where(User.role == "staff"))
    user.active = False
    db.session.commit()
    assert staff().status_code == 401


def test_a_token_revoked_elsewhere_is_refused_within_the_trust_bound(staff, monkeypatch):
    # plain SQL, as another process or an operator would: this process does not see it
    db.session.execute(sa.update(ApiToken.__table__).values(revoked_at=utcnow()))
    db.session.commit()
    assert staff().status_code == 200  # still trusted, for at most TOKEN_TRUST_SECONDS
    clock = operations.time.monotonic() + operations.TOKEN_TRUST_SECONDS + 0.1
    monkeypatch.setattr(operations.time, "monotonic", lambda: clock)
    assert staff().status_code == 401


def test_a_role_changed_elsewhere_counts_within_the_trust_bound(api, create_event, monkeypatch):
    coordinator = api("coordinator")
    path = f"/api/v1/events/{create_event().id}/checkins/stats"
    assert coordinator.get(path).status_code == 403  # coordinators are not door staff
    db.session.execute(sa.update(User.__table__).values(role="staff"))
    db.session.commit()
    clock = operations.time.monotonic() + operations.TOKEN_TRUST_SECONDS + 0.1
    monkeypatch.setattr(operations.time, "monotonic", lambda: clock)
    assert coordinator.get(path).status_code == 200
