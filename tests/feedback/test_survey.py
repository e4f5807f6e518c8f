"""The survey of an event: the standard questions in every event language, editing through the
API and the page (add, remove, reorder), validation naming the field, and the lock once the
first answer arrived."""

from __future__ import annotations

from reslog_events.feedback.operations import submit_answers
from reslog_events.feedback.queries import survey_of
from tests.support.forms import post_form


def _put(api, event_id, body, role="organiser"):
    return api(role).open("PUT", f"/api/v1/events/{event_id}/feedback", json=body)


def test_a_new_survey_has_the_three_standard_questions_in_each_language(api, ended, survey):
    assert survey["enabled"] and survey["send_at_end"] and not survey["locked"]
    assert survey["default_language"] == "tr"
    kinds = [(q["position"], q["kind"], q["key"]) for q in survey["questions"]]
    assert kinds == [(1, "scale", "usefulness"), (2, "choice", "will_use"), (3, "text", "comment")]
    usefulness, will_use, _comment = survey["questions"]
    assert set(usefulness["texts"]) == {"tr", "ar"}
    assert usefulness["texts"]["tr"] != usefulness["texts"]["ar"]  # translated, not copied
    assert [o["key"] for o in will_use["options"]] == ["yes", "partly", "no"]
    assert will_use["options"][0]["texts"] == {"tr": "Evet", "ar": "نعم"}
    again = api("organiser").get(f"/api/v1/events/{ended.id}/feedback")
    assert again.status_code == 200 and again.json["questions"] == survey["questions"]


def test_questions_are_replaced_and_reordered(api, ended, survey):
    questions = [
        {"kind": "text", "key": "comment", "texts": {"tr": "Yorumunuz?", "ar": "تعليقك؟"}},
        {
            "kind": "choice",
            "texts": {"tr": "Hangi oturum?"},
            "options": [
                {"texts": {"tr": "Şişli oturumu", "ar": "جلسة شيشلي"}},
                {"key": "cukurova", "texts": {"tr": "Çukurova oturumu"}},
            ],
        },
    ]
    resp = _put(api, ended.id, {"questions": questions})
    assert resp.status_code == 200, resp.json
    got = resp.json["questions"]
    assert [(q["position"], q["kind"]) for q in got] == [(1, "text"), (2, "choice")]
    assert [o["key"] for o in got[1]["options"]] == ["o1", "cukurova"]
    assert got[1]["options"][0]["texts"]["tr"] == "Şişli oturumu"


def test_invalid_surveys_are_refused_naming_the_field(api, ended, survey):
    cases = [
        ({"questions": [{"kind": "scale", "texts": {"ar": "سؤال"}}]}, "questions.0.texts"),
        (
            {
                "questions": [
                    {"kind": "choice", "texts": {"tr": "Tek?"}, "options": [{"texts": {"tr": "A"}}]}
                ]
            },
            "questions.0.options",
        ),
        (
            {
                "questions": [
                    {"kind": "text", "texts": {"tr": "x"}, "options": [{"texts": {"tr": "A"}}]}
                ]
            },
            "questions.0.options",
        ),
        (
            {"questions": [{"kind": "text", "key": "usefulness", "texts": {"tr": "x"}}]},
            "questions.0.key",
        ),
        ({"questions": [{"kind": "stars", "texts": {"tr": "x"}}]}, "questions.0.kind"),
        ({"questions": [{"kind": "text", "texts": {"xx": "x"}}]}, "questions.0.texts"),
        ({"questions": []}, "questions"),
        ({"questions": [{"kind": "text", "texts": {"tr": "x" * 301}}]}, "questions.0.texts"),
    ]
    for body, field in cases:
        resp = _put(api, ended.id, body)
        assert resp.status_code == 422, (body, resp.status_code)
        assert field in resp.json["error"]["fields"], (body, resp.json)
    assert len(survey_of(ended.id).questions) == 3  # nothing was changed


def test_locked_once_the_first_answer_arrived(api, ended, survey, participant):
    new = participant()
    assert api("organiser").post(f"/api/v1/events/{ended.id}/feedback/send").status_code == 202
    from reslog_events.extensions import db
    from reslog_events.feedback.models import FeedbackRequest

    request_row = db.session.query(FeedbackRequest).filter_by(invitation_id=new.invitation.id).one()
    question = survey_of(ended.id).questions[0]
    submit_answers(request_row, {question.id: {"scale": 4}})
    db.session.commit()
    changed = {"questions": [{"kind": "text", "texts": {"tr": "Yeni soru"}}]}
    resp = _put(api, ended.id, changed)
    assert resp.status_code == 409 and resp.json["error"]["code"] == "survey_locked"
    # the same questions again, and the sending settings, are still accepted
    same = {
        "questions": [
            {k: q[k] for k in ("kind", "key", "texts", "options")} for q in survey["questions"]
        ],
        "send_at_end": False,
    }
    resp = _put(api, ended.id, same)
    assert resp.status_code == 200, resp.json
    assert resp.json["locked"] and not resp.json["send_at_end"]


def test_the_editing_page_adds_removes_and_reorders(client, auth, ended):
    auth.login("organiser")
    page = client.get(f"/events/{ended.id}/feedback/edit")
    assert page.status_code == 200 and "Set up a survey" in page.get_data(as_text=True)
    resp = post_form(client, f"/events/{ended.id}/feedback/edit", {"action": "create"})
    assert resp.status_code == 303
    survey = survey_of(ended.id)
    assert len(survey.questions) == 3
    form = {"enabled": "1", "send_at_end": "1"}
    for n, q in enumerate(survey.questions, start=1):
        form |= {f"kind_{n}": q.kind.value, f"key_{n}": q.key or "", f"position_{n}": str(n)}
        form |= {f"text_{n}_{lang}": text for lang, text in q.texts.items()}
        form[f"optkeys_{n}"] = ",".join(o["key"] for o in q.options)
        for lang in ("tr", "ar"):
            form[f"options_{n}_{lang}"] = "\n".join(o["texts"].get(lang, "") for o in q.options)
    form["remove_2"] = "1"  # "will you use it" goes
    form["position_3"] = "0"  # the comment comes first
    form |= {"kind_4": "scale", "position_4": "9", "text_4_tr": "Mekân nasıldı, Reyhanlı?"}
    resp = post_form(client, f"/events/{ended.id}/feedback/edit", form)
    assert resp.status_code == 303, resp.get_data(as_text=True)
    questions = survey_of(ended.id).questions
    assert [(q.key, q.kind.value) for q in questions] == [
        ("comment", "text"),
        ("usefulness", "scale"),
        (None, "scale"),
    ]
    assert questions[2].texts == {"tr": "Mekân nasıldı, Reyhanlı?"}


def test_the_editing_page_names_the_field_with_an_error(client, auth, ended, survey):
    auth.login("organiser")
    form = {"enabled": "1", "kind_1": "choice", "text_1_ar": "سؤال", "options_1_tr": "Tek"}
    resp = post_form(client, f"/events/{ended.id}/feedback/edit", form)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "The question needs a text in TR" in html
    assert "A choice question needs at least two options." in html
    assert len(survey_of(ended.id).questions) == 3  # nothing lost
