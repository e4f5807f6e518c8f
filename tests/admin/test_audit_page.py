"""The audit-log page: filters by user, action, event, contact and dates; pages; CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import sqlalchemy as sa


def _entries(client, query: str = "") -> str:
    resp = client.get(f"/admin/audit{query}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_filters(app, client, auth, api, create_user, create_event, create_invitation):
    from reslog_events.audit.models import AuditLog
    from reslog_events.audit.operations import record
    from reslog_events.core.columns import utcnow
    from reslog_events.extensions import db

    organiser = create_user("organiser", name="Düzenleyici Deniz")
    other = create_user("organiser", name="Başka Birisi")
    event = create_event(title="Şişli forumu")
    elsewhere = create_event(title="Başka etkinlik")
    new = create_invitation(event=event)
    record("event.update", event, {"changes": {"venue": ["a", "b"]}}, user_id=organiser.id)
    record("invitation.revoke", new.invitation, {"from": "pending"}, user_id=organiser.id)
    record(
        "contact.update",
        new.invitation.contact,
        {"fields": ["phone"], "full_name": "Leyla Haddad"},
        user_id=other.id,
    )
    old = record("event.publish", elsewhere, {}, user_id=other.id)
    db.session.flush()
    old.created_at = utcnow() - timedelta(days=40)
    db.session.commit()
    auth.login("admin")

    everything = _entries(client)
    assert "<code>event.update</code>" in everything and "<code>contact.update</code>" in everything
    by_user = _entries(client, f"?user_id={organiser.id}")
    assert "<code>event.update</code>" in by_user and "<code>contact.update</code>" not in by_user
    by_event = _entries(client, f"?event_id={event.id}")
    assert "<code>event.update</code>" in by_event and "<code>invitation.revoke</code>" in by_event
    assert "<code>event.publish</code>" not in by_event
    contact_id = new.invitation.contact_id
    by_contact = _entries(client, f"?contact_id={contact_id}")
    assert (
        "<code>contact.update</code>" in by_contact
        and "<code>invitation.revoke</code>" in by_contact
    )
    assert "<code>event.update</code>" not in by_contact
    today = utcnow().date()
    recent = _entries(client, f"?from={today - timedelta(days=7)}&to={today}")
    assert "<code>event.update</code>" in recent and "<code>event.publish</code>" not in recent
    by_action = _entries(client, "?action=event.publish")
    assert (
        "<code>event.publish</code>" in by_action and "<code>event.update</code>" not in by_action
    )
    # personal values are hidden, the record and what changed are shown
    assert "Leyla Haddad" not in everything and "fields: [&#39;phone&#39;]" in everything
    # nonsense filters are ignored, never a 500
    for query in ("?user_id=²", "?event_id=99999999999999999999", "?from=0001-01-01", "?to=x"):
        assert client.get(f"/admin/audit{query}").status_code == 200, query
    total = db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog))
    assert f"{total} entries" in everything


def test_csv_is_safe_and_filtered(app, client, auth, create_user, create_event):
    from reslog_events.audit.operations import record
    from reslog_events.extensions import db

    organiser = create_user("organiser", name='=HYPERLINK("http://x")')
    event = create_event()
    record("event.update", event, {"changes": "-2+3"}, user_id=organiser.id)
    record("event.publish", event, {}, user_id=organiser.id)
    db.session.commit()
    auth.login("admin")
    resp = client.get(f"/admin/audit.csv?action=event.update&user_id={organiser.id}")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Time (UTC)", "User number", "User", "Actor", "Action"]
    assert len(rows) == 2
    row = rows[1]
    assert row[2] == '\'=HYPERLINK("http://x")' and row[4] == "event.update"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_pages(app, client, auth, create_event):
    from reslog_events.audit.operations import record
    from reslog_events.extensions import db

    event = create_event()
    for _ in range(120):
        record("event.update", event, {})
    db.session.commit()
    auth.login("admin")
    first = _entries(client)
    assert 'rel="next"' in first
    second = _entries(client, "?page=2")
    shown = first.count("<code>event.update</code>") + second.count("<code>event.update</code>")
    assert shown == 120
    assert client.get("/admin/audit?page=99999999999").status_code == 200


def test_details_hide_personal_values_at_any_depth():
    from reslog_events.audit.queries import details

    text = details(
        {
            "changes": {"contact_phone": ["+90 555", "+90 556"], "day": ["1", "2"]},
            "to": "leyla@example.org",
            "fields": ["phone"],
            "note": "Ayşe aradı",
            "walk_in": True,
        }
    )
    for personal in ("+90 555", "+90 556", "leyla@example.org", "Ayşe"):
        assert personal not in text
    assert "day" in text and "'phone'" in text and "walk_in: True" in text
