"""The scanner page and the check-in log page (and its CSV export)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest


def config_of(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="checkin-config">(.*?)</script>', html, re.S
    )
    assert match
    return json.loads(match.group(1))


@pytest.mark.parametrize("role", ["staff", "organiser", "admin"])
def test_scanner_page_for_door_roles(client, auth, create_event, role):
    event = create_event(title="Kent Forumu")
    auth.login(role)
    resp = client.get(f"/events/{event.id}/checkin")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    html = resp.get_data(as_text=True)
    assert "Kent Forumu" in html
    config = config_of(html)
    assert config["event_id"] == event.id
    assert config["urls"]["scan"] == f"/api/v1/events/{event.id}/checkins"
    assert config["urls"]["decoder"].endswith("/static/js/checkin-decoder.js")


def test_scanner_page_obeys_the_strict_csp(client, auth, create_event):
    event = create_event()
    auth.login("staff")
    resp = client.get(f"/events/{event.id}/checkin")
    html = resp.get_data(as_text=True)
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert "camera=(self)" in resp.headers["Permissions-Policy"]
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "js/checkin.js" in html and "css/checkin.css" in html


def test_scanner_page_is_closed_to_coordinators_and_strangers(client, auth, create_event):
    event = create_event()
    resp = client.get(f"/events/{event.id}/checkin")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    auth.login("coordinator")
    assert client.get(f"/events/{event.id}/checkin").status_code == 403
    assert client.get(f"/events/{event.id}/checkin/log").status_code == 403


def test_scanner_page_of_unknown_event_is_404(client, auth):
    auth.login("staff")
    assert client.get("/events/999999/checkin").status_code == 404


def test_cancelled_event_warns_on_the_scanner(client, auth, create_event):
    event = create_event(status="cancelled")
    auth.login("staff")
    html = client.get(f"/events/{event.id}/checkin").get_data(as_text=True)
    assert 'role="alert"' in html and config_of(html)["cancelled"] is True


def test_vendored_decoder_and_scripts_are_served(client):
    assert client.get("/static/vendor/jsqr/jsQR.js").status_code == 200
    assert "Apache License" in client.get("/static/vendor/jsqr/LICENSE").get_data(as_text=True)
    for name in (
        "checkin.js",
        "checkin-store.js",
        "checkin-local.js",
        "checkin-camera.js",
        "checkin-decoder.js",
        "checkin-state.js",
        "checkin-feedback.js",
        "checkin-queue.js",
        "checkin-panels.js",
    ):
        assert client.get(f"/static/js/{name}").status_code == 200, name


def test_log_page_lists_scans_with_filters(client, auth, door, create_event, invitee):
    event = create_event()
    guest = invitee(event, name="Fatma Şahin")
    staff = door(event)
    staff.scan(guest.checkin_code, gate="A")
    staff.scan(guest.checkin_code, gate="B")
    staff.scan("HELLO", gate="B")
    auth.login("organiser")
    html = client.get(f"/events/{event.id}/checkin/log").get_data(as_text=True)
    assert "Fatma Şahin" in html and "HELLO" in html
    assert guest.checkin_code not in html
    assert "3 scans" in html
    filtered = client.get(f"/events/{event.id}/checkin/log?result=invalid&gate=B").get_data(
        as_text=True
    )
    assert "HELLO" in filtered and "Fatma Şahin" not in filtered
    empty = client.get(f"/events/{event.id}/checkin/log?gate=Z").get_data(as_text=True)
    assert "No scans match these filters." in empty


def test_log_page_empty_state(client, auth, create_event):
    event = create_event()
    auth.login("staff")
    html = client.get(f"/events/{event.id}/checkin/log").get_data(as_text=True)
    assert "No scans yet" in html


def test_log_csv_neutralises_formulas(client, auth, door, create_event, invitee):
    event = create_event()
    guest = invitee(event, name='=HYPERLINK("http://evil")')
    staff = door(event)
    staff.scan(guest.checkin_code, gate="@gate")
    staff.scan("=cmd|' /C calc'!A0", gate="-1")
    staff.scan("+SUM(A1)", gate="A")
    auth.login("organiser")
    resp = client.get(f"/events/{event.id}/checkin/log.csv")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    text = resp.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 4
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'@gate" in cells and "'-1" in cells and "'+SUM(A1)" in cells
    assert guest.checkin_code not in text
