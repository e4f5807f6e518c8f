"""No English in a Turkish, Arabic or Swedish email: one outbox row of every kind the app sends
(queued by the real operations), each rendered by its renderer in every language, subject, plain
text, HTML, calendar entry and PDF, checked for the app's own English
(tests/languages/untranslated.py). English is the baseline the finder must find."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tests.languages.untranslated import Finder, calendar_texts, pdf_texts
from tests.support.stored_texts import stored_texts


@pytest.fixture(scope="module")
def outbox_rows(_app):
    """One outbox row id per kind of email, of records as the app leaves them."""
    from reslog_events.admin.operations import invite_user, send_password_reset
    from reslog_events.auth.models import Role
    from reslog_events.certificates.operations import issue_certificate
    from reslog_events.checkin.models import CheckIn
    from reslog_events.core.columns import utcnow
    from reslog_events.documents.models import Visibility
    from reslog_events.documents.operations import send_minutes, write_minutes
    from reslog_events.extensions import db
    from reslog_events.feedback.operations import save_survey, send_survey
    from reslog_events.feedback.schemas import SurveyIn
    from reslog_events.invitations.event_reminders import KIND as EVENT_REMINDER
    from reslog_events.mail.models import OutboxStatus, OutgoingEmail
    from reslog_events.mail.outbox import queue_email
    from reslog_events.reports.models import ReportRun
    from reslog_events.reports.operations import compile_run, send_monthly_summaries
    from tests.conftest import _empty_tables
    from tests.support import factories
    from tests.support.programme import add_programme

    with _app.app_context():
        create_user, create_organisation, create_event, create_contact, create_invitation = (
            factories.makers(_app)
        )
        organiser = factories.api(_app, _app.test_client(), create_user)("organiser")

        host = create_organisation(name="Şişli Belediyesi")
        starts = utcnow().replace(microsecond=0) + timedelta(days=10)
        event = create_event(
            title="Şişli Kent Forumu",
            description="Göç ve yerel yönetim.",
            starts_at=starts,
            rsvp_deadline=starts - timedelta(days=2),
            online_url="https://meet.example.org/forum",
            address="Halaskargazi Cd. 1",
            capacity=50,
            host_organisation_id=host.id,
            published_at=utcnow(),
        )

        def invitee(status: str, on=event):
            contact = create_contact(full_name="Ayşe Yılmaz", organisation=host)
            return create_invitation(event=on, contact=contact, status=status).invitation

        pending, accepted = invitee("pending"), invitee("accepted")
        add_programme(organiser, event, accepted.id)
        sent = organiser.post(f"/api/v1/events/{event.id}/itinerary/send", json={})
        assert sent.status_code in (200, 202), sent.json
        message = organiser.post(
            f"/api/v1/events/{event.id}/messages",
            json={"audience": "accepted", "subject": "Otopark", "body": "Otopark kapalı."},
        )
        assert message.status_code == 202, message.json
        heard = queue_email("invitation", invitation=pending)
        heard.status = OutboxStatus.sent
        for kind in ("invitation", "update", "reminder", "cancellation"):
            payload = {"sequence": event.sequence}
            if kind == "update":
                payload["changes"] = {"starts_at": [starts.isoformat(), starts.isoformat()]}
            queue_email(kind, invitation=pending, payload=payload)
        queue_email("confirmation", invitation=accepted)
        queue_email("promotion", invitation=accepted)
        queue_email(
            EVENT_REMINDER, invitation=accepted, payload={"starts_at": event.starts_at.isoformat()}
        )
        queue_email("waitlisted", invitation=invitee("waitlisted"))
        past = create_event(
            title="Reyhanlı Çalıştayı",
            starts_at=utcnow().replace(microsecond=0) - timedelta(days=5),
            kind="workshop",
        )
        attended = invitee("accepted", on=past)
        db.session.add(
            CheckIn(event_id=past.id, invitation_id=attended.id, day=past.local_starts_at.date())
        )
        db.session.flush()
        issue_certificate(attended)
        queue_email("certificate", invitation=attended)
        organiser_user = create_user("organiser")
        minutes = write_minutes(
            past, "Tutanak", "Kararlar", Visibility.attendees, by=organiser_user
        )
        send_minutes(minutes, "walk-minutes-1", by=organiser_user)
        save_survey(past, SurveyIn(), by=organiser_user)
        send_survey(past, by=organiser_user)

        admin = create_user("admin")
        invite_user("yeni@example.org", Role.organiser, name="Yeni Kişi", by=admin)
        send_password_reset(create_user("staff"), by=admin)
        coordinator = create_user("coordinator")
        run = ReportRun(requested_by=coordinator, params={"group_by": "organisation"})
        db.session.add(run)
        db.session.commit()
        compile_run(run.id)
        send_monthly_summaries()
        db.session.commit()

        rows = db.session.execute(
            sa.select(OutgoingEmail.kind, sa.func.max(OutgoingEmail.id)).group_by(
                OutgoingEmail.kind
            )
        ).all()
        yield dict(rows), stored_texts()
    _empty_tables(_app)


def _render(row_id: int, language: str):
    from reslog_events.extensions import db
    from reslog_events.mail.messages import RENDERERS
    from reslog_events.mail.models import OutgoingEmail

    row = db.session.get(OutgoingEmail, row_id)
    row.language = language
    with force_locale(language):
        rendered = RENDERERS[row.kind](row)
    db.session.rollback()
    return rendered


def _check_all(app, outbox_rows, language: str) -> Finder:
    rows, content = outbox_rows
    finder = Finder(language, content)
    with app.app_context():
        for kind, row_id in sorted(rows.items()):
            email = _render(row_id, language)
            finder.check(f"{kind} subject", [email.subject])
            finder.check_text(f"{kind} text", email.text)
            finder.check_html(f"{kind} html", email.html)
            if email.calendar:
                finder.check(f"{kind} calendar", calendar_texts(email.calendar))
            for attachment in email.attachments:
                if attachment.content_type == "application/pdf":
                    finder.check(f"{kind} {attachment.filename}", pdf_texts(attachment.data))
    return finder


def test_every_kind_of_email_is_walked(_app, outbox_rows):
    from reslog_events.mail.messages import RENDERERS

    # (other tests register renderers of their own: only the app's count)
    own = {kind for kind, fn in RENDERERS.items() if fn.__module__.startswith("reslog_events.")}
    assert own and set(outbox_rows[0]) == own


@pytest.mark.parametrize("language", ["tr", "ar", "sv"])
def test_no_english_in_emails(_app, outbox_rows, language):
    leaks = _check_all(_app, outbox_rows, language).leaks
    assert not leaks, f"{len(leaks)} English text(s):\n" + "\n".join(map(str, leaks))


def test_the_english_emails_show_what_the_walk_looks_for(_app, outbox_rows):
    """The baseline: in English, the finder finds the app's words in every kind of email."""
    found = {leak.where.split()[0] for leak in _check_all(_app, outbox_rows, "en").leaks}
    assert found == set(outbox_rows[0])
