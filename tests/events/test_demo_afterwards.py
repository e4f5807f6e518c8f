"""The demo's past events come with what follows an event: Turkish minutes and PDF files on the
documents pages, and a feedback survey with anonymous answers, so a new user finds those pages
filled. Nothing is emailed, and a second run adds nothing (tests/events/test_demo.py)."""

from __future__ import annotations

import sqlalchemy as sa

from reslog_events.documents.models import DocumentKind, EventDocument
from reslog_events.documents.storage import get_storage
from reslog_events.events.models import Event
from reslog_events.extensions import db
from reslog_events.feedback.models import FeedbackAnswer, FeedbackRequest, FeedbackResponse
from reslog_events.mail.models import OutgoingEmail

WORKSHOP = "We Evaluate Our Resilience"


def _event(title: str) -> Event:
    return db.session.scalar(sa.select(Event).where(Event.title == title))


def _count(statement) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))


def test_past_events_have_minutes_and_files(runner, client, auth):
    assert runner.invoke(args=["demo"]).exit_code == 0
    workshop = _event(WORKSHOP)
    documents = {
        d.title: d
        for d in db.session.scalars(
            sa.select(EventDocument).where(EventDocument.event_id == workshop.id)
        )
    }
    minutes = documents["Çalıştay tutanağı: Dayanıklılığımızı Değerlendiriyoruz"]
    assert minutes.kind == DocumentKind.minutes and "öz değerlendirme" in minutes.body
    agenda = documents["Çalıştay gündemi.pdf"]
    assert agenda.kind == DocumentKind.file and agenda.visibility.value == "invitees"
    with get_storage().open(agenda.storage_key) as stored:
        assert stored.read(5) == b"%PDF-"
    roundtable = _event("Roundtable: Municipal Services for Refugees in Hatay")
    assert _count(sa.select(EventDocument).where(EventDocument.event_id == roundtable.id)) == 1

    auth.login("organiser")
    page = client.get(f"/events/{workshop.id}/documents?lang=tr").get_data(as_text=True)
    assert "Dayanıklılık öz değerlendirme sunumu.pdf" in page and "Tutanak" in page
    download = client.get(f"/events/{workshop.id}/documents/{agenda.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    shown = client.get(f"/events/{workshop.id}/documents/{minutes.id}?lang=tr")
    assert "<h3>Birinci gün: öz değerlendirme</h3>" in shown.get_data(as_text=True)
    assert _count(sa.select(OutgoingEmail)) == 0


def test_a_survey_with_anonymous_answers(runner, client, auth):
    assert runner.invoke(args=["demo"]).exit_code == 0
    workshop = _event(WORKSHOP)
    requests = db.session.scalars(
        sa.select(FeedbackRequest)
        .join(FeedbackRequest.invitation)
        .where(FeedbackRequest.invitation.has(event_id=workshop.id))
    ).all()
    responses = db.session.scalars(
        sa.select(FeedbackResponse).where(FeedbackResponse.event_id == workshop.id)
    ).all()
    # everyone who attended was asked (the clock has nobody left to email); eleven answered
    assert len(requests) >= len(responses) == 11
    assert sum(r.answered for r in requests) == len(responses)
    assert all(r.answered_on >= workshop.ends_at.date() for r in responses)
    texts = db.session.scalars(
        sa.select(FeedbackAnswer.text).where(FeedbackAnswer.text.is_not(None))
    ).all()
    assert texts and all(t.isprintable() for t in texts)
    assert any("Öz değerlendirme aracı" in t for t in texts)
    # an answer names no person: no column of the response points at an invitation or contact
    assert not {"invitation_id", "contact_id", "user_id"} & set(
        FeedbackResponse.__table__.columns.keys()
    )

    auth.login("organiser")
    page = client.get(f"/events/{workshop.id}/feedback?lang=tr").get_data(as_text=True)
    assert "Öz değerlendirme aracı çok faydalıydı" in page
    assert client.get(f"/events/{workshop.id}/feedback.csv").status_code == 200
