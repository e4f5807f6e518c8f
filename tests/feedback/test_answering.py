"""The personal link: the questions in the participant's language (Turkish, Arabic), answers
with Turkish and Arabic text stored exactly, one answer per link, clear refusals, and no page
a person's name."""

from __future__ import annotations

import re

import sqlalchemy as sa

from reslog_events.extensions import db
from reslog_events.feedback.models import FeedbackAnswer, FeedbackRequest, FeedbackResponse
from reslog_events.feedback.operations import send_due_surveys
from reslog_events.feedback.queries import survey_of
from tests.feedback.conftest import links


def _fields(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="(q\d+)"', html)))


def _ids(event_id):
    return {q.key: q.id for q in survey_of(event_id).questions}


def test_answering_in_turkish(client, ended, survey, participant):
    person = participant(full_name="Ayşe Şişli", language="tr", gender="female")
    send_due_surveys()
    path = links(ended.id)[person.invitation.contact.email]
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"].startswith("no-store")
    assert 'lang="tr"' in html and "Etkinlik nasıldı?" in html
    assert "Öğrendiklerinizi kullanacak mısınız?" in html and "Kısmen" in html
    assert "Ayşe Şişli" not in html  # the page names no one
    q = _ids(ended.id)
    comment = "Çok yararlıydı; Reyhanlı ve Sarıçam örnekleri için teşekkürler. İğdır da gelsin!"
    resp = client.post(
        path,
        data={
            "csrf_token": _csrf(html),
            f"q{q['usefulness']}": "5",
            f"q{q['will_use']}": "partly",
            f"q{q['comment']}": comment,
        },
    )
    assert resp.status_code == 303
    thanks = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Teşekkürler! Yanıtlarınız kaydedildi." in thanks
    (response,) = db.session.scalars(sa.select(FeedbackResponse)).all()
    assert (response.gender.value, response.role_category.value) == ("female", "municipal_staff")
    assert response.organisation_kind.value == "municipality"
    values = {a.question_id: (a.scale, a.choice, a.text) for a in response.answers}
    assert values == {
        q["usefulness"]: (5, None, None),
        q["will_use"]: (None, "partly", None),
        q["comment"]: (None, None, comment),
    }


def test_answering_in_arabic_and_a_second_answer_is_refused(client, ended, survey, participant):
    person = participant(full_name="عمر الحلبي", language="ar")
    send_due_surveys()
    path = links(ended.id)[person.invitation.contact.email]
    html = client.get(path).get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in html
    assert "كيف كانت الفعالية؟" in html and "ورشة الصمود في ساريتشام" in html
    assert "نعم" in html and "جزئيًا" in html
    q = _ids(ended.id)
    comment = "الورشة كانت مفيدة جدًا، شكرًا لبلدية شيشلي"
    form = {"csrf_token": _csrf(html), f"q{q['usefulness']}": "4", f"q{q['comment']}": comment}
    assert client.post(path, data=form).status_code == 303
    again = client.post(path, data=form)
    assert again.status_code == 409
    assert "لقد أجبت عن هذا الاستبيان من قبل" in again.get_data(as_text=True)
    # opening the used link says so too, and nothing was stored twice
    assert "لقد أجبت عن هذا الاستبيان من قبل" in client.get(path).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(FeedbackResponse.id))) == 1
    (text,) = db.session.scalars(
        sa.select(FeedbackAnswer.text).where(FeedbackAnswer.text.is_not(None))
    )
    assert text == comment
    assert db.session.scalars(sa.select(FeedbackRequest.answered)).all() == [True]


def test_bad_answers_are_refused_naming_the_question(client, ended, survey, participant):
    person = participant(language="en")
    send_due_surveys()
    path = links(ended.id)[person.invitation.contact.email]
    html = client.get(path).get_data(as_text=True)
    q = _ids(ended.id)
    token = _csrf(html)
    empty = client.post(path, data={"csrf_token": token})
    assert empty.status_code == 422
    assert "Please answer at least one question." in empty.get_data(as_text=True)
    bad = client.post(
        path,
        data={"csrf_token": token, f"q{q['usefulness']}": "7", f"q{q['will_use']}": "maybe"},
    )
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert f'id="e-q{q["usefulness"]}">Choose a number from 1 to 5.' in body
    assert f'id="e-q{q["will_use"]}">Choose one of the options.' in body
    long = client.post(path, data={"csrf_token": token, f"q{q['comment']}": "ş" * 2001})
    assert long.status_code == 422 and "At most 2000 characters." in long.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(FeedbackResponse.id))) == 0
    # after the errors the link still answers once
    ok = client.post(path, data={"csrf_token": token, f"q{q['usefulness']}": "3"})
    assert ok.status_code == 303


def test_unknown_switched_off_and_erased_links(client, api, ended, survey, participant):
    assert client.get("/feedback/" + "x" * 27).status_code == 404
    assert client.get("/feedback/short").status_code == 404
    person = participant(language="en")
    send_due_surveys()
    path = links(ended.id)[person.invitation.contact.email]
    api("organiser").open("PUT", f"/api/v1/events/{ended.id}/feedback", json={"enabled": False})
    page = client.get(path)
    assert page.status_code == 200 and "This survey is closed." in page.get_data(as_text=True)
    api("organiser").open("PUT", f"/api/v1/events/{ended.id}/feedback", json={"enabled": True})
    resp = api("organiser").post(
        f"/api/v1/contacts/{person.invitation.contact_id}/erase", json={"confirm": True}
    )
    assert resp.status_code == 200, resp.json
    assert client.get(path).status_code == 404
    row = db.session.scalars(sa.select(FeedbackRequest)).one()
    assert (row.token_hash, row.token_sealed) == (None, None)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_link_is_masked_in_logs():
    from reslog_events.core.logs import redact

    # even a token of lower-case letters only (no digit, no capital to recognise it by)
    line = redact("GET /feedback/abcdefghijklmnopqrstuvwxyza HTTP/1.1")
    assert "abcdefghijklmnopqrstuvwxyza" not in line and "/feedback/" in line
    assert redact("GET /events/7/feedback/edit HTTP/1.1") == "GET /events/7/feedback/edit HTTP/1.1"
