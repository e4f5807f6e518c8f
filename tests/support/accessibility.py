"""axe-core (vendored from npm, tests only) run in a Playwright page, with the options and the
impacts that fail a test; a log-in whose session later browser contexts reuse; the viewports and
languages the accessibility checks use.

axe is evaluated through the DevTools protocol, which the pages' strict CSP does not apply to, so
the pages render exactly as users see them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.support.factories import PASSWORD

AXE_SOURCE = (Path(__file__).parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text("utf-8")
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
