"""What the demo's past events left behind: minutes written in Turkish, a file or two, and a
feedback survey with anonymous answers, so that a new user finds the documents and feedback
pages filled. Idempotent like the rest of the demo: minutes and files by (event, title), the
survey by its event, the answers only while the survey has none.

Written as they would stand after the fact: no email is queued (everyone who attended was
asked, so the clock has nobody left to send the survey to)."""

from __future__ import annotations

import io
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from ..auth.models import User
from ..checkin.models import CheckIn
from ..core.tokens import digest, new_rsvp_token, seal
from ..documents.models import EventDocument, Visibility
from ..documents.operations import add_file, write_minutes
from ..events.models import Event
from ..extensions import db
from ..feedback.models import FeedbackAnswer, FeedbackRequest, FeedbackResponse, QuestionKind
from ..feedback.operations import save_survey
from ..feedback.queries import survey_of
from ..feedback.schemas import SurveyIn
from ..invitations.models import Invitation


@dataclass(frozen=True)
class DemoFile:
    #: the name shown and downloaded
    name: str
    visibility: str
    #: the lines of the one-page PDF
    lines: tuple[str, ...]


@dataclass(frozen=True)
class DemoAfterwards:
    #: the past event's title (event_data.EVENTS)
    event: str
    minutes_title: str
    minutes: str
    minutes_visibility: str = "attendees"
    files: tuple[DemoFile, ...] = ()
    #: how many of those who attended answered the survey (0: no survey)
    answers: int = 0
    #: the free-text answers some of them gave
    comments: tuple[str, ...] = field(default_factory=tuple)


AFTERWARDS = (
    DemoAfterwards(
        "We Evaluate Our Resilience",
        "Çalıştay tutanağı: Dayanıklılığımızı Değerlendiriyoruz",
        """# Katılım
İki günlük çalıştaya pilot belediyelerden, TBB'den ve sivil toplumdan temsilciler katıldı.

# Birinci gün: öz değerlendirme
- Her belediye RESLOG öz değerlendirme aracını kendi ekibiyle doldurdu.
- En güçlü alanlar: afet koordinasyonu ve muhtarlıklarla iletişim.
- En çok gelişmeye açık alanlar: göçmenlere yönelik hizmetlerde veri toplama ve çok dilli
  bilgilendirme.

# İkinci gün: sonraki adımlar
- Belediyeler üç ay içinde dayanıklılık eylem planı taslaklarını paylaşacak.
- TBB, Arapça bilgilendirme materyalleri için ortak bir şablon hazırlayacak.
- Bir sonraki buluşma, eylem planlarının değerlendirileceği bölgesel çalıştay olacak.

# Teşekkür
Ev sahipliği için TBB'ye, tercüme desteği için gönüllü tercümanlarımıza teşekkür ederiz.""",
        files=(
            DemoFile(
                "Dayanıklılık öz değerlendirme sunumu.pdf",
                "attendees",
                (
                    "RESLOG — Dayanıklılık Öz Değerlendirme",
                    "Çalıştay sunumu, TBB Konferans Salonu, Ankara",
                    "",
                    "1. Öz değerlendirme aracının beş boyutu",
                    "2. Pilot belediyelerin ilk sonuçları",
                    "3. Güçlü yönler ve gelişmeye açık alanlar",
                    "4. Eylem planı takvimi",
                ),
            ),
            DemoFile(
                "Çalıştay gündemi.pdf",
                "invitees",
                (
                    "Dayanıklılığımızı Değerlendiriyoruz — Gündem",
                    "",
                    "1. gün 09:30  Açılış ve tanışma",
                    "1. gün 10:30  Öz değerlendirme aracı: gruplar halinde çalışma",
                    "1. gün 15:00  Sonuçların paylaşılması",
                    "2. gün 09:30  Eylem planı: öncelikler",
                    "2. gün 14:00  Sonraki adımlar ve kapanış",
                ),
            ),
        ),
        answers=11,
        comments=(
            "Öz değerlendirme aracı çok faydalıydı; ekibimizle tekrar uygulayacağız.",
            "Grup çalışmalarına daha fazla zaman ayrılabilirdi.",
            "Diğer belediyelerin deneyimlerini dinlemek en değerli kısımdı.",
            "Arapça tercüme desteği için teşekkürler.",
        ),
    ),
    DemoAfterwards(
        "Roundtable: Municipal Services for Refugees in Hatay",
        "Yuvarlak masa toplantı notları",
        """# Gündem
- Reyhanlı'da göçmenlere yönelik belediye hizmetlerinin bugünkü durumu
- Sivil toplum kuruluşlarıyla iş birliği

# Öne çıkanlar
Katılımcılar, hizmet noktalarında Arapça bilgilendirmenin artırılması gerektiğini vurguladı.
Sivil toplum temsilcileri, ortak bir yönlendirme rehberi önerdi.

# Kararlar
- Belediye ve STK'lar ortak bir yönlendirme rehberi hazırlayacak.
- Bir sonraki toplantı üç ay sonra yapılacak.""",
        minutes_visibility="invitees",
    ),
)


