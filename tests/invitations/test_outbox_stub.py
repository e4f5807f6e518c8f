"""The outbox on the StubBroker with a real Dramatiq worker: claim, send, idempotence, retries,
skips, and the invitation's email_status following its latest message."""

from __future__ import annotations

from reslog_events.extensions import db
from reslog_events.mail.messages import RENDERERS, RenderedEmail
from reslog_events.mail.models import OutboxStatus, OutgoingEmail
from reslog_events.mail.outbox import queue_email


def _plain(kind="test-plain"):
    def render(row):
        return RenderedEmail(
            subject=f"Merhaba {row.invitation.contact.full_name}",
            text="Şişli, Sarıçam, Reyhanlı",
            html="<p>Şişli, Sarıçam, Reyhanlı</p>",
        )

    RENDERERS[kind] = render
    return kind


def test_a_committed_email_is_sent_once(app, stub_worker, create_invitation, create_contact):
    kind = _plain()
    contact = create_contact(full_name="Ayşe Sarıçam", email="ayse@example.org")
    new = create_invitation(contact=contact)
    row = queue_email(kind, invitation=new.invitation)
    db.session.commit()
    stub_worker.drain()
    db.session.expire_all()
    assert db.session.get(OutgoingEmail, row.id).status == OutboxStatus.sent
    (msg,) = stub_worker.messages()
    assert msg["To"].addresses[0].display_name == "Ayşe Sarıçam"
    assert "Sarıçam" in msg["Subject"]
    assert "Reyhanlı" in msg.get_body(("plain",)).get_content()
    assert new.invitation.email_status.value == "sent"
