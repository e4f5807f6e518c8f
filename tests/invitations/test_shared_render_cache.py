"""The shared renders of the invitation emails are kept across batches (per app, bounded), keyed
by the values they were made from: a later batch renders nothing again, and an edit to the event
or its agenda — even one that leaves `updated_at` and SEQUENCE alone — is never sent stale.
Sent through the worker's own path (`deliver`, a fresh app context per batch) to a real SMTP
server."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from reslog_events.core.lru import BoundedCache
from reslog_events.extensions import db
from reslog_events.invitations import shared_render as shared
from reslog_events.mail import delivery
from reslog_events.mail.outbox import queue_email
from reslog_events.programme.models import AgendaSession

NAMES = ["Ayşe Sarıçam", "İbrahim Çağlar", "Şükrü <Öztürk> & Co"]


@pytest.fixture
def forum(create_event):
    event = create_event(
        title="Göç ve Kent Forumu",
        description="Açılış ve paneller",
        translations={"ar": {"title": "منتدى الهجرة", "description": ""}},
    )
    db.session.add(
        AgendaSession(
            event_id=event.id,
            title="Açılış konuşması",
            starts_at=event.starts_at + timedelta(hours=1),
            ends_at=event.starts_at + timedelta(hours=2),
        )
    )
    db.session.commit()
    return event


@pytest.fixture
def batch(app, forum, create_contact, create_invitation):
    """Queues one invitation per name in `language` and delivers them as a worker does (one app
    context for the batch); returns the text parts the SMTP server received."""

    def send(smtp_server, language: str = "tr") -> list[str]:
        rows = []
        for name in NAMES:
            contact = create_contact(full_name=name, language=language)
            invitation = create_invitation(event=forum, contact=contact).invitation
            rows.append(queue_email("invitation", invitation=invitation))
        db.session.commit()
        before = len(smtp_server.inbox.messages)
        with app.app_context():
            report = delivery.deliver([row.id for row in rows])
        assert report.sent == [row.id for row in rows]
        received = smtp_server.inbox.messages[before:]
        texts = [m.get_body(("plain",)).get_content() for m in received]
        for name, text in zip(NAMES, texts, strict=True):
            assert name in text  # each its own name, in the shared body
        return texts

    return send


def _shared_part(text: str, name: str) -> str:
    """The body without the invitee's name and link."""
    return "\n".join(line for line in text.replace(name, "").splitlines() if "/rsvp/" not in line)


def _counting(monkeypatch) -> list[str]:
    calls: list[str] = []
    render = shared.render_email

    def counted(template, **context):
        calls.append(template)
        return render(template, **context)

    monkeypatch.setattr(shared, "render_email", counted)
    return calls


def test_a_later_batch_renders_nothing_again(app, smtp, batch, monkeypatch):
    calls = _counting(monkeypatch)
    first = batch(smtp)
    # the first message of the first batch: each template in full and with stand-ins
    assert len(calls) == 4
    calls.clear()
    second = batch(smtp)
    assert calls == []
    assert [_shared_part(t, n) for t, n in zip(second, NAMES)] == [
        _shared_part(t, n) for t, n in zip(first, NAMES)
    ]
    batch(smtp, "ar")  # another language: its own render
    assert len(calls) == 4


def _core_update(table, row_id: int, **values) -> None:
    """An edit that leaves `updated_at` and `sequence` as they were (the worst case for a key
    that trusted them)."""
    with db.engine.begin() as conn:
        # (the column's onupdate would set updated_at: kept as it was on purpose)
        statement = sa.update(table).where(table.c.id == row_id)
        conn.execute(statement.values(**values, updated_at=table.c.updated_at))
    db.session.expire_all()


@pytest.mark.parametrize(
    ("edit", "old", "new"),
    [
        ("title", "Göç ve Kent Forumu", "Göç, Kent ve İklim Forumu"),
        ("description", "Açılış ve paneller", "Çalıştay ve saha ziyareti"),
        ("session", "Açılış konuşması", "Şehir yönetimi paneli"),
        ("venue", "Kültür Merkezi", "Belediye Sarayı"),
    ],
)
def test_an_edit_to_the_event_is_never_sent_stale(app, smtp, forum, batch, edit, old, new):
    assert all(old in text for text in batch(smtp))
    if edit == "session":
        session_id = db.session.scalar(sa.select(AgendaSession.id))
        _core_update(AgendaSession.__table__, session_id, title=new)
    else:
        _core_update(type(forum).__table__, forum.id, **{edit: new})
    texts = batch(smtp)
    assert all(new in text and old not in text for text in texts)


def test_a_rescheduled_event_gets_a_new_body(app, smtp, forum, batch):
    """The usual edit: an organiser moves the event (a new SEQUENCE and `updated_at`)."""
    first = batch(smtp)
    forum.starts_at += timedelta(days=1)
    forum.ends_at += timedelta(days=1)
    forum.sequence += 1
    db.session.commit()
    second = batch(smtp)
    assert _shared_part(first[0], NAMES[0]) != _shared_part(second[0], NAMES[0])
    assert len(shared.shared_renders(app)) == 4  # the old event's renders, and the new


def test_the_renders_kept_are_bounded():
    renders = BoundedCache(3)
    for n in range(3):
        renders.put(("t", n), [str(n)])
    assert renders.get(("t", 0)) == ["0"]  # used: kept over the others
    renders.put(("t", 3), ["3"])
    renders.put(("t", 4), ["4"])
    assert len(renders) == 3
    assert [key for key, _ in renders.items()] == [("t", 0), ("t", 3), ("t", 4)]
    assert renders.get(("t", 1)) is None
