"""Certificates emailed when the event ends (events whose `certificates` is `emailed`).

The clock's job (`send_certificates`, every quarter of an hour) finds such events that ended in
the last EMAIL_WITHIN_DAYS days, issues the certificates of those who attended and claims them
with one conditional UPDATE of `emailed_at`, so two clocks at once email each participant once.
The send worker renders the PDF (in the participant's language) and attaches it; a certificate
invalidated meanwhile (erasure, rotation, revocation) is skipped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..audit.operations import record
from ..checkin.models import CheckIn
from ..core.columns import utcnow
from ..directory.models import Contact
from ..events.models import CertificatePolicy, Event, EventStatus
from ..extensions import db
from ..invitations.models import Invitation, InvitationStatus
from ..invitations.queries import email_recipients
from ..mail.messages import Attachment, RenderedEmail, SkipEmail, renderer
from ..mail.models import OutgoingEmail
from ..mail.outbox import queue_emails
from ..rsvp.notifications import invitation_context
from . import documents, queries
from .models import Certificate
from .operations import is_current, issue_certificate

KIND = "certificate"
#: an event switched to "emailed" later than this after its end emails nothing any more
EMAIL_WITHIN_DAYS = 30


def participants(event_id: int) -> list[Invitation]:
    """The event's invitations checked in at least once, not revoked, the person not erased."""
    came = sa.select(CheckIn.id).where(CheckIn.invitation_id == Invitation.id).exists()
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .join(Contact, Contact.id == Invitation.contact_id)
            .where(
                Invitation.event_id == event_id,
                Invitation.status != InvitationStatus.revoked,
                Contact.erased_at.is_(None),
                came,
            )
            .order_by(Contact.sort_key, Invitation.id)
        )
    )


def _events_due(now: datetime) -> list[Event]:
    return list(
        db.session.scalars(
            sa.select(Event).where(
                Event.status == EventStatus.published,
                Event.certificates == CertificatePolicy.emailed,
                Event.ends_at <= now,
                Event.ends_at > now - timedelta(days=EMAIL_WITHIN_DAYS),
            )
        )
    )


def _claim(invitation_ids: list[int], now: datetime) -> list[tuple[int, str | None, str]]:
    claimed = db.session.scalars(
        sa.update(Certificate)
        .where(Certificate.invitation_id.in_(invitation_ids), Certificate.emailed_at.is_(None))
        .values(emailed_at=now)
        .returning(Certificate.invitation_id)
        .execution_options(synchronize_session=False)
    ).all()
    return email_recipients(list(claimed))


def send_certificates(now: datetime | None = None) -> int:
    """Email the certificates of every event due (see the module). Commits per event; returns
    the number queued."""
    now = now or utcnow()
    total = 0
    for event in _events_due(now):
        emailed = set(
            db.session.scalars(
                sa.select(Certificate.invitation_id)
                .join(Invitation, Invitation.id == Certificate.invitation_id)
                .where(Invitation.event_id == event.id, Certificate.emailed_at.is_not(None))
            )
        )
        pending = [i for i in participants(event.id) if i.id not in emailed]
        for invitation in pending:
            issue_certificate(invitation, actor="system")
        recipients = _claim([i.id for i in pending], now) if pending else []
        if recipients:
            queue_emails(KIND, recipients)
            record("certificates.email", event, {"emailed": len(recipients)}, actor="system")
            total += len(recipients)
        db.session.commit()
    return total


@renderer(KIND)
def render_certificate_email(outgoing: OutgoingEmail) -> RenderedEmail:
    invitation = outgoing.invitation
    if invitation is None or not queries.attended_ended(invitation):
        raise SkipEmail("no certificate is due any more")
    certificate = db.session.scalar(
        sa.select(Certificate).where(Certificate.invitation_id == invitation.id)
    )
    if certificate is None or not is_current(certificate):
        raise SkipEmail("the certificate was invalidated")
    pdf = documents.certificate_pdf(certificate)
    language = outgoing.language
    with force_locale(language):
        ctx = invitation_context(
            invitation, language, verify_url=documents.verify_url(certificate.code)
        )
        title = invitation.event.title_in(language)
        subject = _("Your certificate of attendance: %(title)s", title=title)
        text = render_template("emails/certificate.txt", **ctx)
        html = render_template("emails/certificate.html", **ctx)
    return RenderedEmail(
        subject=subject,
        text=text,
        html=html,
        attachments=[Attachment("certificate.pdf", "application/pdf", pdf)],
    )
