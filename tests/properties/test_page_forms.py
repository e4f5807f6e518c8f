"""Every form on every page, posted with generated values (text of any length, huge and
negative numbers, malformed dates and emails, unknown choices, blanks) as the role that sees it:
the answer is a page (200/4xx) or a redirect, never a 5xx. The forms are read from the pages
themselves, so a new form is covered without listing it."""

from __future__ import annotations

import os
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_page_matrix import PAGES, PUBLIC, world  # noqa: F401 - the fixture

#: forms that end something for good (the world is shared by the whole module): not fuzzed
DESTRUCTIVE = ("/cancel", "/erase", "/revoke", "/logout", "/rotate-code", "/delete", "/publish")


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": a.get("method", "get"),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            kind = a.get("type", tag)
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            self._form["fields"].setdefault(
                a["name"], {"type": kind, "value": a.get("value") or "", "options": []}
            )
            if tag == "select":
                self._select = a["name"]
        elif tag == "option" and self._form is not None and self._select:
            self._form["fields"][self._select]["options"].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _forms(html: str, page: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    found = []
    for form in parser.forms:
        if form["method"].lower() != "post":
            continue
        action = form["action"] or page
        if not action.startswith("/") or any(word in action for word in DESTRUCTIVE):
            continue
        found.append({**form, "action": action})
    return found


#: the form actions posted to, for the last test
POSTED: set[str] = set()


def _value(field: dict) -> st.SearchStrategy[str]:
    kept = st.just(field["value"])
    garbage = st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "1e308",
            "2026-02-30",
            "31/12/2026",
            "2026-13-01T25:61",
            "not-an-email@",
            "@",
            "x" * 5000,
            "<b>",
            "=1+2",
            "zz",
            "true",
            "²",
            "١٢",
        ]
    )
    text = st.text(max_size=300).map(lambda t: t.replace("\x00", ""))
    options = st.sampled_from(field["options"]) if field["options"] else kept
    return st.one_of(kept, options, garbage, text)


def _pages() -> list[tuple[str, str]]:
    """(rule, role) for every page with a form: the most capable role allowed to open it."""
    cases = []
    for rule, (allowed, _path, status) in sorted(PAGES.items()):
        if (
            status != 200
            or rule.startswith(("/dev/", "/feeds/"))
            or rule.endswith((".csv", ".xlsx", ".json", ".png", ".ics"))
        ):
            continue
        role = (
            None if allowed is PUBLIC else ("admin" if "admin" in allowed else sorted(allowed)[0])
        )
        if rule == "/login":
            continue  # tested in tests/security/test_rate_limits.py (limited per address)
        cases.append((rule, role))
    return cases


def _settings(examples: int) -> settings:
    return settings(
        max_examples=int(os.environ.get("FUZZ_EXAMPLES_PAGES", str(examples))),
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _open(world, rule: str, role: str | None):  # noqa: F811 - the fixture's value
    """The client logged in as `role` and the page's path with the world's ids."""
    ids, clients = world
    return clients[role], PAGES[rule][1].format(**ids)


@pytest.mark.slow
@pytest.mark.parametrize(("rule", "role"), _pages(), ids=lambda v: str(v))
def test_page_forms_take_any_values(world, rule, role):  # noqa: F811 - the fixture
    from reslog_events.extensions import db, limiter

    client, page = _open(world, rule, role)
    resp = client.get(page)
    assert resp.status_code == 200
    if resp.mimetype != "text/html":  # a download (PDF, ZIP, CSV) has no forms
        return
    forms = _forms(resp.get_data(as_text=True), page)
    POSTED.update(form["action"].split("?")[0] for form in forms)
    if not forms:
        return
    limiter.enabled = False
    try:
        for form in forms:
            fields = form["fields"]
            names = sorted(n for n in fields if n != "csrf_token")
            strategy = st.fixed_dictionaries({n: _value(fields[n]) for n in names})

            @_settings(12)
            @given(values=strategy)
            def post(values):
                data = {**values, "csrf_token": fields.get("csrf_token", {}).get("value", "")}
                answer = client.post(form["action"], data=data)
                db.session.rollback()
                assert answer.status_code < 500, (form["action"], values, answer.status_code)

            post()
    finally:
        limiter.enabled = True


def test_the_main_forms_were_found():
    """The HTML parsing above still finds the forms (run after the parametrised test)."""
    if not POSTED:
        pytest.skip("run together with test_page_forms_take_any_values")
    wanted = (
        "/organisations/new",
        "/contacts/new",
        "/events/new",
        "/rsvp/",
        "/agenda",
        "/answers/",
    )
    for part in wanted:
        assert any(part in action for action in POSTED), (part, sorted(POSTED))


#: query names the pages read (filters, paging, views), with garbage values
QUERY_NAMES = (
    "page",
    "per_page",
    "q",
    "from",
    "to",
    "date",
    "view",
    "group_by",
    "kind",
    "level",
    "status",
    "union",
    "country",
    "result",
    "gate",
    "day",
    "lang",
    "when",
    "sort",
    "order",
    "event_id",
    "organisation_id",
    "format",
    "mine",
    "province",
    "response",
    "need",
    "from_id",
    "next",
)
QUERY_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "1e9",
            "abc",
            "ar",
            "xx",
            "true",
            "csv",
            "xlsx",
            "month",
            "week",
            "list",
            "past",
            "TBB",
            "TR",
            "//evil.example",
            "²",
        ]
    ),
    st.text(max_size=60).map(lambda t: t.replace("\x00", "")),
)


@pytest.mark.slow
@pytest.mark.parametrize(("rule", "role"), _pages(), ids=lambda v: str(v))
def test_pages_take_any_query(world, rule, role):  # noqa: F811 - the fixture
    from reslog_events.extensions import db, limiter

    client, page = _open(world, rule, role)

    @_settings(10)
    @given(query=st.dictionaries(st.sampled_from(QUERY_NAMES), QUERY_VALUES, max_size=4))
    def get(query):
        answer = client.get(page, query_string=query)
        db.session.rollback()
        assert answer.status_code < 500, (page, query, answer.status_code)

    limiter.enabled = False
    try:
        get()
    finally:
        limiter.enabled = True
