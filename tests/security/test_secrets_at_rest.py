"""Secrets handed to people are not in the database in clear (a dump reveals none) nor in the
logs of the requests that use them."""

from __future__ import annotations

import logging

import sqlalchemy as sa


def _dump(db) -> str:
    rows = []
    for table in db.metadata.sorted_tables:
        rows += [repr(tuple(r)) for r in db.session.execute(sa.select(table))]
    return "\n".join(rows)


def test_no_secret_in_clear_in_the_database(app, api, auth, client, create_user, create_invitation):
    from reslog_events.auth.operations import create_token
    from reslog_events.extensions import db
    from reslog_events.programme.feeds import issue_feed_secret
    from tests.support.forms import post_form

    user = create_user("organiser")
    token = create_token(user)
    feed = issue_feed_secret(user)
    db.session.commit()
    new = create_invitation(status="pending")
    # the invitee answers (a confirmation with the QR code is queued)
    assert client.get(f"/rsvp/{new.rsvp_token}").status_code == 200
    resp = post_form(client, f"/rsvp/{new.rsvp_token}", {"response": "accept", "consent_data": "1"})
    assert resp.status_code in (200, 303)
    dump = _dump(db)
    for secret in (token, feed, new.rsvp_token, new.checkin_code, "correct horse battery staple"):
        assert secret not in dump, secret[:6]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_no_secret_in_the_logs(app, api, client, create_invitation):
    new = create_invitation(status="accepted")
    staff = api("staff")
    root, collect = logging.getLogger(), _Collect()
    level = root.level
    root.addHandler(collect)
    root.setLevel(logging.DEBUG)
    try:
        client.get(f"/rsvp/{new.rsvp_token}")
        client.get(f"/rsvp/{new.rsvp_token}/qr.png")
        staff.post(
            f"/api/v1/events/{new.invitation.event_id}/checkins",
            json={"code": new.checkin_code, "nonce": "log-check-1", "gate": "A"},
        )
        staff.get("/api/v1/events")
    finally:
        root.removeHandler(collect)
        root.setLevel(level)
    # whatever the app logs at any level while links, codes and tokens are used (the access log
    # of gunicorn masks them: tests/security/test_access_log.py)
    logged = "\n".join(collect.messages)
    token = staff.headers["Authorization"].split()[1]
    for secret in (new.rsvp_token, new.checkin_code, token):
        assert secret not in logged
