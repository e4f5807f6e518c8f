"""The SMTP envelope: addresses handed to smtplib already checked and encoded (ASCII, IDNA
domains), Turkish names and domains intact, against the real SMTP server of the tests."""

from __future__ import annotations

import pytest

from reslog_events.extensions import db
from reslog_events.mail import delivery
from reslog_events.mail.outbox import queue_email


@pytest.fixture
def smtp(app, smtp):
    app.config.update(MAIL_FROM="Çağrı Merkezi — RESLOG <etkinlik@örnek-belediye.tr>")
    return smtp


def _send(create_invitation, create_contact, people):
    rows = []
    for name, email in people:
        contact = create_contact(full_name=name, email=email)
        rows.append(
            queue_email("invitation", invitation=create_invitation(contact=contact).invitation)
        )
    db.session.commit()
    report = delivery.deliver([row.id for row in rows])
    assert report.sent == [row.id for row in rows], report
    return rows


def test_turkish_names_and_domains_survive_the_envelope_and_headers(
    app, smtp, create_invitation, create_contact
):
    _send(
        create_invitation,
        create_contact,
        [
            ("Ayşe Çağlar", "ayse.caglar@çankaya.bel.tr"),
            ("İbrahim Şahin", "ibrahim@şişli.bel.tr"),
            ("O'Neil Öztürk", "o'neil+forum@example.org"),
        ],
    )
    envelopes, messages = smtp.inbox.envelopes, smtp.inbox.messages
    assert [e.rcpt_tos for e in envelopes] == [
        ["ayse.caglar@xn--ankaya-vua.bel.tr"],
        ["ibrahim@xn--ili-rzab.bel.tr"],
        ["o'neil+forum@example.org"],
    ]
    assert {e.mail_from for e in envelopes} == {"etkinlik@xn--rnek-belediye-hmb.tr"}
    to = [(m["To"].addresses[0].display_name, m["To"].addresses[0].addr_spec) for m in messages]
    assert to == [
        ("Ayşe Çağlar", "ayse.caglar@xn--ankaya-vua.bel.tr"),
        ("İbrahim Şahin", "ibrahim@xn--ili-rzab.bel.tr"),
        ("O'Neil Öztürk", "o'neil+forum@example.org"),
    ]
    sender = messages[0]["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (
        "Çağrı Merkezi — RESLOG",
        "etkinlik@xn--rnek-belediye-hmb.tr",
    )
    assert all(m.as_bytes().isascii() for m in messages)  # 7-bit: no SMTPUTF8 needed


def test_an_address_smtplib_must_parse_still_goes_its_way(
    app, smtp, create_invitation, create_contact
):
    """A comment in the local part is not a plain address: smtplib's own MAIL/RCPT (which
    drops the comment), as before."""
    _send(create_invitation, create_contact, [("Deniz Ak", "deniz(forum)@example.org")])
    assert smtp.inbox.envelopes[0].rcpt_tos == ["deniz@example.org"]
