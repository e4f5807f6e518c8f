"""The development outbox browser (MAIL_BACKEND=file)."""

from __future__ import annotations

import re

from reslog_events.extensions import db
from reslog_events.mail.outbox import queue_email


def test_outbox_lists_and_shows_written_emails(app, client, auth, create_invitation, stub_worker):
    inv = create_invitation().invitation
    queue_email("invitation", invitation=inv)
    db.session.commit()
    stub_worker.drain()
    (path,) = stub_worker.outbox_files()
    auth.login("staff")
    assert client.get("/dev/outbox").status_code == 403
    auth.logout()
    auth.login("organiser")
    html = client.get("/dev/outbox").get_data(as_text=True)
    assert path.name in html and inv.event.title in html
    page = client.get(f"/dev/outbox/{path.name}").get_data(as_text=True)
    assert inv.contact.full_name in page and "text/calendar" in page
    html_part = client.get(f"/dev/outbox/{path.name}/html")
    assert "script-src" not in html_part.headers["Content-Security-Policy"]
    assert "default-src 'none'" in html_part.headers["Content-Security-Policy"]
    ics = client.get(f"/dev/outbox/{path.name}/part/3")
    assert ics.headers["Content-Disposition"].startswith("attachment")
    assert client.get("/dev/outbox/..%2Fsecret_key").status_code == 404
    assert client.get("/dev/outbox/99999999.eml").status_code == 404
    app.config["MAIL_BACKEND"] = "smtp"
    assert client.get("/dev/outbox").status_code == 404


def test_the_html_view_shows_the_inline_qr_code(client, auth, create_invitation, stub_worker):
    import base64
    import email
    import email.policy
    import re

    inv = create_invitation(status="accepted").invitation
    queue_email("confirmation", invitation=inv)
    db.session.commit()
    stub_worker.drain()
    (path,) = stub_worker.outbox_files()
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    (qr,) = [part for part in msg.walk() if part["Content-ID"]]
    auth.login("organiser")
    html = client.get(f"/dev/outbox/{path.name}/html").get_data(as_text=True)
    # a browser cannot open cid: outside a mail client: the viewer gives the part itself
    assert "cid:" not in html
    (src,) = re.findall(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert base64.b64decode(src) == qr.get_payload(decode=True)
    assert "data:" in client.get(f"/dev/outbox/{path.name}/html").headers["Content-Security-Policy"]
    # the file itself is untouched: a mail client still gets the cid: reference
    assert b"cid:" in path.read_bytes()


def test_outbox_names_kinds_and_shows_local_times(client, auth, create_invitation, stub_worker):
    """A Turkish page says "Davet", not `invitation`, and the time in the app's zone (Istanbul,
    as the other pages), not in UTC."""
    inv = create_invitation().invitation
    queue_email("invitation", invitation=inv)
    db.session.commit()
    stub_worker.drain()
    auth.login("organiser")
    html = client.get("/dev/outbox?lang=tr").get_data(as_text=True)
    (kind,) = re.findall(r'<td data-label="Tür">([^<]*)</td>', html)
    assert kind == "Davet"
    (written,) = re.findall(r'<td data-label="Yazılma zamanı">([^<]*)</td>', html)
    assert "Europe/Istanbul" in written and "UTC" not in written


def test_every_kind_of_email_has_a_name(app):
    from reslog_events.core.email_kinds import EMAIL_KINDS
    from reslog_events.mail.messages import RENDERERS

    assert set(RENDERERS) <= set(EMAIL_KINDS), set(RENDERERS) - set(EMAIL_KINDS)
