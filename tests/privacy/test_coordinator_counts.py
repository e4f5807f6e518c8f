"""What a coordinator can reach shows no exact small count that the dashboard would hide
(docs/reports.md, "Small cells"): every count of people per event, organisation or group
outside the reports takes the same rule from the same helper (`reports.suppression`).

`AUDITED` lists every page and API read a coordinator may open (the page and role matrices),
each with its verdict, so a new one cannot ship without a decision; the pages and endpoints
that show counts of people are called over an event where every such count is small (2
attended, 1 declined, 1 seat taken in a session, the survey sent to 2 and answered by 1).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from reslog_events.checkin.models import CheckIn
from reslog_events.core.columns import utcnow
from reslog_events.extensions import db
from reslog_events.feedback.models import FeedbackRequest
from reslog_events.feedback.operations import send_due_surveys, submit_answers
from reslog_events.feedback.queries import survey_of
from reslog_events.programme.models import SessionChoice
from tests.role_matrix import MATRIX
from tests.security.test_page_matrix import COORDINATOR, PAGES

COUNTS = "counts of people, checked below"
NONE = "no count of people"
REPORTS = "the reports' own tables (tests/reports/test_small_cells.py)"

#: every page (rule) and API read (/api/v1 rule) a coordinator may open → its verdict
AUDITED: dict[str, str] = {
    "/": NONE,
    "/login": NONE,
    "/favicon.ico": NONE,
    "/calendar": NONE,
    "/calendar/feed": NONE,
    "/feeds/public.ics": NONE,
    "/feeds/u/<secret>.ics": NONE,
    "/programme": NONE,
    "/programme/<int:event_id>": NONE,
    "/rsvp/<token>": "the invitee's own page (seats left in a session: for the invitee)",
    "/rsvp/<token>/qr.png": NONE,
    "/rsvp/<token>/calendar.ics": NONE,
    "/rsvp/<token>/certificate.pdf": NONE,
    "/rsvp/<token>/documents/<int:document_id>": NONE,
    "/verify/<code>": NONE,
    "/feedback/<token>": NONE,
    "/account/password/<token>": NONE,
    "/account": NONE,
    "/organisations": NONE,
    "/organisations/<int:organisation_id>": "counts of member organisations, not of people",
    "/events": NONE,
    "/events/<int:event_id>": COUNTS,
    "/events/<int:event_id>/agenda": COUNTS,
    "/events/<int:event_id>/feedback": COUNTS,
    "/events/<int:event_id>/feedback.csv": COUNTS,
    "/events/<int:event_id>/feedback.xlsx": "the CSV's cells (feedback/exports.py)",
    "/reports": REPORTS,
    "/reports/organisations/<int:organisation_id>": REPORTS,
    "/reports/runs/<int:run_id>": REPORTS,
    "/results": "indicators of people hidden by results.queries (tests/results)",
    # the API
    "/api/v1/organisations": NONE,
    "/api/v1/organisations/<int:organisation_id>": NONE,
    "/api/v1/events": NONE,
    "/api/v1/events/<int:event_id>": NONE,
    "/api/v1/events/<int:event_id>/series": NONE,
    "/api/v1/events/<int:event_id>/sessions": COUNTS,
    "/api/v1/sessions/<int:session_id>": COUNTS,
    "/api/v1/events/<int:event_id>/programme": NONE,
    "/api/v1/events/<int:event_id>/sites": NONE,
    "/api/v1/events/<int:event_id>/feedback/results": COUNTS,
    "/api/v1/reports/feedback": "respondents per event, hidden by feedback.summaries.period_report",
    "/api/v1/reports/attendance": REPORTS,
    "/api/v1/reports/door": REPORTS,
    "/api/v1/reports/runs/<int:run_id>": REPORTS,
    "/api/v1/reports/runs/<int:run_id>/xlsx": REPORTS,
    "/api/v1/results": "indicators of people hidden by results.queries (tests/results)",
    "/api/v1/results/pilot-organisations": NONE,
}


def test_every_read_a_coordinator_may_open_is_audited():
    pages = {
        rule
        for rule, (allowed, _path, _status) in PAGES.items()
        if allowed is None or COORDINATOR in allowed
    }
    reads = {
        f"/api/v1{rule}"
        for (method, rule), allowed in MATRIX.items()
        if method == "GET" and allowed and COORDINATOR in allowed
    }
    assert (pages | reads) - set(AUDITED) == set(), "decide what a coordinator sees there"


@pytest.fixture
def small(app, api, create_event, create_invitation, create_contact, create_organisation):
    """An event that ended an hour ago where every count of people is small."""
    app.config["REPORT_MIN_CELL"] = 5
    ends = utcnow().replace(microsecond=0) - timedelta(hours=1)
    event = create_event(
        title="Sarıçam Dayanıklılık Çalıştayı", starts_at=ends - timedelta(hours=7), ends_at=ends
    )
    organisation = create_organisation(kind="municipality")
    came = []
    for status in ["accepted"] * 2 + ["declined"] + ["pending"] * 6:
        new = create_invitation(
            event=event, contact=create_contact(organisation=organisation), status=status
        )
        if status == "accepted":
            came.append(new.invitation)
            db.session.add(
                CheckIn(
                    event_id=event.id,
                    invitation_id=new.invitation.id,
                    day=event.local_starts_at.date(),
                )
            )
    db.session.commit()
    organiser = api("organiser")
    start = event.local_starts_at + timedelta(minutes=30)
    resp = organiser.post(
        f"/api/v1/events/{event.id}/sessions",
        json={
            "title": "Açılış",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "room_or_site": "Salon A",
            "capacity": 20,
        },
    )
    assert resp.status_code == 201, resp.json
    session_id = resp.json["id"]
    db.session.add(SessionChoice(invitation_id=came[0].id, session_id=session_id))
    resp = organiser.open("PUT", f"/api/v1/events/{event.id}/feedback", json={})
    assert resp.status_code == 200, resp.json
    assert send_due_surveys() == 2
    questions = {q.key: q.id for q in survey_of(event.id).questions}
    asked = db.session.query(FeedbackRequest).filter_by(invitation_id=came[0].id).one()
    submit_answers(asked, {questions["usefulness"]: {"scale": 5}})
    db.session.commit()
    return {"event": event.id, "session": session_id}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def facts(html: str) -> dict[str, str]:
    """The page's <dt>label</dt><dd>value</dd> pairs, as text."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    return {text_of(k).strip(): text_of(v).strip() for k, v in pairs}


