"""The survey page in Chromium, in Arabic on a phone (390 × 844, touch): right to left, nothing
wider than the screen, the options big enough to tap, no accessibility violation that blocks;
an answer with Arabic text goes through and a second one is refused."""

from __future__ import annotations

import sqlalchemy as sa

from reslog_events.extensions import db
from reslog_events.feedback.models import FeedbackAnswer
from reslog_events.feedback.operations import send_due_surveys
from tests.feedback.conftest import links
from tests.support.accessibility import BLOCKING, axe, describe

COMMENT = "ورشة مفيدة، شكرًا لبلدية ريحانلي"


def test_the_arabic_survey_on_a_phone(app, live_server, page, ended, survey, participant):
    person = participant(full_name="ليلى حداد", language="ar")
    send_due_surveys()
    path = links(ended.id)[person.invitation.contact.email]
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(live_server.url + path)
    assert page.viewport_size["width"] == 390
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    assert page.locator("h1").inner_text() == "كيف كانت الفعالية؟"
    legend = page.locator("legend").first
    assert legend.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # nothing wider than the phone; the scale's options in a row, first on the right
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    one = page.locator(".feedback-scale .feedback-option").nth(0).bounding_box()
    two = page.locator(".feedback-scale .feedback-option").nth(1).bounding_box()
    assert one["x"] > two["x"]  # right to left
    for option in page.locator(".feedback-option").all():
        box = option.bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    violations = [v for v in axe(page) if v["impact"] in BLOCKING]
    assert violations == [], describe(violations)

    page.locator(".feedback-scale .feedback-option").nth(4).tap()  # 5
    page.get_by_label("جزئيًا").check()
    page.locator("textarea").fill(COMMENT)
    with page.expect_navigation():
        page.locator("button[type=submit]").tap()
    assert page.locator(".flash-success").inner_text() == "شكرًا لك! حُفظت إجاباتك."
    db.session.expire_all()
    stored = db.session.scalars(sa.select(FeedbackAnswer)).all()
    assert sorted(str(a.scale or a.choice or a.text) for a in stored) == sorted(
        ["5", "partly", COMMENT]
    )

    page.goto(live_server.url + path)
    assert "لقد أجبت عن هذا الاستبيان من قبل" in page.locator("#already-answered").inner_text()
    assert page.locator("form.feedback-form").count() == 0
    assert problems == []


def test_the_organisers_pages_pass_axe(
    app, live_server, chromium, ended, survey, participant, create_user
):
    from tests.feedback.test_results import ANSWERS, answer_all
    from tests.support.accessibility import logged_in_state

    answer_all(ended, participant, ANSWERS[:6])
    state = logged_in_state(chromium, live_server.url, create_user("organiser"))
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, storage_state=state)
    try:
        page = context.new_page()
        for path, lang in (
            (f"/events/{ended.id}/feedback", "ar"),
            (f"/events/{ended.id}/feedback/edit", "tr"),
            (f"/events/{ended.id}/feedback/send", "en"),
            ("/reports", "ar"),
        ):
            page.goto(f"{live_server.url}{path}?lang={lang}")
            assert page.evaluate("document.documentElement.lang") == lang
            page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
            violations = [v for v in axe(page) if v["impact"] in BLOCKING]
            assert violations == [], (path, describe(violations))
    finally:
        context.close()
