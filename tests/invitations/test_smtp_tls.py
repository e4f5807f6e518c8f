"""SMTP with STARTTLS and a login (`SMTP_STARTTLS`, `SMTP_USERNAME`, `SMTP_PASSWORD`), against a
real aiosmtpd server that refuses mail without both, with a certificate from a throw-away CA."""

from __future__ import annotations

import ssl

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.mail import delivery
from reslog_events.mail.backends import close_backends
from reslog_events.mail.models import OutboxStatus, OutgoingEmail
from reslog_events.mail.outbox import queue_email
from tests.support.smtp import Inbox, _free_port

USER, PASSWORD = "reslog-mailer", "s3cret-pass"


class _Authenticator:
    def __init__(self) -> None:
        self.logins: list[tuple[bytes, bool]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        self.logins.append((getattr(auth_data, "login", b""), session.ssl is not None))
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535


@pytest.fixture
def ca():
    return trustme.CA()


@pytest.fixture
def tls_smtp(ca):
    """An SMTP server that requires STARTTLS before anything and a login before mail."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    port = _free_port()
    inbox, authenticator = Inbox(), _Authenticator()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
        auth_required=True,
        # PLAIN only: after a refused AUTH PLAIN, smtplib goes on to AUTH LOGIN with an initial
        # response, which aiosmtpd answers by waiting (the client's timeout, twice)
        auth_exclude_mechanism=["LOGIN"],
    )
    controller.start()
    controller.port, controller.inbox, controller.authenticator = port, inbox, authenticator
    yield controller
    controller.stop()


@pytest.fixture
def configure(app, tls_smtp, ca, tmp_path, monkeypatch):
    def make(*, trust_ca: bool = True, password: str = PASSWORD, starttls: bool = True):
        if trust_ca:  # what an operator does for a private CA: SSL_CERT_FILE
            ca_file = tmp_path / "ca.pem"
            ca.cert_pem.write_to_path(str(ca_file))
            monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
        app.config.update(
            MAIL_BACKEND="smtp",
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=tls_smtp.port,
            SMTP_STARTTLS=starttls,
            SMTP_USERNAME=USER,
            SMTP_PASSWORD=password,
            OUTBOX_MAX_ATTEMPTS=3,
        )

    yield make
    close_backends(app)


def _queue(create_invitation) -> int:
    row = queue_email("invitation", invitation=create_invitation().invitation)
    db.session.commit()
    return row.id


def _row(row_id) -> OutgoingEmail:
    db.session.expire_all()
    return db.session.get(OutgoingEmail, row_id)


def test_mail_goes_over_starttls_with_a_login(app, configure, tls_smtp, create_invitation):
    configure()
    row_id = _queue(create_invitation)
    report = delivery.deliver([row_id])
    assert report.sent == [row_id]
    assert _row(row_id).status == OutboxStatus.sent
    [message] = tls_smtp.inbox.messages
    assert message["X-RESLOG-Outbox-Id"] == str(row_id)
    # the login happened once, inside TLS
    assert tls_smtp.authenticator.logins == [(USER.encode(), True)]


def test_an_untrusted_certificate_keeps_the_mail_queued(
    app, configure, tls_smtp, create_invitation
):
    configure(trust_ca=False)  # the server's CA is not in the system's store
    row_id = _queue(create_invitation)
    delivery.deliver([row_id])
    row = _row(row_id)
    assert row.status == OutboxStatus.queued and row.attempts == 1
    assert "certificate" in row.last_error.lower()
    assert tls_smtp.inbox.messages == [] and tls_smtp.authenticator.logins == []


def test_a_wrong_password_is_reported_and_nothing_is_sent(
    app, configure, tls_smtp, create_invitation
):
    configure(password="not-the-password")
    row_id = _queue(create_invitation)
    delivery.deliver([row_id])
    row = _row(row_id)
    # a wrong setting, not a bad address: the mail waits for the fix instead of failing
    assert row.status == OutboxStatus.queued and row.attempts == 1
    assert "535" in row.last_error  # authentication failed, in the row for the organiser
    assert tls_smtp.inbox.messages == []
    configure()  # the operator fixes the password; the next attempt goes out
    row.next_attempt_at = utcnow()
    db.session.commit()
    assert delivery.deliver([row_id]).sent == [row_id]
    assert len(tls_smtp.inbox.messages) == 1


def test_without_starttls_the_server_refuses_and_the_mail_waits(
    app, configure, tls_smtp, create_invitation
):
    configure(starttls=False)
    row_id = _queue(create_invitation)
    delivery.deliver([row_id])
    row = _row(row_id)
    assert row.status == OutboxStatus.queued and row.attempts == 1
    assert "AUTH" in row.last_error  # no login offered outside TLS
    assert tls_smtp.inbox.messages == []
