"""The progress view names where a fan-out is: sending, sent, partly sent, not sent (after 6 of
6 were sent it said "Gönderiliyor"), in the page and in the JSON it polls."""

from __future__ import annotations

import pytest

from reslog_events.extensions import db
from reslog_events.mail.models import OutboxStatus
from reslog_events.mail.outbox import queue_email


def _fan_out(event, create_invitation, n):
    rows = [
        queue_email("invitation", invitation=create_invitation(event=event).invitation)
        for _ in range(n)
    ]
    db.session.commit()
    return rows


@pytest.mark.parametrize(
    ("outcomes", "state", "heading", "status"),
    [
        ([], "sent", "Gönderildi", "Tümü e-posta sağlayıcısına teslim edildi."),
        ([OutboxStatus.failed], "partial", "Kısmen gönderildi", "bazı e-postalar gönderilemedi"),
        ([OutboxStatus.skipped], "partial", "Kısmen gönderildi", "bazı e-postalar gönderilemedi"),
        ([OutboxStatus.failed] * 6, "failed", "Gönderilmedi", "hiçbiri gönderilemedi"),
    ],
)
def test_a_finished_fan_out_is_named_as_it_ended(
    client, auth, stub_worker, create_event, create_invitation, outcomes, state, heading, status
):
    event = create_event()
    rows = _fan_out(event, create_invitation, 6)
    auth.login("organiser")
    url = f"/events/{event.id}/invitations/progress?from_id={rows[0].id}&kind=invitation&lang=tr"
    before = client.get(url).get_data(as_text=True)
    assert '<h1 id="inv-progress-heading">Gönderiliyor</h1>' in before
    assert 'data-state="sending"' in before

    stub_worker.drain()
    for row, outcome in zip(rows, outcomes, strict=False):
        row.status = outcome
    db.session.commit()
    polled = client.get(
        f"/api/v1/events/{event.id}/invitations/progress?from_id={rows[0].id}&kind=invitation"
    ).json
    assert polled["done"] is True and polled["state"] == state
    assert polled["counts"]["queued"] == polled["counts"]["sending"] == 0

    html = client.get(url).get_data(as_text=True)
    assert f'<h1 id="inv-progress-heading">{heading}</h1>' in html
    assert "Gönderiliyor</h1>" not in html and f'data-state="{state}"' in html
    assert status in html


def test_nothing_sent_yet_is_empty(client, auth, create_event):
    event = create_event()
    auth.login("organiser")
    state = client.get(f"/api/v1/events/{event.id}/invitations/progress").json
    assert state == {"counts": state["counts"], "total": 0, "done": False, "state": "empty"}
