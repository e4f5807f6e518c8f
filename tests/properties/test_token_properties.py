"""Properties of the secrets' parsers: the check-in code normaliser, the RSVP route and the
check-in API take any text and answer a 2xx/3xx/4xx, never a 5xx; a real code still matches
whatever case or surrounding blanks a scanner adds."""

from __future__ import annotations

import itertools
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reslog_events.core.tokens import (
    CHECKIN_PREFIX,
    digest,
    new_checkin_code,
    normalise_checkin_code,
)

SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
API_SETTINGS = settings(SETTINGS, max_examples=40)

BLANKS = st.text(alphabet=" \t\r\n", max_size=3)
_nonces = itertools.count(1)


def _nonce() -> str:
    return f"prop-{next(_nonces):08d}"


@SETTINGS
@given(text=st.text(max_size=200))
def test_normalising_is_idempotent_and_hashable(text):
    once = normalise_checkin_code(text)
    assert normalise_checkin_code(once) == once
    assert once == once.strip()
    assert len(digest(once)) == 64


@SETTINGS
@given(before=BLANKS, after=BLANKS, flips=st.lists(st.booleans(), min_size=31, max_size=31))
def test_a_real_code_survives_case_and_blanks(before, after, flips):
    code = new_checkin_code()
    assert code.startswith(CHECKIN_PREFIX + "-") and len(code) == 31
    typed = "".join(c.lower() if flip else c for c, flip in zip(code, flips, strict=True))
    assert normalise_checkin_code(before + typed + after) == code


@pytest.fixture
def door(app, api, create_event, create_invitation):
    from reslog_events.core.columns import utcnow

    event = create_event(starts_at=utcnow().replace(microsecond=0))
    new = create_invitation(event=event, status="accepted")
    return event, new.checkin_code, api("staff")


@API_SETTINGS
@given(code=st.text(min_size=1, max_size=500))
def test_the_checkin_api_answers_any_code(door, code):
    event, _real, staff = door
    resp = staff.post(
        f"/api/v1/events/{event.id}/checkins", json={"code": code, "nonce": _nonce(), "gate": "A"}
    )
    assert resp.status_code in (404, 422), resp.get_data(as_text=True)
    if resp.status_code == 404:
        assert resp.json["result"] == "invalid"
    else:
        assert "\x00" in code or not code.strip()


@API_SETTINGS
@given(before=BLANKS, after=BLANKS, lower=st.booleans())
def test_the_checkin_api_admits_a_real_code_typed_loosely(door, before, after, lower):
    event, real, staff = door
    typed = before + (real.lower() if lower else real) + after
    resp = staff.post(
        f"/api/v1/events/{event.id}/checkins", json={"code": typed, "nonce": _nonce(), "gate": "A"}
    )
    assert resp.status_code in (201, 409), resp.get_data(as_text=True)
    assert resp.json["result"] in ("ok", "already_checked_in")


@pytest.fixture
def invitee(app, create_invitation):
    from reslog_events.extensions import limiter

    limiter.enabled = False  # guessing is limited (tested in tests/rsvp); here: every answer
    yield create_invitation()
    limiter.enabled = True


@API_SETTINGS
@given(token=st.text(min_size=1, max_size=120), post=st.booleans())
def test_the_rsvp_page_answers_any_token(client, invitee, token, post):
    path = "/rsvp/" + quote(token, safe="")
    resp = client.post(path, data={"response": "accept"}) if post else client.get(path)
    # a miss is a 404; a form POST without its CSRF token, or a NUL in the URL, a 400
    assert resp.status_code in (400, 404), resp.status_code
    for suffix in ("/qr.png", "/calendar.ics"):
        assert client.get(path + suffix).status_code in (400, 404)


@API_SETTINGS
@given(
    cut=st.integers(1, 26),
    extra=st.text(alphabet="abcXYZ019_-", max_size=5),
    swap_case=st.booleans(),
)
def test_an_altered_rsvp_token_is_a_plain_miss(client, invitee, cut, extra, swap_case):
    token = invitee.rsvp_token
    assert client.get(f"/rsvp/{token}").status_code == 200
    altered = token[:cut] + extra + (token[cut:].swapcase() if swap_case else token[cut:])
    if altered == token:
        return
    assert client.get(f"/rsvp/{altered}").status_code == 404
