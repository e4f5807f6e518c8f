"""Each indicator against the values computed by hand in conftest.py, this period and the
previous one, programme-wide and for a union-scoped coordinator; targets and progress; small
cells for coordinators."""

from __future__ import annotations

import pytest

from tests.results.conftest import PERIOD, reader


def indicators(api_client, **params) -> dict:
    resp = api_client.get("/api/v1/results", query_string=params)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.json


def data_period(params: dict) -> dict:
    return {"start": params["start"], "end": params["end"]}


def by_key(data: dict) -> dict:
    return {item["key"]: item for item in data["indicators"]}


#: (value, previous, delta, numerator, denominator), programme-wide
EVERYONE = {
    "pilot_municipalities": (3, 2, 1, 3, 4),
    "share_women": (42.9, 66.7, -23.8, 3, 7),
    "share_refugee_community": (28.6, 0.0, 28.6, 2, 7),
    "repeat_participants": (2, 0, 2, None, None),
    "unions_reached": (3, 3, 0, None, None),
    "provinces_reached": (4, 2, 2, None, None),
    "average_feedback": (None, None, None, None, None),  # no survey answered in the world
}
#: the same for a coordinator of ÇBB (events hosted by ÇBB or its members)
CBB = {
    "pilot_municipalities": (3, 1, 2, 3, 4),
    "share_women": (60.0, 100.0, -40.0, 3, 5),
    "share_refugee_community": (40.0, 0.0, 40.0, 2, 5),
    "repeat_participants": (0, 0, 0, None, None),
    "unions_reached": (3, 1, 2, None, None),
    "provinces_reached": (3, 1, 2, None, None),
    "average_feedback": (None, None, None, None, None),
}


def _values(data: dict) -> dict:
    return {
        key: (
            item["value"],
            item["previous"],
            item["delta"],
            item["numerator"],
            item["denominator"],
        )
        for key, item in by_key(data).items()
    }


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_every_indicator_by_hand(client, create_user, world, exact, role):
    data = indicators(reader(client, create_user, role), **PERIOD)
    assert data["period"] == {"start": "2025-03-01", "end": "2025-03-31"}
    assert data["previous_period"] == {"start": "2025-01-29", "end": "2025-02-28"}
    assert list(by_key(data)) == list(EVERYONE)  # the registry's order
    assert _values(data) == EVERYONE
    assert not any(item["suppressed"] for item in data["indicators"])
    assert all(item["target"] is None and item["progress"] is None for item in data["indicators"])
    assert all(item["method"] for item in data["indicators"])


def test_a_union_coordinator_counts_its_union_s_events(client, create_user, world, exact):
    coordinator = reader(client, create_user, union=world.orgs["ÇBB"])
    assert _values(indicators(coordinator, **PERIOD)) == CBB
    # an administrator of a union still sees the whole programme (as in the reports)
    admin = reader(client, create_user, "admin", union=world.orgs["ÇBB"])
    assert _values(indicators(admin, **PERIOD)) == EVERYONE


def test_targets_give_progress(client, create_user, world, exact):
    admin = reader(client, create_user, "admin")
    for indicator, target in (
        ("pilot_municipalities", 4),
        ("share_women", 50),
        ("repeat_participants", 4),
    ):
        body = {
            "indicator": indicator,
            "period_start": "2025-03-01",
            "period_end": "2025-03-31",
            "target": target,
        }
        assert admin.post("/api/v1/results/targets", json=body).status_code == 201
    # a target of another period does not apply
    other = {
        "indicator": "unions_reached",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
    }
    assert admin.post("/api/v1/results/targets", json=other | {"target": 3}).status_code == 201
    found = by_key(indicators(reader(client, create_user), **PERIOD))
    assert (found["pilot_municipalities"]["target"], found["pilot_municipalities"]["progress"]) == (
        4,
        75.0,
    )
    assert (found["share_women"]["target"], found["share_women"]["progress"]) == (50, 85.7)
    assert (found["repeat_participants"]["target"], found["repeat_participants"]["progress"]) == (
        4,
        50.0,
    )
    assert found["unions_reached"]["target"] is None
    # without a period: the target period that began last (March, not the year)
    assert indicators(reader(client, create_user))["period"] == data_period(PERIOD)
    year = indicators(reader(client, create_user), start="2025-01-01", end="2025-12-31")
    assert by_key(year)["unions_reached"]["target"] == 3
    assert by_key(year)["share_women"]["target"] is None


