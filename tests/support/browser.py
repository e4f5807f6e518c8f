"""Real-browser fixtures: the app served on loopback by a thread, Debian's Chromium driven by
Playwright (`executable_path=/usr/bin/chromium`; Playwright's own browser download is not used)."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

from tests.support.services import require

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def live_server(app):
    """The test app on http://127.0.0.1:<port>, sharing the test database."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def _playwright():
    require(
        shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM),
        f"Chromium not found at {CHROMIUM} (apt-get install chromium)",
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed")
    with sync_playwright() as pw:
        yield pw


def launch_chromium(playwright, extra_args: list[str] | None = None):
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + (extra_args or [])
    )


@pytest.fixture(scope="session")
def chromium(_playwright):
    browser = launch_chromium(_playwright)
    yield browser
    browser.close()


@pytest.fixture
def page(chromium):
    """A phone-sized page (390×844, touch)."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def page_problems(page) -> list[str]:
    """The page's uncaught errors and console errors from now on (a CSP refusal is one), to
    assert empty at the end of a test."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return problems