def pages(client, small) -> dict[str, str]:
    event = small["event"]
    return {
        name: client.get(f"{path}?lang=en").get_data(as_text=True)
        for name, path in {
            "event": f"/events/{event}",
            "agenda": f"/events/{event}/agenda",
            "feedback": f"/events/{event}/feedback",
            "feedback.csv": f"/events/{event}/feedback.csv",
        }.items()
    }


def api_reads(api, role, small) -> dict[str, dict]:
    reader = api(role)
    event, session = small["event"], small["session"]
    found = {}
    for name, path in {
        "sessions": f"/api/v1/events/{event}/sessions",
        "session": f"/api/v1/sessions/{session}",
        "feedback": f"/api/v1/events/{event}/feedback/results",
    }.items():
        resp = reader.get(path)
        assert resp.status_code == 200, (path, resp.json)
        found[name] = resp.json
    return found


def seats_cell(agenda_html: str) -> str:
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Açılış.*?</tr>", agenda_html, re.S)
    assert row, "the session's row"
    return text_of(re.findall(r'<td class="num">(.*?)</td>', row.group(0), re.S)[0]).strip()


def test_organisers_see_the_exact_counts(client, auth, api, small):
    auth.login("organiser")
    shown = pages(client, small)
    assert facts(shown["event"])["Declined"] == "1"
    assert seats_cell(shown["agenda"]) == "1 / 20"
    assert facts(shown["feedback"])["Sent to"] == "2 participants"
    reads = api_reads(api, "organiser", small)
    assert reads["sessions"]["items"][0]["seats_taken"] == 1
    assert reads["session"]["seats_taken"] == 1
    assert reads["feedback"]["sent"] == 2 and reads["feedback"]["respondents"] == 1


def test_coordinators_see_no_small_answer_count(client, auth, small):
    auth.login("coordinator")
    event = facts(pages(client, small)["event"])
    assert "1" not in event["Declined"] and "2" not in event["Accepted"], event


def test_coordinators_see_no_small_count_of_seats(client, auth, api, small):
    auth.login("coordinator")
    assert "1" not in seats_cell(pages(client, small)["agenda"]).split("/")[0]
    reads = api_reads(api, "coordinator", small)
    assert reads["sessions"]["items"][0]["seats_taken"] is None
    assert reads["session"]["seats_taken"] is None


def test_coordinators_see_no_small_count_of_surveys_sent(client, auth, api, small):
    auth.login("coordinator")
    feedback = facts(pages(client, small)["feedback"])
    assert "2" not in feedback["Sent to"] and "1" not in feedback["Answers"], feedback
    reads = api_reads(api, "coordinator", small)
    assert reads["feedback"]["sent"] is None and reads["feedback"]["respondents"] is None
    assert reads["feedback"]["suppressed"] is True


def test_a_survey_sent_to_many_hides_a_few_who_did_not_answer():
    """Sent 7 and 6 answers would give back the one who did not answer: one of them hides."""
    from reslog_events.reports.suppression import suppress

    totals = {"respondents": 6, "sent": 7, "not_answered": 1}
    suppress({"rows": [], "totals": totals}, 5)
    assert totals["not_answered"] is None
    assert None in (totals["sent"], totals["respondents"]), totals


def test_hidden_counts_are_styled_where_they_are_shown(client, auth, small):
    """The hidden-count style is in app.css, which every page loads (it was in reports.css,
    which the event page does not load)."""
    auth.login("coordinator")
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert re.search(r"\.hidden-count\s*\{[^}]*color", css)
    for name, html in pages(client, small).items():
        if name in HIDES_HERE:
            assert 'class="hidden-count"' in html and "/static/css/app.css" in html, name


#: the pages of `pages()` that hide a count in this world
HIDES_HERE = ("event", "agenda", "feedback")


def test_coordinators_see_no_average_of_a_few_answers(api, small):
    """The results' average feedback over one answer is that person's answer (here 5): hidden
    as on the feedback pages, which show no average of a row with a hidden count."""
    today = utcnow().date()
    period = {"start": (today - timedelta(days=2)).isoformat(), "end": today.isoformat()}
    for role, expected in (("admin", 5.0), ("coordinator", None)):
        resp = api(role).get("/api/v1/results", query_string=period)
        assert resp.status_code == 200, resp.json
        item = {i["key"]: i for i in resp.json["indicators"]}["average_feedback"]
        assert item["value"] == expected, (role, item)


def test_the_results_page_marks_a_hidden_indicator_as_the_others_do(client, auth, small):
    today = utcnow().date()
    auth.login("coordinator")
    html = client.get(f"/results?start={today - timedelta(days=2)}&end={today}&lang=en").get_data(
        as_text=True
    )
    assert 'class="hidden-count"' in html
