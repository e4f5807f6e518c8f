"""WCAG 2.2 AA checks in a real browser: axe-core (vendored from npm, tests only) injected by
Playwright into Debian's Chromium, on the invitee's RSVP page, the door staff's scanner and the
coordinators' dashboard, in each of the four languages; reflow at 320 CSS px; keyboard-only use of
the scanner's search and the dashboard's filters.

One browser for the module (with a fake camera, so the scanner's camera prompt never blocks), a
fresh context per page and language. axe is evaluated through the DevTools protocol, which the
pages' strict CSP does not apply to, so the pages render exactly as users see them."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.browser import launch_chromium
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.browser

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text("utf-8")
LANGUAGES = ("tr", "en", "ar", "sv")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
IST = ZoneInfo("Europe/Istanbul")

#: WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (landmarks, heading order, …)
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    # WCAG 2.2's 24 × 24 px targets (2.5.8): off by default in axe 4.14
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}
#: what fails the test; A11Y_ALL=1 fails on moderate and minor findings too (to see them all)
BLOCKING = {"serious", "critical"} | (
    {"moderate", "minor"} if os.environ.get("A11Y_ALL") else set()
)


# -- the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(_playwright):
    browser = launch_chromium(
        _playwright,
        # a fixed interface language, so that date fields take day and month in a known order
        ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--lang=en-US"],
    )
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser):
    """new_page(viewport=PHONE, storage_state=None) → a page in a fresh context."""
    contexts = []

    def make(viewport=PHONE, storage_state=None, base_url=None):
        context = browser.new_context(
            viewport=viewport,
            has_touch=viewport["width"] < 800,
            storage_state=storage_state,
            locale="en-US",
        )
        if base_url:
            context.grant_permissions(["camera"], origin=base_url)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


def logged_in_state(browser, base: str, user) -> dict:
    """Log in through the /login form once; later contexts reuse the session cookie."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{base}/login?lang=en")
        page.fill("#f-email", user.email)
        page.fill("#f-password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
        return context.storage_state()
    finally:
        context.close()


# -- axe -----------------------------------------------------------------------------------------


def axe(page, context: str | None = None) -> list[dict]:
    """axe's violations on the page (or inside the `context` selector)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    target = json.dumps(context) if context else "document"
    return page.evaluate(f"axe.run({target}, {json.dumps(AXE_OPTIONS)}).then(r => r.violations)")


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:6]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"      {summary[:400]}")
        if len(v["nodes"]) > 6:
            lines.append(f"    … and {len(v['nodes']) - 6} more")
    return "\n".join(lines)


class Findings:
    """Collects the blocking violations of every page checked in a test, then fails once with
    all of them (so that one run shows everything to fix)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def check(self, page, where: str, context: str | None = None) -> None:
        violations = [v for v in axe(page, context) if v["impact"] in BLOCKING]
        if violations:
            self.problems.append(f"== {where} ({page.url})\n{describe(violations)}")

    def language(self, page, lang: str) -> None:
        """The document's language and direction follow the page's language."""
        attrs = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
        expected = [lang, "rtl" if lang == "ar" else "ltr"]
        if attrs != expected:
            self.problems.append(f"== {page.url}: <html lang dir> is {attrs}, not {expected}")

    def assert_none(self) -> None:
        assert not self.problems, "axe found serious/critical violations:\n" + "\n".join(
            self.problems
        )


# -- data ----------------------------------------------------------------------------------------


@pytest.fixture
def rsvp_event(create_event):
    return create_event(
        title="Forum on Resilient Cities · Dirençli Kentler",
        capacity=40,
        languages=["tr", "en", "ar"],
        description="Two panels and a workshop.\nInterpretation is provided.",
        rsvp_deadline=datetime.now(IST).replace(microsecond=0) + timedelta(days=7),
        online_url="https://meet.example.org/forum",
    )


@pytest.fixture
def reports_data(create_organisation, create_contact, create_event, create_invitation):
    """Two past events with answers and check-ins, so the dashboard has a table and charts."""
    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db

    orgs = [
        create_organisation(name="Şişli Belediyesi", province="İstanbul"),
        create_organisation(name="Gaziantep Büyükşehir Belediyesi", province="Gaziantep"),
        create_organisation(name="Malmö stad", country="SE", kind="international"),
    ]
    people = [
        create_contact(full_name=name, organisation=org, gender=gender, role_category=role)
        for name, org, gender, role in [
            ("Ayşe Yılmaz", orgs[0], "female", "elected_official"),
            ("Mehmet Demir", orgs[1], "male", "municipal_staff"),
            ("Erik Lindqvist", orgs[2], "male", "international_partner"),
            ("ليلى حسن", orgs[1], "female", "refugee_community"),
        ]
    ]
    for month, kind in ((3, "forum"), (5, "workshop")):
        starts = datetime(2024, month, 5, 9, tzinfo=IST)
        event = create_event(
            title=f"Forum 2024-{month:02d}", kind=kind, starts_at=starts,
            ends_at=starts + timedelta(hours=8),
        )  # fmt: skip
        for i, person in enumerate(people):
            inv = create_invitation(
                event=event, contact=person, status="accepted" if i < 3 else "pending"
            ).invitation
            if i != 1:
                db.session.add(
                    CheckIn(
                        event_id=event.id,
                        invitation_id=inv.id,
                        day=date(2024, month, 5),
                        checked_in_at=starts + timedelta(minutes=20),
                    )
                )
    db.session.commit()


@pytest.fixture
def door_event(create_event, create_contact, create_organisation, create_invitation):
    event = create_event(
        title="Göç ve Kent Forumu", starts_at=datetime.now(IST) - timedelta(hours=1)
    )
    org = create_organisation(name="Mersin Büyükşehir Belediyesi")
    people = {}
    for name in ("Ayşe Kaya", "Erik Lindqvist", "أحمد الخطيب"):
        contact = create_contact(full_name=name, organisation=org)
        people[name] = create_invitation(event=event, contact=contact, status="accepted")
    return event, people


# -- axe on each page in each language -------------------------------------------------------------


def test_rsvp_page_in_every_language(
    live_server, new_page, rsvp_event, create_contact, create_invitation
):
    findings = Findings()
    for lang in LANGUAGES:
        contact = create_contact(full_name="Sara Lindberg", language=lang)
        new = create_invitation(event=rsvp_event, contact=contact)
        page = new_page()
        page.goto(f"{live_server.url}/rsvp/{new.rsvp_token}?lang={lang}")
        findings.language(page, lang)
        findings.check(page, f"RSVP {lang}, not answered")

        # Accept without consent: the error summary and the field's error are shown.
        page.check("#f-response-accept")
        with page.expect_navigation():
            page.click(".rsvp-form button[type=submit]")
        assert page.locator("#error-summary").is_visible()
        assert page.locator("#e-consent_data").get_attribute("role") == "alert"
        findings.language(page, lang)
        findings.check(page, f"RSVP {lang}, with a validation error")

        page.check("#f-consent_data")
        with page.expect_navigation():
            page.click(".rsvp-form button[type=submit]")
        page.locator("img.rsvp-qr").wait_for()
        findings.check(page, f"RSVP {lang}, accepted (QR code shown)")
        assert page.errors == []
    findings.assert_none()


def test_scanner_page_in_every_language(live_server, browser, new_page, create_user, door_event):
    event, people = door_event
    state = logged_in_state(browser, live_server.url, create_user("staff"))
    codes = [new.checkin_code for new in people.values()]
    findings = Findings()
    for lang, code in zip(LANGUAGES, codes + [codes[0]], strict=True):
        page = new_page(storage_state=state, base_url=live_server.url)
        page.goto(f"{live_server.url}/events/{event.id}/checkin?lang={lang}")
        page.wait_for_selector("body[data-checkin-ready]")
        findings.language(page, lang)
        # First visit on this phone: the gate dialog is open.
        page.locator("#gate-dialog[open]").wait_for()
        findings.check(page, f"scanner {lang}, choosing the gate")
        page.fill("#gate-input", "A")
        page.press("#gate-input", "Enter")
        page.locator("#gate-dialog").wait_for(state="hidden")
        # The (fake) camera films; its caption and button sit on the video.
        page.locator("#camera-toggle").wait_for()
        findings.check(page, f"scanner {lang}, camera on", ".camera")
        page.click("#camera-toggle")  # off again: decoding frames would only slow the checks down

        page.fill("#code-input", code)
        page.press("#code-input", "Enter")
        page.locator("#result[data-result]").wait_for()
        expected = "already_checked_in" if lang == "sv" else "ok"
        assert page.get_attribute("#result", "data-result") == expected
        page.click("#search-panel summary")
        page.click("#walkin-panel summary")
        page.fill("#search-input", "a")
        page.locator("#search-results li").first.wait_for()
        findings.check(page, f"scanner {lang}, after a scan, panels open")

        page.fill("#code-input", "NOT-A-CODE-123")
        page.press("#code-input", "Enter")
        page.locator('#result[data-result="invalid"]').wait_for()
        findings.check(page, f"scanner {lang}, refused code", "#result")
        page.fill("#walkin-name", "")
        page.click("#walkin-form button[type=submit]")
        page.locator("#walkin-name-error").wait_for()
        findings.check(page, f"scanner {lang}, walk-in error", "#walkin-form")
        assert page.errors == []
    findings.assert_none()


def test_dashboard_in_every_language(live_server, browser, new_page, create_user, reports_data):
    state = logged_in_state(browser, live_server.url, create_user("coordinator"))
    findings = Findings()
    for lang in LANGUAGES:
        page = new_page(viewport=DESKTOP, storage_state=state)
        page.goto(f"{live_server.url}/reports?lang={lang}")
        findings.language(page, lang)
        assert page.locator(".report-table tbody tr").count() >= 3
        findings.check(page, f"dashboard {lang}")
        page.goto(f"{live_server.url}/reports?from=2024-13-40&group_by=month")
        assert page.locator(".field.has-error").count() == 1
        findings.check(page, f"dashboard {lang}, with a filter error")
        assert page.errors == []
    findings.assert_none()


# -- reflow: 320 CSS px (1280 px at 400 % zoom) without sideways scrolling -------------------------


def overflow(page) -> list[str]:
    """Elements sticking out of a 320 px wide page (data tables scroll inside their own box)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          return [...document.querySelectorAll("body *")]
            .filter((el) => !el.closest(".table-wrap") && el.getClientRects().length)
            .filter((el) => {
              const r = el.getBoundingClientRect();
              return r.right > width + 1 || r.left < -1;
            })
            .slice(0, 8).map((el) => el.outerHTML.slice(0, 120));
        }"""
    )


