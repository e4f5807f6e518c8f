"""The development outbox browser (MAIL_BACKEND=file)."""

from __future__ import annotations

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
