"""The RSVP form's protection against forged requests without a session (rsvp.form_guard): the
form's token belongs to the link, the POST must come from this site, and opening the link sets
no cookie."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def two(create_invitation, create_event):
    event = create_event(title="Çukurova Forumu")
    return create_invitation(event=event), create_invitation(event=event)


def _form_token(client, rsvp_token: str) -> str:
    html = client.get(f"/rsvp/{rsvp_token}").get_data(as_text=True)
    (found,) = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
    meta = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert meta and meta.group(1) == found  # the page's scripts would send the same
    return found


def _status(app, new) -> str:
    from reslog_events.extensions import db

    db.session.expire_all()
    return db.session.get(type(new.invitation), new.invitation.id).status.value


def test_opening_the_link_sets_no_cookie(client, two):
    resp = client.get(f"/rsvp/{two[0].rsvp_token}")
    assert resp.status_code == 200 and 'name="response"' in resp.get_data(as_text=True)
    assert "Set-Cookie" not in resp.headers


def test_the_form_token_answers_only_its_own_link(app, client, two):
    first, second = two
    form = {"response": "accept", "consent_data": "1"}
    stolen = _form_token(client, first.rsvp_token)
    resp = client.post(f"/rsvp/{second.rsvp_token}", data={**form, "csrf_token": stolen})
    assert resp.status_code == 400
    missing = client.post(f"/rsvp/{second.rsvp_token}", data=form)
    assert missing.status_code == 400
    assert _status(app, second) == "pending"
    own = _form_token(client, second.rsvp_token)
    resp = client.post(f"/rsvp/{second.rsvp_token}", data={**form, "csrf_token": own})
    assert resp.status_code == 303 and _status(app, second) == "accepted"


def test_a_post_from_another_site_is_refused(app, client, two):
    new = two[0]
    path = f"/rsvp/{new.rsvp_token}"
    form = {"response": "decline", "csrf_token": _form_token(client, new.rsvp_token)}
    evil = client.post(path, data=form, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 400 and _status(app, new) == "pending"
    # over HTTPS without Origin, the Referer must be this site (as Flask-WTF checks it)
    secure = {"base_url": "https://localhost"}
    foreign = client.post(path, data=form, headers={"Referer": "https://evil.example/"}, **secure)
    assert foreign.status_code == 400 and _status(app, new) == "pending"
    # the public address counts as this site too (a proxy may pass another Host)
    public = app.config["PUBLIC_BASE_URL"]
    ours = client.post(path, data=form, headers={"Origin": public}, base_url="http://10.0.0.5")
    assert ours.status_code == 303 and _status(app, new) == "declined"


def test_the_thank_you_goes_through_the_session_once(client, two):
    new = two[0]
    path = f"/rsvp/{new.rsvp_token}"
    form = {"response": "tentative", "csrf_token": _form_token(client, new.rsvp_token)}
    resp = client.post(path, data=form)
    assert resp.status_code == 303 and "Set-Cookie" in resp.headers
    assert 'class="flash flash-success"' in client.get(path).get_data(as_text=True)
    again = client.get(path)
    assert 'class="flash' not in again.get_data(as_text=True)