def test_pages_reflow_at_320_css_pixels(
    live_server, browser, new_page, create_user, rsvp_event, create_invitation, door_event,
    reports_data,
):  # fmt: skip
    event, _people = door_event
    staff = logged_in_state(browser, live_server.url, create_user("staff"))
    coordinator = logged_in_state(browser, live_server.url, create_user("coordinator"))
    narrow = {"width": 320, "height": 640}
    problems = {}
    for lang in ("ar", "en"):
        token = create_invitation(event=rsvp_event).rsvp_token
        pages = [
            (f"RSVP {lang}", None, f"/rsvp/{token}?lang={lang}"),
            (f"scanner {lang}", staff, f"/events/{event.id}/checkin?lang={lang}"),
            (f"dashboard {lang}", coordinator, f"/reports?lang={lang}"),
        ]
        for name, state, path in pages:
            page = new_page(viewport=narrow, storage_state=state, base_url=live_server.url)
            page.goto(live_server.url + path)
            if "checkin" in path:
                page.locator("#gate-dialog[open]").wait_for()
                page.fill("#gate-input", "A")
                page.press("#gate-input", "Enter")
            if sticking_out := overflow(page):
                problems[name] = sticking_out
    assert problems == {}, "pages scroll sideways at 320 CSS px: " + json.dumps(problems, indent=1)


