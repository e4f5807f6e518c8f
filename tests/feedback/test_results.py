"""The results against a hand-computed fixture: the distributions, the averages and the
breakdowns; to coordinators the small-cell rule (REPORT_MIN_CELL = 3 here) with its
complementary cells, worked out by hand with the method of reports/suppression.py; the
dashboard's block across events with union scoping; `average_usefulness`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reslog_events.extensions import db
from reslog_events.feedback.models import FeedbackRequest
from reslog_events.feedback.operations import send_due_surveys, submit_answers
from reslog_events.feedback.queries import average_usefulness, survey_of

#: (gender, usefulness, will use, comment): ten municipal staff of municipalities
ANSWERS = [
    ("female", 5, "yes", "Şişli'de yine yapılsın"),
    ("female", 5, "yes", None),
    ("female", 5, "yes", None),
    ("female", 4, "yes", None),
    ("female", 4, "partly", None),
    ("female", 4, "partly", "Anlatım çok hızlıydı"),
    ("male", 5, "yes", None),
    ("male", 5, "yes", "شكرا للمنظمين"),
    ("male", 5, "no", None),
    ("male", 2, "no", None),
]


def answer_all(event, participant, rows):
    people = [participant(event=event, gender=gender) for gender, *_rest in rows]
    send_due_surveys()
    q = {question.key: question.id for question in survey_of(event.id).questions}
    for person, (_gender, useful, will_use, comment) in zip(people, rows, strict=True):
        row = db.session.query(FeedbackRequest).filter_by(invitation_id=person.invitation.id).one()
        values = {q["usefulness"]: {"scale": useful}, q["will_use"]: {"choice": will_use}}
        if comment:
            values[q["comment"]] = {"text": comment}
        submit_answers(row, values)
    db.session.commit()


@pytest.fixture
def answered(app, ended, survey, participant):
    app.config["REPORT_MIN_CELL"] = 3
    answer_all(ended, participant, ANSWERS)
    return ended


def _results(api, role, event_id):
    resp = api(role).get(f"/api/v1/events/{event_id}/feedback/results")
    assert resp.status_code == 200, resp.json
    return resp.json


def _counts(cell):
    return cell["counts"], cell["answered"], cell["average"]


def test_organisers_see_exact_counts_averages_and_comments(api, answered):
    got = _results(api, "organiser", answered.id)
    assert got["respondents"] == 10 and got["sent"] == 10 and not got["suppressed"]
    useful, will_use, comment = got["questions"]
    scale = {"1": 0, "2": 1, "3": 0, "4": 3, "5": 6}
    assert _counts(useful["overall"]) == (scale, 10, 4.4)
    by_gender = {c["key"]: _counts(c) for c in useful["breakdowns"]["gender"]}
    assert by_gender == {
        "female": ({"1": 0, "2": 0, "3": 0, "4": 3, "5": 3}, 6, 4.5),
        "male": ({"1": 0, "2": 1, "3": 0, "4": 0, "5": 3}, 4, 4.25),
    }
    (role,) = useful["breakdowns"]["role_category"]
    assert (role["key"], _counts(role)) == ("municipal_staff", (scale, 10, 4.4))
    (kind,) = useful["breakdowns"]["organisation_kind"]
    assert kind["key"] == "municipality" and kind["label"] == "Municipality"
    assert _counts(will_use["overall"]) == ({"yes": 6, "partly": 2, "no": 2}, 10, None)
    assert [o["key"] for o in will_use["options"]] == ["yes", "partly", "no"]
    by_gender = {c["key"]: c["counts"] for c in will_use["breakdowns"]["gender"]}
    assert by_gender == {
        "female": {"yes": 4, "partly": 2, "no": 0},
        "male": {"yes": 2, "partly": 0, "no": 2},
    }
    assert comment["overall"]["answered"] == 3 and comment["breakdowns"] == {}
    # a plain list, alphabetical: not the order of the answers, and without attributes
    assert comment["comments"] == [
        "Anlatım çok hızlıydı",
        "Şişli'de yine yapılsın",
        "شكرا للمنظمين",
    ]


def test_coordinators_get_small_cells_hidden(api, answered):
    got = _results(api, "coordinator", answered.id)
    useful, will_use, comment = got["questions"]
    # usefulness: "2" (1) is small in the male row and the totals: both hidden, and with it
    # the rows' answered and average; the female row stays exact
    hidden_two = {"1": 0, "2": None, "3": 0, "4": 3, "5": 6}
    assert _counts(useful["overall"]) == (hidden_two, None, None)
    assert useful["overall"]["suppressed"] is True
    by_gender = {c["key"]: (_counts(c), c["suppressed"]) for c in useful["breakdowns"]["gender"]}
    assert by_gender == {
        "female": (({"1": 0, "2": 0, "3": 0, "4": 3, "5": 3}, 6, 4.5), False),
        "male": (({"1": 0, "2": None, "3": 0, "4": 0, "5": 3}, None, None), True),
    }
    # will use: totals partly 2, no 2 small; female partly 2, male yes 2 and no 2 small. The
    # male row has no partner hiding yes and no: the female row becomes it (it hides least:
    # 4 + 0 against the totals' 6), and then the male row the female row's (partly: 0)
    assert will_use["overall"]["counts"] == {"yes": 6, "partly": None, "no": None}
    by_gender = {c["key"]: c["counts"] for c in will_use["breakdowns"]["gender"]}
    assert by_gender == {
        "female": {"yes": None, "partly": None, "no": None},
        "male": {"yes": None, "partly": None, "no": None},
    }
    (role,) = will_use["breakdowns"]["role_category"]
    assert role["counts"] == {"yes": 6, "partly": None, "no": None}
    # three comments: shown (3 is not small), but not their text
    assert comment["overall"]["answered"] == 3 and comment["comments"] is None
    # a hidden count would follow from the respondents (everyone answered): hidden too
    assert got["respondents"] is None and got["suppressed"] is True


def test_with_the_house_minimum_everything_small_is_hidden(app, api, answered):
    app.config["REPORT_MIN_CELL"] = 5
    useful = _results(api, "coordinator", answered.id)["questions"][0]
    assert useful["overall"]["counts"]["4"] is None and useful["overall"]["counts"]["5"] == 6
    assert _results(api, "admin", answered.id)["questions"][0]["overall"]["counts"]["4"] == 3


def test_the_dashboard_block_across_events_within_the_union(
    app, api, client, auth, answered, participant, create_event, create_organisation, create_user
):
    union = create_organisation(name="Marmara Belediyeler Birliği", kind="union", code="MBB")
    answered.host_organisation_id = union.id
    other = create_event(
        title="Çukurova Forumu",
        starts_at=answered.starts_at - timedelta(days=2),
        ends_at=answered.ends_at - timedelta(days=2),
    )
    db.session.commit()
    api("organiser").open("PUT", f"/api/v1/events/{other.id}/feedback", json={})
    answer_all(other, participant, [("female", 5, "yes", None), ("female", 4, "no", None)])

    report = api("organiser").get("/api/v1/reports/feedback").json
    rows = {r["title"]: (r["respondents"], r["average_usefulness"]) for r in report["events"]}
    assert rows == {"Çukurova Forumu": (2, 4.5), "Sarıçam Dayanıklılık Çalıştayı": (10, 4.4)}
    assert report["respondents"] == 12
    useful = report["questions"][0]
    assert useful["key"] == "usefulness"
    assert _counts(useful["overall"]) == ({"1": 0, "2": 1, "3": 0, "4": 4, "5": 7}, 12, 4.42)

    coordinator = api("coordinator").get("/api/v1/reports/feedback").json
    rows = {r["title"]: (r["respondents"], r["average_usefulness"]) for r in coordinator["events"]}
    # the forum's 2 is small; the totals are hidden with it ("2" of usefulness is small)
    assert rows == {"Çukurova Forumu": (None, None), "Sarıçam Dayanıklılık Çalıştayı": (10, 4.4)}
    assert coordinator["respondents"] is None

    scoped = create_user("coordinator", union_id=union.id)
    from reslog_events.auth.operations import create_token

    token = create_token(scoped)
    db.session.commit()
    mine = client.get("/api/v1/reports/feedback", headers={"Authorization": f"Bearer {token}"}).json
    assert [r["title"] for r in mine["events"]] == ["Sarıçam Dayanıklılık Çalıştayı"]

    auth.login("coordinator")
    page = client.get("/reports").get_data(as_text=True)
    assert 'id="feedback-heading"' in page and "Çukurova Forumu" in page
    assert "/api/v1/reports/feedback?format=xlsx" in page


def test_average_usefulness(app, answered, participant, create_event, api, ended):
    assert average_usefulness(None, [ended.id]) == pytest.approx(4.4)
    assert average_usefulness(db.session, [ended.id, 999999]) == pytest.approx(4.4)
    assert average_usefulness(None, []) is None
    empty = create_event()
    assert average_usefulness(None, [empty.id]) is None


def test_the_results_page_for_organisers_and_coordinators(client, auth, answered):
    auth.login("organiser")
    hub = client.get(f"/events/{answered.id}").get_data(as_text=True)
    assert f'href="/events/{answered.id}/feedback"' in hub
    html = client.get(f"/events/{answered.id}/feedback").get_data(as_text=True)
    assert "Şişli&#39;de yine yapılsın" in html and "4.40" in html
    assert "Send survey now" in html
    client.post("/logout")
    coordinator = client.application.test_client()
    auth_c = type(auth)(coordinator, auth.create_user)
    auth_c.login("coordinator")
    html = coordinator.get(f"/events/{answered.id}/feedback").get_data(as_text=True)
    assert "Şişli" not in html and "Send survey now" not in html
    assert "Hidden to protect people" in html