def _pdf(lines: tuple[str, ...]) -> bytes:
    """A one-page A4 PDF of `lines`, in the certificates' embedded Latin font."""
    from fpdf import FPDF

    from ..certificates.pdf import LATIN, font_files

    pdf = FPDF(format="A4")
    pdf.add_font(LATIN, "", font_files()[(LATIN, "")])
    pdf.add_font(LATIN, "B", font_files()[(LATIN, "B")])
    pdf.add_page()
    pdf.set_font(LATIN, "B", 18)
    pdf.multi_cell(0, 10, lines[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(LATIN, "", 12)
    for line in lines[1:]:
        pdf.multi_cell(0, 8, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _has(event: Event, title: str) -> bool:
    found = sa.select(EventDocument.id).where(
        EventDocument.event_id == event.id, EventDocument.title == title
    )
    return db.session.scalar(found) is not None


def _documents(spec: DemoAfterwards, event: Event, organiser: User, counts: Counter) -> None:
    if not _has(event, spec.minutes_title):
        visibility = Visibility(spec.minutes_visibility)
        write_minutes(event, spec.minutes_title, spec.minutes, visibility, by=organiser)
        counts["minutes"] += 1
    for demo_file in spec.files:
        if not _has(event, demo_file.name):
            stream = io.BytesIO(_pdf(demo_file.lines))
            add_file(event, stream, demo_file.name, Visibility(demo_file.visibility), by=organiser)
            counts["documents"] += 1


def _attended(event: Event) -> list[Invitation]:
    came = sa.select(CheckIn.invitation_id).where(CheckIn.event_id == event.id)
    return list(
        db.session.scalars(
            sa.select(Invitation).where(Invitation.id.in_(came)).order_by(Invitation.id)
        )
    )


def _answers(questions, rng: random.Random, comment: str | None) -> list[FeedbackAnswer]:
    answers = []
    for question in questions:
        if question.kind == QuestionKind.scale:
            answers.append(FeedbackAnswer(question_id=question.id, scale=rng.choice((3, 4, 4, 5))))
        elif question.kind == QuestionKind.choice:
            keys = [option["key"] for option in question.options]
            answers.append(FeedbackAnswer(question_id=question.id, choice=rng.choice(keys[:2])))
        elif comment:
            answers.append(FeedbackAnswer(question_id=question.id, text=comment))
    return answers


def _survey(spec: DemoAfterwards, event: Event, organiser: User, counts: Counter) -> None:
    """The standard survey, asked of everyone who attended, and `spec.answers` of them answered
    (the answers keep only the coarse attributes, as the answer page stores them)."""
    survey = survey_of(event.id)
    if survey is None:
        survey = save_survey(event, SurveyIn(), by=organiser)
        counts["surveys"] += 1
    has_answers = sa.select(FeedbackResponse.id).where(FeedbackResponse.event_id == event.id)
    if db.session.scalar(has_answers.limit(1)) is not None:
        return
    rng = random.Random(f"{spec.event} feedback")  # the same answers on every machine
    attended = _attended(event)
    answering = set(rng.sample(range(len(attended)), min(spec.answers, len(attended))))
    comments = iter(spec.comments)
    for n, invitation in enumerate(attended):
        asked = db.session.scalar(
            sa.select(FeedbackRequest).where(FeedbackRequest.invitation_id == invitation.id)
        )
        if asked is None:
            token = new_rsvp_token()
            asked = FeedbackRequest(
                invitation_id=invitation.id,
                token_hash=digest(token),
                token_sealed=seal(token),
                sent_at=event.ends_at + timedelta(hours=1),
            )
            db.session.add(asked)
        if n not in answering or asked.answered:
            continue
        asked.answered = True
        contact = invitation.contact
        organisation = invitation.organisation or contact.organisation
        response = FeedbackResponse(
            id=uuid.uuid4(),
            event_id=event.id,
            answered_on=(event.ends_at + timedelta(days=rng.randint(0, 4))).date(),
            gender=contact.gender,
            role_category=contact.role_category,
            organisation_kind=organisation.kind if organisation is not None else None,
        )
        comment = next(comments, None) if rng.random() < 0.6 else None
        response.answers = _answers(survey.questions, rng, comment)
        db.session.add(response)
        counts["feedback answers"] += 1
    db.session.flush()


def load_afterwards(events: dict[str, Event], organiser: User, counts: Counter) -> None:
    """Minutes, files and survey answers of the past events named in AFTERWARDS."""
    for spec in AFTERWARDS:
        event = events.get(spec.event)
        if event is None or not event.has_ended or event.is_cancelled:
            continue
        _documents(spec, event, organiser, counts)
        if spec.answers:
            _survey(spec, event, organiser, counts)
