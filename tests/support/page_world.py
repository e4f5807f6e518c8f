"""The rows every page needs, and a logged-in client per role: the world the page matrix
(tests/security/test_page_matrix.py) and the untranslated-text walk (tests/languages) open every
page in. Logging in hashes passwords: once per role, not once per page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

ROLES = ("admin", "organiser", "staff", "coordinator")


def page_world(app) -> Iterator[tuple[dict[str, Any], dict[str | None, Any]]]:
    """Yields (ids by name, client by role; None: anonymous); the tables are emptied after."""
    import shutil

    from reslog_events.certificates.operations import issue_certificate
    from reslog_events.checkin.models import CheckIn
    from reslog_events.core.columns import utcnow
    from reslog_events.documents.models import Visibility
    from reslog_events.documents.operations import write_minutes
    from reslog_events.extensions import db, limiter
    from reslog_events.programme.feeds import issue_feed_secret
    from reslog_events.reports.models import ReportRun
    from tests.conftest import _empty_tables
    from tests.support import factories
    from tests.support.programme import add_programme

    with app.app_context():
        anonymous = app.test_client()
        create_user, create_organisation, create_event, create_contact, create_invitation = (
            factories.makers(app)
        )
        org = create_organisation()
        contact = create_contact(organisation=org)
        starts = utcnow().replace(microsecond=0) + timedelta(days=3)
        event = create_event(starts_at=starts, is_public=True, published_at=utcnow())
        draft = create_event(status="draft")
        new = create_invitation(event=event, contact=contact, status="accepted")
        organiser = factories.api(app, anonymous, create_user)("organiser")
        programme = add_programme(organiser, event, new.invitation.id)
        feed_secret = issue_feed_secret(create_user("staff"))
        document = organiser.post(
            f"/api/v1/events/{event.id}/documents",
            data={"file": (io.BytesIO(b"%PDF-1.4 agenda"), "gündem.pdf"), "visibility": "invitees"},
            content_type="multipart/form-data",
        ).json
        minutes = write_minutes(
            event, "Tutanak", "Kararlar", Visibility.invitees, by=create_user("organiser")
        )
        past = create_event(starts_at=utcnow().replace(microsecond=0) - timedelta(days=5))
        attended = create_invitation(event=past, status="accepted")
        past_document = write_minutes(
            past, "Tutanak", "Kararlar", Visibility.attendees, by=create_user("organiser")
        )
        db.session.add(
            CheckIn(
                event_id=past.id,
                invitation_id=attended.invitation.id,
                day=past.local_starts_at.date(),
            )
        )
        certificate = issue_certificate(attended.invitation)
        run = ReportRun(params={"group_by": "organisation"}, status="queued")
        db.session.add(run)
        db.session.commit()
        outbox = Path(app.config["MAIL_OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        (outbox / "00000001.eml").write_bytes(
            b"From: a@example.org\r\nTo: b@example.org\r\nSubject: Hello\r\n"
            b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>Hello</p>\r\n"
        )
        clients = {None: anonymous}
        for role in ROLES:
            clients[role] = app.test_client()
            resp = factories.AuthActions(clients[role], create_user).login(role)
            assert resp.status_code == 302, role
        ids = {
            "org": org.id,
            "contact": contact.id,
            "event": event.id,
            "draft": draft.id,
            "invitation": new.invitation.id,
            "token": new.rsvp_token,
            **programme,
            "run": run.id,
            "feed_secret": feed_secret,
            "user": create_user("staff").id,
            "past_event": past.id,
            "document": document["id"],
            "past_document": past_document.id,
            "minutes": minutes.id,
            "past_token": attended.rsvp_token,
            "certificate_code": certificate.code,
        }
        yield ids, clients
    _empty_tables(app)
    limiter.reset()
    shutil.rmtree(outbox, ignore_errors=True)