# -- keyboard only ---------------------------------------------------------------------------------


def tab_until(page, selector: str, limit: int = 60, key: str = "Tab") -> None:
    """Press Tab until the focused element matches `selector`; each stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            assert_focus_visible(page)
            return
    raise AssertionError(f"{selector} never got the keyboard focus")


def assert_focus_visible(page) -> None:
    """The focused element has an outline of at least 2 px (WCAG 2.4.7)."""
    problem = page.evaluate(
        """() => {
          const el = document.activeElement;
          const s = getComputedStyle(el);
          if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) return null;
          return `${el.outerHTML.slice(0, 100)}: outline ${s.outlineStyle} ${s.outlineWidth}`;
        }"""
    )
    assert problem is None, f"no visible focus on {problem}"


def submit_by_keyboard(page, form: str) -> None:
    tab_until(page, f"{form} button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_arabic_rsvp_page_by_keyboard_alone(
    live_server, new_page, rsvp_event, create_contact, create_invitation
):
    from reslog_events.extensions import db

    contact = create_contact(full_name="Sara Lindberg", language="ar")
    new = create_invitation(event=rsvp_event, contact=contact)
    page = new_page()
    page.goto(f"{live_server.url}/rsvp/{new.rsvp_token}")  # the invitee's language by default
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ar",
        "rtl",
    ]
    # The page is mirrored: the answer's radio buttons sit on the right of their labels.
    radio = page.locator("#f-response-accept").bounding_box()
    label = page.locator("label[for=f-response-accept]").bounding_box()
    assert radio["x"] > label["x"]
    tab_until(page, "#f-response-accept")
    page.keyboard.press("Space")
    tab_until(page, "#f-consent_data")
    page.keyboard.press("Space")
    submit_by_keyboard(page, ".rsvp-form")
    page.locator("img.rsvp-qr").wait_for()
    db.session.expire_all()
    assert new.invitation.status.value == "accepted"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.errors == []


def test_scanner_search_and_check_in_by_keyboard(
    live_server, browser, new_page, create_user, door_event
):
    import sqlalchemy as sa
    from playwright.sync_api import expect

    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db

    event, people = door_event
    state = logged_in_state(browser, live_server.url, create_user("staff"))
    page = new_page(viewport=DESKTOP, storage_state=state, base_url=live_server.url)
    page.goto(f"{live_server.url}/events/{event.id}/checkin?lang=en")
    page.wait_for_selector("body[data-checkin-ready]")
    # The gate dialog takes the focus; Enter chooses the gate.
    assert page.evaluate("document.activeElement.id") == "gate-input"
    page.keyboard.type("B")
    page.keyboard.press("Enter")
    page.locator("#gate-dialog").wait_for(state="hidden")

    tab_until(page, "#search-panel > summary")
    page.keyboard.press("Enter")
    tab_until(page, "#search-input")
    page.keyboard.type("Lindqvist")
    page.locator("#search-results li").first.wait_for()
    assert page.locator("#search-status").get_attribute("role") == "status"
    tab_until(page, "#search-results button")
    button = page.evaluate(
        """() => {
          const el = document.activeElement;
          const whom = document.getElementById(el.getAttribute("aria-describedby"));
          return [el.textContent, whom.textContent];
        }"""
    )
    assert button == ["Check in", "Erik Lindqvist"]
    page.keyboard.press("Enter")

    # The answer is spoken (a live region), written, and shown by a shape as well as a colour.
    page.locator('#result[data-result="ok"]').wait_for()
    result = page.locator("#result")
    assert result.get_attribute("aria-live") == "assertive"
    assert page.text_content("#result-title") == "Checked in"
    assert page.text_content("#result-name") == "Erik Lindqvist"
    assert page.locator("#result .icon-ok").is_visible()
    assert not page.locator("#result .icon-refused").is_visible()
    # The list is redrawn; the focus is back in the search field, ready for the next name.
    expect(page.locator("#search-input")).to_be_focused()
    db.session.expire_all()
    row = db.session.scalar(
        sa.select(CheckIn).where(CheckIn.invitation_id == people["Erik Lindqvist"].invitation.id)
    )
    assert row is not None and row.method == "manual" and row.gate == "B"

    # A refused code: other words, another shape.
    tab_until(page, "#code-input", key="Shift+Tab")
    page.keyboard.type("NO-SUCH-CODE-42")
    page.keyboard.press("Enter")
    page.locator('#result[data-result="invalid"]').wait_for()
    assert page.locator("#result .icon-refused").is_visible()
    assert not page.locator("#result .icon-ok").is_visible()
    assert page.errors == []


def test_dashboard_filters_by_keyboard(live_server, browser, new_page, create_user, reports_data):
    state = logged_in_state(browser, live_server.url, create_user("coordinator"))
    page = new_page(viewport=DESKTOP, storage_state=state)
    page.goto(f"{live_server.url}/reports?lang=en")
    tab_until(page, "#f-group_by")
    for _ in range(12):  # arrows move through the options of a closed select
        if page.eval_on_selector("#f-group_by", "el => el.value") == "month":
            break
        page.keyboard.press("ArrowDown")
    tab_until(page, "#f-from")
    page.keyboard.type("04012024")  # month, day, year in an en-US browser
    assert page.eval_on_selector("#f-from", "el => el.value") == "2024-04-01"
    tab_until(page, "#f-kind")
    page.keyboard.type("Workshop")
    assert page.eval_on_selector("#f-kind", "el => el.value") == "workshop"
    submit_by_keyboard(page, "form.filters")
    assert "group_by=month" in page.url and "from=2024-04-01" in page.url
    assert "kind=workshop" in page.url
    assert page.locator(".report-table caption").inner_text().startswith("Attendance by month")
    rows = page.locator(".report-table tbody tr")
    assert rows.count() == 1  # only the May workshop

    # Sorting a column works from the keyboard too, and says how it is sorted.
    tab_until(page, ".report-table thead th:nth-child(2) button")
    page.keyboard.press("Enter")
    assert page.get_attribute(".report-table thead th:nth-child(2)", "aria-sort") == "descending"
    assert page.errors == []


def test_after_the_event_pages_in_every_language(
    live_server, browser, new_page, create_user, create_event, create_contact, create_invitation
):
    """The certificate's verification page, the RSVP page offering the certificate, and the
    organisers' message page with its preview."""
    from reslog_events.certificates.models import Certificate
    from reslog_events.checkin.models import CheckIn
    from reslog_events.extensions import db

    event = create_event(
        title="Şehir Dayanıklılığı Çalıştayı",
        starts_at=datetime(2026, 3, 14, 6, 0, tzinfo=ZoneInfo("UTC")),
        ends_at=datetime(2026, 3, 14, 14, 0, tzinfo=ZoneInfo("UTC")),
        languages=["tr", "ar"],
    )
    new = create_invitation(
        event=event,
        contact=create_contact(full_name="محمد العلي", language="ar"),
        status="accepted",
    )
    create_invitation(event=event, status="accepted")  # a no-show
    db.session.add(
        CheckIn(event_id=event.id, invitation_id=new.invitation.id, day=date(2026, 3, 14))
    )
    db.session.commit()
    findings = Findings()
    page = new_page()
    page.goto(f"{live_server.url}/rsvp/{new.rsvp_token}")
    findings.language(page, "ar")
    findings.check(page, "RSVP ar, certificate offered")
    pdf = page.request.get(f"{live_server.url}/rsvp/{new.rsvp_token}/certificate.pdf")
    assert pdf.status == 200
    code = db.session.scalar(db.select(Certificate.code))  # issued by that download
    for lang in LANGUAGES:
        page.goto(f"{live_server.url}/verify/{code}?lang={lang}")
        findings.language(page, lang)
        findings.check(page, f"verification {lang}")

    state = logged_in_state(browser, live_server.url, create_user("organiser"))
    for lang in ("en", "ar"):
        page = new_page(storage_state=state, base_url=live_server.url)
        page.goto(f"{live_server.url}/events/{event.id}/messages?lang={lang}")
        findings.language(page, lang)
        findings.check(page, f"message form {lang}")
        page.check("#f-audience-no_show")
        page.fill("#f-subject", "Sunumlar")
        page.fill("#f-body", "Sunumlar ekte.")
        with page.expect_navigation():
            page.click("button[value=preview]")
        page.locator("#recipient-count").wait_for()
        findings.check(page, f"message preview {lang}")
        assert page.errors == []
    findings.assert_none()