def test_small_cells_are_hidden_from_coordinators(client, create_user, world):
    # REPORT_MIN_CELL is 5: 3 women of 7, 2 refugee-community participants, 2 repeat
    # participants are small counts of people; organisations, unions, provinces are not people
    hidden = by_key(indicators(reader(client, create_user), **PERIOD))
    for key in ("share_women", "share_refugee_community", "repeat_participants"):
        item = hidden[key]
        assert item["suppressed"] is True, key
        assert (item["value"], item["numerator"], item["denominator"], item["delta"]) == (
            None,
            None,
            None,
            None,
        ), key
    assert hidden["share_women"]["previous"] is None  # 2 of 3
    for key in ("pilot_municipalities", "unions_reached", "provinces_reached"):
        assert hidden[key]["suppressed"] is False
        assert hidden[key]["value"] == EVERYONE[key][0]
    # administrators see the exact values
    exact = by_key(indicators(reader(client, create_user, "admin"), **PERIOD))
    assert exact["share_women"]["value"] == 42.9
    assert exact["repeat_participants"]["value"] == 2


def test_empty_period_and_empty_pilot_list(client, create_user, app, exact):
    data = by_key(
        indicators(reader(client, create_user, "admin"), start="2030-01-01", end="2030-01-31")
    )
    assert data["pilot_municipalities"]["value"] is None
    assert "pilot list" in data["pilot_municipalities"]["empty"]
    assert data["share_women"]["value"] is None
    assert data["share_women"]["empty"] == "No participants in this period."
    assert data["repeat_participants"]["value"] == 0
    assert data["provinces_reached"]["value"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2025-03-31", "end": "2025-03-01"}, "end"),
        ({"start": "2025-03-01"}, "end"),
        ({"end": "2025-03-01"}, "start"),
        ({"start": "2025-13-01", "end": "2025-03-01"}, "start"),
        ({"start": "1990-01-01", "end": "2025-03-01"}, "end"),
        ({"start": "2025-01-01", "end": "2025-02-01", "format": "pdf"}, "format"),
    ],
)
def test_bad_periods_are_422_naming_the_field(client, create_user, app, params, field):
    resp = reader(client, create_user).get(
        "/api/v1/results", query_string=params, headers={"Accept-Language": "tr"}
    )
    assert resp.status_code == 422
    assert field in resp.json["error"]["fields"]


def test_a_bad_period_is_explained_in_turkish(client, create_user, app):
    resp = reader(client, create_user).get(
        "/api/v1/results", query_string={"start": "2025-03-31", "end": "2025-03-01", "lang": "tr"}
    )
    assert resp.status_code == 422
    assert resp.json["error"]["fields"]["end"] == "Bitiş, başlangıçtan önce olamaz."


def _usefulness_answers(event, *scores: int) -> None:
    """Anonymous answers to the usefulness question of `event`'s survey."""
    from datetime import date

    from reslog_events.extensions import db
    from reslog_events.feedback.models import (
        FeedbackAnswer,
        FeedbackQuestion,
        FeedbackResponse,
        FeedbackSurvey,
        QuestionKind,
    )

    survey = FeedbackSurvey(event_id=event.id, default_language="tr")
    question = FeedbackQuestion(
        survey=survey,
        position=0,
        kind=QuestionKind.scale,
        key="usefulness",
        texts={"tr": "Yararlı"},
    )
    db.session.add_all([survey, question])
    db.session.flush()
    for score in scores:
        response = FeedbackResponse(
            event_id=event.id,
            answered_on=date(2025, 4, 2),
            gender="female",
            role_category="municipal_staff",
            organisation_kind="municipality",
        )
        response.answers.append(FeedbackAnswer(question_id=question.id, scale=score))
        db.session.add(response)
    db.session.commit()


def test_average_feedback_by_hand(client, create_user, world, exact):
    """M1 (5, 4) and M2 (4) in the period; the cancelled M3 and April's M5 not; P1 (3) and
    P2 (2, 2) before: (5 + 4 + 4) / 3 = 4.33 against (3 + 2 + 2) / 3 = 2.33."""
    events = world.events
    _usefulness_answers(events["M1"], 5, 4)
    _usefulness_answers(events["M2"], 4)
    _usefulness_answers(events["M3"], 1)
    _usefulness_answers(events["M5"], 1)
    _usefulness_answers(events["P1"], 3)
    _usefulness_answers(events["P2"], 2, 2)

    data = by_key(indicators(reader(client, create_user, "admin"), **PERIOD))
    item = data["average_feedback"]
    assert (item["value"], item["previous"], item["delta"]) == (4.33, 2.33, 2.0)
    assert item["unit"] == "score" and not item["suppressed"]
